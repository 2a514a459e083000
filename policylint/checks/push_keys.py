"""IAM080, encrypted push targets: an SQS queue or SNS topic encrypted with a KMS key receives
from SNS, EventBridge or S3, whose service principal must be allowed kms:GenerateDataKey and
kms:Decrypt by the key policy (SQS and SNS call KMS for it when they store the message).

The AWS managed keys alias/aws/sqs and alias/aws/sns cannot serve these services: their key
policies cannot be changed. A key that is not of the run (a parameter, another stack's ARN)
or whose policy is not known is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.apigw_support import caller_context, denied_for_sure
from policylint.checks.common import text
from policylint.checks.fixes import Fmt, V, fmt_of, render
from policylint.checks.kms_access import key_policy
from policylint.findings import Hit, TraceStep
from policylint.graph_workloads import identifiers
from policylint.model import DataKind, KmsKey
from policylint.policy.decision import PolicySet, Request
from policylint.policy.evaluate import evaluate

if TYPE_CHECKING:
    from policylint.checks.fixes import Node
    from policylint.checks.iam_push import Push
    from policylint.model import DataResource, Model

# The calls SQS and SNS make to KMS for the sender (SQS and SNS key management pages,
# EventBridge troubleshooting, S3 notification walkthrough).
KMS_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
_MANAGED = {DataKind.QUEUE: "alias/aws/sqs", DataKind.TOPIC: "alias/aws/sns"}
_KIND = {DataKind.QUEUE: "queue", DataKind.TOPIC: "topic"}


def _key_arg(target: DataResource) -> str:
    return "kms_master_key_id" if fmt_of(target.ref) is Fmt.HCL else "KmsMasterKeyId"


def resolve_key(model: Model, value: str, kind: DataKind) -> KmsKey | str | None:
    """The key of the run that `value` names (key id or ARN, alias name or ARN), the AWS
    managed alias it names, or None (not known here)."""
    managed = _MANAGED[kind]
    if value == managed or value.endswith(f":{managed}"):
        return managed
    names = identifiers(model)
    found = names.get(value)
    if isinstance(found, KmsKey):
        return found
    for alias in model.key_aliases:  # alias ARN: the key ARN's prefix + ":" + alias name
        key = names.get(alias.target_key)
        if (
            isinstance(key, KmsKey)
            and value == f"{key.arn.rsplit(':key/', 1)[0]}:{alias.alias_name}"
        ):
            return key
    return None


def check_key(
    model: Model, push: Push, target: DataResource, wiring: str, outcome: str
) -> Iterator[Hit]:
    """A hit when the target's key certainly denies the pushing service; `wiring` names the
    kind of wiring, `outcome` says what fails."""
    if not isinstance(target.kms_key, str) or target.kind not in _MANAGED:
        return
    key = resolve_key(model, target.kms_key, target.kind)
    if key is None:
        return
    kind = _KIND[target.kind]
    first = TraceStep(f"{push.name}: {push.service} delivers to {kind} {target.name}", push.ref)
    label = f"{wiring} {push.name}"
    if isinstance(key, str):
        yield _managed_hit(push, target, key, (first, label), outcome)
        return
    doc = key_policy(key)
    if doc is None:
        return  # the key policy is not known before deploy
    denied = []
    for action in KMS_ACTIONS:
        req = Request(
            principal=push.service,
            action=action,
            resource=key.arn,
            resource_account=key.account,
            context=caller_context(),  # aws:SourceArn & co. stay unknown: conditions are "maybe"
        )
        if denied_for_sure(evaluate(req, PolicySet(resource=doc, resource_is_key_policy=True))):
            denied.append(action)
    if not denied:
        return
    acts = " and ".join(denied)
    why = (
        "it has no KeyPolicy, and the default key policy allows only the account's IAM "
        "principals, not service principals"
        if key.policy is None
        else "no key policy statement allows that service principal"
    )
    msg = (
        f"{label} makes {push.service} deliver to {kind} {target.name}, which is encrypted "
        f"with KMS key {key.name}, but the key policy does not allow {push.service} {acts} "
        f"({why}): {outcome}"
    )
    trace = (
        first,
        TraceStep(
            f"{kind} {target.name}: {_key_arg(target)} {text(target.kms_key)} is "
            f"KMS key {key.name}",
            target.ref,
        ),
        TraceStep(
            f"key policy of {key.name}: no statement allows {push.service} {acts}",
            doc.ref or key.ref,
            True,
        ),
    )
    yield Hit(
        ref=push.ref,
        resource=push.name,
        message=msg,
        fix=key_fix(fmt_of(key.ref), key, push.service),
        key=f"{push.name}|{target.name}|{key.name}",
        trace=trace,
    )


def _managed_hit(
    push: Push, target: DataResource, alias: str, start: tuple[TraceStep, str], outcome: str
) -> Hit:
    kind = _KIND[target.kind]
    first, label = start
    msg = (
        f"{label} makes {push.service} deliver to {kind} {target.name}, which is encrypted "
        f"with the AWS managed key {alias}: its key policy cannot be changed and does not allow "
        f"{push.service} {' and '.join(KMS_ACTIONS)}, so AWS requires a customer managed key "
        f"for this event source: {outcome}"
    )
    trace = (
        first,
        TraceStep(
            f"{kind} {target.name}: {_key_arg(target)} {text(target.kms_key)} names the AWS "
            f"managed key {alias}, whose key policy does not allow {push.service}",
            target.ref,
            True,
        ),
    )
    return Hit(
        ref=push.ref,
        resource=push.name,
        message=msg,
        fix=new_key_fix(fmt_of(target.ref), target, push.service),
        key=f"{push.name}|{target.name}|{alias}",
        trace=trace,
    )


# --- fixes ------------------------------------------------------------------------------

_ROOT = V(
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
    '"arn:${data.aws_partition.current.partition}:iam::'
    '${data.aws_caller_identity.current.account_id}:root"',
)
_DATA = '# needs data "aws_partition" "current" {} and data "aws_caller_identity" "current" {}'


def _service_statement(service: str) -> dict[str, Node]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
    }


def _whole_policy(service: str) -> dict[str, Node]:
    """The default key policy (the account, through IAM) plus the service's statement."""
    root: dict[str, Node] = {
        "Effect": "Allow",
        "Principal": {"AWS": _ROOT},
        "Action": "kms:*",
        "Resource": "*",
    }
    return {"Version": "2012-10-17", "Statement": [root, _service_statement(service)]}


def _local(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def key_fix(fmt: Fmt, key: KmsKey, service: str) -> str:
    """A statement for the key policy; a whole key policy when the key has the default one
    (adding only the service's statement would lock the account out of the key)."""
    if key.policy is not None:
        return render(_service_statement(service), fmt)
    policy = _whole_policy(service)
    if fmt is Fmt.HCL:
        return f"{_DATA}\n# in {key.name}:\npolicy = jsonencode({render(policy, fmt)})"
    return f"# in {key.name} Properties:\n" + render({"KeyPolicy": policy}, fmt, item=False)


def new_key_fix(fmt: Fmt, target: DataResource, service: str) -> str:
    """A customer managed key for the target, allowing the account and the service."""
    policy = _whole_policy(service)
    local = _local(target.name)
    if fmt is Fmt.HCL:
        body = render(policy, fmt, item=False).replace("\n", "\n  ")
        return (
            f'{_DATA}\nresource "aws_kms_key" "{local}" {{\n'
            f"  policy = jsonencode({body})\n}}\n"
            f"# and in {target.name}: kms_master_key_id = aws_kms_key.{local}.arn"
        )
    logical = f"{target.name}Key"
    node: Node = {logical: {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": policy}}}
    ref = f'{{"Ref": "{logical}"}}' if fmt is Fmt.JSON else f"!Ref {logical}"
    note = f"and in {target.name} Properties: KmsMasterKeyId: {ref}"
    if fmt is Fmt.JSON:
        return render(node, fmt, item=False) + f"\n// {note}"
    return render(node, fmt, item=False) + f"\n# {note}"
