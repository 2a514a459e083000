"""What a Step Functions definition hands its own role: the run's resources named in the
Parameters / Arguments of a state whose Resource is a service integration of that resource's
service (`arn:aws:states:::sqs:sendMessage`, `...:::aws-sdk:s3:getObject`, a Map's ItemReader).

Step Functions calls an integrated service with the state machine's role. A value passed to
anything else (a Lambda payload, an EMR or Glue job, an ECS task override) is used by that
service's own role, so it hands the state machine nothing. Whole-token matches only
(`compute_refs.mentions`); a definition that is not JSON hands nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from policylint.compute_refs import mentions

# the service a resource type is called through (CloudFormation and Terraform types)
SERVICE_OF_TYPE = {
    "AWS::S3::Bucket": "s3",
    "AWS::SQS::Queue": "sqs",
    "AWS::SNS::Topic": "sns",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::KMS::Key": "kms",
    "aws_s3_bucket": "s3",
    "aws_sqs_queue": "sqs",
    "aws_sns_topic": "sns",
    "aws_dynamodb_table": "dynamodb",
    "aws_kinesis_stream": "kinesis",
    "aws_kms_key": "kms",
}
_INTEGRATION = re.compile(r"^arn:.*?:states:::(?:aws-sdk:)?([a-z0-9-]+):")
Path = tuple[str | int, ...]


def integration_service(resource: Any) -> str | None:
    """`dynamodb` for `arn:aws:states:::dynamodb:putItem` and `...:::aws-sdk:dynamodb:query`."""
    found = _INTEGRATION.match(resource) if isinstance(resource, str) else None
    return found.group(1) if found else None


def decoded(definition: Any) -> Any:
    """A definition as data: JSON text is decoded; text that is not JSON is None."""
    if not isinstance(definition, str):
        return definition
    try:
        return json.loads(definition)
    except ValueError:
        return None


def task_wires(definition: Any, services: Mapping[str, str]) -> list[tuple[Path, str]]:
    """(path, value) for each value of `services` (value -> its service) that the input of a
    state integrating that same service holds, at the first string that holds it."""
    out: list[tuple[Path, str]] = []
    left = dict(services)
    for path, service, text in _inputs(definition, ()):
        for value in [v for v, s in left.items() if s == service and mentions(text, v)]:
            del left[value]
            out.append((path, value))
    return out


def _inputs(node: Any, path: Path) -> Iterator[tuple[Path, str, str]]:
    """(path, service, string) for every string in the input of an integration state."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _inputs(item, (*path, i))
        return
    if not isinstance(node, dict):
        return
    service = integration_service(node.get("Resource"))
    for key, value in node.items():
        if service is not None and key in ("Parameters", "Arguments"):
            for at, text in _strings(value, (*path, str(key))):
                yield at, service, text
        else:
            yield from _inputs(value, (*path, str(key)))


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))
