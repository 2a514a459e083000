data "aws_caller_identity" "current" {}

resource "aws_kms_key" "data" {
  description = "default key policy: the account, through IAM"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.data.arn}/*" },
      { Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.data.arn }
    ]
  })
}

resource "aws_lambda_function" "reader" {
  function_name = "reader"
  role          = aws_iam_role.reader.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "reader.zip"
  environment {
    variables = {
      BUCKET = aws_s3_bucket.data.id
    }
  }
}
