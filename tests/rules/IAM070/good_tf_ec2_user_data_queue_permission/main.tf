resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_iam_role" "host" {
  name = "host"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.host.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
      { Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource = aws_sqs_queue.jobs.arn },
    ]
  })
}

resource "aws_iam_instance_profile" "host" {
  name = "host"
  role = aws_iam_role.host.name
}

resource "aws_instance" "host" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.host.name
  user_data            = <<-EOT
    #!/bin/bash
    aws sqs receive-message --queue-url ${aws_sqs_queue.jobs.url}
  EOT
}
