# Near miss: the caller runs in another VPC than the private-DNS execute-api endpoint.
data "aws_region" "current" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_vpc" "other" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "endpoint" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.other.id
  cidr_block = "10.1.2.0/24"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "partners"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_vpc_endpoint" "api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.execute-api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint.id]
}

resource "aws_lambda_function" "caller" {
  function_name = "caller"
  runtime       = "python3.12"
  handler       = "index.handler"
  role          = "arn:aws:iam::123456789012:role/caller"
  filename      = "caller.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.app.id]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
  environment {
    variables = {
      PARTNER_API = "https://${aws_api_gateway_rest_api.api.id}.execute-api.${data.aws_region.current.name}.amazonaws.com/prod"
    }
  }
}
