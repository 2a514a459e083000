# Near miss: a REGIONAL IP set is created in the provider's Region, which is not known here, so
# whether the region-deny SCP applies to wafv2:CreateIPSet cannot be told: no error.
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
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = ["192.0.2.0/24"]
}
