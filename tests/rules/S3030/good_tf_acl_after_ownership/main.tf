resource "aws_s3_bucket" "site" {
  bucket = "example-site-content"
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "log-delivery-write"
  depends_on = [aws_s3_bucket_ownership_controls.site]
}
