"""Condition operators: every documented family, ...IfExists, ForAnyValue: / ForAllValues:.

Semantics follow https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
and .../reference_policies_condition-single-vs-multi-valued-context-keys.html:
several values of one key OR (NOR for negated operators); a missing key makes a plain
operator false and a negated one true; ...IfExists is true on a missing key; ForAllValues is
true and ForAnyValue false on a missing (or empty) key; Null tests presence.
"""

from __future__ import annotations

import contextlib
import ipaddress
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

from policylint.policy.matching import compile_globs, equals, match_arn, match_like, unescape
from policylint.policy.variables import has_variables, substitute
from policylint.values import SYM_OPEN, Tri

if TYPE_CHECKING:
    from policylint.policy.variables import ContextMap

# base operator -> (family, negated)
_BASES: dict[str, tuple[str, bool]] = {
    "StringEquals": ("str", False),
    "StringNotEquals": ("str", True),
    "StringEqualsIgnoreCase": ("stri", False),
    "StringNotEqualsIgnoreCase": ("stri", True),
    "StringLike": ("like", False),
    "StringNotLike": ("like", True),
    "NumericEquals": ("num_eq", False),
    "NumericNotEquals": ("num_eq", True),
    "NumericLessThan": ("num_lt", False),
    "NumericLessThanEquals": ("num_le", False),
    "NumericGreaterThan": ("num_gt", False),
    "NumericGreaterThanEquals": ("num_ge", False),
    "DateEquals": ("date_eq", False),
    "DateNotEquals": ("date_eq", True),
    "DateLessThan": ("date_lt", False),
    "DateLessThanEquals": ("date_le", False),
    "DateGreaterThan": ("date_gt", False),
    "DateGreaterThanEquals": ("date_ge", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("bin", False),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}
_BY_LOWER = {k.lower(): k for k in _BASES}
# Families whose values may hold policy variables (String, ARN and Bool operators).
_VARIABLE_FAMILIES = frozenset({"str", "stri", "like", "arn", "bool"})
_CMP: dict[str, Callable[[float, float], bool]] = {
    "eq": operator.eq,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
ALL_OPERATORS = tuple(_BASES)

Matcher = Callable[[str], Tri]


def canonical_operator(op: str) -> str | None:
    """The canonical spelling of a condition operator, or None if it is not one."""
    prefix = ""
    rest = op
    for p in ("ForAnyValue:", "ForAllValues:"):
        if rest.lower().startswith(p.lower()):
            prefix, rest = p, rest[len(p) :]
            break
    suffix = ""
    if rest.lower().endswith("ifexists"):
        suffix, rest = "IfExists", rest[: -len("IfExists")]
    base = _BY_LOWER.get(rest.lower())
    if base is None or (base == "Null" and suffix):
        return None
    return prefix + base + suffix


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    base: str
    family: str
    negated: bool
    if_exists: bool
    set_op: str | None  # "any", "all" or None


@lru_cache(maxsize=512)
def operator_info(op: str) -> OperatorInfo:
    canonical = canonical_operator(op)
    if canonical is None:
        raise ValueError(f"unknown condition operator {op!r}")
    set_op = None
    if canonical.startswith("ForAnyValue:"):
        set_op, canonical = "any", canonical[len("ForAnyValue:") :]
    elif canonical.startswith("ForAllValues:"):
        set_op, canonical = "all", canonical[len("ForAllValues:") :]
    if_exists = canonical.endswith("IfExists")
    base = canonical.removesuffix("IfExists")
    family, negated = _BASES[base]
    return OperatorInfo(base, family, negated, if_exists, set_op)


def _any(results: Iterable[Tri]) -> Tri:
    out = Tri.FALSE
    for r in results:
        if r is Tri.TRUE:
            return r
        out = out | r
    return out


def _all(results: Iterable[Tri]) -> Tri:
    out = Tri.TRUE
    for r in results:
        if r is Tri.FALSE:
            return r
        out = out & r
    return out


def parse_date(text: str) -> float | None:
    """ISO 8601 (date, or date-time with optional offset) or epoch seconds -> epoch seconds."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", text))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)  # noqa: UP017 (Python 3.10)
    return dt.timestamp()


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _ordered(values: tuple[str, ...], parse: Callable[[str], float | None], cmp: str) -> Matcher:
    # context value <op> policy value, for any of the policy values
    fn = _CMP[cmp]
    symbolic = any(SYM_OPEN in v for v in values)
    parsed = [p for p in map(parse, values) if p is not None]

    def match(cv: str) -> Tri:
        if SYM_OPEN in cv:
            return Tri.MAYBE
        c = parse(cv)
        hit = c is not None and any(fn(c, p) for p in parsed)
        return Tri.TRUE if hit else (Tri.MAYBE if symbolic else Tri.FALSE)

    return match


def _ip(values: tuple[str, ...]) -> Matcher:
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    symbolic = False
    for v in values:
        if SYM_OPEN in v:
            symbolic = True
            continue
        # A malformed CIDR (AWS rejects the policy) just matches nothing here.
        with contextlib.suppress(ValueError):
            nets.append(ipaddress.ip_network(v.strip(), strict=False))

    def match(cv: str) -> Tri:
        if SYM_OPEN in cv:
            return Tri.MAYBE
        try:
            addr = ipaddress.ip_address(cv.strip().split("/")[0])
        except ValueError:
            return Tri.FALSE
        hit = any(addr.version == n.version and addr in n for n in nets)
        return Tri.TRUE if hit else (Tri.MAYBE if symbolic else Tri.FALSE)

    return match


def _pairwise(values: tuple[str, ...], fn: Callable[[str, str], Tri]) -> Matcher:
    return lambda cv: _any(fn(pv, cv) for pv in values)


@lru_cache(maxsize=4096)
def build_matcher(family: str, values: tuple[str, ...]) -> Matcher:
    """A function: context value -> does it match any of the policy values (positively)."""
    concrete = not any(SYM_OPEN in v for v in values)
    if family in ("str", "bin"):
        if not concrete:
            return _pairwise(values, equals)
        exact = frozenset(unescape(v) for v in values)
        return lambda cv: (
            Tri.of(cv in exact) if SYM_OPEN not in cv else _any(equals(pv, cv) for pv in values)
        )
    if family in ("stri", "bool"):
        if not concrete:
            return _pairwise(values, lambda a, b: equals(a, b, ignore_case=True))
        lowered = frozenset(unescape(v).lower() for v in values)
        return lambda cv: (
            Tri.of(cv.lower() in lowered)
            if SYM_OPEN not in cv
            else _any(equals(pv, cv, ignore_case=True) for pv in values)
        )
    if family in ("like", "arn"):
        single = match_like if family == "like" else match_arn
        if not concrete or not values:
            return _pairwise(values, single)
        rx = compile_globs(values, arn=family == "arn", ignore_case=False)
        return lambda cv: (
            Tri.of(rx.fullmatch(cv) is not None)
            if SYM_OPEN not in cv
            else _any(single(pv, cv) for pv in values)
        )
    if family.startswith("num_"):
        return _ordered(values, _parse_number, family[4:])
    if family.startswith("date_"):
        return _ordered(values, parse_date, family[5:])
    if family == "ip":
        return _ip(values)
    raise ValueError(family)


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    """One clause ready to evaluate: operator info, lower-cased key, prepared matcher."""

    info: OperatorInfo
    key: str
    key_lower: str
    values: tuple[str, ...]
    matcher: Matcher | None  # None when the values hold policy variables
    null_values: tuple[bool, ...] = ()

    def evaluate(self, ctx: ContextMap, missing: set[str]) -> Tri:
        """Raises `variables.Unresolved` when a variable cannot be resolved."""
        info = self.info
        got = ctx.get(self.key_lower)
        if info.family == "null":
            absent = not got
            return _any(Tri.of(want == absent) for want in self.null_values)
        if not got:
            missing.add(self.key)
            if info.if_exists or info.set_op == "all":
                return Tri.TRUE
            if info.set_op == "any":
                return Tri.FALSE
            return Tri.TRUE if info.negated else Tri.FALSE
        matcher = self.matcher
        if matcher is None:
            resolved = tuple(substitute(v, ctx) for v in self.values)
            matcher = build_matcher(info.family, resolved)
        if info.set_op is None:
            if info.negated:
                return _all(~matcher(cv) for cv in got)
            return _any(matcher(cv) for cv in got)
        results = ((~matcher(cv) if info.negated else matcher(cv)) for cv in got)
        return _any(results) if info.set_op == "any" else _all(results)


def compile_condition(
    op: str, key: str, values: tuple[str, ...], variables: bool
) -> CompiledCondition:
    """Prepare a clause; `variables` is False for Version 2008-10-17 (text is literal)."""
    info = operator_info(op)
    null_values: tuple[bool, ...] = ()
    if info.family == "null":
        null_values = tuple(v.strip().lower() == "true" for v in values)
    dynamic = variables and info.family in _VARIABLE_FAMILIES and any(map(has_variables, values))
    matcher = None if dynamic or info.family == "null" else build_matcher(info.family, values)
    return CompiledCondition(info, key, key.lower(), values, matcher, null_values)
