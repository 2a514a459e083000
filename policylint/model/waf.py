"""WAFv2 web ACLs, rules, IP sets and associations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policylint.source import SourceRef
    from policylint.values import Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class WafRule:
    ref: SourceRef
    name: str
    priority: int | Unknown | None
    action: str | Unknown | None  # ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE; None for groups
    override_action: str | Unknown | None  # NONE or COUNT for rule-group references
    statement: Any  # the resolved statement, as plain data (dicts keyed as in CloudFormation)
    # Set on the rules of a rule group as a web ACL runs them: the ACL rule whose
    # RuleGroupReferenceStatement brought the rule in, and the group's name.
    via: WafRule | None = None
    group: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class WebAcl:
    id: str
    name: str
    ref: SourceRef
    scope: str | Unknown  # CLOUDFRONT or REGIONAL
    default_action: str | Unknown  # ALLOW or BLOCK
    rules: tuple[WafRule, ...] | Unknown
    arn: str
    acl_id: str
    region: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IpSet:
    id: str
    name: str
    ref: SourceRef
    scope: str | Unknown
    ip_version: str | Unknown
    addresses: tuple[str, ...] | Unknown
    arn: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WebAclAssociation:
    id: str
    name: str
    ref: SourceRef
    web_acl_arn: str
    resource_arn: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleGroup:
    """A rule group of the run (AWS::WAFv2::RuleGroup, aws_wafv2_rule_group); capacity not kept."""

    id: str
    name: str
    ref: SourceRef
    scope: str | Unknown
    rules: tuple[WafRule, ...] | Unknown
    arn: str
