# The default configuration deploys to eu-west-1 (the accounts entry), but the queue uses the
# aliased configuration "oregon" (us-west-2): the region-deny SCP denies sqs:CreateQueue there.
provider "aws" {
  alias  = "oregon"
  region = "us-west-2"
}

resource "aws_sqs_queue" "jobs" {
  provider = aws.oregon
  name     = "jobs"
}
