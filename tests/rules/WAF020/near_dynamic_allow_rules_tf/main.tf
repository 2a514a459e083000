variable "allowed_sets" {
  type = map(string)
}

resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "CLOUDFRONT"

  default_action {
    block {}
  }

  dynamic "rule" {
    for_each = var.allowed_sets
    content {
      name     = rule.key
      priority = 1

      action {
        allow {}
      }

      statement {
        ip_set_reference_statement {
          arn = rule.value
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}
