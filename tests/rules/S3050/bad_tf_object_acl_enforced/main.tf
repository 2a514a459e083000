resource "aws_s3_bucket" "site" {
  bucket = "example-site-content"
}

resource "aws_s3_object" "index" {
  bucket  = aws_s3_bucket.site.id
  key     = "index.html"
  content = "<h1>hello</h1>"
  acl     = "public-read"
}
