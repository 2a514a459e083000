# Account 222222222222: the topic policy grants the caller role of the same account sns:Publish.
resource "aws_sns_topic" "events" {
  name = "example-shared-events"
}

resource "aws_sns_topic_policy" "events" {
  arn = aws_sns_topic.events.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Publishers"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/caller" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.events.arn
    }]
  })
}
