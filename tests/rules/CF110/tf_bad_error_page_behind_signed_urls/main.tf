resource "aws_cloudfront_public_key" "signing" {
  name        = "signing-key"
  encoded_key = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----\n"
}

resource "aws_cloudfront_key_group" "signed" {
  name  = "signed-keys"
  items = [aws_cloudfront_public_key.signing.id]
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true
  custom_error_response {
    error_code         = 403
    response_code      = 403
    response_page_path = "/errors/403.html"
  }

  origin {
    origin_id   = "app"
    domain_name = "app.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    trusted_key_groups = [aws_cloudfront_key_group.signed.id]
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
