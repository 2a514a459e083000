"""Push wirings where an AWS service calls a resource of the run with its own service principal:
EventBridge rules and their targets, SNS topic policies, S3 notifications to Lambda, SQS and
SNS.

SNS subscriptions (`Subscription`) and SQS queue policies (`QueuePolicy`) live in
`policylint.model.data`; Lambda permissions in `policylint.model.lambda_`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.model.data import DataKind
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRule:
    """AWS::Events::Rule / aws_cloudwatch_event_rule. `aliases` are the strings that name it
    (its name, Terraform's id); `arn` is what `!GetAtt Rule.Arn` / `.arn` resolves to, and
    `arn_forms` the same ARN spelled from its name (`arn:...:rule/[bus/]name`), as a policy
    may write it."""

    id: str
    name: str
    ref: SourceRef
    arn: str
    aliases: tuple[str, ...] = ()
    arn_forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EventTarget:
    """One target of a rule: an inline `Targets` item, or an aws_cloudwatch_event_target.

    `rule` is the rule's ARN (CloudFormation) or the `rule` argument as written (Terraform:
    a name or an ARN); `role_arn` set means EventBridge calls the target with that role."""

    id: str
    name: str
    ref: SourceRef
    rule: MaybeStr
    arn: MaybeStr
    role_arn: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicPolicy:
    """AWS::SNS::TopicPolicy (several topics), aws_sns_topic_policy, aws_sns_topic.policy."""

    id: str
    name: str
    ref: SourceRef
    topics: tuple[str, ...] | Unknown  # topic ARNs as written
    document: PolicyDocument | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaNotification:
    """An S3 bucket notification that invokes a Lambda function (inline
    `NotificationConfiguration.LambdaConfigurations`, aws_s3_bucket_notification)."""

    id: str
    name: str
    ref: SourceRef
    bucket: MaybeStr  # the bucket's name
    function: MaybeStr  # the function's ARN as written


@dataclass(frozen=True, slots=True, kw_only=True)
class BucketNotification:
    """An S3 bucket notification to an SQS queue or SNS topic (`NotificationConfiguration`
    `QueueConfigurations` / `TopicConfigurations`, aws_s3_bucket_notification `queue` /
    `topic`)."""

    id: str
    name: str
    ref: SourceRef
    kind: DataKind  # QUEUE or TOPIC
    bucket: MaybeStr  # the bucket's name
    destination: MaybeStr  # the queue's or topic's ARN as written


def rule_arn_forms(
    p: str, r: str, a: str, names: tuple[str, ...], bus: str | None
) -> tuple[str, ...]:
    """`arn:{P}:events:{R}:{A}:rule/[bus/]name` for each way the name may be written; a bus
    given as an ARN (or not known) adds no form."""
    if bus is not None and (bus.startswith("arn:") or not bus):
        return ()
    prefix = "" if bus in (None, "default") else f"{bus}/"
    return tuple(f"arn:{p}:events:{r}:{a}:rule/{prefix}{n}" for n in dict.fromkeys(names))
