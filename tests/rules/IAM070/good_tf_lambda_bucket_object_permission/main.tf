resource "aws_s3_bucket" "uploads" {
  bucket = "app-uploads-example"
}

resource "aws_iam_role" "fn" {
  name = "app-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.fn.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "${aws_s3_bucket.uploads.arn}/*" },
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
    variables = { UPLOAD_BUCKET = aws_s3_bucket.uploads.bucket }
  }
}
