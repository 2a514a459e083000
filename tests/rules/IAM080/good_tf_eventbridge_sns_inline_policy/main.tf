
data "aws_iam_policy_document" "alerts" {
  statement {
    actions   = ["sns:Publish"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic" "alerts" {
  name   = "alerts"
  policy = data.aws_iam_policy_document.alerts.json
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "rate(1 day)"
}

resource "aws_cloudwatch_event_target" "t" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_sns_topic.alerts.arn
}
