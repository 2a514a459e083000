"""WAFv2 web ACLs, rule groups, IP sets and associations.

Rule statements are converted to the CloudFormation shape the model expects: block and
argument names go from snake_case to PascalCase (``ip_set_reference_statement`` ->
``IPSetReferenceStatement``, ``geo_match_statement.country_codes`` ->
``GeoMatchStatement.CountryCodes``, ``rate_based_statement.limit`` -> ``RateBasedStatement.Limit``,
``managed_rule_group_statement.{name,vendor_name}`` -> ``{Name,VendorName}``, ``arn`` -> ``Arn``;
the token ``ip`` becomes ``IP``). A nested block that occurs once becomes a dict; repeated
blocks become lists with a plural name: ``and_statement.statement`` / ``or_statement.statement``
-> ``Statements``, ``text_transformation`` -> ``TextTransformations``, ``excluded_rule`` ->
``ExcludedRules``, ``rule_action_override`` -> ``RuleActionOverrides``, ``custom_key`` ->
``CustomKeys``; ``not_statement.statement`` -> ``Statement``. Rule actions become the
upper-case name of their only block (``action { block {} }`` -> ``BLOCK``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.model import IpSet, RuleGroup, WafRule, WebAcl, WebAclAssociation
from policylint.terraform import attributes as attrs
from policylint.terraform.common import i, s_req, strs, sym_s
from policylint.terraform.instances import block, blocks, known
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

_PLURAL = {
    "text_transformation": "TextTransformations",
    "excluded_rule": "ExcludedRules",
    "rule_action_override": "RuleActionOverrides",
    "custom_key": "CustomKeys",
    "managed_rule_group_configs": "ManagedRuleGroupConfigs",
    "single_header": "SingleHeader",
}
_TOKENS = {"ip": "IP", "ipv4": "IPv4", "ipv6": "IPv6", "uri": "Uri", "ja3": "JA3", "ja4": "JA4"}


def pascal(name: str) -> str:
    return "".join(_TOKENS.get(t, t[:1].upper() + t[1:]) for t in name.split("_"))


def statement(value: Any, parent: str = "") -> Any:
    """A Terraform WAF statement (nested blocks as lists) -> the CloudFormation shape."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k == "statement" and parent in ("and_statement", "or_statement"):
                items = v if isinstance(v, list) else [v]
                out["Statements"] = [statement(x) for x in items]
            elif k in _PLURAL and k != "single_header":
                items = v if isinstance(v, list) else [v]
                out[_PLURAL[k]] = [statement(x, k) for x in items]
            else:
                out[pascal(k)] = statement(_single(v), k)
        return out
    if isinstance(value, list):
        return [statement(x, parent) for x in value]
    return value


def _single(v: Any) -> Any:
    if isinstance(v, list) and len(v) == 1 and isinstance(v[0], dict):
        return v[0]
    if isinstance(v, list) and not v:
        return {}
    return v


_ACTIONS = ("allow", "block", "count", "captcha", "challenge", "none")


def _action(v: Any) -> str | Unknown | None:
    if v is None:
        return None
    if isinstance(v, Unknown):
        return v
    if isinstance(v, list):
        if not v:
            return None  # plans write an absent block as an empty list
        v = v[0]
    if isinstance(v, dict):
        # Plans list every possible action, the absent ones as [] (or null).
        keys = [k for k in v if k in _ACTIONS and v[k] is not None and v[k] != []]
        if len(keys) == 1:
            return str(keys[0]).upper()
    return Unknown("WAF action")


def normalize_waf(ctx: Ctx) -> tuple[list[WebAcl], list[IpSet], list[WebAclAssociation]]:
    acls = [_web_acl(w) for w in ctx.of("aws_wafv2_web_acl")]
    ip_sets = [
        IpSet(
            id=p.id,
            name=p.address,
            ref=p.ref,
            scope=s_req(p.values.get("scope")),
            ip_version=s_req(p.values.get("ip_address_version")),
            addresses=strs(p.values.get("addresses")),
            arn=known(p, "arn") or attrs.waf_arn(p.id, p.values.get, "ipset"),
        )
        for p in ctx.of("aws_wafv2_ip_set")
    ]
    assocs = [
        WebAclAssociation(
            id=a.id,
            name=a.address,
            ref=a.ref,
            web_acl_arn=sym_s(a.values.get("web_acl_arn"), ""),
            resource_arn=sym_s(a.values.get("resource_arn"), ""),
        )
        for a in ctx.of("aws_wafv2_web_acl_association")
    ]
    return acls, ip_sets, assocs


def _rules(w: Instance) -> tuple[WafRule, ...] | Unknown:
    """`rule` blocks of a web ACL or a rule group (`rule_json` / `rules_json`: unknown)."""
    v = w.values
    if any(v.get(k) not in (None, "", []) for k in ("rule_json", "rules_json")):
        return Unknown("rules given as JSON")
    rules_v = blocks(v, "rule")
    if isinstance(rules_v, Unknown):
        return rules_v
    return tuple(
        WafRule(
            ref=w.at("rule", n),
            name=sym_s(r.get("name"), f"rule {n + 1}"),
            priority=i(r.get("priority")) if r.get("priority") is not None else None,
            action=_action(r.get("action")),
            override_action=_action(r.get("override_action")),
            statement=_statement_of(r),
        )
        for n, r in enumerate(rules_v)
    )


def _web_acl(w: Instance) -> WebAcl:
    v = w.values
    default = _action(v.get("default_action"))
    scope = s_req(v.get("scope"))
    region = "us-east-1" if scope == "CLOUDFRONT" else attrs.R
    return WebAcl(
        id=w.id,
        name=w.address,
        ref=w.ref,
        scope=scope,
        default_action=default if default is not None else Unknown("no default action"),
        rules=_rules(w),
        arn=known(w, "arn") or attrs.waf_arn(w.id, v.get, "webacl"),
        acl_id=known(w, "id") or resource_sym(w.id, "Id"),
        region=region,
    )


def normalize_waf_groups(ctx: Ctx) -> tuple[RuleGroup, ...]:
    """aws_wafv2_rule_group."""
    return tuple(
        RuleGroup(
            id=g.id,
            name=g.address,
            ref=g.ref,
            scope=s_req(g.values.get("scope")),
            rules=_rules(g),
            arn=known(g, "arn") or attrs.waf_arn(g.id, g.values.get, "rulegroup"),
        )
        for g in ctx.of("aws_wafv2_rule_group")
    )


def _statement_of(rule: dict[str, Any]) -> Any:
    st = block(rule, "statement")
    if st is None:
        return Unknown("rule without statement")
    return statement(st)
