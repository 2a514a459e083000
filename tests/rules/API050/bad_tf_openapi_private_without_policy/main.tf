# A private API whose OpenAPI body carries no x-amazon-apigateway-policy (and no policy).
resource "aws_api_gateway_rest_api" "api" {
  name = "internal"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "internal", version = "1.0" }
    paths = {
      "/orders" = {
        get = { x-amazon-apigateway-integration = { type = "MOCK" } }
      }
    }
  })
}
