# The definition comes from a file: which methods require a key is not known.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  body = file("${path.module}/openapi.json")
}

resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.d.id
  stage_name    = "prod"
}
