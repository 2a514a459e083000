resource "aws_api_gateway_rest_api" "api" {
  name = "internal"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}
