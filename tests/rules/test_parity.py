"""CloudFormation fixtures and their Terraform twins yield the same rule IDs.

For the CloudFormation fixture `tests/rules/<ID>/<name>.yaml|json`, the twins are
`tf_<name>/` (an HCL module), `tf_<name>_tfjson/` (a `.tf.json` module) and
`tf_<name>_plan.json` (a `terraform show -json` plan). Every CloudFormation fixture of the
rules below has at least the HCL twin; every rule has a bad `.tf.json` and a bad plan twin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policylint.findings import Finding, Severity
from tests.rules.conftest import describe, run

HERE = Path(__file__).parent
RULES = (
    "CF010",
    "CF020",
    "CF030",
    "CF040",
    "CF050",
    "CF080",
    "CF090",
    "KMS010",
    "S3010",
    "S3020",
    "S3030",
    "S3040",
)
_PREFIXES = ("bad_", "good_", "near_")
_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_TWIN_KINDS = {"hcl": "", "tfjson": "_tfjson", "plan": "_plan.json"}


def _cfn_fixtures(rule: str) -> list[Path]:
    return sorted(
        p
        for p in (HERE / rule).iterdir()
        if p.is_file() and p.name.startswith(_PREFIXES) and p.name.endswith(_CFN_SUFFIXES)
    )


def _stem(path: Path) -> str:
    return path.name.rsplit(".", 1)[0]


def _twins() -> list[tuple[Path, Path]]:
    pairs = []
    for rule in RULES:
        for cfn in _cfn_fixtures(rule):
            for suffix in _TWIN_KINDS.values():
                twin = cfn.parent / f"tf_{_stem(cfn)}{suffix}"
                if twin.exists():
                    pairs.append((cfn, twin))
    return pairs


def _rel(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def _ids(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)}


@pytest.mark.parametrize(("cfn", "twin"), _twins(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_twin_yields_the_same_rule_ids(cfn: Path, twin: Path) -> None:
    cfn_findings, tf_findings = run([_rel(cfn)]), run([_rel(twin)])
    assert _ids(tf_findings) == _ids(cfn_findings), (
        f"CloudFormation:\n{describe(cfn_findings)}\nTerraform:\n{describe(tf_findings)}"
    )


@pytest.mark.parametrize("rule", RULES)
def test_every_cloudformation_fixture_has_an_hcl_twin(rule: str) -> None:
    missing = [
        p.name
        for p in _cfn_fixtures(rule)
        if not (p.parent / f"tf_{_stem(p)}" / "main.tf").is_file()
    ]
    assert not missing, f"{rule}: no Terraform twin for {missing}"


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("kind", ["tfjson", "plan"])
def test_every_rule_has_a_bad_tfjson_and_plan_twin(rule: str, kind: str) -> None:
    suffix = _TWIN_KINDS[kind]
    found = [
        p
        for p in (HERE / rule).iterdir()
        if p.name.startswith("tf_bad_") and p.name.endswith(suffix)
    ]
    if kind == "tfjson":
        found = [p for p in found if (p / "main.tf.json").is_file()]
    assert found, f"{rule}: no bad {kind} twin"


_TF_ADDRESS = re.compile(r"^(module\.[\w-]+(\[[^\]]+\])?\.)*(data\.)?aws_\w+\.[\w-]+(\[[^\]]+\])?$")
_CFN_SYNTAX = ("Fn::", "!Sub", "!Ref", "!GetAtt", "AWS::S3::", "AWS::KMS::", "Properties:")


@pytest.mark.parametrize(("cfn", "twin"), _twins(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_terraform_findings_name_addresses_and_give_hcl_fixes(cfn: Path, twin: Path) -> None:
    for f in run([_rel(twin)]):
        assert _TF_ADDRESS.match(f.resource or ""), f.resource
        assert f.ref.file.startswith(_rel(twin)), f.ref.file
        assert f.ref.line is not None and f.ref.line >= 1
        bilingual = "(Terraform: " in (f.fix or "")  # names both syntaxes (CF030 global host)
        if not bilingual and (twin.name.endswith("_plan.json") or (twin / "main.tf").exists()):
            assert not any(s in (f.fix or "") for s in _CFN_SYNTAX), f.fix
