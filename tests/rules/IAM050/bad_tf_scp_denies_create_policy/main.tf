# A guardrail SCP denies iam:CreatePolicy: Terraform creates aws_iam_policy through that call
# (AccessDenied on apply).
data "aws_caller_identity" "current" {}

resource "aws_organizations_policy" "no_customer_policies" {
  name = "no-customer-policies"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "NoCustomerPolicies"
      Effect   = "Deny"
      Action   = "iam:CreatePolicy"
      Resource = "*"
    }]
  })
}

resource "aws_organizations_policy_attachment" "no_customer_policies" {
  policy_id = aws_organizations_policy.no_customer_policies.id
  target_id = data.aws_caller_identity.current.account_id
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_iam_policy" "send_jobs" {
  name = "send-jobs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sqs:SendMessage"
      Resource = aws_sqs_queue.jobs.arn
    }]
  })
}
