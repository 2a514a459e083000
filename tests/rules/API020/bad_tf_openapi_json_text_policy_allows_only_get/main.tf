# The OpenAPI body as JSON text (a heredoc): its policy allows GET only, so POST /orders is
# implicitly denied.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  body = <<-JSON
    {
      "openapi": "3.0.1",
      "info": {"title": "orders", "version": "1.0"},
      "paths": {
        "/orders": {
          "get": {"x-amazon-apigateway-integration": {"type": "MOCK"}},
          "post": {"x-amazon-apigateway-integration": {"type": "MOCK"}}
        }
      },
      "x-amazon-apigateway-policy": {
        "Version": "2012-10-17",
        "Statement": [{
          "Effect": "Allow",
          "Principal": "*",
          "Action": "execute-api:Invoke",
          "Resource": "execute-api:/*/GET/*"
        }]
      }
    }
  JSON
}

resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  triggers    = { redeployment = sha1(aws_api_gateway_rest_api.api.body) }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.d.id
  stage_name    = "prod"
}
