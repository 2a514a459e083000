# Near miss: the guardrail denies s3:PutBucketPolicy except to a platform role; who runs
# Terraform is not known, so the deny may or may not apply: no error.
data "aws_caller_identity" "current" {}

resource "aws_organizations_policy" "no_bucket_policies" {
  name = "no-bucket-policies"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "NoBucketPolicies"
      Effect   = "Deny"
      Action   = "s3:PutBucketPolicy"
      Resource = "*"
      Condition = { ArnNotLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/platform-deployer" } }
    }]
  })
}

resource "aws_organizations_policy_attachment" "no_bucket_policies" {
  policy_id = aws_organizations_policy.no_bucket_policies.id
  target_id = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket" "assets" {
  bucket = "example-assets"
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyHttp"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.assets.arn, "${aws_s3_bucket.assets.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
