resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_iam_role" "flow" {
  name = "flow"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "states.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.flow.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["logs:CreateLogDelivery"], Resource = "*" },
      { Effect = "Allow", Action = "dynamodb:PutItem", Resource = aws_dynamodb_table.orders.arn },
    ]
  })
}

resource "aws_sfn_state_machine" "flow" {
  name     = "flow"
  role_arn = aws_iam_role.flow.arn
  definition = jsonencode({
    StartAt = "Save"
    States = {
      Save = {
        Type       = "Task"
        Resource   = "arn:aws:states:::dynamodb:putItem"
        Parameters = { TableName = aws_dynamodb_table.orders.name, Item = { id = { "S.$" = "$.id" } } }
        End        = true
      }
    }
  })
}
