# The ACL comes from a variable with no value: it may be "private", so nothing is reported.
variable "acl_value" {}

resource "aws_s3_bucket" "logs" {
  bucket = "example-logs"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = var.acl_value
}
