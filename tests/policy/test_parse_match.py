"""parse_policy validation with JSON paths; three-valued matching; `policylint simulate`.

GRAMMAR = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
ELEMENTS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
RES = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from policylint.errors import PolicyError
from policylint.parse.json_doc import load_json
from policylint.policy.document import Effect
from policylint.policy.matching import equals, match_action, match_arn, match_like
from policylint.policy.parse import parse_policy
from policylint.simulate import simulate
from policylint.source import FileKind, SourceRef
from policylint.values import Tri, Unknown, resource_sym, sym

T, F, M = Tri.TRUE, Tri.FALSE, Tri.MAYBE
OK_STMT = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}

BAD: list[tuple[Any, str, str]] = [
    ({"Statement": [{**OK_STMT, "Effect": "Alow"}]}, "$.Statement[0].Effect", "Alow"),
    ({"Statement": [OK_STMT, {**OK_STMT, "Effect": 1}]}, "$.Statement[1].Effect", "Effect"),
    ({"Statement": [{**OK_STMT, "Bogus": 1}]}, "$.Statement[0].Bogus", "unknown statement element"),
    ({"Statement": [OK_STMT], "Extra": 1}, "$.Extra", "unknown policy element"),
    ({"Version": "2020-01-01", "Statement": [OK_STMT]}, "$.Version", "Version"),
    (
        {"Statement": [{**OK_STMT, "NotAction": "x"}]},
        "$.Statement[0].NotAction",
        "both Action and NotAction",
    ),
    (
        {"Statement": [{**OK_STMT, "NotResource": "x"}]},
        "$.Statement[0].NotResource",
        "both Resource",
    ),
    (
        {"Statement": [{"Effect": "Allow", "Resource": "*"}]},
        "$.Statement[0]",
        "Action or NotAction",
    ),
    ({"Statement": [{**OK_STMT, "Action": 3}]}, "$.Statement[0].Action", "string"),
    ({"Statement": [{**OK_STMT, "Action": ["a", 3]}]}, "$.Statement[0].Action[1]", "string"),
    (
        {"Statement": [{**OK_STMT, "Condition": {"StringEqualz": {"k": "v"}}}]},
        "$.Statement[0].Condition.StringEqualz",
        "unknown condition operator",
    ),
    (
        {"Statement": [{**OK_STMT, "Condition": {"StringEquals": {"aws:x": {"a": 1}}}}]},
        '$.Statement[0].Condition.StringEquals["aws:x"]',
        "condition values",
    ),
    ({"Statement": [{**OK_STMT, "Principal": "me"}]}, "$.Statement[0].Principal", "Principal"),
    (
        {"Statement": [{**OK_STMT, "Principal": {"Who": "x"}}]},
        "$.Statement[0].Principal.Who",
        "principal type",
    ),
    ({"Statement": "x"}, "$.Statement", "Statement"),
    ({"Version": "2012-10-17"}, "$", "Statement"),
    ([], "$", "object"),
    ("{not json", "$", "JSON"),
]


@pytest.mark.parametrize(("data", "path", "text"), BAD)
def test_parse_errors_carry_json_paths(data: Any, path: str, text: str) -> None:
    # GRAMMAR / ELEMENTS: what a valid policy looks like
    with pytest.raises(PolicyError) as info:
        parse_policy(data)
    assert info.value.path == path
    assert text in info.value.message


def test_parse_forms() -> None:
    doc = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": OK_STMT}))
    assert len(doc.statements) == 1 and doc.statements[0].effect is Effect.ALLOW
    p = parse_policy(
        {
            "Statement": [
                {
                    **OK_STMT,
                    "Principal": {"AWS": ["*", "111122223333"], "Service": "s3.amazonaws.com"},
                },
                {
                    **OK_STMT,
                    "Condition": {
                        "Bool": {"aws:SecureTransport": False},
                        "NumericLessThan": {"n": 5},
                    },
                },
            ]
        }
    )
    assert p.statements[0].principals is not None and p.statements[0].principals.wildcard
    assert [c.values for c in p.statements[1].conditions] == [("false",), ("5",)]


def test_parse_unknowns() -> None:
    doc = parse_policy({"Statement": [OK_STMT, Unknown("list param")]})
    assert doc.unknown == ("list param",) and len(doc.statements) == 1
    assert parse_policy({"Statement": Unknown("x")}).unknown == ("x",)
    s = parse_policy({"Statement": [{**OK_STMT, "Resource": Unknown("r")}]}).statements[0]
    assert s.resources == (sym("unknown:r"),)
    c = parse_policy({"Statement": [{**OK_STMT, "Condition": Unknown("c")}]}).statements[0]
    assert c.unknown == ("c",)


def test_parse_refs_from_document() -> None:
    text = (
        '{"P": {"Statement": [\n {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n'
        ' {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}}'
    )
    doc = load_json(text, "f.json", FileKind.CFN_JSON)
    at = doc.ref(("P",))
    policy = parse_policy(doc.data["P"], at=at, doc=doc)
    assert [s.ref.line for s in policy.statements if s.ref] == [2, 3]
    assert policy.statements[1].ref is not None and policy.statements[1].ref.path == (
        "P",
        "Statement",
        1,
    )
    only_at = parse_policy(doc.data["P"], at=SourceRef("f.json"))
    assert only_at.statements[0].ref == SourceRef("f.json")


P, A = sym("AWS::Partition"), sym("AWS::AccountId")
D, E = resource_sym("t#D", "Id"), resource_sym("t#E", "Id")

MATCH: list[tuple[str, str, Tri]] = [
    # RES: wildcards in the resource part span "/" and ":"; per-segment elsewhere
    ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", T),
    ("arn:aws:s3:::b*", "arn:aws:s3:::b/x:y", T),
    ("arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x", F),
    ("arn:aws:s3:::b?", "arn:aws:s3:::bc", T),
    ("arn:aws:s3:::b.c", "arn:aws:s3:::bxc", F),  # metacharacters are literal
    ("arn:aws:s3:::B", "arn:aws:s3:::b", F),  # case-sensitive
    ("*", sym("Param:Arn"), T),
    # symbols
    (
        "arn:aws:cloudfront::111122223333:distribution/*",
        f"arn:aws:cloudfront::{A}:distribution/x",
        M,
    ),
    (f"arn:{P}:cloudfront::{A}:distribution/{D}", f"arn:{P}:cloudfront::{A}:distribution/{D}", T),
    (f"arn:{P}:cloudfront::{A}:distribution/{D}", f"arn:{P}:cloudfront::{A}:distribution/{E}", F),
    ("arn:*:s3:::b/*", f"arn:{P}:s3:::b/k", T),
    ("arn:aws:s3:::b/*", sym("Param:Arn"), M),
    ("arn:aws:s3:::b/*", f"arn:aws:s3:::c/{sym('Param:K')}", F),
    (f"arn:aws:s3:::{sym('Param:B')}/*", "arn:aws:s3:::c/k", M),
    # the same resource symbol on both sides is the same text: only what follows decides
    (f"arn:aws:s3:::{D}", f"arn:aws:s3:::{D}x", F),
    (f"arn:aws:s3:::{D}/public/*", f"arn:aws:s3:::{D}/private/k", F),
    (f"arn:aws:s3:::{D}/public/*", f"arn:aws:s3:::{D}/{sym('Param:K')}", M),
    # a parameter symbol might itself hold a wildcard: never stripped
    (f"arn:aws:s3:::{sym('Param:B')}/a", f"arn:aws:s3:::{sym('Param:B')}x/a", M),
]


@pytest.mark.parametrize(("pattern", "value", "expected"), MATCH)
def test_match_arn(pattern: str, value: str, expected: Tri) -> None:
    assert match_arn(pattern, value) is expected


def test_other_matchers() -> None:
    assert match_action("S3:Get*", "s3:getobject") is T
    assert match_action("s3:?etObject", "s3:GetObject") is T
    assert match_action("s3:Get", "s3:GetObject") is F
    assert match_like("a*", "a:b/c") is T
    assert equals(A, "111122223333") is M
    assert equals(D, E) is F
    assert equals(f"{D}", f"{D}") is T


def _sim(requests: Any, fmt: str = "json") -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = simulate(json.dumps(requests, indent=1), "reqs.json", fmt, out, err)
    return code, out.getvalue().splitlines(), err.getvalue()


def test_simulate_end_to_end() -> None:
    good = {
        "id": "r1",
        "identity_policies": [{"Version": "2012-10-17", "Statement": [{**OK_STMT, "Sid": "S"}]}],
        "principal": "arn:aws:iam::111122223333:role/app",
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::b/k",
        "resource_account": "111122223333",
    }
    bad = {
        **good,
        "id": "r2",
        "identity_policies": [{"Statement": [{**OK_STMT, "Effect": "Alow"}]}],
    }
    anon = {
        "resource_policy": {
            "Statement": {
                **OK_STMT,
                "Principal": "*",
                "Condition": {"Bool": {"aws:SecureTransport": True}},
            }
        },
        "principal": "*",
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::b/k",
        "context": {"aws:SecureTransport": False},
        "scps": [[{"Statement": [OK_STMT]}]],
    }
    code, lines, err = _sim([good, bad, anon])
    assert code == 2
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == ["r1", "r2", 2]
    assert rows[0]["decision"] == "allow"
    assert rows[0]["explanation"]["statements"][0]["sid"] == "S"
    assert rows[0]["explanation"]["statements"][0]["line"] > 1
    assert rows[1]["error"]["path"] == "$[1].identity_policies[0].Statement[0].Effect"
    assert "'r2'" in err and "Statement[0].Effect" in err
    assert rows[2]["decision"] == "implicit_deny"
    code, lines, _ = _sim(good, "text")
    assert code == 0 and "decision: allow" in "\n".join(lines)


def test_simulate_bad_inputs() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert simulate("[{", "x.json", "json", out, err) == 2 and "invalid JSON" in err.getvalue()
    code, lines, _ = _sim({"principal": 3, "action": "a", "resource": "r"})
    assert code == 2 and json.loads(lines[0])["error"]["path"] == "$.principal"
    code, lines, _ = _sim({"action": "a", "resource": "r", "bogus": 1})
    assert code == 2 and json.loads(lines[0])["error"]["path"] == "$.bogus"
