"""Rule groups as a web ACL runs them.

A web ACL rule with a RuleGroupReferenceStatement runs the rules of an AWS::WAFv2::RuleGroup /
aws_wafv2_rule_group. When the reference names a group of this run, and the group's rules and the
reference's overrides are known, the checks see the group's rules with the action they take in
this ACL: RuleActionOverrides replace a rule's action, ExcludedRules set it to Count, and
OverrideAction Count turns the group's result into Count (AWS WAF API Reference: OverrideAction,
RuleGroupReferenceStatement). Anything else (an ARN from a parameter, unknown overrides) stays
unresolved, and the checks keep treating the reference as "might do anything".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks import waf_statements as ws
from policylint.findings import TraceStep
from policylint.values import Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.model import Model, RuleGroup, WafRule, WebAcl

TERMINATING = ("ALLOW", "BLOCK", "CAPTCHA", "CHALLENGE")


def group_of(model: Model, rule: WafRule) -> RuleGroup | None:
    """The rule group of the run this rule references (None: not a reference, or not found)."""
    k, body = ws.kind(rule.statement)
    if k != "rulegroupreferencestatement":
        return None
    arn = ws.get(body, "Arn")
    if not isinstance(arn, str) or not arn:
        return None
    return next((g for g in model.rule_groups if g.arn == arn), None)


def _expand(model: Model, rule: WafRule) -> tuple[WafRule, ...] | None:
    """The group's rules with their effective actions; None if anything is unknown."""
    group = group_of(model, rule)
    if group is None or isinstance(group.rules, Unknown):
        return None
    if isinstance(rule.override_action, Unknown):
        return None
    _, body = ws.kind(rule.statement)
    overrides, excluded, unknown = ws.overridden_rules(body)
    if unknown:
        return None
    if (overrides or excluded) and any(has_symbol(r.name) for r in group.rules):
        return None  # an override might name a rule whose name is not known
    if any(has_symbol(n) for n in (*overrides, *excluded)):
        return None  # an override naming a rule not known might name any of them
    group_count = ws.override(rule) == "COUNT"
    out = []
    for inner in group.rules:
        act: str | Unknown | None = inner.action
        if inner.name in excluded:
            act = "COUNT"
        act = overrides.get(inner.name, act)
        if group_count and isinstance(act, str) and act.upper() in TERMINATING:
            act = "COUNT"
        out.append(
            dataclasses.replace(
                inner,
                name=f"{inner.name} of rule group {group.name}",
                action=act,
                via=rule,
                group=group.name,
            )
        )
    return tuple(out)


def resolved(ctx: CheckContext, rule: WafRule) -> bool:
    """Is this a rule group reference whose rules the checks can see?"""
    return _expanded(ctx, rule) is not None


def _expanded(ctx: CheckContext, rule: WafRule) -> tuple[WafRule, ...] | None:
    cache: dict[int, tuple[WafRule, ...] | None] = ctx.memo("waf_groups.expanded", dict)
    key = id(rule)
    if key not in cache:
        cache[key] = _expand(ctx.model, rule)
    return cache[key]


def rules(ctx: CheckContext, acl: WebAcl) -> Iterator[WafRule]:
    """The ACL's rules in order, each resolved group reference followed by the group's rules."""
    for rule in ws.rules_of(acl):
        yield rule
        yield from _expanded(ctx, rule) or ()


def via_steps(acl: WebAcl, rule: WafRule) -> list[TraceStep]:
    """The hop from the web ACL's referencing rule into the rule group (none for own rules)."""
    if rule.via is None:
        return []
    return [
        TraceStep(
            f"web ACL {acl.name}: rule {rule.via.name} runs rule group {rule.group}",
            rule.via.ref,
        )
    ]
