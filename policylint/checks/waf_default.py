"""WAF020: a web ACL that blocks by default without an effective Allow path."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks import waf_groups as wg
from policylint.checks import waf_statements as ws
from policylint.checks.edge_links import AclIndex, protected_by
from policylint.checks.edge_snippets import snippet
from policylint.checks.fixes import Fmt, fmt_of
from policylint.findings import Hit, Severity, TraceStep
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.edge_links import Protected
    from policylint.model import IpSet, WafRule, WebAcl
    from policylint.source import SourceRef


def _acl_step(
    acl: WebAcl, what: str, ref: SourceRef | None = None, denies: bool = False
) -> TraceStep:
    return TraceStep(f"web ACL {acl.name}: {what}", ref or acl.ref, denies=denies)


def _protected(ctx: CheckContext, acl: WebAcl) -> list[Protected]:
    index = ctx.memo("edge_links.AclIndex", lambda: AclIndex(ctx.model))
    return list(protected_by(ctx.model, acl, index))


def _viewer_steps(ctx: CheckContext, acl: WebAcl, targets: list[Protected]) -> list[TraceStep]:
    steps = [
        TraceStep(f"viewer -> {p.label} (protected by web ACL {acl.name})", p.ref) for p in targets
    ]
    return steps or [_acl_step(acl, "not attached to a resource of this run")]


def _allow_paths(ctx: CheckContext, acl: WebAcl) -> tuple[list[WafRule], bool]:
    """(rules that Allow, whether anything else might allow: groups or unknown actions)."""
    allows: list[WafRule] = []
    maybe = False
    for rule in wg.rules(ctx, acl):
        k, body = ws.kind(rule.statement)
        if (k == "rulegroupreferencestatement" and not wg.resolved(ctx, rule)) or (
            k == "managedrulegroupstatement" and ws.get(body, "VendorName") != "AWS"
        ):
            maybe = True
        if rule.action is not None and ws.action(rule) is None:
            maybe = True  # an action not known before deploy
        if not k or (rule.action is None and rule.override_action is None):
            maybe = True  # a rule (or statement) that could not be read: it might allow
        if ws.action(rule) == "ALLOW":
            allows.append(rule)
    return allows, maybe


def _ip_only(ctx: CheckContext, rule: WafRule) -> list[tuple[str, IpSet | None]] | None:
    """The IP sets an Allow rule matches on, if it matches on IP sets only."""
    leaves = ws.or_leaves(rule.statement)
    if not leaves or any(k != "ipsetreferencestatement" for k, _ in leaves):
        return None
    return [(str(ws.get(b, "Arn")), ws.ip_set_for(ctx.model, ws.get(b, "Arn"))) for _, b in leaves]


def check_waf020(ctx: CheckContext) -> Iterator[Hit]:
    """DefaultAction Block without an effective Allow path."""
    for acl in ctx.model.web_acls:
        if not isinstance(acl.default_action, str) or acl.default_action.upper() != "BLOCK":
            continue
        if isinstance(acl.rules, Unknown):
            continue
        allows, maybe = _allow_paths(ctx, acl)
        targets = _protected(ctx, acl)
        key = f"{acl.name}|default-block"
        if not allows and not maybe:
            groups = sorted({r.group for r in wg.rules(ctx, acl) if r.group})
            seen = f" (rule group {', '.join(groups)} included)" if groups else ""
            msg = (
                f"web ACL {acl.name} has DefaultAction Block and no rule with Action Allow{seen}: "
                f"every request to {_who(targets)} is answered 403 (WAF default action)"
            )
            steps = [
                *_viewer_steps(ctx, acl, targets),
                *(
                    TraceStep(f"rule {r.name} runs rule group {name}: no Allow rule", r.ref)
                    for r, name in _group_refs(ctx, acl)
                ),
                _acl_step(acl, "no Allow rule matches -> DefaultAction Block (403)", denies=True),
            ]
            fix = (
                "Add an Allow rule for the intended traffic, or use DefaultAction Allow with "
                f"targeted Block rules:\n{snippet(acl.ref, 'default_allow')}"
            )
            yield Hit(
                ref=acl.ref, resource=acl.name, message=msg, fix=fix, key=key, trace=tuple(steps)
            )
            continue
        if maybe:
            continue
        yield from _waf020_ip_sets(ctx, acl, allows, targets, key)
        yield from _waf020_geo(ctx, acl, allows, targets, key)


def _group_refs(ctx: CheckContext, acl: WebAcl) -> list[tuple[WafRule, str]]:
    """(referencing rule, group name) of the rule groups whose rules were read."""
    out = []
    for r in ws.rules_of(acl):
        group = wg.group_of(ctx.model, r) if wg.resolved(ctx, r) else None
        if group is not None:
            out.append((r, group.name))
    return out


def _who(targets: list[Protected]) -> str:
    return ", ".join(p.label for p in targets) or "the resources it protects"


def _waf020_ip_sets(
    ctx: CheckContext, acl: WebAcl, allows: list[WafRule], targets: list[Protected], key: str
) -> Iterator[Hit]:
    sets = [_ip_only(ctx, r) for r in allows]
    if any(s is None for s in sets):
        return
    found = [ip for s in sets if s for _, ip in s]
    if not found or any(ip is None for ip in found):
        return
    ipsets = [ip for ip in found if ip is not None]
    if any(isinstance(s.addresses, Unknown) for s in ipsets):
        return
    if all(not s.addresses for s in ipsets):
        names = ", ".join(s.name for s in ipsets)
        msg = (
            f"web ACL {acl.name} has DefaultAction Block and its only Allow rules match IP sets "
            f"with no addresses ({names}): every request to {_who(targets)} is answered 403"
        )
        steps = [
            *_viewer_steps(ctx, acl, targets),
            TraceStep(f"IP set {ipsets[0].name} has no addresses", ipsets[0].ref),
            _acl_step(acl, "no Allow rule matches -> DefaultAction Block (403)", denies=True),
        ]
        fix = (
            f"List the allowed client ranges in {names}:\n{snippet(ipsets[0].ref, 'ip_addresses')}"
        )
        yield Hit(
            ref=ipsets[0].ref,
            resource=acl.name,
            message=msg,
            fix=fix,
            key=key + "|empty",
            trace=tuple(steps),
        )
        return
    versions = {s.ip_version.upper() for s in ipsets if isinstance(s.ip_version, str)}
    if versions != {"IPV4"} or len(versions) != len({s.ip_version for s in ipsets}):
        return
    names = ", ".join(s.name for s in ipsets)
    v6 = _ipv6_target(targets)
    if v6 is None:
        return
    what, setting, ref, fix_other, via = v6
    msg = (
        f"web ACL {acl.name} allows only IPv4 sets ({names}) with DefaultAction Block, while "
        f"{what} has {setting}: IPv6 clients are answered 403"
    )
    steps = [
        TraceStep(f"IPv6 client -> {what} ({setting})", ref),
        TraceStep(f"{what} is protected by web ACL {acl.name}", via),
        _acl_step(acl, "no IPv4 set matches an IPv6 client -> Block (403)", denies=True),
    ]
    scope = acl.scope if isinstance(acl.scope, str) else "REGIONAL"
    fix = (
        f"Add an IPV6 IP set with the allowed IPv6 ranges to the Allow rule (an OrStatement "
        f"of both sets), or {fix_other}:\n" + _ipv6_set(acl.ref, scope)
    )
    yield Hit(
        ref=acl.ref,
        resource=acl.name,
        message=msg,
        fix=fix,
        key=key + "|ipv6",
        trace=tuple(steps),
        severity=Severity.WARNING,
    )


DUALSTACK = ("DUALSTACK", "DUALSTACK-WITHOUT-PUBLIC-IPV4")


def _ipv6_set(ref: SourceRef, scope: str) -> str:
    """A paste-able IPv6 IP set (the range is a placeholder from the documentation block)."""
    fmt = fmt_of(ref)
    if fmt is Fmt.HCL:
        return (
            'resource "aws_wafv2_ip_set" "allowed_v6" {\n  name               = "allowed-v6"\n'
            f'  scope              = "{scope}"\n  ip_address_version = "IPV6"\n'
            '  addresses          = ["2001:db8::/32"]\n}'
        )
    props = {"Scope": scope, "IPAddressVersion": "IPV6", "Addresses": ["2001:db8::/32"]}
    if fmt is Fmt.JSON:
        body = {"AllowedV6": {"Type": "AWS::WAFv2::IPSet", "Properties": props}}
        return textwrap.dedent("\n".join(json.dumps(body, indent=2).splitlines()[1:-1]))
    return (
        "AllowedV6:\n  Type: AWS::WAFv2::IPSet\n  Properties:\n"
        f"    Scope: {scope}\n    IPAddressVersion: IPV6\n    Addresses:\n      - 2001:db8::/32"
    )


def _ipv6_target(
    targets: list[Protected],
) -> tuple[str, str, SourceRef, str, SourceRef] | None:
    """(what, the IPv6 setting, its ref, the other fix) of the first target that serves IPv6."""
    for p in targets:
        d, lb = p.distribution, p.load_balancer
        if d is not None and d.ipv6_enabled is True:
            return (
                f"distribution {d.name}",
                "IPV6Enabled",
                d.ref,
                "disable IPv6 on the distribution",
                p.ref,
            )
        ip_type = lb.ip_address_type if lb is not None else None
        if lb is not None and isinstance(ip_type, str) and ip_type.upper() in DUALSTACK:
            return (
                f"load balancer {lb.name}",
                f"IpAddressType {ip_type}",
                lb.ref,
                "set the load balancer's IpAddressType to ipv4",
                p.ref,
            )
    return None


def _waf020_geo(
    ctx: CheckContext, acl: WebAcl, allows: list[WafRule], targets: list[Protected], key: str
) -> Iterator[Hit]:
    declared = tuple(c.upper() for c in ctx.intent.expected_countries)
    if not declared:
        return
    allowed: set[str] = set()
    for rule in allows:
        leaves = ws.or_leaves(rule.statement)
        if not leaves or any(k != "geomatchstatement" for k, _ in leaves):
            return
        for _, body in leaves:
            codes = ws.country_codes(body)
            if codes is None:
                return
            allowed.update(codes)
    missing = [c for c in declared if c not in allowed]
    if not missing:
        return
    msg = (
        f"web ACL {acl.name} has DefaultAction Block and allows only countries "
        f"{', '.join(sorted(allowed))}: viewers from declared market(s) {', '.join(missing)} "
        "are answered 403"
    )
    steps = [
        *_viewer_steps(ctx, acl, targets),
        _acl_step(
            acl, f"GeoMatch Allow excludes {', '.join(missing)} -> Block", allows[0].ref, True
        ),
    ]
    fix = f"Add {', '.join(missing)} to the CountryCodes of rule {allows[0].name}."
    yield Hit(
        ref=allows[0].ref,
        resource=acl.name,
        message=msg,
        fix=fix,
        key=key + "|geo",
        trace=tuple(steps),
        severity=Severity.WARNING,
    )
