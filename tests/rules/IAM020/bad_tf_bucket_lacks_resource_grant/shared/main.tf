# Account 222222222222: the bucket policy grants an auditor role, not the reporter of
# 111111111111, whose identity policy allows the read: it is denied on the bucket side.
resource "aws_s3_bucket" "reports" {
  bucket = "example-shared-reports"
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AuditorReads"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/auditor" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-shared-reports/*"
    }]
  })
}
