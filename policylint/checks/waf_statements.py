"""Reading WAFv2 rule statements as plain data, whichever spelling the loader kept.

CloudFormation writes ``IPSetReferenceStatement: {Arn: ...}``; Terraform writes
``ip_set_reference_statement { arn = ... }`` (blocks may arrive as one-element lists). Keys are
compared normalized (lower case, no underscores) so both read the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.model import IpSet, Model, WafRule, WebAcl

COUNT_LIKE = ("count", "monitor")


def norm(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def one(value: Any) -> Any:
    """A block as a dict: Terraform blocks come as one-element lists."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def get(data: Any, *keys: str) -> Any:
    """The first of `keys` (normalized) present in the dict; None if absent or not a dict."""
    data = one(data)
    if not isinstance(data, dict):
        return None
    wanted = [norm(k) for k in keys]
    for k, v in data.items():
        if isinstance(k, str) and norm(k) in wanted:
            return v
    return None


def present(value: Any) -> bool:
    """Is a block set? (plans write absent blocks as empty lists or objects)"""
    value = one(value)
    return value is not None and value != {} and value != []


def kind(stmt: Any) -> tuple[str, Any]:
    """(normalized statement kind, its body), e.g. ("ipsetreferencestatement", {...})."""
    stmt = one(stmt)
    if isinstance(stmt, dict):
        for k, v in stmt.items():
            if isinstance(k, str) and norm(k).endswith("statement") and present(v):
                return norm(k), one(v)
    return "", None


def children(stmt: Any) -> list[Any]:
    """The nested statements of an And/Or/Not statement (and a scope-down)."""
    k, body = kind(stmt)
    if k in ("andstatement", "orstatement"):
        inner = get(body, "Statements", "statement")
        return list(inner) if isinstance(inner, list) else ([inner] if inner else [])
    if k == "notstatement":
        inner = get(body, "Statement")
        return [one(inner)] if inner is not None else []
    return []


def leaves(stmt: Any, *, through_not: bool = False) -> Iterator[tuple[str, Any]]:
    """Leaf statements reachable through And/Or (and Not, if asked)."""
    k, body = kind(stmt)
    if k in ("andstatement", "orstatement") or (through_not and k == "notstatement"):
        for child in children(stmt):
            yield from leaves(child, through_not=through_not)
    elif k:
        yield k, body


def or_leaves(stmt: Any) -> list[tuple[str, Any]] | None:
    """The leaves if the statement is a leaf or an Or of leaves (a union); else None."""
    k, body = kind(stmt)
    if k == "orstatement":
        out = [kind(c) for c in children(stmt)]
        return (
            out
            if all(
                x and not x.endswith(("andstatement", "notstatement", "orstatement"))
                for x, _ in out
            )
            else None
        )
    if k in ("andstatement", "notstatement") or not k:
        return None
    return [(k, body)]


def has_key_value(data: Any, key: str, value: str) -> bool:
    """Does any nested dict have `key` (normalized) equal to `value` (case-insensitive)?"""
    if isinstance(data, list):
        return any(has_key_value(x, key, value) for x in data)
    if not isinstance(data, dict):
        return False
    for k, v in data.items():
        named = isinstance(k, str) and norm(k) == norm(key)
        if named and isinstance(v, str) and v.upper() == value.upper():
            return True
        if has_key_value(v, key, value):
            return True
    return False


def rules_of(acl: WebAcl) -> tuple[WafRule, ...]:
    return () if isinstance(acl.rules, Unknown) else acl.rules


def action(rule: WafRule) -> str | None:
    """The rule's action upper-cased; None if absent or unknown."""
    return rule.action.upper() if isinstance(rule.action, str) else None


def override(rule: WafRule) -> str | None:
    return rule.override_action.upper() if isinstance(rule.override_action, str) else None


def ip_set_for(model: Model, arn: Any) -> IpSet | None:
    if not isinstance(arn, str):
        return None
    return next((s for s in model.ip_sets if arn in (s.arn,)), None)


def country_codes(body: Any) -> tuple[str, ...] | None:
    """A GeoMatchStatement's country codes; None if unknown."""
    codes = get(body, "CountryCodes")
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return None
    return tuple(c.upper() for c in codes)


def forwarded_ip(k: str, body: Any) -> bool:
    """Does an IP / geo / rate statement evaluate a forwarded-IP header?"""
    if k == "ipsetreferencestatement":
        return present(get(body, "IPSetForwardedIPConfig"))
    if k == "ratebasedstatement":
        agg = get(body, "AggregateKeyType")
        return (isinstance(agg, str) and agg.upper() == "FORWARDED_IP") or present(
            get(body, "ForwardedIPConfig")
        )
    return present(get(body, "ForwardedIPConfig"))


def name_says_count(name: str) -> bool:
    low = name.lower()
    return any(w in low for w in COUNT_LIKE)


def managed_group(rule: WafRule) -> tuple[str, str, Any] | None:
    """(vendor, name, body) if the rule references a managed rule group."""
    k, body = kind(rule.statement)
    if k != "managedrulegroupstatement":
        return None
    vendor, name = get(body, "VendorName"), get(body, "Name")
    if not isinstance(vendor, str) or not isinstance(name, str):
        return None
    return vendor, name, body


def overridden_rules(body: Any) -> tuple[dict[str, str], set[str], bool]:
    """(rule name -> overriding action, excluded rule names, unknown) of a managed group."""
    overrides: dict[str, str] = {}
    excluded: set[str] = set()
    unknown = False
    raw_over = get(body, "RuleActionOverrides", "rule_action_override")
    for item in raw_over if isinstance(raw_over, list) else ([raw_over] if raw_over else []):
        name, use = get(item, "Name"), one(get(item, "ActionToUse"))
        chosen = (
            [k for k, v in use.items() if v != [] and v is not None]
            if isinstance(use, dict)
            else []
        )
        act = norm(chosen[0]) if len(chosen) == 1 and isinstance(chosen[0], str) else ""
        if not isinstance(name, str) or not act:
            unknown = True
            continue
        overrides[name] = act.upper()
    raw_ex = get(body, "ExcludedRules", "excluded_rule")
    for item in raw_ex if isinstance(raw_ex, list) else ([raw_ex] if raw_ex else []):
        name = get(item, "Name")
        if isinstance(name, str):
            excluded.add(name)
        else:
            unknown = True
    if isinstance(raw_over, Unknown) or isinstance(raw_ex, Unknown):
        unknown = True
    return overrides, excluded, unknown
