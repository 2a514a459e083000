# Near miss: the queue uses the aliased configuration "eu", whose region (var.region) has no
# value. The accounts entry's us-east-1 is the default configuration's region, where the
# region-deny SCP denies sqs:CreateQueue, but the queue may be created in eu-west-1: no error.
variable "region" {
  type = string
}

provider "aws" {
  alias  = "eu"
  region = var.region
}

resource "aws_sqs_queue" "jobs" {
  provider = aws.eu
  name     = "jobs"
}
