"""WAF rules (WAF010-WAF060): web ACLs that answer legitimate requests with 403."""

from __future__ import annotations

from collections.abc import Iterator

from policylint.checks import waf_statements as ws
from policylint.checks.context import CheckContext
from policylint.checks.edge_links import Kind, Protected, origins_reaching, protected_by
from policylint.checks.edge_snippets import snippet
from policylint.checks.waf_scope import check_waf060
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import EndpointKind
from policylint.model import WafRule, WebAcl
from policylint.source import SourceRef
from policylint.values import Unknown

CRS = "AWSManagedRulesCommonRuleSet"
BOT = "AWSManagedRulesBotControlRuleSet"
BODY_RULE = "SizeRestrictions_BODY"
UA_RULES = {CRS: ("NoUserAgent_HEADER",), BOT: ("SignalNonBrowserUserAgent", "CategoryHttpLibrary")}
WRITE_METHODS = {"POST", "PUT", "PATCH"}
API_ORIGINS = (EndpointKind.APIGW, EndpointKind.LAMBDA_URL)
# WAF050: a rate limit under this many requests per 5-minute window and IP is suspicious.
RATE_FLOOR = 100
_FWD_KIND = {"IP set": "ipset", "rate limit": "rate", "geo match": "geo"}
_WHAT = {"ipsetreferencestatement": "IP set", "ratebasedstatement": "rate limit",
         "geomatchstatement": "geo match"}


def _acl_step(acl: WebAcl, what: str, ref: SourceRef | None = None, denies: bool = False) -> TraceStep:
    return TraceStep(f"web ACL {acl.name}: {what}", ref or acl.ref, denies=denies)


def _rule_ref(rule: WafRule) -> SourceRef:
    return rule.ref


def _protected(ctx: CheckContext, acl: WebAcl) -> list[Protected]:
    return list(protected_by(ctx.model, acl))


def _viewer_steps(ctx: CheckContext, acl: WebAcl, targets: list[Protected]) -> list[TraceStep]:
    steps = [TraceStep(f"viewer -> {p.label} (protected by web ACL {acl.name})", p.ref) for p in targets]
    return steps or [_acl_step(acl, "not attached to a resource of this run")]


def _writes(ctx: CheckContext, p: Protected) -> bool:
    """Does the protected resource plausibly receive request bodies (POST/PUT)?"""
    if p.kind in (Kind.API, Kind.APPSYNC, Kind.ALB, Kind.COGNITO):
        return True
    d = p.distribution
    if d is None:
        return False
    for view in ctx.graph.origins():
        if view.distribution is not d:
            continue
        for beh in view.behaviors:
            if not isinstance(beh.allowed_methods, Unknown):
                if WRITE_METHODS & {m.upper() for m in beh.allowed_methods}:
                    return True
    return False


def _is_api(ctx: CheckContext, p: Protected) -> bool:
    """Is the protected resource an API (clients that are not browsers)?"""
    if p.kind in (Kind.API, Kind.APPSYNC):
        return True
    d = p.distribution
    if d is None:
        return False
    return any(
        v.distribution is d and v.behaviors and v.endpoint.kind in API_ORIGINS
        for v in ctx.graph.origins()
    )


def _count_fix(rule: WafRule, names: list[str]) -> str:
    return snippet(rule.ref, "rule_action_override", names=names)


def check_waf010(ctx: CheckContext) -> Iterator[Hit]:
    """Managed rule groups enforced untuned where the protected traffic trips them."""
    for acl in ctx.model.web_acls:
        targets = _protected(ctx, acl)
        for rule in ws.rules_of(acl):
            yield from _managed_hits(ctx, acl, rule, targets)
            yield from _oversize_hits(acl, rule, targets)


def _managed_hits(ctx: CheckContext, acl: WebAcl, rule: WafRule, targets: list[Protected]) -> Iterator[Hit]:
    group = ws.managed_group(rule)
    if group is None or ws.override(rule) != "NONE":
        return
    vendor, name, body = group
    if vendor != "AWS" or name not in (CRS, BOT) or ws.get(body, "ScopeDownStatement") is not None:
        return
    overrides, excluded, unknown = ws.overridden_rules(body)
    if unknown:
        return
    tuned = {n for n, a in overrides.items() if a in ("COUNT", "ALLOW", "CHALLENGE", "CAPTCHA")}
    tuned |= excluded
    tripped: list[tuple[str, Protected]] = []
    for p in targets:
        if name == CRS and BODY_RULE not in tuned and _writes(ctx, p):
            tripped.append((BODY_RULE, p))
        if _is_api(ctx, p):
            tripped.extend((r, p) for r in UA_RULES[name] if r not in tuned)
    if not tripped:
        return
    names = sorted({r for r, _ in tripped})
    who = sorted({p.label for _, p in tripped})
    reasons = []
    if BODY_RULE in names:
        reasons.append(f"{BODY_RULE} blocks request bodies over 8 KB")
    if set(names) - {BODY_RULE}:
        reasons.append(
            f"{', '.join(n for n in names if n != BODY_RULE)} block clients without a browser "
            "User-Agent (mobile apps, SDKs, curl)"
        )
    msg = (
        f"web ACL {acl.name} enforces managed group {name} (rule {rule.name}, OverrideAction "
        f"None) in front of {', '.join(who)}: {'; '.join(reasons)}, answering 403 (WAF rule)"
    )
    steps = [
        *_viewer_steps(ctx, acl, [p for _, p in tripped][:1]),
        TraceStep(f"rule {rule.name}: {name} {', '.join(names)} -> Block (403)", rule.ref, denies=True),
    ]
    fix = (
        f"Override the rules that legitimate traffic trips to Count in rule {rule.name}, then "
        f"add a scoped Block if you need one:\n{_count_fix(rule, names)}"
    )
    yield Hit(ref=rule.ref, resource=acl.name, message=msg, fix=fix,
              key=f"{acl.name}|{rule.name}|{','.join(names)}", trace=tuple(steps))


def _oversize_hits(acl: WebAcl, rule: WafRule, targets: list[Protected]) -> Iterator[Hit]:
    if ws.action(rule) != "BLOCK" or not ws.has_key_value(rule.statement, "OversizeHandling", "MATCH"):
        return
    msg = (
        f"rule {rule.name} of web ACL {acl.name} blocks with OversizeHandling MATCH: every "
        "request whose inspected component exceeds the inspection limit (8 KB regional, 16 KB "
        "CloudFront by default) is answered 403, whatever it contains"
    )
    steps = [*(TraceStep(f"viewer -> {p.label}", p.ref) for p in targets[:1]),
             TraceStep(f"rule {rule.name}: oversize component matches -> Block", rule.ref, denies=True)]
    fix = f"Use OversizeHandling CONTINUE (or NO_MATCH) in rule {rule.name}:\n" + snippet(
        rule.ref, "oversize")
    yield Hit(ref=rule.ref, resource=acl.name, message=msg, fix=fix,
              key=f"{acl.name}|{rule.name}|oversize", trace=tuple(steps))


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
            maybe = True
        if not k and rule.action is not None:
            maybe = True  # statement not understood
        if ws.action(rule) == "ALLOW":
            allows.append(rule)
    return allows, maybe


def _ip_only(ctx: CheckContext, rule: WafRule) -> list[tuple[str, object]] | None:
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
            steps = [*_viewer_steps(ctx, acl, targets),
                     _acl_step(acl, "no Allow rule matches -> DefaultAction Block (403)", denies=True)]
            fix = ("Add an Allow rule for the intended traffic, or use DefaultAction Allow with "
                   f"targeted Block rules:\n{snippet(acl.ref, 'default_allow')}")
            yield Hit(ref=acl.ref, resource=acl.name, message=msg, fix=fix, key=key, trace=tuple(steps))
            continue
        if maybe:
            continue
        yield from _waf020_ip_sets(ctx, acl, allows, targets, key)
        yield from _waf020_geo(ctx, acl, allows, targets, key)


def _who(targets: list[Protected]) -> str:
    return ", ".join(p.label for p in targets) or "the resources it protects"


def _waf020_ip_sets(ctx: CheckContext, acl: WebAcl, allows: list[WafRule],
                    targets: list[Protected], key: str) -> Iterator[Hit]:
    sets = [_ip_only(ctx, r) for r in allows]
    if any(s is None for s in sets):
        return
    found = [ip for s in sets if s for _, ip in s]
    if not found or any(ip is None for ip in found):
        return
    ipsets = [ip for ip in found if ip is not None]
    if any(isinstance(s.addresses, Unknown) for s in ipsets):
        return
    if all(not s.addresses for s in ipsets):  # type: ignore[union-attr]
        names = ", ".join(s.name for s in ipsets)
        msg = (
            f"web ACL {acl.name} has DefaultAction Block and its only Allow rules match IP sets "
            f"with no addresses ({names}): every request to {_who(targets)} is answered 403"
        )
        steps = [*_viewer_steps(ctx, acl, targets),
                 TraceStep(f"IP set {ipsets[0].name} has no addresses", ipsets[0].ref),
                 _acl_step(acl, "no Allow rule matches -> DefaultAction Block (403)", denies=True)]
        fix = f"List the allowed client ranges in {names}:\n{snippet(ipsets[0].ref, 'ip_addresses')}"
        yield Hit(ref=ipsets[0].ref, resource=acl.name, message=msg, fix=fix, key=key + "|empty",
                  trace=tuple(steps))
        return
    versions = {s.ip_version.upper() for s in ipsets if isinstance(s.ip_version, str)}
    v6_dists = [p for p in targets if p.distribution is not None and p.distribution.ipv6_enabled is True]
    if versions == {"IPV4"} and len(versions) == len({s.ip_version for s in ipsets}) and v6_dists:
        d = v6_dists[0].distribution
        assert d is not None
        msg = (
            f"web ACL {acl.name} allows only IPv4 sets ({', '.join(s.name for s in ipsets)}) "
            f"with DefaultAction Block, while distribution {d.name} has IPV6Enabled: IPv6 "
            "clients are answered 403"
        )
        steps = [TraceStep(f"IPv6 viewer -> distribution {d.name} (IPV6Enabled)", d.ref),
                 _acl_step(acl, "no IPv4 set matches an IPv6 client -> Block (403)", denies=True)]
        fix = "Add an IPV6 IP set to the Allow rule, or disable IPv6 on the distribution."
        yield Hit(ref=acl.ref, resource=acl.name, message=msg, fix=fix, key=key + "|ipv6",
                  trace=tuple(steps), severity=Severity.WARNING)


def _waf020_geo(ctx: CheckContext, acl: WebAcl, allows: list[WafRule],
                targets: list[Protected], key: str) -> Iterator[Hit]:
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
    steps = [*_viewer_steps(ctx, acl, targets),
             _acl_step(acl, f"GeoMatch Allow excludes {', '.join(missing)} -> Block", allows[0].ref, True)]
    fix = f"Add {', '.join(missing)} to the CountryCodes of rule {allows[0].name}."
    yield Hit(ref=allows[0].ref, resource=acl.name, message=msg, fix=fix, key=key + "|geo",
              trace=tuple(steps), severity=Severity.WARNING)


def _client_ip_rules(acl: WebAcl) -> Iterator[tuple[WafRule, str]]:
    """Rules that decide on the client IP (IP sets, geo, rate) without a forwarded-IP config."""
    default_block = isinstance(acl.default_action, str) and acl.default_action.upper() == "BLOCK"
    for rule in ws.rules_of(acl):
        act = ws.action(rule)
        for k, body in ws.leaves(rule.statement, through_not=True):
            if k not in ("ipsetreferencestatement", "geomatchstatement", "ratebasedstatement"):
                continue
            if ws.forwarded_ip(k, body):
                continue
            if act == "BLOCK" or (act == "ALLOW" and default_block and k != "ratebasedstatement"):
                yield rule, _WHAT[k]


def check_waf030(ctx: CheckContext) -> Iterator[Hit]:
    """Regional ACL behind CloudFront decides on the proxy's IP."""
    for acl in ctx.model.web_acls:
        if not isinstance(acl.scope, str) or acl.scope.upper() != "REGIONAL":
            continue
        for p in _protected(ctx, acl):
            views = origins_reaching(ctx.graph, p)
            if not views:
                continue
            view = views[0]
            for rule, what in _client_ip_rules(acl):
                msg = (
                    f"rule {rule.name} of regional web ACL {acl.name} matches on the client IP "
                    f"({what}) of requests to {p.label}, which sits behind CloudFront distribution "
                    f"{view.distribution.name}: WAF sees CloudFront's address, not the viewer's"
                )
                steps = (
                    TraceStep(f"viewer -> distribution {view.distribution.name}", view.distribution.ref),
                    TraceStep(f"origin {ws_text(view.origin.origin_id)} -> {p.label}", view.origin.ref),
                    TraceStep(f"rule {rule.name}: {what} evaluated on CloudFront's IP", rule.ref, denies=True),
                )
                fix = (
                    "Evaluate the X-Forwarded-For header (first address), or move client-IP rules to a "
                    "CLOUDFRONT-scope web ACL on the distribution:\n"
                    + snippet(rule.ref, "forwarded_ip", kind=_FWD_KIND.get(what, "geo"))
                )
                yield Hit(ref=rule.ref, resource=acl.name, message=msg, fix=fix,
                          key=f"{acl.name}|{rule.name}|{p.label}", trace=steps)


def ws_text(value: object) -> str:
    from policylint.checks.common import text

    return text(value)


def check_waf040(ctx: CheckContext) -> Iterator[Hit]:
    """Block rules broader than intended; Count vs Block confusion."""
    from policylint.checks.waf_block import waf040_hits

    yield from waf040_hits(ctx)


def check_waf050(ctx: CheckContext) -> Iterator[Hit]:
    """Rate-based Block rules with a limit below legitimate per-IP rates."""
    from policylint.checks.waf_block import waf050_hits

    yield from waf050_hits(ctx, RATE_FLOOR)


CHECKS = {
    "WAF010": check_waf010,
    "WAF020": check_waf020,
    "WAF030": check_waf030,
    "WAF040": check_waf040,
    "WAF050": check_waf050,
    "WAF060": check_waf060,
}
