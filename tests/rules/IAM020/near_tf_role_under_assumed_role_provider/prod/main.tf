# Near miss: the input deploys to 111111111111, but the reporter role is created through the
# aliased configuration "audit", which assumes a role (in another account): the role's account,
# and so whether it is the role the shared bucket grants, is not known. No error.
provider "aws" {
  alias = "audit"
  assume_role {
    role_arn = "arn:aws:iam::333333333333:role/terraform"
  }
}

data "aws_caller_identity" "current" {
  provider = aws.audit
}

resource "aws_iam_role" "reporter" {
  provider = aws.audit
  name = "reporter"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "logs" {
  provider = aws.audit
  role = aws_iam_role.reporter.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "logs:PutLogEvents"
      Resource = "arn:aws:logs:eu-west-1:${data.aws_caller_identity.current.account_id}:log-group:/app:*"
    }]
  })
}
