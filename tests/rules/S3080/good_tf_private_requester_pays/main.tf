# a data set shared with authenticated requesters: nothing reads it anonymously
resource "aws_s3_bucket" "dataset" {
  bucket = "example-shared-dataset"
}

resource "aws_s3_bucket_request_payment_configuration" "dataset" {
  bucket = aws_s3_bucket.dataset.id
  payer  = "Requester"
}
