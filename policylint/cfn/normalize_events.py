"""EventBridge rules and their targets, SNS topic policies and inline topic subscriptions, and
S3 notifications to Lambda, SQS and SNS (`policylint.model.events`).

Topics and buckets already have a handler (data resources, `normalize_s3`): `handlers` wraps
those so that the inline `Subscription` / `NotificationConfiguration` lists are read too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policylint.cfn import returns
from policylint.cfn.common import BrokenResource, Res
from policylint.model.data import DataKind, Subscription
from policylint.model.events import (
    BucketNotification,
    EventRule,
    EventTarget,
    LambdaNotification,
    TopicPolicy,
    rule_arn_forms,
)
from policylint.values import Unknown

Element = tuple[str, Any]
Handler = Callable[[Res], Iterator[Element]]


def rule(res: Res) -> Iterator[Element]:
    arn = res.own_getatt("Arn")
    aliases = tuple(x for x in (res.string("Name"),) if isinstance(x, str))
    bus = res.string("EventBusName")
    env = res.env
    names = aliases or (res.own_ref(),)  # Ref of a rule is its name
    forms = (
        ()
        if isinstance(bus, Unknown)
        else rule_arn_forms(env.partition, env.region, env.account, names, bus)
    )
    rule = EventRule(
        id=res.id, name=res.name, ref=res.ref, arn=arn, aliases=aliases, arn_forms=forms
    )
    yield ("event_rules", rule)
    targets = res.get("Targets")
    if not isinstance(targets, list):
        return
    for i, item in enumerate(targets):
        if not isinstance(item, dict):
            continue
        target_arn = res.string("Targets", i, "Arn")
        if target_arn is None:
            continue
        label = item.get("Id")
        yield (
            "event_targets",
            EventTarget(
                id=f"{res.id}/Targets/{i}",
                name=f"{res.name}.Targets[{label if isinstance(label, str) else i}]",
                ref=res.at("Targets", i),
                rule=arn,
                arn=target_arn,
                role_arn=res.string("Targets", i, "RoleArn"),
            ),
        )


def topic_policy(res: Res) -> Iterator[Element]:
    yield (
        "topic_policies",
        TopicPolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            topics=res.strings("Topics"),
            document=res.policy("PolicyDocument", name=res.name),
        ),
    )


def _str(res: Res, *keys: str | int) -> str | Unknown | None:
    """A string inside a resource another handler owns: a malformed one is skipped here (that
    handler reports its own problems, and must not lose its resource because of ours)."""
    try:
        return res.string(*keys)
    except BrokenResource:
        return None


def _inline_subscriptions(res: Res) -> Iterator[Element]:
    items = res.get("Subscription")
    if not isinstance(items, list):
        return
    topic = res.own_ref()  # Ref of a topic is its ARN
    for i in range(len(items)):
        protocol = _str(res, "Subscription", i, "Protocol")
        endpoint = _str(res, "Subscription", i, "Endpoint")
        if protocol is None or endpoint is None:
            continue
        yield (
            "subscriptions",
            Subscription(
                id=f"{res.id}/Subscription/{i}",
                name=f"{res.name}.Subscription[{i}]",
                ref=res.at("Subscription", i),
                topic=topic,
                protocol=protocol,
                endpoint=endpoint,
            ),
        )


def _lambda_notifications(res: Res) -> Iterator[Element]:
    items = res.get("NotificationConfiguration", "LambdaConfigurations")
    if not isinstance(items, list):
        return
    name = returns.bucket_name(res.env, res.logical, res.id)
    for i in range(len(items)):
        fn = _str(res, "NotificationConfiguration", "LambdaConfigurations", i, "Function")
        if fn is None:
            continue
        yield (
            "lambda_notifications",
            LambdaNotification(
                id=f"{res.id}/LambdaConfigurations/{i}",
                name=f"{res.name}.LambdaConfigurations[{i}]",
                ref=res.at("NotificationConfiguration", "LambdaConfigurations", i),
                bucket=name,
                function=fn,
            ),
        )


_DESTINATIONS = (
    ("QueueConfigurations", "Queue", DataKind.QUEUE),
    ("TopicConfigurations", "Topic", DataKind.TOPIC),
)


def _bucket_notifications(res: Res) -> Iterator[Element]:
    yield from _lambda_notifications(res)
    name = returns.bucket_name(res.env, res.logical, res.id)
    for listing, key, kind in _DESTINATIONS:
        items = res.get("NotificationConfiguration", listing)
        if not isinstance(items, list):
            continue
        for i in range(len(items)):
            destination = _str(res, "NotificationConfiguration", listing, i, key)
            if destination is None:
                continue
            yield (
                "bucket_notifications",
                BucketNotification(
                    id=f"{res.id}/{listing}/{i}",
                    name=f"{res.name}.{listing}[{i}]",
                    ref=res.at("NotificationConfiguration", listing, i),
                    kind=kind,
                    bucket=name,
                    destination=destination,
                ),
            )


def _also(base: Handler | None, extra: Handler) -> Handler:
    def both(res: Res) -> Iterator[Element]:
        if base is not None:
            yield from base(res)
        yield from extra(res)

    return both


def handlers(base: Mapping[str, Handler]) -> dict[str, Handler]:
    """The handlers this module adds to `base`, and the ones it extends."""
    return {
        "AWS::Events::Rule": rule,
        "AWS::SNS::TopicPolicy": topic_policy,
        "AWS::SNS::Topic": _also(base.get("AWS::SNS::Topic"), _inline_subscriptions),
        "AWS::S3::Bucket": _also(base.get("AWS::S3::Bucket"), _bucket_notifications),
    }
