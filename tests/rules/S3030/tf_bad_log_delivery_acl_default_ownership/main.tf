resource "aws_s3_bucket" "logs" {
  for_each = toset(["access"])
  bucket   = "example-${each.key}-logs"
}

resource "aws_s3_bucket_acl" "logs" {
  for_each = aws_s3_bucket.logs
  bucket   = each.value.id
  acl      = "log-delivery-write"
}
