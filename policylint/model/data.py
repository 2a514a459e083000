"""Data resources that workloads are wired to (queues, topics, tables, streams), SNS
subscriptions and SQS queue policies, plus the documented formats of their identifiers.

The format functions serve both loaders, so that `!GetAtt Queue.Arn`, `!Ref Queue` (the URL),
`aws_sqs_queue.q.arn` and `aws_sqs_queue.q.url` are the strings AWS documents, built from the
same name; a policy that names a queue one way then matches a value wired in another way.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown, resource_sym, sym

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

MaybeStr = str | Unknown


class DataKind(enum.Enum):
    QUEUE = "queue"
    TOPIC = "topic"
    TABLE = "table"
    STREAM = "stream"


@dataclass(frozen=True, slots=True, kw_only=True)
class DataResource:
    """An SQS queue, SNS topic, DynamoDB table or Kinesis stream of the run.

    `aliases` are the other strings that identify it (queue URL, table name, stream ARN...)."""

    id: str
    name: str
    ref: SourceRef
    kind: DataKind
    resource_name: str
    arn: str
    aliases: tuple[str, ...] = ()
    stream_arn: str | None = None  # DynamoDB Streams
    kms_key: MaybeStr | None = None  # SSE with a customer managed key


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """AWS::SNS::Subscription / aws_sns_topic_subscription."""

    id: str
    name: str
    ref: SourceRef
    topic: MaybeStr
    protocol: MaybeStr
    endpoint: MaybeStr


@dataclass(frozen=True, slots=True, kw_only=True)
class QueuePolicy:
    """AWS::SQS::QueuePolicy (several queues) / aws_sqs_queue_policy (one)."""

    id: str
    name: str
    ref: SourceRef
    queues: tuple[str, ...]  # queue URLs (or ARNs) as written
    document: PolicyDocument | Unknown


# -- formats -------------------------------------------------------------------------------

_KINDS = {
    "AWS::SQS::Queue": (DataKind.QUEUE, "QueueName"),
    "AWS::SNS::Topic": (DataKind.TOPIC, "TopicName"),
    "AWS::DynamoDB::Table": (DataKind.TABLE, "TableName"),
    "AWS::Kinesis::Stream": (DataKind.STREAM, "Name"),
    "aws_sqs_queue": (DataKind.QUEUE, "name"),
    "aws_sns_topic": (DataKind.TOPIC, "name"),
    "aws_dynamodb_table": (DataKind.TABLE, "name"),
    "aws_kinesis_stream": (DataKind.STREAM, "name"),
}


def data_kind(rtype: str) -> DataKind | None:
    found = _KINDS.get(rtype)
    return found[0] if found else None


def name_property(rtype: str) -> str:
    return _KINDS[rtype][1]


def formats(kind: DataKind, owner: str, name: str, p: str, r: str, a: str) -> dict[str, str]:
    """Every documented identifier of the resource: arn, url, name, stream_arn."""
    suffix = sym("AWS::URLSuffix")
    if kind is DataKind.QUEUE:
        arn = f"arn:{p}:sqs:{r}:{a}:{name}"
        return {"arn": arn, "url": f"https://sqs.{r}.{suffix}/{a}/{name}", "name": name}
    if kind is DataKind.TOPIC:
        return {"arn": f"arn:{p}:sns:{r}:{a}:{name}", "name": name}
    if kind is DataKind.TABLE:
        arn = f"arn:{p}:dynamodb:{r}:{a}:table/{name}"
        label = resource_sym(owner, "StreamLabel")
        return {"arn": arn, "name": name, "stream_arn": f"{arn}/stream/{label}"}
    return {"arn": f"arn:{p}:kinesis:{r}:{a}:stream/{name}", "name": name}


def cfn_return(
    rtype: str, owner: str, name: str | None, attr: str | None, p: str, r: str, a: str
) -> str | None:
    """What `Ref` (attr None) or `Fn::GetAtt` returns for the data types; None: not one."""
    kind = data_kind(rtype)
    if kind is None or not rtype.startswith("AWS::"):
        return None
    f = formats(kind, owner, name or resource_sym(owner, name_property(rtype)), p, r, a)
    if attr is None:
        if kind is DataKind.QUEUE:
            return f["url"]
        return f["arn"] if kind is DataKind.TOPIC else f["name"]
    table = {
        "Arn": f["arn"],
        "QueueName": f["name"],
        "QueueUrl": f.get("url", ""),
        "TopicArn": f["arn"],
        "TopicName": f["name"],
        "StreamArn": f.get("stream_arn", ""),
    }
    return table.get(attr) or None


def tf_attribute(
    rtype: str, owner: str, attr: str, arg: Callable[[str], object], p: str, r: str, a: str
) -> str | None:
    """A computed attribute of aws_sqs_queue / aws_sns_topic / aws_dynamodb_table /
    aws_kinesis_stream; None when not modelled."""
    if rtype == "aws_lambda_function":
        fname = arg("function_name")
        fname = fname if isinstance(fname, str) else resource_sym(owner, "function_name")
        arn = f"arn:{p}:lambda:{r}:{a}:function:{fname}"
        version = resource_sym(owner, "version")
        return {
            "arn": arn,
            "function_name": fname,
            "id": fname,
            "qualified_arn": f"{arn}:{version}",
        }.get(attr)
    kind = data_kind(rtype)
    if kind is None or rtype.startswith("AWS::"):
        return None
    given = arg("name")
    name = given if isinstance(given, str) else resource_sym(owner, "name")
    f = formats(kind, owner, name, p, r, a)
    ids = {
        DataKind.QUEUE: f.get("url"),
        DataKind.TOPIC: f["arn"],
        DataKind.TABLE: f["name"],
        DataKind.STREAM: f["arn"],
    }
    if attr == "id":
        return ids[kind]
    return f.get(attr)
