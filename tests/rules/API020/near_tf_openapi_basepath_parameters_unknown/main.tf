# The import parameters come from a variable without value: with basepath = "prepend" the
# resource path is /v1/orders, which the policy allows. Which it is stays unknown.
variable "import_parameters" {
  type = map(string)
}

resource "aws_api_gateway_rest_api" "api" {
  name       = "orders"
  parameters = var.import_parameters
  body = jsonencode({
    swagger  = "2.0"
    info     = { title = "orders", version = "1.0" }
    basePath = "/v1"
    paths = {
      "/orders" = {
        get = { x-amazon-apigateway-integration = { type = "MOCK" } }
      }
    }
    x-amazon-apigateway-policy = {
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*/GET/v1/orders"
      }]
    }
  })
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
