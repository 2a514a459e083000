# The queue policy grants a role of account 111111111111; whether that is another account is not known without `accounts`.
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
