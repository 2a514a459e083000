# AWS provider v3 style: the ACL as an inline argument of the bucket.
resource "aws_s3_bucket" "site" {
  acl = "private"
}
