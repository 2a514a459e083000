resource "aws_sqs_queue" "uploads" {
  name = "uploads"
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
}
