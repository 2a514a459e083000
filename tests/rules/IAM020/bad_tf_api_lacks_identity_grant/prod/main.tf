# Account 111111111111: the caller role's own policy never allows execute-api:Invoke, so the cross-account call is denied although the API resource policy grants it.
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
    ]
  })
}
