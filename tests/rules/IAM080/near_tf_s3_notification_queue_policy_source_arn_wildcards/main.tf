# The S3 walkthrough's own form: ArnLike arn:aws:s3:*:*:<bucket> (the partition is literal
# here and unknown in the bucket's ARN: not a mismatch for sure).
resource "aws_sqs_queue" "uploads" {
  name = "uploads"
}

resource "aws_sqs_queue_policy" "uploads" {
  queue_url = aws_sqs_queue.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "SQS:SendMessage"
      Resource  = "*"
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:s3:*:*:app-inbox-uploads" } }
    }]
  })
}

resource "aws_s3_bucket" "inbox" {
  bucket = "app-inbox-uploads"
}

resource "aws_s3_bucket_notification" "inbox" {
  bucket = aws_s3_bucket.inbox.id

  queue {
    queue_arn = aws_sqs_queue.uploads.arn
    events    = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_sqs_queue_policy.uploads]
}
