resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

resource "aws_iam_role" "fn" {
  name = "app-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.fn.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = aws_s3_bucket.data.arn },
    ]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "app-fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "app.zip"

  environment {
    variables = {
      DATA_BUCKET = aws_s3_bucket.data.bucket
    }
  }
}
