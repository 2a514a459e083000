"""Every CloudFormation template of the shared corpus loads without an uncaught exception."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from policylint.cfn import load_template
from policylint.errors import InputError
from policylint.parse.json_doc import load_json
from policylint.parse.yaml_doc import load_yaml
from policylint.source import Document, FileKind

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _entries() -> list[tuple[str, str]]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return [(r["path"], r["format"]) for r in rows if r["format"] in ("cfn-yaml", "cfn-json")]


def _parse(path: Path, fmt: str) -> Document:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8") from exc
    if fmt == "cfn-yaml":
        return load_yaml(text, str(path))
    return load_json(text, str(path), FileKind.CFN_JSON)


@pytest.mark.skipif(not _entries(), reason="../shared/corpus is not present")
def test_corpus_loads() -> None:
    failures: list[str] = []
    loaded = 0
    for rel, fmt in _entries():
        path = CORPUS / rel
        if not path.is_file():
            continue
        try:
            result = load_template(_parse(path, fmt), {})
        except InputError:
            continue  # a reported input error is fine
        except Exception as exc:  # pragma: no cover - the point of the test
            failures.append(f"{rel}: {exc!r}")
            continue
        loaded += 1
        failures.extend(f"{rel}: {p.message}" for p in result.problems if "internal" in p.message)
    assert loaded > 0
    assert not failures, "\n".join(failures[:20])
