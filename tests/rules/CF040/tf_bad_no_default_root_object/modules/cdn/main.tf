resource "aws_cloudfront_distribution" "site" {
  enabled = true

  origin {
    origin_id                = "s3"
    domain_name              = var.origin_domain
    origin_access_control_id = var.origin_access_control_id
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

variable "origin_domain" {
  type = string
}

variable "origin_access_control_id" {
  type = string
}

output "arn" {
  value = aws_cloudfront_distribution.site.arn
}
