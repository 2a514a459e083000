resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_iam_role" "events" {
  name = "events-to-jobs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "send" {
  role = aws_iam_role.events.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn }]
  })
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "rate(1 day)"
}

resource "aws_cloudwatch_event_target" "t" {
  rule     = aws_cloudwatch_event_rule.nightly.name
  arn      = aws_sqs_queue.jobs.arn
  role_arn = aws_iam_role.events.arn
}
