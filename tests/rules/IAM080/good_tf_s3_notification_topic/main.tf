resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_s3_bucket" "inbox" {
  bucket = "app-inbox-alerts"
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alerts.arn
      Condition = { ArnLike = { "aws:SourceArn" = aws_s3_bucket.inbox.arn } }
    }]
  })
}

resource "aws_s3_bucket_notification" "inbox" {
  bucket = aws_s3_bucket.inbox.id

  topic {
    topic_arn = aws_sns_topic.alerts.arn
    events    = ["s3:ObjectRemoved:*"]
  }

  depends_on = [aws_sns_topic_policy.alerts]
}
