resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}


resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.data.arn}/*" },
    ]
  })
}
