# The key of the run has a policy built from a variable: not known here.
variable "key_policy" {
  type = string
}

data "aws_iam_policy_document" "jobs_key" {
  source_policy_documents = [var.key_policy]
}

resource "aws_kms_key" "jobs" {
  policy = data.aws_iam_policy_document.jobs_key.json
}

resource "aws_sqs_queue" "jobs" {
  name              = "jobs"
  kms_master_key_id = aws_kms_key.jobs.arn
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "rate(1 day)"
}

resource "aws_cloudwatch_event_target" "t" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_sqs_queue.jobs.arn
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.jobs.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.nightly.arn } }
    }]
  })
}
