"""WAF040 (Block rules broader than intended, Count vs Block) and WAF050 (rate limits)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks import waf_groups as wg
from policylint.checks import waf_statements as ws
from policylint.checks.edge_links import AclIndex, origins_reaching, protected_by
from policylint.checks.edge_snippets import snippet
from policylint.findings import Hit, Severity, TraceStep
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.model import WafRule, WebAcl

V4_BROAD, V6_BROAD = 8, 16  # prefixes shorter than these cover "everyone" for practical purposes


def _broad(cidr: str) -> bool:
    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return False
    return net.prefixlen < (V4_BROAD if net.version == 4 else V6_BROAD)


def _hit(
    acl: WebAcl,
    rule: WafRule,
    msg: str,
    fix: str,
    key: str,
    why: str,
    severity: Severity | None = None,
) -> Hit:
    steps = (
        *wg.via_steps(acl, rule),
        TraceStep(f"web ACL {acl.name}: rule {rule.name} (priority {rule.priority})", acl.ref),
        TraceStep(why, rule.ref, denies=True),
    )
    return Hit(
        ref=rule.ref,
        resource=acl.name,
        message=msg,
        fix=fix,
        key=f"{acl.name}|{rule.name}|{key}",
        trace=steps,
        severity=severity,
    )


def waf040_hits(ctx: CheckContext) -> Iterator[Hit]:
    declared = {c.upper() for c in ctx.intent.expected_countries}
    for acl in ctx.model.web_acls:
        for rule in wg.rules(ctx, acl):
            if ws.action(rule) == "BLOCK":
                yield from _broad_ip(ctx, acl, rule)
                yield from _geo_block(acl, rule, declared)
                if ws.name_says_count(rule.name):
                    msg = (
                        f"rule {rule.name} of web ACL {acl.name} is named for counting or "
                        "monitoring but its Action is Block: matching requests get 403"
                    )
                    fix = (
                        "If the rule should only observe, set its action to Count:\n"
                        + _count_action(rule)
                    )
                    yield _hit(acl, rule, msg, fix, "count-name", "Action Block (terminating, 403)")
            if ws.override(rule) == "NONE" and ws.name_says_count(rule.name):
                msg = (
                    f"rule group rule {rule.name} of web ACL {acl.name} is named for counting "
                    "or monitoring but its OverrideAction is None: the group's Block rules "
                    "answer 403"
                )
                fix = "To only observe the group, use:\n" + _count_override(rule)
                yield _hit(
                    acl, rule, msg, fix, "count-override", "OverrideAction None enforces the group"
                )
            yield from _mixed_overrides(ctx, acl, rule)


def _group_label(ctx: CheckContext, rule: WafRule) -> str | None:
    """How to name the group a managed or rule group reference statement runs (None: neither)."""
    managed = ws.managed_group(rule)
    if managed is not None:
        return f"managed group {managed[1]}"
    k, body = ws.kind(rule.statement)
    if k != "rulegroupreferencestatement":
        return None
    group = wg.group_of(ctx.model, rule)
    return f"rule group {group.name}" if group is not None else f"rule group {ws.get(body, 'Arn')}"


def _mixed_overrides(ctx: CheckContext, acl: WebAcl, rule: WafRule) -> Iterator[Hit]:
    """ExcludedRules next to RuleActionOverrides in one group statement (legacy and new form)."""
    label = _group_label(ctx, rule)
    if label is None:
        return
    over, excl, _ = ws.overridden_rules(ws.kind(rule.statement)[1])
    if not (over and excl):
        return
    clash = sorted(n for n in excl if n in over and over[n] != "COUNT")
    also = (
        f"; {', '.join(clash)} is excluded (Count) and also overridden to "
        f"{', '.join(sorted({over[n] for n in clash}))}, so its action depends on which list "
        "AWS WAF applies"
        if clash
        else ""
    )
    msg = (
        f"rule {rule.name} of web ACL {acl.name} mixes ExcludedRules ({', '.join(sorted(excl))}) "
        f"and RuleActionOverrides for {label}: AWS documents RuleActionOverrides as the "
        "replacement of ExcludedRules, and with both lists the action each rule ends up with "
        f"(Count, or its own Block with 403) is no longer read in one place{also}"
    )
    fix = "Move the excluded rules into RuleActionOverrides with Count:\n" + snippet(
        rule.ref, "rule_action_override", names=sorted(excl)
    )
    yield _hit(acl, rule, msg, fix, "mixed-overrides", "ExcludedRules and overrides mixed")


def _count_action(rule: WafRule) -> str:
    return snippet(rule.ref, "action_count")


def _count_override(rule: WafRule) -> str:
    return snippet(rule.ref, "action_count", field="OverrideAction")


def _broad_ip(ctx: CheckContext, acl: WebAcl, rule: WafRule) -> Iterator[Hit]:
    leaves = ws.or_leaves(rule.statement)
    for k, body in leaves or ():
        if k != "ipsetreferencestatement":
            continue
        ipset = ws.ip_set_for(ctx.model, ws.get(body, "Arn"))
        if ipset is None or isinstance(ipset.addresses, Unknown):
            continue
        wide = [a for a in ipset.addresses if _broad(a)]
        if not wide:
            continue
        msg = (
            f"rule {rule.name} of web ACL {acl.name} blocks IP set {ipset.name}, which "
            f"contains {', '.join(wide)}: (almost) every client is answered 403"
        )
        fix = f"Narrow the addresses of {ipset.name} to the ranges you mean to block."
        steps = (
            *wg.via_steps(acl, rule),
            TraceStep(f"web ACL {acl.name}: rule {rule.name} Block", rule.ref),
            TraceStep(f"IP set {ipset.name} contains {', '.join(wide)}", ipset.ref, denies=True),
        )
        yield Hit(
            ref=ipset.ref,
            resource=acl.name,
            message=msg,
            fix=fix,
            key=f"{acl.name}|{rule.name}|{ipset.name}|broad",
            trace=steps,
        )


def _geo_block(acl: WebAcl, rule: WafRule, declared: set[str]) -> Iterator[Hit]:
    if not declared:
        return
    for k, body in ws.or_leaves(rule.statement) or ():
        if k != "geomatchstatement":
            continue
        codes = ws.country_codes(body)
        hit = sorted(declared & set(codes or ()))
        if not hit:
            continue
        msg = (
            f"rule {rule.name} of web ACL {acl.name} blocks countries {', '.join(hit)}, "
            "which the configuration declares as expected markets: their viewers get 403"
        )
        fix = f"Remove {', '.join(hit)} from the CountryCodes of rule {rule.name}."
        yield _hit(acl, rule, msg, fix, "geo", f"GeoMatch Block covers {', '.join(hit)}")


def _limit(body: object) -> int | None:
    raw = ws.get(body, "Limit")
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    return None


def waf050_hits(ctx: CheckContext, floor: int) -> Iterator[Hit]:
    index = ctx.memo("edge_links.AclIndex", lambda: AclIndex(ctx.model))
    for acl in ctx.model.web_acls:
        links = protected_by(ctx.model, acl, index)
        behind = [v for p in links for v in origins_reaching(ctx.graph, p)]
        for rule in wg.rules(ctx, acl):
            if ws.action(rule) != "BLOCK":
                continue
            for k, body in ws.leaves(rule.statement):
                if k != "ratebasedstatement":
                    continue
                limit = _limit(body)
                by_ip = not ws.forwarded_ip(k, body)
                agg = ws.get(body, "AggregateKeyType")
                by_ip = by_ip and (agg is None or (isinstance(agg, str) and agg.upper() == "IP"))
                if behind and by_ip:
                    d = behind[0].distribution
                    msg = (
                        f"rate-based rule {rule.name} of web ACL {acl.name} counts requests per "
                        "source IP, but its resource sits behind CloudFront distribution "
                        f"{d.name}: "
                        "all viewers of an edge location share CloudFront's address, so the "
                        f"limit ({limit if limit is not None else 'unknown'} per 5 minutes) "
                        "blocks them together with 403"
                    )
                    fix = "Aggregate on the forwarded client IP:\n" + snippet(
                        rule.ref, "forwarded_ip", kind="rate"
                    )
                    yield _hit(
                        acl,
                        rule,
                        msg,
                        fix,
                        "rate-behind-cf",
                        "rate limit on CloudFront's IP",
                        Severity.WARNING,
                    )
                elif limit is not None and limit < floor:
                    msg = (
                        f"rate-based rule {rule.name} of web ACL {acl.name} blocks a client after "
                        f"{limit} requests in 5 minutes (below {floor}); clients behind NAT or "
                        "proxies share one IP and a single page load can take dozens of requests"
                    )
                    fix = (
                        f"Raise the Limit of rule {rule.name}, or scope the rule down to the "
                        "paths it protects."
                    )
                    yield _hit(acl, rule, msg, fix, "rate-low", f"Limit {limit} per 5 minutes")
