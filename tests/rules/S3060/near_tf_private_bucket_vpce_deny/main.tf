# a private bucket locked to a VPC endpoint: nobody outside the VPC is meant to call it
resource "aws_s3_bucket" "data" {
  bucket = "example-private-data"
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "VpceOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.data.arn}", "${aws_s3_bucket.data.arn}/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
    }]
  })
}
