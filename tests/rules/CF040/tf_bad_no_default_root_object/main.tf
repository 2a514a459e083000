resource "aws_s3_bucket" "site" {}

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "siteoac"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

module "cdn" {
  source = "./modules/cdn"

  origin_domain            = aws_s3_bucket.site.bucket_regional_domain_name
  origin_access_control_id = aws_cloudfront_origin_access_control.site.id
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowCloudFrontRead"
        Effect    = "Allow"
        Principal = {
          Service = "cloudfront.amazonaws.com"
        }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.site.arn}/*"
        Condition = {
          StringEquals = {
            "AWS:SourceArn" = module.cdn.arn
          }
        }
      },
    ]
  })
}
