resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_iam_role" "fn" {
  name = "app-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.fn.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
    ]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "app-fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "app.zip"
  environment {
    variables = { TABLE_NAME = aws_dynamodb_table.orders.name }
  }
}

resource "aws_iam_role_policy_attachment" "ddb" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}
