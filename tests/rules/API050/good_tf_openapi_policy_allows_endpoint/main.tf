variable "vpc_id" {
  type = string
}

resource "aws_vpc_endpoint" "api" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.eu-west-1.execute-api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_api_gateway_rest_api" "api" {
  name = "internal"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = [aws_vpc_endpoint.api.id]
  }
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "internal", version = "1.0" }
    paths = {
      "/orders" = {
        get = { x-amazon-apigateway-integration = { type = "MOCK" } }
      }
    }
    x-amazon-apigateway-policy = {
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
        Condition = { StringEquals = { "aws:SourceVpce" = aws_vpc_endpoint.api.id } }
      }]
    }
  })
}
