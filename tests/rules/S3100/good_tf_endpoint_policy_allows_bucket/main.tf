data "aws_region" "current" {}

resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0abc1234"
  service_name = "com.amazonaws.${data.aws_region.current.name}.s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.data.arn}/*"
    }]
  })
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
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "${aws_s3_bucket.data.arn}/*"
    }]
  })
}

resource "aws_lambda_function" "reader" {
  function_name = "reader"
  role          = aws_iam_role.reader.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "reader.zip"
  vpc_config {
    subnet_ids         = ["subnet-0abc1234"]
    security_group_ids = ["sg-0abc1234"]
  }
  environment {
    variables = {
      BUCKET = aws_s3_bucket.data.id
    }
  }
}
