# Account 222222222222: the Lambda permission grants another principal, not the caller role of 111111111111: the call is denied on this side.
resource "aws_iam_role" "fn" {
  name = "example-shared-orders"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.fn.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "example-shared-orders"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "app.zip"
}

resource "aws_lambda_permission" "caller" {
  function_name = aws_lambda_function.fn.function_name
  action        = "lambda:InvokeFunction"
  principal     = "333333333333"
}
