# Account 111111111111: the reporter role allows s3:GetObject on the shared bucket, which the
# bucket policy of 222222222222 grants too: both sides allow the cross-account read.
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "reporter" {
  name = "reporter"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.reporter.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "logs:PutLogEvents"
      Resource = "arn:aws:logs:eu-west-1:${data.aws_caller_identity.current.account_id}:log-group:/app:*"
      }, {
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::example-shared-reports/*"
    }]
  })
}
