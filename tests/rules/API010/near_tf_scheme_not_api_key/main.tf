# IAM authorization through an awsSigv4 scheme: not an API key.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1.0" }
    paths = {
      "/orders" = {
        get = {
          security                        = [{ sigv4 = [] }]
          x-amazon-apigateway-integration = { type = "MOCK" }
        }
      }
    }
    components = {
      securitySchemes = {
        sigv4 = { type = "apiKey", name = "Authorization", in = "header", x-amazon-apigateway-authtype = "awsSigv4" }
      }
    }
  })
}

resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.d.id
  stage_name    = "prod"
}
