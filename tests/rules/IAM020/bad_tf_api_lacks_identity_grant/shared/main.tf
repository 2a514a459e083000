# Account 222222222222: the API resource policy grants the caller role of 111111111111 execute-api:Invoke.
resource "aws_api_gateway_rest_api" "api" {
  name = "shared-orders"
}

resource "aws_api_gateway_rest_api_policy" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CallerInvokes"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/caller" }
      Action    = "execute-api:Invoke"
      Resource  = "${aws_api_gateway_rest_api.api.execution_arn}/*"
    }]
  })
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}
