"""WAF and CloudFront edge rules: fixtures that need declared intent, and the comparisons
that must never turn an unknown value into an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.checks.cloudfront_edge import covers
from policylint.checks.context import Intent
from policylint.checks.edge_links import same, same_host
from policylint.findings import Finding, Severity
from policylint.pipeline import CheckOptions, check_paths
from policylint.values import Tri, sym

HERE = Path(__file__).parent
DECLARED = Intent(expected_countries=("DE", "FR"))
INTENT_FIXTURES = sorted(p for p in HERE.glob("*/declared_*") if p.parent.name[0].isupper())


def _run(path: Path, intent: Intent) -> list[Finding]:
    rel = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    report = check_paths([str(rel)], CheckOptions(intent=intent))
    assert not report.problems, [p.display() for p in report.problems]
    return report.findings


@pytest.mark.parametrize("path", INTENT_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_declared_fixture(path: Path) -> None:
    rule = path.parent.name
    findings = _run(path, DECLARED)
    if path.name.startswith("declared_bad_"):
        assert any(f.rule == rule and f.severity is Severity.WARNING for f in findings), findings
    else:
        assert not any(f.rule == rule for f in findings), findings


@pytest.mark.parametrize("path", INTENT_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_without_intent_the_rule_stays_silent_or_low(path: Path) -> None:
    findings = _run(path, Intent())
    assert not any(f.rule == path.parent.name and f.severity is not Severity.INFO for f in findings)


def test_intent_fixtures_exist() -> None:
    assert any(p.name.startswith("declared_bad_") for p in INTENT_FIXTURES)


P, Q = sym("Param:Sub"), sym("Param:Domain")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("www.example.com", "www.example.com", Tri.TRUE),
        ("www.example.com", "api.example.com", Tri.FALSE),
        (f"www.{Q}", f"api.{Q}", Tri.FALSE),  # same symbols, different literal text
        (f"{P}.{Q}", f"{P}.{Q}", Tri.TRUE),
        (f"{P}.{Q}", f"www.{Q}", Tri.MAYBE),  # a parameter may be "www"
        (P, "www.example.com", Tri.MAYBE),
        (f"{P}.example.com", "www.example.org", Tri.FALSE),  # suffixes differ
    ],
)
def test_same(a: str, b: str, expected: Tri) -> None:
    assert same(a, b) is expected


def test_same_host_ignores_case_and_trailing_dot() -> None:
    assert same_host("WWW.Example.com.", "www.example.com") is Tri.TRUE


@pytest.mark.parametrize(
    ("alias", "name", "expected"),
    [
        ("*.example.com", "www.example.com", Tri.TRUE),
        ("*.example.com", "a.b.example.com", Tri.FALSE),  # one label only
        ("*.example.com", "example.com", Tri.FALSE),
        ("example.com", "www.example.com", Tri.FALSE),
        (f"*.{Q}", f"{P}.{Q}", Tri.MAYBE),
    ],
)
def test_alias_covers(alias: str, name: str, expected: Tri) -> None:
    assert covers(alias, name) is expected


# -- Terraform twins: tf_<stem>/ (HCL), tf_<stem>_tfjson/ (.tf.json), tf_<stem>_plan.json ------

EDGE_RULES = (
    "WAF010", "WAF020", "WAF030", "WAF040", "WAF050", "WAF060",
    "CF060", "CF070", "CF100", "CF110", "CF120", "CF130", "CF140", "CF150",
)  # fmt: skip
_CFN = (".yaml", ".json")


def _twins() -> list[tuple[Path, Path]]:
    pairs = []
    for rule in EDGE_RULES:
        for cfn in sorted((HERE / rule).iterdir()):
            if not (cfn.is_file() and cfn.name.startswith(("bad_", "good_", "near_"))):
                continue
            if not cfn.name.endswith(_CFN):
                continue
            stem = cfn.name.rsplit(".", 1)[0]
            for suffix in ("", "_tfjson", "_plan.json"):
                twin = cfn.parent / f"tf_{stem}{suffix}"
                if twin.exists():
                    pairs.append((cfn, twin))
    return pairs


def _rule_ids(findings: list[Finding], rule: str) -> set[tuple[str, str]]:
    return {
        (f.rule, f.severity.value)
        for f in findings
        if f.rule == rule or f.severity is not Severity.INFO
    }


@pytest.mark.parametrize(("cfn", "twin"), _twins(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_terraform_twin_yields_the_same_findings(cfn: Path, twin: Path) -> None:
    rule = cfn.parent.name
    a, b = _run(cfn, Intent()), _run(twin, Intent())
    assert _rule_ids(b, rule) == _rule_ids(a, rule), (a, b)
    for f in b:
        assert f.ref.file.startswith(str(twin.relative_to(Path.cwd()))), f.ref.file
        assert "aws_" in f.resource, f.resource
        assert not any(s in f.fix for s in ("!Sub", "!Ref", "!GetAtt", "Fn::", "Properties:")), (
            f.fix
        )


@pytest.mark.parametrize("rule", EDGE_RULES)
def test_every_edge_rule_has_terraform_bad_and_good_twins(rule: str) -> None:
    names = [p.name for p in (HERE / rule).iterdir()]
    assert any(n.startswith("tf_bad_") for n in names), rule
    assert any(n.startswith("tf_good_") for n in names), rule
    assert any(n.startswith("tf_bad_") and n.endswith("_tfjson") for n in names), rule
