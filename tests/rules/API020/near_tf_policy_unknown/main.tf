variable "api_policy" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name   = "orders"
  policy = var.api_policy
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
