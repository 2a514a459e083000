"""Condition operators, one row per documented behaviour.

OPS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
MULTI = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
"""

from __future__ import annotations

import pytest

from policylint.policy.conditions import ALL_OPERATORS, canonical_operator, compile_condition
from policylint.values import Tri, sym

T, F, M = Tri.TRUE, Tri.FALSE, Tri.MAYBE
MISSING = None

# (operator, policy values, context value (None = key absent), expected)
ROWS: list[tuple[str, tuple[str, ...], str | tuple[str, ...] | None, Tri]] = [
    # OPS, String: exact, case-sensitive; several values OR
    ("StringEquals", ("a", "b"), "b", T),
    ("StringEquals", ("abc",), "ABC", F),
    ("StringEquals", ("a*",), "abc", F),  # no wildcards in StringEquals
    ("StringNotEquals", ("a", "b"), "c", T),
    ("StringNotEquals", ("a", "b"), "a", F),  # MULTI: negated values NOR
    ("StringEqualsIgnoreCase", ("abc",), "ABC", T),
    ("StringNotEqualsIgnoreCase", ("abc",), "ABC", F),
    ("StringLike", ("a*c",), "abbbc", T),
    ("StringLike", ("a?c",), "abc", T),
    ("StringLike", ("a?c",), "abbc", F),
    ("StringLike", ("a.c",), "abc", F),  # regex metacharacters are literal
    ("StringLike", ("home/${*}",), "home/*", T),
    ("StringNotLike", ("a*",), "abc", F),
    ("StringNotLike", ("a*",), "xbc", T),
    # OPS, Numeric
    ("NumericEquals", ("10",), "10", T),
    ("NumericEquals", ("10",), "10.0", T),
    ("NumericNotEquals", ("10",), "11", T),
    ("NumericLessThan", ("10",), "9", T),
    ("NumericLessThan", ("10",), "10", F),
    ("NumericLessThanEquals", ("10",), "10", T),
    ("NumericGreaterThan", ("10",), "11", T),
    ("NumericGreaterThanEquals", ("10",), "9", F),
    ("NumericEquals", ("10",), "ten", F),
    # OPS, Date (ISO 8601 or epoch)
    ("DateEquals", ("2020-01-01T00:00:00Z",), "1577836800", T),
    ("DateNotEquals", ("2020-01-01T00:00:00Z",), "2020-01-02T00:00:00Z", T),
    ("DateLessThan", ("2020-01-01T00:00:00Z",), "2019-12-31T23:59:59Z", T),
    ("DateLessThanEquals", ("2020-01-01",), "2020-01-01T00:00:00Z", T),
    ("DateGreaterThan", ("2020-01-01T00:00:00Z",), "2020-01-01T00:00:01+00:00", T),
    ("DateGreaterThanEquals", ("2020-01-01T00:00:00Z",), "2019-01-01T00:00:00Z", F),
    # OPS, Bool
    ("Bool", ("true",), "true", T),
    ("Bool", ("true",), "false", F),
    ("Bool", ("false",), "False", T),
    # OPS, BinaryEquals: base-64 compared as is
    ("BinaryEquals", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==",), "QmluYXJ5VmFsdWVJbkJhc2U2NA==", T),
    ("BinaryEquals", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==",), "AAAA", F),
    # OPS, IP address: IPv4 and IPv6 CIDR
    ("IpAddress", ("203.0.113.0/24",), "203.0.113.7", T),
    ("IpAddress", ("203.0.113.0/24",), "203.0.114.7", F),
    ("IpAddress", ("2001:DB8:1234:5678::/64",), "2001:db8:1234:5678::1", T),
    ("IpAddress", ("203.0.113.0/24",), "2001:db8::1", F),
    ("IpAddress", ("203.0.113.7",), "203.0.113.7", T),
    ("NotIpAddress", ("203.0.113.0/24",), "198.51.100.1", T),
    ("NotIpAddress", ("203.0.113.0/24",), "203.0.113.1", F),
    # OPS, ARN: per segment, case-sensitive, wildcards
    (
        "ArnEquals",
        ("arn:aws:sns:us-east-1:111122223333:t",),
        "arn:aws:sns:us-east-1:111122223333:t",
        T,
    ),
    (
        "ArnLike",
        ("arn:aws:cloudfront::111122223333:distribution/*",),
        "arn:aws:cloudfront::111122223333:distribution/E1",
        T,
    ),
    ("ArnLike", ("arn:aws:iam::*:role/x",), "arn:aws:iam::1:2:role/x", F),
    ("ArnLike", ("arn:aws:s3:::B",), "arn:aws:s3:::b", F),
    ("ArnNotEquals", ("arn:aws:s3:::b",), "arn:aws:s3:::c", T),
    ("ArnNotLike", ("arn:aws:s3:::b*",), "arn:aws:s3:::bucket", F),
    # OPS, Null: "true" = key absent
    ("Null", ("true",), MISSING, T),
    ("Null", ("true",), "x", F),
    ("Null", ("false",), "x", T),
    ("Null", ("false",), MISSING, F),
    # MULTI: multivalued keys with set operators
    ("ForAnyValue:StringEquals", ("a", "b"), ("x", "b"), T),
    ("ForAnyValue:StringEquals", ("a", "b"), ("x", "y"), F),
    ("ForAllValues:StringEquals", ("a", "b"), ("a", "b"), T),
    ("ForAllValues:StringEquals", ("a", "b"), ("a", "z"), F),
    ("ForAllValues:StringLike", ("team-*",), ("team-a", "team-b"), T),
    ("ForAnyValue:StringNotEquals", ("a",), ("a", "z"), T),
    ("ForAllValues:StringNotEquals", ("a",), ("a", "z"), F),
    ("ForAnyValue:NumericLessThan", ("5",), ("7", "3"), T),
    ("ForAllValues:NumericLessThan", ("5",), ("7", "3"), F),
    ("ForAnyValue:DateLessThan", ("2020-01-01",), ("2019-01-01",), T),
    ("ForAllValues:Bool", ("true",), ("true",), T),
    ("ForAnyValue:BinaryEquals", ("AAAA",), ("BBBB", "AAAA"), T),
    ("ForAnyValue:IpAddress", ("10.0.0.0/8",), ("192.168.0.1", "10.1.1.1"), T),
    ("ForAllValues:NotIpAddress", ("10.0.0.0/8",), ("192.168.0.1", "10.1.1.1"), F),
    ("ForAnyValue:ArnLike", ("arn:aws:s3:::b*",), ("arn:aws:s3:::c", "arn:aws:s3:::bx"), T),
    ("ForAllValues:ArnNotLike", ("arn:aws:s3:::b*",), ("arn:aws:s3:::c",), T),
    # OPS: missing key -> plain false, negated true; IfExists true
    ("StringEquals", ("a",), MISSING, F),
    ("StringNotEquals", ("a",), MISSING, T),
    ("StringNotLike", ("a*",), MISSING, T),
    ("NumericNotEquals", ("1",), MISSING, T),
    ("DateNotEquals", ("2020-01-01",), MISSING, T),
    ("NotIpAddress", ("10.0.0.0/8",), MISSING, T),
    ("ArnNotLike", ("arn:*",), MISSING, T),
    ("IpAddress", ("10.0.0.0/8",), MISSING, F),
    ("Bool", ("true",), MISSING, F),
    ("StringEqualsIfExists", ("a",), MISSING, T),
    ("StringEqualsIfExists", ("a",), "b", F),
    ("StringEqualsIfExists", ("a",), "a", T),
    ("StringNotEqualsIfExists", ("a",), "a", F),
    # MULTI: ForAllValues true, ForAnyValue false on a missing key (also for negated operators)
    ("ForAllValues:StringEquals", ("a",), MISSING, T),
    ("ForAnyValue:StringEquals", ("a",), MISSING, F),
    ("ForAnyValue:StringNotEquals", ("a",), MISSING, F),
    ("ForAllValues:StringNotLike", ("a*",), MISSING, T),
    ("ForAllValues:StringEquals", ("a",), (), T),  # an empty set is a missing key
    ("ForAnyValue:StringEqualsIfExists", ("a",), MISSING, T),
    # symbols: a symbolic context value may or may not match
    ("StringEquals", ("111122223333",), sym("AWS::AccountId"), M),
    ("StringEquals", (sym("AWS::AccountId"),), sym("AWS::AccountId"), T),
    ("StringNotEquals", ("111122223333",), sym("AWS::AccountId"), M),
    (
        "ArnLike",
        ("arn:aws:cloudfront::*:distribution/*",),
        f"arn:aws:cloudfront::{sym('AWS::AccountId')}:distribution/x",
        T,
    ),
    ("NumericLessThan", ("5",), sym("Param:N"), M),
    ("IpAddress", ("10.0.0.0/8",), sym("Param:Ip"), M),
]


@pytest.mark.parametrize(("op", "values", "ctx", "expected"), ROWS)
def test_operator(
    op: str, values: tuple[str, ...], ctx: str | tuple[str, ...] | None, expected: Tri
) -> None:
    cond = compile_condition(op, "k:Key", values, variables=True)
    context: dict[str, tuple[str, ...]] = {}
    if ctx is not None:
        context["k:key"] = (ctx,) if isinstance(ctx, str) else ctx
    assert cond.evaluate(context, set()) is expected


def _variants() -> list[str]:
    out = []
    for base in ALL_OPERATORS:
        for prefix in ("", "ForAnyValue:", "ForAllValues:"):
            out.append(prefix + base)
            if base != "Null":
                out.append(prefix + base + "IfExists")
    return out


@pytest.mark.parametrize("op", _variants())
def test_every_operator_form_parses_and_handles_missing_keys(op: str) -> None:
    # OPS: every operator has an ...IfExists form (except Null) and works with the set prefixes
    assert canonical_operator(op) == op
    cond = compile_condition(op, "k", ("1",), variables=True)
    info = cond.info
    got = cond.evaluate({}, set())
    if info.family == "null":
        assert got is F  # Null "1" is not "true": wants the key present
    elif info.if_exists or info.set_op == "all":
        assert got is T
    elif info.set_op == "any":
        assert got is F
    else:
        assert got is (T if info.negated else F)


def test_unknown_operators_rejected() -> None:
    assert canonical_operator("StringEqualz") is None
    assert canonical_operator("NullIfExists") is None  # OPS: Null has no IfExists form
    assert canonical_operator("stringequals") == "StringEquals"


def test_missing_keys_are_reported() -> None:
    missing: set[str] = set()
    compile_condition("StringEquals", "aws:SourceArn", ("x",), True).evaluate({}, missing)
    assert missing == {"aws:SourceArn"}
