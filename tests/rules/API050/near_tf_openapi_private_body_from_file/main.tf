# The definition comes from a file that may hold x-amazon-apigateway-policy.
resource "aws_api_gateway_rest_api" "api" {
  name = "internal"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
  body = file("${path.module}/openapi.json")
}
