"""load_yaml: CloudFormation short forms, positions, safety limits."""

from __future__ import annotations

import time

import pytest

from policylint.errors import InputError
from policylint.parse.yaml_doc import load_yaml
from policylint.source import Span

SHORT = """\
A: !Ref X
B: !GetAtt R.Arn
C: !GetAtt [R, Arn]
D: !Sub "x${Y}"
E: !Sub
  - "a${b}"
  - b: !Ref Z
F: !If [Cond, !Ref A, !Ref "AWS::NoValue"]
G: !Join ["", [a, !Ref B]]
H: !GetAZs ''
I: !Equals [!Ref P, prod]
J: !Condition C1
K: !Select [0, !Split [",", !ImportValue Shared]]
L: !FindInMap [M, !Ref "AWS::Region", k]
M: !Base64 {"Fn::Sub": "x"}
N: !And [!Not [!Condition C1], !Or [!Condition C2, !Equals [a, b]]]
O: !Cidr [10.0.0.0/16, 2, 8]
P: !GetAtt R.Outputs.Value
"""

LONG = {
    "A": {"Ref": "X"},
    "B": {"Fn::GetAtt": ["R", "Arn"]},
    "C": {"Fn::GetAtt": ["R", "Arn"]},
    "D": {"Fn::Sub": "x${Y}"},
    "E": {"Fn::Sub": ["a${b}", {"b": {"Ref": "Z"}}]},
    "F": {"Fn::If": ["Cond", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
    "G": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
    "H": {"Fn::GetAZs": ""},
    "I": {"Fn::Equals": [{"Ref": "P"}, "prod"]},
    "J": {"Condition": "C1"},
    "K": {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::ImportValue": "Shared"}]}]},
    "L": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "k"]},
    "M": {"Fn::Base64": {"Fn::Sub": "x"}},
    "N": {
        "Fn::And": [
            {"Fn::Not": [{"Condition": "C1"}]},
            {"Fn::Or": [{"Condition": "C2"}, {"Fn::Equals": ["a", "b"]}]},
        ]
    },
    "O": {"Fn::Cidr": ["10.0.0.0/16", 2, 8]},
    "P": {"Fn::GetAtt": ["R", "Outputs.Value"]},
}


def test_short_forms_become_long_forms() -> None:
    assert load_yaml(SHORT, "t.yaml").data == LONG


def test_spans_for_every_value() -> None:
    doc = load_yaml(SHORT, "t.yaml")

    def walk(value: object, path: tuple[str | int, ...]) -> None:
        assert path in doc.spans, path
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(doc.data, ())
    assert doc.spans[("C", "Fn::GetAtt", 1)] == Span(3, 16, 3, 19)
    assert doc.spans[("E", "Fn::Sub", 1, "b")].line == 7
    assert doc.spans[("F",)].line == 8


def test_implicit_types_follow_cloudformation() -> None:
    text = "a: 2012-10-17\nb: 012345678901\nc: 123\nd: true\ne: 1.5\nf: 0x10\ng: ~\nh: '7'\n"
    data = load_yaml(text, "t.yaml").data
    assert data == {
        "a": "2012-10-17",
        "b": "012345678901",
        "c": 123,
        "d": True,
        "e": 1.5,
        "f": "0x10",
        "g": None,
        "h": "7",
    }


def test_aliases_and_merge_keys() -> None:
    data = load_yaml("a: &x {k: 1, j: 2}\nb: *x\nc:\n  <<: *x\n  j: 3\n", "t.yaml").data
    assert data == {"a": {"k": 1, "j": 2}, "b": {"k": 1, "j": 2}, "c": {"k": 1, "j": 3}}


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb:\n  c: 1\n  c: 2\n", 4, "duplicate key 'c'"),
        ("a: !Foo x\n", 1, "unknown tag !Foo"),
        ("a: !!python/object/apply:os.system [ls]\n", 1, "tag"),
        ("a: [1, 2\nb: c\n", 2, "invalid YAML"),
        ("a: 1\n\x00\x01\x02", 2, "unacceptable character"),
        ("", 1, "empty"),
        ("a: 1\n---\nb: 2\n", 2, "more than one"),
        ("a: *nope\n", 1, "undefined alias"),
        ("a: " + "[" * 50_000 + "]" * 50_000, 1, "nesting deeper"),
        ("".join("  " * i + "k:\n" for i in range(2000)), 201, "nesting deeper"),
        (BOMB, 6, "alias bomb"),
    ],
)
def test_errors_have_positions(text: str, line: int, words: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_yaml(text, "t.yaml")
    assert time.perf_counter() - started < 2
    ref = info.value.ref
    assert ref is not None
    assert ref.file == "t.yaml"
    assert ref.line == line
    assert words in info.value.message
