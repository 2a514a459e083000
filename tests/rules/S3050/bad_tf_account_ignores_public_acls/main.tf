resource "aws_s3_account_public_access_block" "account" {
  ignore_public_acls  = true
  block_public_policy = true
}

resource "aws_s3_bucket" "site" {
  bucket = "example-site-content"
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_acl" "site" {
  bucket     = aws_s3_bucket.site.id
  acl        = "public-read"
  depends_on = [aws_s3_bucket_ownership_controls.site]
}
