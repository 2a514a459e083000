# The OpenAPI body disables the default execute-api endpoint, but the function still calls
# the API through it.
variable "role_arn" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
  body = jsonencode({
    swagger = "2.0"
    info    = { title = "orders", version = "1.0" }
    x-amazon-apigateway-endpoint-configuration = { disableExecuteApiEndpoint = true }
    paths = {
      "/orders" = {
        get = { x-amazon-apigateway-integration = { type = "MOCK" } }
      }
    }
  })
}

resource "aws_lambda_function" "client" {
  function_name = "client"
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "client.zip"
  environment {
    variables = {
      ORDERS_URL = "https://${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com/prod/orders"
    }
  }
}
