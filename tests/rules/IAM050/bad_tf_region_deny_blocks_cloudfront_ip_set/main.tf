# An IP set with scope CLOUDFRONT is created through the us-east-1 endpoint like a CloudFront
# WebACL; the region-deny SCP exempts CloudFront and IAM but not wafv2, so
# wafv2:CreateIPSet is denied at apply.
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

resource "aws_wafv2_ip_set" "allow_list" {
  name               = "edge-allow-list"
  scope              = "CLOUDFRONT"
  ip_address_version = "IPV4"
  addresses          = ["192.0.2.0/24"]
}
