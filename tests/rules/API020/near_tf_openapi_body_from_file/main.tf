# The definition (and any x-amazon-apigateway-policy in it) comes from a template file.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  body = templatefile("${path.module}/openapi.json.tpl", { stage = "prod" })
}

resource "aws_api_gateway_method" "post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "POST"
  authorization = "NONE"
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
