# The rule group ARN is a variable: its scope is not known, so nothing is reported.
variable "team_rules_arn" {
  type = string
}

resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "CLOUDFRONT"

  default_action {
    block {}
  }

  rule {
    name     = "team-rules"
    priority = 1

    override_action {
      none {}
    }

    statement {
      rule_group_reference_statement {
        arn = var.team_rules_arn
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "team-rules"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}
