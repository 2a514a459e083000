"""WAF020: a web ACL that blocks by default without an effective Allow path."""

from __future__ import annotations

from collections.abc import Iterator

from policylint.checks import waf_statements as ws
from policylint.checks.context import CheckContext
from policylint.checks.edge_links import AclIndex, Protected, protected_by
from policylint.checks.edge_snippets import snippet
from policylint.findings import Hit, Severity, TraceStep
from policylint.model import IpSet, WafRule, WebAcl
from policylint.source import SourceRef
from policylint.values import Unknown


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
    for rule in ws.rules_of(acl):
        k, body = ws.kind(rule.statement)
        if k in ("rulegroupreferencestatement",) or (
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
            msg = (
                f"web ACL {acl.name} has DefaultAction Block and no rule with Action Allow: every "
                f"request to {_who(targets)} is answered 403 (WAF default action)"
            )
            steps = [
                *_viewer_steps(ctx, acl, targets),
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
    v6_dists = [
        p for p in targets if p.distribution is not None and p.distribution.ipv6_enabled is True
    ]
    if versions == {"IPV4"} and len(versions) == len({s.ip_version for s in ipsets}) and v6_dists:
        d = v6_dists[0].distribution
        assert d is not None
        msg = (
            f"web ACL {acl.name} allows only IPv4 sets ({', '.join(s.name for s in ipsets)}) "
            f"with DefaultAction Block, while distribution {d.name} has IPV6Enabled: IPv6 "
            "clients are answered 403"
        )
        steps = [
            TraceStep(f"IPv6 viewer -> distribution {d.name} (IPV6Enabled)", d.ref),
            _acl_step(acl, "no IPv4 set matches an IPv6 client -> Block (403)", denies=True),
        ]
        fix = "Add an IPV6 IP set to the Allow rule, or disable IPv6 on the distribution."
        yield Hit(
            ref=acl.ref,
            resource=acl.name,
            message=msg,
            fix=fix,
            key=key + "|ipv6",
            trace=tuple(steps),
            severity=Severity.WARNING,
        )


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
