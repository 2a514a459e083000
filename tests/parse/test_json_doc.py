"""load_json: values, positions for every value, errors with positions."""

from __future__ import annotations

import json

import pytest

from policylint.errors import InputError
from policylint.parse.json_doc import load_json
from policylint.source import FileKind, Span

TEXT = """{
  "Resources": {
    "B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [1, 2.5, true, null]}}
  }
}
"""


def _load(text: str) -> object:
    return load_json(text, "t.json", FileKind.CFN_JSON)


def test_values_equal_stdlib() -> None:
    doc = load_json(TEXT, "t.json", FileKind.CFN_JSON)
    assert doc.data == json.loads(TEXT)
    assert doc.file == "t.json"
    assert doc.kind is FileKind.CFN_JSON


def test_every_value_has_a_span() -> None:
    doc = load_json(TEXT, "t.json", FileKind.CFN_JSON)

    def walk(value: object, path: tuple[str | int, ...]) -> None:
        assert path in doc.spans, path
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(doc.data, ())


def test_positions() -> None:
    doc = load_json(TEXT, "t.json", FileKind.CFN_JSON)
    # A mapping member's span starts at its key; a list item at the item.
    assert doc.spans[("Resources",)] == Span(2, 3, 4, 4)
    assert doc.spans[("Resources", "B", "Type")].line == 3
    assert doc.spans[("Resources", "B", "Type")].column == 11
    assert doc.spans[("Resources", "B", "Properties", "Tags", 1)] == Span(3, 65, 3, 68)
    assert doc.ref(("Resources", "B", "Nope")).line == 3


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('{\n  "a": 1,\n  "a": 2\n}', 3, 3, "duplicate key 'a'"),
        ('{"a": [1, 2', 1, 12, "end of file"),
        ("", 1, 1, "empty"),
        ('{"a": tru}', 1, 7, "unexpected character"),
        ("[1, 2,]", 1, 7, "unexpected character"),
        ('{"a": 1} x', 1, 10, "extra data"),
        ('\n\n"abc', 3, 1, "unterminated string"),
        ("\x00\x01binary", 1, 1, "binary"),
    ],
)
def test_errors_have_positions(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(InputError) as info:
        _load(text)
    ref = info.value.ref
    assert ref is not None
    assert ref.file == "t.json"
    assert (ref.line, ref.column) == (line, column)
    assert words in info.value.message


def test_deep_nesting_is_an_input_error() -> None:
    with pytest.raises(InputError, match="nesting deeper"):
        _load("[" * 100_000 + "]" * 100_000)


def test_bom_and_scalars() -> None:
    doc = load_json('\ufeff{"n": -1.5e2, "i": 0}', "t.json", FileKind.TF_JSON)
    assert doc.data == {"n": -150.0, "i": 0}
