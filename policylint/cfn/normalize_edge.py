"""DNS records, ACM certificates, ALB load balancers/listeners/rules and CloudFront key groups.

`Ref` and `Fn::GetAtt` values are computed with the template's own resolver, so that a
listener's `LoadBalancerArn: !Ref ALB` and the load balancer's ARN are the same string.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.model.network import (
    Certificate,
    DnsRecord,
    Listener,
    ListenerAction,
    ListenerRule,
    LoadBalancer,
)
from policylint.model.workload import KeyGroup
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]
MaybeStr = str | Unknown


def _record(res: Res, keys: tuple[str | int, ...], rid: str, name: str) -> DnsRecord:
    alias = res.string(*keys, "AliasTarget", "DNSName")
    values = res.strings(*keys, "ResourceRecords")
    return DnsRecord(
        id=rid,
        name=name,
        ref=res.at(*keys) if keys else res.ref,
        record_name=res.string(*keys, "Name") or Unknown("no Name"),
        record_type=res.string(*keys, "Type") or Unknown("no Type"),
        alias_target=alias,
        values=() if isinstance(values, Unknown) else values,
    )


def record_set(res: Res) -> Iterator[Element]:
    yield "dns_records", _record(res, (), res.id, res.name)


def record_set_group(res: Res) -> Iterator[Element]:
    sets = res.items("RecordSets")
    if isinstance(sets, Unknown):
        return
    for i in range(len(sets)):
        yield (
            "dns_records",
            _record(res, ("RecordSets", i), f"{res.id}/{i}", f"{res.name}.RecordSets[{i}]"),
        )


def certificate(res: Res) -> Iterator[Element]:
    yield (
        "certificates",
        Certificate(
            id=res.id,
            name=res.name,
            ref=res.ref,
            arn=res.own_ref(),
            domain_name=res.string("DomainName") or Unknown("no DomainName"),
            alternative_names=res.strings("SubjectAlternativeNames"),
            region=res.env.region,
        ),
    )


def load_balancer(res: Res) -> Iterator[Element]:
    yield (
        "load_balancers",
        LoadBalancer(
            id=res.id,
            name=res.name,
            ref=res.ref,
            arn=res.own_ref(),
            dns_name=res.own_getatt("DNSName"),
            ip_address_type=res.string("IpAddressType") or "ipv4",
        ),
    )


def _actions(res: Res, *keys: str) -> tuple[ListenerAction, ...] | Unknown:
    raw = res.items(*keys)
    if isinstance(raw, Unknown):
        return raw
    out = []
    for i in range(len(raw)):
        code = res.get(*keys, i, "FixedResponseConfig", "StatusCode")
        out.append(
            ListenerAction(
                type=res.string(*keys, i, "Type") or Unknown("no action Type"),
                status_code=None
                if code is None
                else res.string(*keys, i, "FixedResponseConfig", "StatusCode"),
            )
        )
    # AWS applies actions in Order; the terminating one is last.
    orders = [res.integer(*keys, i, "Order") for i in range(len(raw))]
    if all(isinstance(o, int) for o in orders):
        out = [a for _, a in sorted(zip(orders, out, strict=True), key=lambda p: p[0])]  # type: ignore[arg-type, return-value]
    return tuple(out)


def listener(res: Res) -> Iterator[Element]:
    yield (
        "listeners",
        Listener(
            id=res.id,
            name=res.name,
            ref=res.ref,
            listener_arn=res.own_ref(),
            load_balancer_arn=res.string("LoadBalancerArn") or Unknown("no LoadBalancerArn"),
            default_actions=_actions(res, "DefaultActions"),
            protocol=res.string("Protocol"),
        ),
    )


def _header_conditions(res: Res) -> tuple[tuple[MaybeStr, tuple[MaybeStr, ...]], ...] | Unknown:
    conds = res.items("Conditions")
    if isinstance(conds, Unknown):
        return conds
    out: list[tuple[MaybeStr, tuple[MaybeStr, ...]]] = []
    for i in range(len(conds)):
        if res.string("Conditions", i, "Field") != "http-header":
            continue
        name = res.string("Conditions", i, "HttpHeaderConfig", "HttpHeaderName")
        values = res.strings("Conditions", i, "HttpHeaderConfig", "Values")
        if isinstance(values, Unknown) or name is None:
            return Unknown("http-header condition values are not known", res.at("Conditions", i))
        out.append((name, values))
    return tuple(out)


def listener_rule(res: Res) -> Iterator[Element]:
    yield (
        "listener_rules",
        ListenerRule(
            id=res.id,
            name=res.name,
            ref=res.ref,
            listener_arn=res.string("ListenerArn") or Unknown("no ListenerArn"),
            header_conditions=_header_conditions(res),
            actions=_actions(res, "Actions"),
        ),
    )


def key_group(res: Res) -> Iterator[Element]:
    yield (
        "key_groups",
        KeyGroup(
            id=res.id,
            name=res.name,
            ref=res.ref,
            key_group_id=res.own_ref(),
            items=res.strings("KeyGroupConfig", "Items"),
        ),
    )


HANDLERS = {
    "AWS::Route53::RecordSet": record_set,
    "AWS::Route53::RecordSetGroup": record_set_group,
    "AWS::CertificateManager::Certificate": certificate,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": load_balancer,
    "AWS::ElasticLoadBalancingV2::Listener": listener,
    "AWS::ElasticLoadBalancingV2::ListenerRule": listener_rule,
    "AWS::CloudFront::KeyGroup": key_group,
}
