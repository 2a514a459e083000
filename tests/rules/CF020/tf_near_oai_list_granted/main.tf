resource "aws_s3_bucket" "site" {}

resource "aws_cloudfront_origin_access_identity" "site" {
  comment = "site"
}

resource "aws_cloudfront_distribution" "site" {
  enabled             = true
  default_root_object = "index.html"

  origin {
    origin_id   = "s3"
    domain_name = aws_s3_bucket.site.bucket_regional_domain_name

    s3_origin_config {
      origin_access_identity = aws_cloudfront_origin_access_identity.site.cloudfront_access_identity_path
    }
  }

  default_cache_behavior {
    target_origin_id       = "s3"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AllowOAIRead",
          "Effect": "Allow",
          "Principal": {"AWS": "${aws_cloudfront_origin_access_identity.site.iam_arn}"},
          "Action": "s3:GetObject",
          "Resource": "${aws_s3_bucket.site.arn}/*"
        },
        {
          "Sid": "AllowOAIList",
          "Effect": "Allow",
          "Principal": {"AWS": "${aws_cloudfront_origin_access_identity.site.iam_arn}"},
          "Action": "s3:ListBucket",
          "Resource": "${aws_s3_bucket.site.arn}"
        }
      ]
    }
  POLICY
}
