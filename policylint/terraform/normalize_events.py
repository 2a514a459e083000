"""EventBridge rules and targets, SNS topic policies and S3 notifications to Lambda, SQS and SNS
(`policylint.model.events`). SNS subscriptions are read in `normalize_workloads`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.model.data import DataKind
from policylint.model.events import (
    BucketNotification,
    EventRule,
    EventTarget,
    LambdaNotification,
    TopicPolicy,
    rule_arn_forms,
)
from policylint.terraform import attributes as attrs
from policylint.terraform.attributes import A, P, R
from policylint.terraform.common import s
from policylint.terraform.instances import blocks, known
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance


def normalize_events(ctx: Ctx) -> dict[str, tuple[Any, ...]]:
    """The model fields this module fills, ready for `Model(**...)`."""
    policies = [_topic_policy(ctx, p) for p in ctx.of("aws_sns_topic_policy")]
    policies += [p for p in (_inline_policy(ctx, t) for t in ctx.of("aws_sns_topic")) if p]
    return {
        "event_rules": tuple(_rule(r) for r in ctx.of("aws_cloudwatch_event_rule")),
        "event_targets": tuple(
            t for t in (_target(x) for x in ctx.of("aws_cloudwatch_event_target")) if t
        ),
        "topic_policies": tuple(policies),
        "lambda_notifications": tuple(
            n for b in ctx.of("aws_s3_bucket_notification") for n in _notifications(b)
        ),
        "bucket_notifications": tuple(
            n for b in ctx.of("aws_s3_bucket_notification") for n in _destinations(b)
        ),
    }


def _rule(r: Instance) -> EventRule:
    # `.name`, `.id` and `.arn` of a rule are not modelled as formats: they resolve to the
    # rule's own resource symbols, which is what a target's `rule` or a permission names.
    name = s(r.values.get("name"))
    aliases = [resource_sym(r.id, "name"), resource_sym(r.id, "id")]
    if isinstance(name, str):
        aliases.append(name)
    arn = known(r, "arn") or resource_sym(r.id, "arn")
    bus = s(r.values.get("event_bus_name"))
    names = (*(aliases[2:]), aliases[0])  # the literal name, and `.name` as referenced
    forms = rule_arn_forms(P, R, A, names, bus) if not isinstance(bus, Unknown) else ()
    return EventRule(
        id=r.id, name=r.address, ref=r.ref, arn=arn, aliases=tuple(aliases), arn_forms=forms
    )


def _target(t: Instance) -> EventTarget | None:
    v = t.values
    rule, arn = s(v.get("rule")), s(v.get("arn"))
    if rule is None or arn is None:
        return None
    return EventTarget(
        id=t.id, name=t.address, ref=t.ref, rule=rule, arn=arn, role_arn=s(v.get("role_arn"))
    )


def _topic_policy(ctx: Ctx, p: Instance) -> TopicPolicy:
    doc = ctx.policy(p.values.get("policy"), p.at("policy"))
    topic = s(p.values.get("arn"))
    return TopicPolicy(
        id=p.id,
        name=p.address,
        ref=p.ref,
        topics=(topic,) if isinstance(topic, str) else Unknown("the topic is not known"),
        document=doc if doc is not None else Unknown("no policy"),
    )


def _inline_policy(ctx: Ctx, t: Instance) -> TopicPolicy | None:
    doc = ctx.policy(t.values.get("policy"), t.at("policy"))
    if doc is None:
        return None
    arn = known(t, "arn") or attrs.managed("aws_sns_topic", t.id, "arn", t.values.get)
    topics: tuple[str, ...] | Unknown = (
        (arn,) if isinstance(arn, str) else Unknown("the topic ARN is not known")
    )
    return TopicPolicy(
        id=f"{t.id}/policy", name=t.address, ref=t.at("policy"), topics=topics, document=doc
    )


def _notifications(b: Instance) -> list[LambdaNotification]:
    bucket = s(b.values.get("bucket"))
    items = blocks(b.values, "lambda_function")
    if bucket is None or isinstance(items, Unknown):
        return []
    out: list[LambdaNotification] = []
    for i, item in enumerate(items):
        fn = s(item.get("lambda_function_arn"))
        if fn is None:
            continue
        out.append(
            LambdaNotification(
                id=f"{b.id}/lambda_function/{i}",
                name=f"{b.address}.lambda_function[{i}]",
                ref=b.at("lambda_function", i),
                bucket=bucket,
                function=fn,
            )
        )
    return out


_DESTINATIONS = (("queue", "queue_arn", DataKind.QUEUE), ("topic", "topic_arn", DataKind.TOPIC))


def _destinations(b: Instance) -> list[BucketNotification]:
    """The `queue` and `topic` blocks of an aws_s3_bucket_notification."""
    bucket = s(b.values.get("bucket"))
    if bucket is None:
        return []
    out: list[BucketNotification] = []
    for block, arg, kind in _DESTINATIONS:
        items = blocks(b.values, block)
        if isinstance(items, Unknown):
            continue
        for i, item in enumerate(items):
            destination = s(item.get(arg))
            if destination is None:
                continue
            out.append(
                BucketNotification(
                    id=f"{b.id}/{block}/{i}",
                    name=f"{b.address}.{block}[{i}]",
                    ref=b.at(block, i),
                    kind=kind,
                    bucket=bucket,
                    destination=destination,
                )
            )
    return out
