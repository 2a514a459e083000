"""WAFv2 web ACLs, rules, IP sets and associations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
