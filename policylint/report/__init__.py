"""Reporters: each turns a Report into text in one format."""

from __future__ import annotations

import enum
from collections import Counter
from typing import TYPE_CHECKING

from policylint.findings import Severity

if TYPE_CHECKING:
    from policylint.findings import Finding
    from policylint.pipeline import Report


class Format(enum.Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    JUNIT = "junit"


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {s.value: counts.get(s, 0) for s in Severity}


def render(report: Report, fmt: Format, *, color: bool = False, quiet: bool = False) -> str:
    """The report in `fmt`, ending with a newline."""
    if fmt is Format.JSON:
        from policylint.report.json_format import render_json

        return render_json(report)
    if fmt is Format.SARIF:
        from policylint.report.sarif import render_sarif

        return render_sarif(report)
    if fmt is Format.GITHUB:
        from policylint.report.github import render_github

        return render_github(report)
    if fmt is Format.JUNIT:
        from policylint.report.junit import render_junit

        return render_junit(report)
    from policylint.report.text import render_text

    return render_text(report, color=color, quiet=quiet)
