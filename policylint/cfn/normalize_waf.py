"""WAFv2 web ACLs, rule groups, IP sets and web ACL associations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.cfn import returns
from policylint.model.waf import IpSet, RuleGroup, WafRule, WebAcl, WebAclAssociation
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]


def _action(value: Any) -> str | Unknown | None:
    """{"Allow": {}} -> "ALLOW"."""
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, dict) and len(value) == 1:
        return str(next(iter(value))).upper()
    return Unknown("an action that is not one of Allow, Block, Count, Captcha, Challenge")


def _rules(res: Res) -> tuple[WafRule, ...] | Unknown:
    """`Rules` of a web ACL or a rule group."""
    rules = res.items("Rules")
    if isinstance(rules, Unknown):
        return rules
    return tuple(
        WafRule(
            ref=res.at("Rules", i),
            name=res.text("Rules", i, "Name") or str(i),
            priority=res.integer("Rules", i, "Priority"),
            action=_action(res.get("Rules", i, "Action")),
            override_action=_action(res.get("Rules", i, "OverrideAction")),
            statement=res.get("Rules", i, "Statement"),
        )
        for i in range(len(rules))
    )


def web_acl(res: Res) -> Iterator[Element]:
    env = res.env
    scope = res.string("Scope") or "REGIONAL"
    default = _action(res.get("DefaultAction"))
    yield (
        "web_acls",
        WebAcl(
            id=res.id,
            name=res.name,
            ref=res.ref,
            scope=scope,
            default_action=default if default is not None else Unknown("no DefaultAction"),
            rules=_rules(res),
            arn=returns.waf_arn(env, res.logical, res.id, "webacl"),
            acl_id=resource_sym(res.id, "Id"),
            region="us-east-1" if scope == "CLOUDFRONT" else env.region,
        ),
    )


def rule_group(res: Res) -> Iterator[Element]:
    yield (
        "rule_groups",
        RuleGroup(
            id=res.id,
            name=res.name,
            ref=res.ref,
            scope=res.string("Scope") or "REGIONAL",
            rules=_rules(res),
            arn=returns.waf_arn(res.env, res.logical, res.id, "rulegroup"),
        ),
    )


def ip_set(res: Res) -> Iterator[Element]:
    yield (
        "ip_sets",
        IpSet(
            id=res.id,
            name=res.name,
            ref=res.ref,
            scope=res.string("Scope") or "REGIONAL",
            ip_version=res.string("IPAddressVersion") or "IPV4",
            addresses=res.strings("Addresses"),
            arn=returns.waf_arn(res.env, res.logical, res.id, "ipset"),
        ),
    )


def association(res: Res) -> Iterator[Element]:
    yield (
        "web_acl_associations",
        WebAclAssociation(
            id=res.id,
            name=res.name,
            ref=res.ref,
            web_acl_arn=res.text("WebACLArn") or "",
            resource_arn=res.text("ResourceArn") or "",
        ),
    )


HANDLERS = {
    "AWS::WAFv2::WebACL": web_acl,
    "AWS::WAFv2::IPSet": ip_set,
    "AWS::WAFv2::RuleGroup": rule_group,
    "AWS::WAFv2::WebACLAssociation": association,
}
