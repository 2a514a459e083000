# AWS provider v3 style: website and policy as inline arguments of the bucket.
resource "aws_s3_bucket" "site" {
  bucket = "example-site-content"

  website {
    index_document = "index.html"
  }

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::example-site-content/*"
      },
    ]
  })
}
