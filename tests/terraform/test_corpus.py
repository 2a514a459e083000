"""Every Terraform input in ../shared/corpus loads without an uncaught exception, fast."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import pytest

from policylint.errors import InputError
from policylint.parse.json_doc import load_json
from policylint.source import FileKind, SourceFile
from policylint.terraform import load_module, load_plan

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _index() -> list[tuple[str, str]]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        pytest.skip("../shared/corpus is not beside the repository")
    rows = []
    for line in index.read_text().splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) > 1:
            rows.append((parts[0], parts[1]))
    return rows


def test_every_terraform_module_and_plan_loads() -> None:
    rows = _index()
    modules: dict[Path, list[SourceFile]] = defaultdict(list)
    plans: list[Path] = []
    for rel, fmt in rows:
        path = CORPUS / rel
        if fmt == "tf-hcl":
            modules[path.parent].append(SourceFile(str(path), FileKind.TF_HCL))
        elif fmt == "tf-json":
            modules[path.parent].append(SourceFile(str(path), FileKind.TF_JSON))
        elif fmt == "tf-plan-json":
            plans.append(path)
    assert modules and plans
    start = time.monotonic()
    loaded = 0
    for files in modules.values():
        result = load_module(files, {})
        loaded += len(result.model.buckets) + len(result.model.distributions)
    for path in plans:
        text = path.read_text(encoding="utf-8-sig")
        try:
            doc = load_json(text, str(path), FileKind.TF_PLAN)
        except InputError:
            continue
        load_plan(doc)
    assert loaded > 0
    assert time.monotonic() - start < 60
