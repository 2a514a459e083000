variable "vpc_id" {
  type = string
}

variable "subnet_id" {
  type = string
}

data "aws_region" "current" {}

resource "aws_api_gateway_rest_api" "api" {
  name = "partners"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_vpc_endpoint" "api" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.execute-api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [var.subnet_id]
}

resource "aws_lambda_function" "caller" {
  function_name = "caller"
  runtime       = "python3.12"
  handler       = "index.handler"
  role          = "arn:aws:iam::123456789012:role/caller"
  filename      = "caller.zip"
  vpc_config {
    subnet_ids         = [var.subnet_id]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
  environment {
    variables = {
      PARTNER_API = "https://${aws_api_gateway_rest_api.api.id}.execute-api.${data.aws_region.current.name}.amazonaws.com/prod"
    }
  }
}
