# A guardrail SCP denies lambda:DeleteFunctionUrlConfig only: Terraform creates
# aws_lambda_function_url through lambda:CreateFunctionUrlConfig, which the SCP leaves alone.
data "aws_caller_identity" "current" {}

resource "aws_organizations_policy" "keep_function_urls" {
  name = "keep-function-urls"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "KeepFunctionUrls"
      Effect   = "Deny"
      Action   = "lambda:DeleteFunctionUrlConfig"
      Resource = "*"
    }]
  })
}

resource "aws_organizations_policy_attachment" "keep_function_urls" {
  policy_id = aws_organizations_policy.keep_function_urls.id
  target_id = data.aws_caller_identity.current.account_id
}

resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
}

resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "AWS_IAM"
}
