"""Paste-able fixes for IAM080's push wirings: a Lambda permission, or a queue / topic policy
statement (a whole policy resource when the queue or topic has none), in the file's format."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from policylint.checks.fixes import Fmt, V, render
from policylint.model import Bucket, DataKind, DataResource
from policylint.model.events import EventRule
from policylint.values import is_resource_symbol, symbols
from policylint.values import render as plain

if TYPE_CHECKING:
    from policylint.checks.fixes import Node
    from policylint.model import Function
    from policylint.policy.document import PolicyDocument

_INVOKE = "lambda:InvokeFunction"


def _is_tf(element: object) -> bool:
    ref = getattr(element, "ref", None)
    name = ref.file.lower() if ref is not None else ""
    return name.endswith((".tf", ".tf.json")) or "tfplan" in name or name.endswith("plan.json")


def _same_format(fmt: Fmt, element: object) -> bool:
    return (fmt is Fmt.HCL) == _is_tf(element)


def source_value(fmt: Fmt, element: object) -> Node | None:
    """A reference to the source ARN (topic, rule, bucket) in the fix's own format."""
    if element is None or not _same_format(fmt, element):
        return None
    name = getattr(element, "name", "")
    if isinstance(element, DataResource) and element.kind is DataKind.TOPIC:
        return V(f"${{{name}}}", f"{name}.arn")  # Ref of a topic is its ARN
    if isinstance(element, Bucket) and fmt is not Fmt.HCL:
        # `!GetAtt Bucket.Arn` in the permission would make a circular dependency (the
        # bucket must wait for the permission): name the bucket, unless it is generated.
        if any(is_resource_symbol(x) for x in symbols(element.bucket_name)):
            return None
        return V(f"arn:${{AWS::Partition}}:s3:::{plain(element.bucket_name)}", "")
    if isinstance(element, (EventRule, Bucket)):
        return V(f"${{{name}.Arn}}", f"{name}.arn")
    return None


def _arn(fmt: Fmt, element: DataResource | Function, literal: str) -> Node:
    if _same_format(fmt, element):
        if isinstance(element, DataResource) and element.kind is DataKind.TOPIC:
            return V(f"${{{element.name}}}", f"{element.name}.arn")  # a topic has no Arn attribute
        return V(f"${{{element.name}.Arn}}", f"{element.name}.arn")
    return plain(literal)


def permission_fix(fmt: Fmt, fn: Function, service: str, source: object) -> str:
    """An AWS::Lambda::Permission / aws_lambda_permission letting `service` invoke `fn`."""
    src = source_value(fmt, source)
    local = f"{fn.name.rsplit('.', 1)[-1]}_{service.split('.')[0]}"
    if fmt is Fmt.HCL:
        target = f"{fn.name}.function_name" if _same_format(fmt, fn) else json.dumps(fn.arn)
        lines = [
            f'resource "aws_lambda_permission" "{local}" {{',
            f"  function_name = {target}",
            f'  action        = "{_INVOKE}"',
            f'  principal     = "{service}"',
        ]
        if isinstance(src, V):
            lines.append(f"  source_arn    = {src.tf}")
        lines.append("}")
        if isinstance(source, Bucket):
            lines.append(f"# and depends_on = [aws_lambda_permission.{local}] in the notification")
        return "\n".join(lines)
    props: dict[str, Node] = {
        "FunctionName": _arn(fmt, fn, fn.arn),
        "Action": _INVOKE,
        "Principal": service,
    }
    if src is not None:
        props["SourceArn"] = src
    if service == "s3.amazonaws.com":
        props["SourceAccount"] = V("${AWS::AccountId}", "")
    logical = "".join(x.title() for x in local.replace("-", "_").split("_"))
    node: Node = {f"{logical}Permission": {"Type": "AWS::Lambda::Permission", "Properties": props}}
    text = render(node, fmt, item=False)
    if isinstance(source, Bucket) and fmt is Fmt.YAML:
        text += f"\n# and DependsOn: {logical}Permission on {source.name}"
    return text


def policy_fix(
    fmt: Fmt,
    target: DataResource,
    service: str,
    action: str,
    source: object,
    docs: list[PolicyDocument],
) -> str:
    """A statement for the queue / topic policy, or a whole policy resource if it has none."""
    statement: dict[str, Node] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": action,
        "Resource": _arn(fmt, target, target.arn),
    }
    src = source_value(fmt, source)
    condition: dict[str, Node] = {}
    if src is not None:
        condition["ArnEquals"] = {"aws:SourceArn": src}
    if service == "s3.amazonaws.com" and fmt is not Fmt.HCL:
        condition["StringEquals"] = {"aws:SourceAccount": V("${AWS::AccountId}", "")}
    if condition:
        statement["Condition"] = condition
    after = _bucket_note(fmt, target, source, docs)
    if docs:
        return render(statement, fmt) + after
    queue = target.kind is DataKind.QUEUE
    same = _same_format(fmt, target)
    if fmt is Fmt.HCL:
        rtype, arg = (
            ("aws_sqs_queue_policy", "queue_url") if queue else ("aws_sns_topic_policy", "arn")
        )
        attr = "id" if queue else "arn"
        value = (
            f"{target.name}.{attr}"
            if same
            else json.dumps(plain(target.aliases[0] if queue and target.aliases else target.arn))
        )
        body = "\n".join("      " + line for line in render(statement, fmt).splitlines())
        return (
            f'resource "{rtype}" "{target.name.rsplit(".", 1)[-1]}" {{\n'
            f"  {arg} = {value}\n"
            "  policy = jsonencode({\n"
            '    Version   = "2012-10-17"\n'
            f"    Statement = [\n{body}\n    ]\n"
            "  })\n}" + after
        )
    rtype, key = (
        ("AWS::SQS::QueuePolicy", "Queues") if queue else ("AWS::SNS::TopicPolicy", "Topics")
    )
    ref: Node = V(f"${{{target.name}}}", "") if same else plain(target.arn)
    props: dict[str, Node] = {
        key: [ref],
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
    }
    node: Node = {f"{target.name}Policy": {"Type": rtype, "Properties": props}}
    return render(node, fmt, item=False) + after


def _bucket_note(fmt: Fmt, target: DataResource, source: object, docs: list[PolicyDocument]) -> str:
    """S3 validates the destination when the notification is set: the bucket (or the
    notification resource) must be created after the policy."""
    if not isinstance(source, Bucket) or not _same_format(fmt, source):
        return ""
    local = target.name.rsplit(".", 1)[-1]
    if fmt is Fmt.HCL:
        rtype = "aws_sqs_queue_policy" if target.kind is DataKind.QUEUE else "aws_sns_topic_policy"
        return "" if docs else f"\n# and depends_on = [{rtype}.{local}] in the notification"
    if fmt is Fmt.YAML and not docs:
        return f"\n# and DependsOn: {target.name}Policy on {source.name}"
    return ""


def _ident(target: DataResource) -> str:
    """What a queue policy names a queue by (its URL), or a topic policy a topic (its ARN)."""
    if target.kind is DataKind.QUEUE and target.aliases:
        return target.aliases[0]
    return target.arn
