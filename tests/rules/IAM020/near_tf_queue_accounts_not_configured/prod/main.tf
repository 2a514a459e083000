# No `accounts` configuration: the stacks' accounts are unknown, so the cross-account grant is an info note only.
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "caller" {
  name = "caller"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.caller.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "logs:PutLogEvents", Resource = "arn:aws:logs:eu-west-1:${data.aws_caller_identity.current.account_id}:log-group:/app:*" },
      { Effect = "Allow", Action = "sqs:SendMessage", Resource = "arn:aws:sqs:eu-west-1:222222222222:example-shared-orders" },
    ]
  })
}
