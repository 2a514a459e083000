variable "function_name" {
  type = string
}

resource "aws_lambda_function_url" "fn" {
  function_name      = var.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "url" {
  function_name          = "some-other-function"
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
}
