"""rules/*.yaml: valid against the schema, the same ids as the checks table, examples behave."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from policylint.checks import all_checks
from policylint.findings import Severity
from tests.rules.conftest import describe, run

RULES = Path(__file__).parents[2] / "rules"
DOCS = sorted(RULES.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_rule_doc_validates(path: Path) -> None:
    import jsonschema

    schema = json.loads((RULES / "schema.json").read_text("utf-8"))
    doc = _load(path)
    jsonschema.validate(doc, schema)
    assert doc["id"] == path.stem


def test_rule_ids_match_checks_table() -> None:
    documented = {p.stem for p in DOCS}
    table = set(all_checks())
    assert table <= documented, table - documented
    # Only policylint's own PL rules (e.g. unused suppressions) may lack a check function.
    assert all(rule.startswith("PL") for rule in documented - table), documented - table


def test_first_rule_set_is_documented() -> None:
    from policylint.checks import cloudfront, kms, s3

    mine = set(cloudfront.CHECKS) | set(s3.CHECKS) | set(kms.CHECKS)
    assert mine <= {p.stem for p in DOCS}


def _examples() -> list[tuple[str, str, int, dict[str, str]]]:
    out = []
    for path in DOCS:
        if path.stem.startswith("PL"):
            continue  # PL rules need a configuration (declared intent): tested by their owners
        doc = _load(path)
        for kind in ("bad", "good"):
            for i, ex in enumerate(doc["examples"][kind]):
                out.append((doc["id"], kind, i, ex))
    return out


@pytest.mark.parametrize(
    ("rule", "kind", "index", "example"),
    _examples(),
    ids=lambda v: v if isinstance(v, (str, int)) else "",
)
def test_rule_doc_example(
    rule: str, kind: str, index: int, example: dict[str, str], tmp_path: Path
) -> None:
    fmt = example["format"]
    if fmt.startswith("tf"):
        target = tmp_path / "module"
        target.mkdir()
        (target / ("main.tf" if fmt == "tf-hcl" else "main.tf.json")).write_text(example["content"])
    else:
        target = tmp_path / ("template.yaml" if fmt == "cfn-yaml" else "template.json")
        target.write_text(example["content"])
    findings = run([str(target)])
    mine = [f for f in findings if f.rule == rule]
    if kind == "bad":
        assert mine, f"{rule} bad example {index} did not fire:\n{describe(findings)}"
    else:
        assert not mine, describe(mine)
        assert not [f for f in findings if f.severity is Severity.ERROR], describe(findings)
