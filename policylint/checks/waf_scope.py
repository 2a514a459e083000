"""WAF060: web ACL scope, Region or association mismatch for CloudFront."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks import waf_groups
from policylint.checks import waf_statements as ws
from policylint.checks.common import text
from policylint.checks.edge_links import AclIndex
from policylint.checks.edge_snippets import snippet
from policylint.findings import Hit, TraceStep
from policylint.values import Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.model import Distribution, WafRule
    from policylint.source import SourceRef

_ARN = re.compile(r"^arn:[^:]+:wafv2:(?P<region>[^:]*):[^:]*:(?P<where>global|regional)/webacl/")
_IPSET_ARN = re.compile(r"^arn:[^:]+:wafv2:[^:]*:[^:]*:(?P<where>global|regional)/ipset/")
_GROUP_ARN = re.compile(r"^arn:[^:]+:wafv2:[^:]*:[^:]*:(?P<where>global|regional)/rulegroup/")


def known(value: object) -> str | None:
    """The value upper-cased if it is a literal string (no symbols), else None."""
    return value.upper() if isinstance(value, str) and not has_symbol(value) else None


def check_waf060(ctx: CheckContext) -> Iterator[Hit]:
    """WebACL scope, Region or association mismatch for CloudFront."""
    for d in ctx.model.distributions:
        yield from _distribution(ctx, d)
    yield from _associations(ctx)
    yield from _ip_set_scopes(ctx)


def _hit(d: Distribution, acl_name: str, msg: str, why: str, key: str, fix: str) -> Hit:
    ref = d.web_acl_ref or d.ref
    steps = (
        TraceStep(f"distribution {d.name}: WebACLId {text(d.web_acl_id)}", ref),
        TraceStep(why, ref, denies=True),
    )
    return Hit(
        ref=ref,
        resource=d.name,
        message=msg,
        fix=fix,
        key=f"{d.name}|{acl_name}|{key}",
        trace=steps,
    )


def _distribution(ctx: CheckContext, d: Distribution) -> Iterator[Hit]:
    value = d.web_acl_id
    if not isinstance(value, str) or not value:
        return
    matched = False
    index = ctx.memo("edge_links.AclIndex", lambda: AclIndex(ctx.model))
    for acl, via_id in index.named_by(value):
        matched = True
        fix_arn = snippet(d.ref, "web_acl_arn", acl=acl.name)
        scope = known(acl.scope)
        if scope == "REGIONAL":
            msg = (
                f"distribution {d.name} uses web ACL {acl.name}, whose Scope is REGIONAL: "
                "CloudFront accepts only CLOUDFRONT-scope ACLs, so the deployment fails and the "
                "intended protection or allow-list is absent"
            )
            fix = "Create the ACL with CLOUDFRONT scope in us-east-1:\n" + snippet(
                acl.ref, "scope_cloudfront"
            )
            yield _hit(
                d,
                acl.name,
                msg,
                "REGIONAL web ACL cannot be attached to CloudFront",
                "regional",
                fix,
            )
        elif via_id:
            msg = (
                f"distribution {d.name} names WAFv2 web ACL {acl.name} by its Id: CloudFront's "
                "WebACLId takes the ARN of a WAFv2 ACL (an Id only for WAF Classic), so the "
                "deployment fails"
            )
            yield _hit(
                d,
                acl.name,
                msg,
                "WebACLId is a WAFv2 Id, not an ARN",
                "id",
                f"Pass the ACL's ARN:\n{fix_arn}",
            )
        region = known(acl.region)
        if scope == "CLOUDFRONT" and region is not None and region != "US-EAST-1":
            msg = (
                f"web ACL {acl.name} of distribution {d.name} has Scope CLOUDFRONT but is "
                f"deployed in {acl.region}: CloudFront web ACLs exist only in us-east-1"
            )
            yield _hit(
                d,
                acl.name,
                msg,
                f"CLOUDFRONT ACL in {acl.region}",
                "region",
                f"Deploy the ACL in us-east-1:\n{snippet(acl.ref, 'scope_cloudfront')}",
            )
    if matched or has_symbol(value):
        return
    m = _ARN.match(value)
    if m is None:
        return
    if m.group("where") == "regional":
        msg = (
            f"distribution {d.name} uses a regional WAFv2 web ACL ({value}): CloudFront accepts "
            "only CLOUDFRONT-scope (global) ACLs, so the deployment fails"
        )
        yield _hit(
            d,
            value,
            msg,
            "regional web ACL ARN",
            "regional-arn",
            "Use the ARN of a CLOUDFRONT-scope web ACL created in us-east-1.",
        )
    elif m.group("region") not in ("us-east-1", ""):
        msg = (
            f"distribution {d.name} uses global web ACL ARN {value} in Region "
            f"{m.group('region')}: CloudFront web ACLs live in us-east-1"
        )
        yield _hit(
            d,
            value,
            msg,
            "global web ACL outside us-east-1",
            "region-arn",
            "Use the ARN of the ACL in us-east-1.",
        )


def _associations(ctx: CheckContext) -> Iterator[Hit]:
    for assoc in ctx.model.web_acl_associations:
        arn = assoc.resource_arn
        dist = next((d for d in ctx.model.distributions if d.arn == arn), None)
        literal_cf = known(arn) is not None and ":cloudfront::" in arn
        if dist is None and not literal_cf:
            continue
        target = f"distribution {dist.name}" if dist else arn
        msg = (
            f"web ACL association {assoc.name} targets {target}: a WebACLAssociation cannot "
            "attach an ACL to CloudFront (the call is rejected); set the distribution's "
            "WebACLId instead"
        )
        ref = dist.ref if dist else assoc.ref
        fix = "Remove the association and set, on the distribution:\n" + snippet(
            ref, "web_acl_arn", acl=_acl_name(ctx, assoc.web_acl_arn)
        )
        steps = (TraceStep(f"association {assoc.name} -> {target}", assoc.ref, denies=True),)
        yield Hit(
            ref=assoc.ref,
            resource=assoc.name,
            message=msg,
            fix=fix,
            key=f"{assoc.name}|cloudfront-association",
            trace=steps,
        )


def _acl_name(ctx: CheckContext, arn: str) -> str:
    acl = next((a for a in ctx.model.web_acls if a.arn == arn), None)
    return acl.name if acl else "WebACL"


def _ip_set_scopes(ctx: CheckContext) -> Iterator[Hit]:
    for acl in ctx.model.web_acls:
        scope = known(acl.scope)
        if scope is None:
            continue
        owner = _Owner("web ACL", acl.name, acl.ref, scope)
        for rule in ws.rules_of(acl):
            yield from _rule_ip_sets(ctx, owner, rule, ())
            yield from _group_reference(ctx, owner, rule)
    for group in ctx.model.rule_groups:
        scope = known(group.scope)
        if scope is None or isinstance(group.rules, Unknown):
            continue
        owner = _Owner("rule group", group.name, group.ref, scope)
        for rule in group.rules:
            yield from _rule_ip_sets(ctx, owner, rule, ())


@dataclass(frozen=True, slots=True)
class _Owner:
    """The web ACL or rule group whose scope its references must share."""

    what: str
    name: str
    ref: SourceRef
    scope: str


def _rule_ip_sets(
    ctx: CheckContext, owner: _Owner, rule: WafRule, via: tuple[TraceStep, ...], group: str = ""
) -> Iterator[Hit]:
    for k, body in ws.leaves(rule.statement, through_not=True):
        if k == "ipsetreferencestatement":
            yield from _ip_set_scope(ctx, owner, rule, ws.get(body, "Arn"), via, group)


def _group_reference(ctx: CheckContext, owner: _Owner, rule: WafRule) -> Iterator[Hit]:
    """A web ACL rule that runs a rule group: the group must share the ACL's scope. A group of
    the run whose scope is not known is looked into: its IP sets must then share the ACL's."""
    k, body = ws.kind(rule.statement)
    if k != "rulegroupreferencestatement":
        return
    arn = ws.get(body, "Arn")
    group = waf_groups.group_of(ctx.model, rule)
    other: str | None = None
    name, where = text(arn), owner.ref
    if group is not None:
        other, name, where = known(group.scope), group.name, group.ref
    elif isinstance(arn, str) and not has_symbol(arn):
        m = _GROUP_ARN.match(arn)
        other = _WHERE.get(m.group("where")) if m else None
    if group is not None and other is None and not isinstance(group.rules, Unknown):
        hop = TraceStep(f"rule {rule.name} runs rule group {name} (Scope not known)", rule.ref)
        for inner in group.rules:
            yield from _rule_ip_sets(ctx, owner, inner, (hop,), name)
        return
    if other is None or other == owner.scope:
        return
    msg = (
        f"rule {rule.name} of web ACL {owner.name} (Scope {owner.scope}) runs rule group {name} "
        f"of Scope {other}: an ACL can only use rule groups of its own scope and Region, so the "
        "deployment fails"
    )
    steps = (
        TraceStep(f"web ACL {owner.name} Scope {owner.scope}", owner.ref),
        TraceStep(f"rule {rule.name} runs rule group {name}", rule.ref),
        TraceStep(f"rule group {name} Scope {other}", where, denies=True),
    )
    yield Hit(
        ref=where,
        resource=owner.name,
        message=msg,
        fix=_scope_fix(where, "rule group", owner.scope),
        key=f"{owner.name}|{rule.name}|{name}|group-scope",
        trace=steps,
    )


def _scope_fix(ref: SourceRef, what: str, scope: str) -> str:
    fix = f"Create the {what} with Scope {scope} (in the same Region) and reference that one."
    if scope == "CLOUDFRONT":
        fix += "\n" + snippet(ref, "scope_cloudfront")
    return fix


def _ip_set_scope(
    ctx: CheckContext,
    owner: _Owner,
    rule: WafRule,
    arn: object,
    via: tuple[TraceStep, ...],
    group: str,
) -> Iterator[Hit]:
    ipset = ws.ip_set_for(ctx.model, arn)
    other: str | None = None
    name = text(arn)
    if ipset is not None:
        other, name = known(ipset.scope), ipset.name
    elif isinstance(arn, str) and not has_symbol(arn):
        m = _IPSET_ARN.match(arn)
        other = _WHERE.get(m.group("where")) if m else None
    if other is None or other == owner.scope:
        return
    in_group = f" of rule group {group}, run by" if group else " of"
    msg = (
        f"rule {rule.name}{in_group} {owner.what} {owner.name} (Scope {owner.scope}) "
        f"references IP set {name} of Scope {other}: {_USES[owner.what]} only IP sets of its "
        "own scope and Region, so the deployment fails"
    )
    where = ipset.ref if ipset is not None else owner.ref
    steps = (
        TraceStep(f"{owner.what} {owner.name} Scope {owner.scope}", owner.ref),
        *via,
        TraceStep(f"rule {rule.name} references IP set {name}", rule.ref),
        TraceStep(f"IP set {name} Scope {other}", where, denies=True),
    )
    yield Hit(
        ref=where,
        resource=owner.name,
        message=msg,
        fix=_scope_fix(where, "IP set", owner.scope),
        key="|".join(filter(None, (owner.name, group, rule.name, name, "scope"))),
        trace=steps,
    )


_USES = {"web ACL": "an ACL can use", "rule group": "a rule group can use"}
_WHERE = {"global": "CLOUDFRONT", "regional": "REGIONAL"}
