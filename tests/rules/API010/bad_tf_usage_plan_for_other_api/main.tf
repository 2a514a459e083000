# The usage plan binds the "billing" API's stage; the "orders" API requires a key but no
# usage plan lists its stage, so every request to it answers 403 Forbidden.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id      = aws_api_gateway_rest_api.api.id
  resource_id      = aws_api_gateway_rest_api.api.root_resource_id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_rest_api.api.root_resource_id
  http_method = aws_api_gateway_method.get.http_method
  type        = "MOCK"
}

resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  depends_on  = [aws_api_gateway_integration.get]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.d.id
  stage_name    = "prod"
}

resource "aws_api_gateway_rest_api" "billing" {
  name = "billing"
}

resource "aws_api_gateway_method" "billing_get" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  resource_id   = aws_api_gateway_rest_api.billing.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "billing_get" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  resource_id = aws_api_gateway_rest_api.billing.root_resource_id
  http_method = aws_api_gateway_method.billing_get.http_method
  type        = "MOCK"
}

resource "aws_api_gateway_deployment" "billing" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  depends_on  = [aws_api_gateway_integration.billing_get]
}

resource "aws_api_gateway_stage" "billing_prod" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  deployment_id = aws_api_gateway_deployment.billing.id
  stage_name    = "prod"
}

resource "aws_api_gateway_usage_plan" "plan" {
  name = "clients"
  api_stages {
    api_id = aws_api_gateway_rest_api.billing.id
    stage  = aws_api_gateway_stage.billing_prod.stage_name
  }
}

resource "aws_api_gateway_api_key" "client" {
  name = "client"
}

resource "aws_api_gateway_usage_plan_key" "client" {
  key_id        = aws_api_gateway_api_key.client.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.plan.id
}
