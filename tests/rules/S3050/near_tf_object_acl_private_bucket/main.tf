# bucket-owner-full-control is accepted with BucketOwnerEnforced; an unknown ACL is not judged
variable "object_acl" {
  type = string
}

resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_object" "a" {
  bucket  = aws_s3_bucket.data.id
  key     = "a.txt"
  content = "a"
  acl     = "bucket-owner-full-control"
}

resource "aws_s3_object" "b" {
  bucket  = aws_s3_bucket.data.id
  key     = "b.txt"
  content = "b"
  acl     = var.object_acl
}
