"""Route 53 records, ACM certificates, load balancers/listeners/rules and CloudFront key groups.

Computed attributes follow the evaluator's own fallback (`resource_sym(owner, attribute)`), so
`load_balancer_arn = aws_lb.web.arn` and the load balancer's `arn` are the same string.
"""

from __future__ import annotations

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
from policylint.terraform import attributes as attrs
from policylint.terraform.common import s, s_req, strs, strs_sym, sym_s
from policylint.terraform.instances import block, blocks
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

MaybeStr = str | Unknown


def normalize_edge(ctx: Ctx) -> dict[str, tuple[Any, ...]]:
    """The model fields this module fills, ready for `Model(**...)`."""
    return {
        "dns_records": tuple(_record(r) for r in ctx.of("aws_route53_record")),
        "certificates": tuple(_certificate(c) for c in ctx.of("aws_acm_certificate")),
        "load_balancers": tuple(_load_balancer(lb) for lb in ctx.of("aws_lb", "aws_alb")),
        "listeners": tuple(_listener(ls) for ls in ctx.of("aws_lb_listener", "aws_alb_listener")),
        "listener_rules": tuple(
            _rule(r) for r in ctx.of("aws_lb_listener_rule", "aws_alb_listener_rule")
        ),
        "key_groups": tuple(_key_group(k) for k in ctx.of("aws_cloudfront_key_group")),
    }


def _known(inst: Instance, attr: str, sym_attr: str | None = None) -> str:
    """A computed attribute: its value where a plan knows it, else the evaluator's symbol."""
    return sym_s(inst.values.get(attr), resource_sym(inst.id, sym_attr or attr))


def _record(r: Instance) -> DnsRecord:
    v = r.values
    alias = block(v, "alias")
    target = s(alias.get("name")) if isinstance(alias, dict) else None
    return DnsRecord(
        id=r.id,
        name=r.address,
        ref=r.ref,
        record_name=s_req(v.get("name"), resource_sym(r.id, "name")),
        record_type=s_req(v.get("type"), resource_sym(r.id, "type")),
        alias_target=Unknown("dynamic alias block") if isinstance(alias, Unknown) else target,
        values=strs_sym(v.get("records")),
    )


def _certificate(c: Instance) -> Certificate:
    v = c.values
    return Certificate(
        id=c.id,
        name=c.address,
        ref=c.ref,
        arn=_known(c, "arn"),
        domain_name=s_req(v.get("domain_name"), resource_sym(c.id, "domain_name")),
        alternative_names=strs(v.get("subject_alternative_names")),
        region=c.region or attrs.R,  # the provider's literal region, else symbolic
        region_ref=c.region_ref,
    )


def _load_balancer(lb: Instance) -> LoadBalancer:
    return LoadBalancer(
        id=lb.id,
        name=lb.address,
        ref=lb.ref,
        arn=_known(lb, "arn"),
        dns_name=_known(lb, "dns_name"),
        ip_address_type=s_req(lb.values.get("ip_address_type"), "ipv4"),
    )


def _actions(values: Any, key: str) -> tuple[ListenerAction, ...] | Unknown:
    acts = blocks(values, key)
    if isinstance(acts, Unknown):
        return acts
    out: list[tuple[int, ListenerAction]] = []
    for n, a in enumerate(acts):
        fixed = block(a, "fixed_response")
        code = s(fixed.get("status_code")) if isinstance(fixed, dict) else None
        if isinstance(fixed, Unknown):
            code = fixed
        order = a.get("order")
        out.append(
            (
                order if isinstance(order, int) and not isinstance(order, bool) else n,
                ListenerAction(
                    type=s_req(a.get("type"), resource_sym("action", "type")), status_code=code
                ),
            )
        )
    return tuple(x for _, x in sorted(out, key=lambda p: p[0]))


def _listener(ls: Instance) -> Listener:
    v = ls.values
    return Listener(
        id=ls.id,
        name=ls.address,
        ref=ls.ref,
        listener_arn=_known(ls, "arn"),
        load_balancer_arn=s_req(v.get("load_balancer_arn"), resource_sym(ls.id, "lb")),
        default_actions=_actions(v, "default_action"),
        protocol=s(v.get("protocol")),
    )


def _header_conditions(
    values: Any,
) -> tuple[tuple[MaybeStr, tuple[MaybeStr, ...]], ...] | Unknown:
    conds = blocks(values, "condition")
    if isinstance(conds, Unknown):
        return conds
    out: list[tuple[MaybeStr, tuple[MaybeStr, ...]]] = []
    for cond in conds:
        hdr = block(cond, "http_header")
        if hdr is None:
            continue
        if isinstance(hdr, Unknown):
            return hdr
        name = s(hdr.get("http_header_name"))
        vals = strs(hdr.get("values"))
        if name is None or isinstance(vals, Unknown):
            return Unknown("http_header condition values are not known")
        out.append((name, vals))
    return tuple(out)


def _rule(r: Instance) -> ListenerRule:
    v = r.values
    return ListenerRule(
        id=r.id,
        name=r.address,
        ref=r.ref,
        listener_arn=s_req(v.get("listener_arn"), resource_sym(r.id, "listener")),
        header_conditions=_header_conditions(v),
        actions=_actions(v, "action"),
    )


def _key_group(k: Instance) -> KeyGroup:
    return KeyGroup(
        id=k.id,
        name=k.address,
        ref=k.ref,
        key_group_id=_known(k, "id", "Id"),
        items=strs(k.values.get("items")),
    )
