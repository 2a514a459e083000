"""Run templates end to end for the rule tests."""

from __future__ import annotations

from collections.abc import Sequence

from policylint.findings import Finding, Severity
from policylint.pipeline import check_paths


def run(paths: Sequence[str], config: str | None = None) -> list[Finding]:
    """Findings of every rule for `paths` (with the configuration file `config`, if given);
    input problems fail the test."""
    options = None
    if config is not None:
        from policylint.config import load_config
        from policylint.pipeline import CheckOptions

        cfg = load_config(config)
        options = CheckOptions(intent=cfg.intent, config_dir=cfg.base_dir)
    report = check_paths(list(paths), options)
    assert not report.problems, [p.display() for p in report.problems]
    return report.findings


def describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"{f.rule} {f.severity.value} {f.ref.display()}: {f.message}" for f in findings
    )


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]
