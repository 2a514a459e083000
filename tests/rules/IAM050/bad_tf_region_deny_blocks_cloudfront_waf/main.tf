# A WebACL with scope CLOUDFRONT is created through the us-east-1 endpoint; the region-deny
# SCP exempts CloudFront and IAM but not wafv2, so wafv2:CreateWebACL is denied at apply.
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

resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "CLOUDFRONT"
  default_action {
    allow {}
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}
