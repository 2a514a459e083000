# Account 222222222222: the bucket policy grants the reporting role of 111111111111.
resource "aws_s3_bucket" "reports" {
  bucket = "example-shared-reports"
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReporterReads"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/reporter" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-shared-reports/*"
    }]
  })
}
