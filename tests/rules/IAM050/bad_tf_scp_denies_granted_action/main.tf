resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

data "aws_caller_identity" "current" {}

resource "aws_organizations_policy" "guard" {
  name    = "guard"
  type    = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "sqs:*", Resource = "*" }]
  })
}

resource "aws_organizations_policy_attachment" "guard" {
  policy_id = aws_organizations_policy.guard.id
  target_id = data.aws_caller_identity.current.account_id
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
      { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn },
    ]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "app-fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "app.zip"
}
