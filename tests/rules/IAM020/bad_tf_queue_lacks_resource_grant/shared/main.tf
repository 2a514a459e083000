# Account 222222222222: the queue policy grants another principal, not the caller role of 111111111111: the call is denied on this side.
resource "aws_sqs_queue" "orders" {
  name = "example-shared-orders"
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Senders"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/auditor" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.orders.arn
    }]
  })
}
