"""WAF rules (WAF010-WAF060): web ACLs that answer legitimate requests with 403."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks import waf_groups as wg
from policylint.checks import waf_statements as ws
from policylint.checks.common import text
from policylint.checks.edge_links import Kind, origins_reaching
from policylint.checks.edge_snippets import snippet
from policylint.checks.waf_default import _protected, _viewer_steps, check_waf020
from policylint.checks.waf_scope import check_waf060
from policylint.findings import Hit, TraceStep
from policylint.graph_types import EndpointKind
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.edge_links import Protected
    from policylint.model import WafRule, WebAcl

CRS = "AWSManagedRulesCommonRuleSet"
BOT = "AWSManagedRulesBotControlRuleSet"
BODY_RULE = "SizeRestrictions_BODY"
UA_RULES = {CRS: ("NoUserAgent_HEADER",), BOT: ("SignalNonBrowserUserAgent", "CategoryHttpLibrary")}
WRITE_METHODS = {"POST", "PUT", "PATCH"}
API_ORIGINS = (EndpointKind.APIGW, EndpointKind.LAMBDA_URL)
# WAF050: a rate limit under this many requests per 5-minute window and IP is suspicious.
RATE_FLOOR = 100
_FWD_KIND = {"IP set": "ipset", "rate limit": "rate", "geo match": "geo"}
_WHAT = {
    "ipsetreferencestatement": "IP set",
    "ratebasedstatement": "rate limit",
    "geomatchstatement": "geo match",
}


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
            methods = () if isinstance(beh.allowed_methods, Unknown) else beh.allowed_methods
            if WRITE_METHODS & {m.upper() for m in methods}:
                return True
    return False


def _is_api(ctx: CheckContext, p: Protected) -> bool:
    """Is the protected resource an API (clients that are not browsers)?"""
    if p.kind in (Kind.API, Kind.APPSYNC):
        return True
    d = p.distribution
    if d is None:
        return False
    return id(d) in ctx.memo("waf.api_distributions", lambda: _api_distributions(ctx))


def _api_distributions(ctx: CheckContext) -> set[int]:
    """ids of the distributions with an origin (with behaviors) that is an API."""
    return {
        id(v.distribution)
        for v in ctx.graph.origins()
        if v.behaviors and v.endpoint.kind in API_ORIGINS
    }


# What each rule blocks (AWS Managed Rules: Core rule set and Bot Control rule group pages).
_REASONS = {
    BODY_RULE: f"{BODY_RULE} blocks request bodies over 8 KB",
    "NoUserAgent_HEADER": (
        "NoUserAgent_HEADER blocks requests without a User-Agent header (SDKs, scripts and "
        "machine callers often send none)"
    ),
    "SignalNonBrowserUserAgent": (
        "SignalNonBrowserUserAgent blocks non-browser User-Agents (mobile apps, SDKs)"
    ),
    "CategoryHttpLibrary": "CategoryHttpLibrary blocks HTTP libraries (curl, requests, okhttp)",
}


def _api_origin_steps(ctx: CheckContext, p: Protected) -> list[TraceStep]:
    """The hop from a distribution to its API origin, when that is why the callers are APIs."""
    d = p.distribution
    if d is None:
        return []
    for v in ctx.graph.origins():
        if v.distribution is d and v.behaviors and v.endpoint.kind in API_ORIGINS:
            where = text(v.origin.domain_name)
            return [TraceStep(f"origin {text(v.origin.origin_id)} -> API {where}", v.origin.ref)]
    return []


def _count_fix(rule: WafRule, names: list[str]) -> str:
    return snippet(rule.ref, "rule_action_override", names=names)


def check_waf010(ctx: CheckContext) -> Iterator[Hit]:
    """Managed rule groups enforced untuned where the protected traffic trips them."""
    for acl in ctx.model.web_acls:
        targets = _protected(ctx, acl)
        for rule in wg.rules(ctx, acl):
            yield from _managed_hits(ctx, acl, rule, targets)
            yield from _oversize_hits(acl, rule, targets)


def _managed_hits(
    ctx: CheckContext, acl: WebAcl, rule: WafRule, targets: list[Protected]
) -> Iterator[Hit]:
    group = ws.managed_group(rule)
    if group is None or ws.override(rule) != "NONE":
        return
    vendor, name, body = group
    if vendor != "AWS" or name not in (CRS, BOT) or ws.present(ws.get(body, "ScopeDownStatement")):
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
    reasons = [_REASONS[n] for n in names if n in _REASONS]
    msg = (
        f"web ACL {acl.name} enforces managed group {name} (rule {rule.name}, OverrideAction "
        f"None) in front of {', '.join(who)}: {'; '.join(reasons)}, answering 403 (WAF rule)"
    )
    first = tripped[0][1]
    steps = [
        *_viewer_steps(ctx, acl, [first]),
        *_api_origin_steps(ctx, first),
        TraceStep(
            f"rule {rule.name}: {name} {', '.join(names)} -> Block (403)", rule.ref, denies=True
        ),
    ]
    fix = (
        f"Override the rules that legitimate traffic trips to Count in rule {rule.name}, then "
        f"add a scoped Block if you need one:\n{_count_fix(rule, names)}"
    )
    yield Hit(
        ref=rule.ref,
        resource=acl.name,
        message=msg,
        fix=fix,
        key=f"{acl.name}|{rule.name}|{','.join(names)}",
        trace=tuple(steps),
    )


def _oversize_hits(acl: WebAcl, rule: WafRule, targets: list[Protected]) -> Iterator[Hit]:
    if ws.action(rule) != "BLOCK" or not ws.has_key_value(
        rule.statement, "OversizeHandling", "MATCH"
    ):
        return
    msg = (
        f"rule {rule.name} of web ACL {acl.name} blocks with OversizeHandling MATCH: every "
        "request whose inspected component exceeds the inspection limit (8 KB regional, 16 KB "
        "CloudFront by default) is answered 403, whatever it contains"
    )
    steps = [
        *(TraceStep(f"viewer -> {p.label}", p.ref) for p in targets[:1]),
        *wg.via_steps(acl, rule),
        TraceStep(f"rule {rule.name}: oversize component matches -> Block", rule.ref, denies=True),
    ]
    fix = f"Use OversizeHandling CONTINUE (or NO_MATCH) in rule {rule.name}:\n" + snippet(
        rule.ref, "oversize"
    )
    yield Hit(
        ref=rule.ref,
        resource=acl.name,
        message=msg,
        fix=fix,
        key=f"{acl.name}|{rule.name}|oversize",
        trace=tuple(steps),
    )


def _client_ip_rules(ctx: CheckContext, acl: WebAcl) -> Iterator[tuple[WafRule, str]]:
    """Rules that decide on the client IP (IP sets, geo, rate) without a forwarded-IP config."""
    default_block = isinstance(acl.default_action, str) and acl.default_action.upper() == "BLOCK"
    for rule in wg.rules(ctx, acl):
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
            for rule, what in _client_ip_rules(ctx, acl):
                msg = (
                    f"rule {rule.name} of regional web ACL {acl.name} matches on the client IP "
                    f"({what}) of requests to {p.label}, which sits behind CloudFront distribution "
                    f"{view.distribution.name}: WAF sees CloudFront's address, not the viewer's"
                )
                steps = (
                    TraceStep(
                        f"viewer -> distribution {view.distribution.name}", view.distribution.ref
                    ),
                    TraceStep(
                        f"origin {text(view.origin.origin_id)} -> {p.label}", view.origin.ref
                    ),
                    *wg.via_steps(acl, rule),
                    TraceStep(
                        f"rule {rule.name}: {what} evaluated on CloudFront's IP",
                        rule.ref,
                        denies=True,
                    ),
                )
                fix = (
                    "Evaluate the X-Forwarded-For header (first address), or move client-IP "
                    "rules to a CLOUDFRONT-scope web ACL on the distribution:\n"
                    + snippet(rule.ref, "forwarded_ip", kind=_FWD_KIND.get(what, "geo"))
                )
                yield Hit(
                    ref=rule.ref,
                    resource=acl.name,
                    message=msg,
                    fix=fix,
                    key=f"{acl.name}|{rule.name}|{p.label}",
                    trace=steps,
                )


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
