"""Queues, topics, tables, streams and functions: documented identifier formats, both loaders."""

from __future__ import annotations

from pathlib import Path

from policylint.cfn import load_template
from policylint.model import DataKind
from policylint.parse.yaml_doc import load_yaml
from policylint.source import FileKind, SourceFile
from policylint.terraform import load_module
from policylint.values import render

CFN = """
Resources:
  Q:
    Type: AWS::SQS::Queue
  T:
    Type: AWS::SNS::Topic
    Properties: {TopicName: topic1}
  Tab:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: orders}
  S:
    Type: AWS::Kinesis::Stream
    Properties: {Name: clicks}
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sqs:ReceiveMessage
            Resource: [!GetAtt Q.Arn, !Ref Q, !Ref T, !GetAtt T.TopicArn, !GetAtt Tab.StreamArn,
                       !Ref Tab, !GetAtt S.Arn]
"""


def test_cfn_returns() -> None:
    result = load_template(load_yaml(CFN, "t.yaml"), {})
    assert not result.problems
    (policy,) = result.model.managed_policies
    doc = policy.document
    assert not isinstance(doc, type(None)) and hasattr(doc, "statements")
    got = [render(r) for r in doc.statements[0].resources or ()]  # type: ignore[union-attr]
    assert got == [
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Q.QueueName}",
        "https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/${Q.QueueName}",
        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:topic1",
        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:topic1",
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders/stream/"
        "${Tab.StreamLabel}",
        "orders",
        "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/clicks",
    ]
    kinds = {d.name: d.kind for d in result.model.data_resources}
    assert kinds == {
        "Q": DataKind.QUEUE,
        "T": DataKind.TOPIC,
        "Tab": DataKind.TABLE,
        "S": DataKind.STREAM,
    }


TF = """
resource "aws_sqs_queue" "q" { name = "jobs" }
resource "aws_lambda_function" "f" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/r"
  environment { variables = { QUEUE_URL = aws_sqs_queue.q.url } }
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.f.arn
}
"""


def test_terraform_attributes(tmp_path: Path) -> None:
    main = tmp_path / "main.tf"
    main.write_text(TF)
    result = load_module([SourceFile(str(main), FileKind.TF_HCL)])
    assert not result.problems
    m = result.model
    (queue,) = m.data_resources
    (fn,) = m.functions
    (w,) = m.workloads
    (esm,) = m.event_source_mappings
    assert esm.event_source_arn == queue.arn
    assert esm.function == fn.arn
    assert w.wired[0][1] in queue.aliases
    assert render(queue.arn) == "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs"
