# Account 222222222222: the queue policy grants the caller role of 111111111111 sqs:SendMessage; both sides allow it. (the queue's own policy argument)
resource "aws_sqs_queue" "orders" {
  name = "example-shared-orders"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Senders"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/caller" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:${data.aws_caller_identity.current.account_id}:example-shared-orders"
    }]
  })
}

data "aws_caller_identity" "current" {}
