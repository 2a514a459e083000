# A guardrail SCP denies lambda:CreateFunctionUrlConfig: Terraform creates
# aws_lambda_function_url through that call (AccessDenied on apply).
data "aws_caller_identity" "current" {}

resource "aws_organizations_policy" "no_function_urls" {
  name = "no-function-urls"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "NoFunctionUrls"
      Effect   = "Deny"
      Action   = "lambda:CreateFunctionUrlConfig"
      Resource = "*"
    }]
  })
}

resource "aws_organizations_policy_attachment" "no_function_urls" {
  policy_id = aws_organizations_policy.no_function_urls.id
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
