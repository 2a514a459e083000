# ACL, rule group and IP set all have scope CLOUDFRONT.
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
        arn = aws_wafv2_rule_group.team.arn
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

resource "aws_wafv2_rule_group" "team" {
  name     = "team-rules"
  scope    = "CLOUDFRONT"
  capacity = 50

  rule {
    name     = "office"
    priority = 1

    action {
      allow {}
    }

    statement {
      ip_set_reference_statement {
        arn = aws_wafv2_ip_set.listed.arn
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "office"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "team"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_ip_set" "listed" {
  name               = "listed"
  scope              = "CLOUDFRONT"
  ip_address_version = "IPV4"
  addresses          = ["203.0.113.0/24"]
}
