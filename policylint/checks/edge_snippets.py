"""Paste-able property snippets for the WAF and edge rules, in the file's own format."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from policylint.checks.fixes import Fmt, fmt_of

if TYPE_CHECKING:
    from policylint.source import SourceRef

ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"

Triple = tuple[str, str, str]  # (YAML, JSON, HCL)


def _q(value: str) -> str:
    return json.dumps(value)


def _override(names: list[str] | None = None, **_: object) -> Triple:
    names = names or ["RuleName"]
    yaml = "RuleActionOverrides:\n" + "\n".join(
        f"  - Name: {n}\n    ActionToUse:\n      Count: {{}}" for n in names
    )
    js = (
        _q("RuleActionOverrides")
        + ": "
        + json.dumps([{"Name": n, "ActionToUse": {"Count": {}}} for n in names], indent=2)
    )
    hcl = "\n".join(
        f"rule_action_override {{\n  name = {_q(n)}\n  action_to_use {{\n    count {{}}\n  }}\n}}"
        for n in names
    )
    return yaml, js, hcl


def _oversize(**_: object) -> Triple:
    return (
        "OversizeHandling: CONTINUE",
        '"OversizeHandling": "CONTINUE"',
        'oversize_handling = "CONTINUE"',
    )


def _default_allow(**_: object) -> Triple:
    return (
        "DefaultAction:\n  Allow: {}",
        '"DefaultAction": {"Allow": {}}',
        "default_action {\n  allow {}\n}",
    )


def _action_count(field: str = "Action", **_: object) -> Triple:
    tf = "override_action" if field == "OverrideAction" else "action"
    return (
        f"{field}:\n  Count: {{}}",
        f'"{field}": {{"Count": {{}}}}',
        f"{tf} {{\n  count {{}}\n}}",
    )


def _ip_addresses(**_: object) -> Triple:
    return (
        "Addresses:\n  - 203.0.113.0/24",
        '"Addresses": ["203.0.113.0/24"]',
        'addresses = ["203.0.113.0/24"]',
    )


def _forwarded_ip(kind: str = "ipset", **_: object) -> Triple:
    if kind == "ipset":
        return (
            "IPSetForwardedIPConfig:\n  HeaderName: X-Forwarded-For\n  FallbackBehavior: "
            "NO_MATCH\n  Position: FIRST",
            '"IPSetForwardedIPConfig": {"HeaderName": "X-Forwarded-For", '
            '"FallbackBehavior": "NO_MATCH", "Position": "FIRST"}',
            'ip_set_forwarded_ip_config {\n  header_name       = "X-Forwarded-For"\n'
            '  fallback_behavior = "NO_MATCH"\n  position          = "FIRST"\n}',
        )
    extra = (
        (
            "AggregateKeyType: FORWARDED_IP\n",
            '"AggregateKeyType": "FORWARDED_IP", ',
            'aggregate_key_type = "FORWARDED_IP"\n',
        )
        if kind == "rate"
        else ("", "", "")
    )
    return (
        f"{extra[0]}ForwardedIPConfig:\n  HeaderName: X-Forwarded-For\n"
        "  FallbackBehavior: NO_MATCH",
        f'{extra[1]}"ForwardedIPConfig": {{"HeaderName": "X-Forwarded-For", '
        '"FallbackBehavior": "NO_MATCH"}',
        f'{extra[2]}forwarded_ip_config {{\n  header_name       = "X-Forwarded-For"\n'
        '  fallback_behavior = "NO_MATCH"\n}',
    )


def _scope_cloudfront(**_: object) -> Triple:
    return (
        "Scope: CLOUDFRONT   # and deploy this stack in us-east-1",
        '"Scope": "CLOUDFRONT"',
        'provider = aws.us_east_1   # a provider alias with region = "us-east-1"\n'
        'scope    = "CLOUDFRONT"',
    )


def _web_acl_arn(acl: str = "WebACL", **_: object) -> Triple:
    return (
        f"WebACLId: !GetAtt {acl}.Arn",
        f'"WebACLId": {{"Fn::GetAtt": [{_q(acl)}, "Arn"]}}',
        f"web_acl_id = {acl}.arn",
    )


def _aliases(names: list[str] | None = None, **_: object) -> Triple:
    names = names or ["www.example.com"]
    return (
        "Aliases:\n" + "\n".join(f"  - {n}" for n in names),
        '"Aliases": ' + json.dumps(names),
        "aliases = " + json.dumps(names),
    )


def _orp(**_: object) -> Triple:
    return (
        f"OriginRequestPolicyId: {ALL_VIEWER_EXCEPT_HOST}   # AllViewerExceptHostHeader",
        f'"OriginRequestPolicyId": "{ALL_VIEWER_EXCEPT_HOST}"',
        f'origin_request_policy_id = "{ALL_VIEWER_EXCEPT_HOST}" # AllViewerExceptHostHeader',
    )


def _geo(codes: list[str] | None = None, kind: str = "whitelist", **_: object) -> Triple:
    codes = codes or ["US"]
    return (
        "GeoRestriction:\n  RestrictionType: "
        + kind
        + "\n  Locations:\n"
        + "\n".join(f"    - {c}" for c in codes),
        '"GeoRestriction": ' + json.dumps({"RestrictionType": kind, "Locations": codes}),
        f"geo_restriction {{\n  restriction_type = {_q(kind)}\n  locations        = "
        + json.dumps(codes)
        + "\n}",
    )


def _signing(**_: object) -> Triple:
    return ("SigningBehavior: always", '"SigningBehavior": "always"', 'signing_behavior = "always"')


def _public_behavior(path: str = "/errors/*", origin: str = "origin", **_: object) -> Triple:
    return (
        f"CacheBehaviors:\n  - PathPattern: {_q(path)}\n    TargetOriginId: {origin}\n"
        f"    ViewerProtocolPolicy: redirect-to-https\n    CachePolicyId: {CACHING_OPTIMIZED}",
        '"CacheBehaviors": '
        + json.dumps(
            [
                {
                    "PathPattern": path,
                    "TargetOriginId": origin,
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "CachePolicyId": CACHING_OPTIMIZED,
                }
            ],
            indent=2,
        ),
        f"ordered_cache_behavior {{\n  path_pattern           = {_q(path)}\n"
        f'  target_origin_id       = {_q(origin)}\n  viewer_protocol_policy = "redirect-to-https"\n'
        f'  allowed_methods        = ["GET", "HEAD"]\n  cached_methods         = ["GET", "HEAD"]\n'
        f'  cache_policy_id        = "{CACHING_OPTIMIZED}"\n}}',
    )


def _header_condition(
    name: str = "X-Origin-Verify", value: str = "<secret>", **_: object
) -> Triple:
    return (
        "Conditions:\n  - Field: http-header\n    HttpHeaderConfig:\n"
        f"      HttpHeaderName: {name}\n      Values:\n        - {_q(value)}",
        '"Conditions": '
        + json.dumps(
            [
                {
                    "Field": "http-header",
                    "HttpHeaderConfig": {"HttpHeaderName": name, "Values": [value]},
                }
            ]
        ),
        f"condition {{\n  http_header {{\n    http_header_name = {_q(name)}\n"
        f"    values           = [{_q(value)}]\n  }}\n}}",
    )


def _key_items(**_: object) -> Triple:
    return (
        "KeyGroupConfig:\n  Items:\n    - !Ref PublicKey",
        '"KeyGroupConfig": {"Items": [{"Ref": "PublicKey"}]}',
        "items = [aws_cloudfront_public_key.key.id]",
    )


_SNIPPETS: dict[str, Callable[..., Triple]] = {
    "rule_action_override": _override,
    "oversize": _oversize,
    "default_allow": _default_allow,
    "ip_addresses": _ip_addresses,
    "action_count": _action_count,
    "forwarded_ip": _forwarded_ip,
    "scope_cloudfront": _scope_cloudfront,
    "web_acl_arn": _web_acl_arn,
    "aliases": _aliases,
    "orp_except_host": _orp,
    "geo": _geo,
    "signing_always": _signing,
    "public_behavior": _public_behavior,
    "header_condition": _header_condition,
    "key_items": _key_items,
}


def snippet(ref: SourceRef, which: str, /, **kw: object) -> str:
    """The snippet `which` for the format of the file `ref` points into."""
    yaml, js, hcl = _SNIPPETS[which](**kw)
    return {Fmt.YAML: yaml, Fmt.JSON: js, Fmt.HCL: hcl}[fmt_of(ref)]
