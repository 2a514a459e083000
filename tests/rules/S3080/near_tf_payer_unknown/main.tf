variable "payer" {
  type = string
}

resource "aws_s3_bucket" "site" {
  bucket = "example-site-content"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_bucket_request_payment_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  payer  = var.payer
}
