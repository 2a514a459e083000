"""Run templates end to end for the rule tests."""

from __future__ import annotations

from collections.abc import Sequence

from policylint.findings import Finding, Severity
from policylint.pipeline import check_paths


def run(paths: Sequence[str]) -> list[Finding]:
    """Findings of every rule for `paths`; input problems fail the test."""
    report = check_paths(list(paths))
    assert not report.problems, [p.display() for p in report.problems]
    return report.findings


def describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"{f.rule} {f.severity.value} {f.ref.display()}: {f.message}" for f in findings
    )


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]
