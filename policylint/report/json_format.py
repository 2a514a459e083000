"""Machine output: `{"version": 1, "findings": [...], "errors": [...], "summary": {...}}`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policylint.report import summary
from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding, InputProblem
    from policylint.pipeline import Report


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": f.name,
        "severity": f.severity.value,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "resource": f.resource,
        "message": render(f.message),
        "fix": render(f.fix),
        "trace": [
            {
                "text": render(s.text),
                "file": s.ref.file if s.ref else None,
                "line": s.ref.line if s.ref else None,
                "denies": s.denies,
            }
            for s in f.trace
        ],
        "fingerprint": f.fingerprint,
    }


def problem_dict(p: InputProblem) -> dict[str, Any]:
    return {
        "file": p.ref.file if p.ref else None,
        "line": p.ref.line if p.ref else None,
        "column": p.ref.column if p.ref else None,
        "message": p.message,
    }


def render_json(report: Report) -> str:
    data = {
        "version": 1,
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [problem_dict(p) for p in report.problems],
        "summary": {
            **summary(report.findings),
            "findings": len(report.findings),
            "errors": len(report.problems),
            "files": sum(len(u.files) for u in report.units),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
