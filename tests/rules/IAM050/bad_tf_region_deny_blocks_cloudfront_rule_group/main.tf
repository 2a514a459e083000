# A rule group with scope CLOUDFRONT is created through the us-east-1 endpoint like a
# CloudFront WebACL; the region-deny SCP does not exempt wafv2, so wafv2:CreateRuleGroup is
# denied at apply.
data "aws_caller_identity" "current" {}

resource "aws_organizations_policy" "deny_outside_eu" {
  name = "deny-outside-eu"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyOutsideEu"
      Effect    = "Deny"
      NotAction = ["iam:*", "sts:*", "cloudfront:*"]
      Resource  = "*"
      Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1"] } }
    }]
  })
}

resource "aws_organizations_policy_attachment" "deny_outside_eu" {
  policy_id = aws_organizations_policy.deny_outside_eu.id
  target_id = data.aws_caller_identity.current.account_id
}

resource "aws_wafv2_rule_group" "edge" {
  name     = "edge-rules"
  scope    = "CLOUDFRONT"
  capacity = 10
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge-rules"
    sampled_requests_enabled   = true
  }
}
