"""The parser-free template path gives the parser's own tree, and declines what it cannot do."""

from __future__ import annotations

import pytest

from policylint.terraform import ast as A
from policylint.terraform import hcl
from policylint.terraform.hcl_fast import simple_template

SIMPLE = [
    "${aws_s3_bucket.b.arn}",
    "${aws_s3_bucket.b.arn}/*",
    "arn:${data.aws_partition.current.partition}:iam::${data.x.account_id}:root",
    '{"Resource": "${aws_s3_bucket.b.arn}/*", "Action": "s3:GetObject"}',
    "${a.b-c}${d.e}",
    "${True}",
    "é${x.y}",
]
DECLINED = ["${true}", "${a.b} $${c}", "%{if x}y%{endif}", "${f(x)}", "a\\b${x.y}", "x\n${a.b}"]


@pytest.mark.parametrize("text", SIMPLE)
def test_simple_template_equals_the_parser(text: str) -> None:
    fast = simple_template(text, 7)
    assert fast is not None
    assert fast == hcl._parse_template(text, 7, "f.tf.json")


@pytest.mark.parametrize("text", DECLINED)
def test_other_templates_go_to_the_parser(text: str) -> None:
    assert simple_template(text, 7) is None


def test_memo_keeps_lines() -> None:
    memo: dict[str, A.Expr] = {}
    text = "${jsonencode({a = 1})}"
    first = hcl.parse_template(text, 3, "f", memo)
    second = hcl.parse_template(text, 9, "f", memo)
    assert first == hcl._parse_template(text, 3, "f")
    assert second == hcl._parse_template(text, 9, "f")
