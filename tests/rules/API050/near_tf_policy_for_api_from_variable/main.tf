variable "api_id" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "internal"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

# Which API this policy belongs to is not known before apply: it may be the one above.
resource "aws_api_gateway_rest_api_policy" "internal" {
  rest_api_id = var.api_id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }]
  })
}
