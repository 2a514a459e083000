"""Human output: `file:line:col: RULE severity: message`, the trace, and the fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policylint.findings import Severity
from policylint.report import summary
from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding
    from policylint.pipeline import Report

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _finding(f: Finding, color: bool, quiet: bool) -> list[str]:
    head = f"{f.ref.display()}: {_paint(f.rule, '1', color)} "
    head += f"{_paint(f.severity.value, _COLORS[f.severity], color)}: {render(f.message)}"
    if quiet:
        return [head]
    lines = [head]
    for step in f.trace:
        mark = _paint("x", "31", color) if step.denies else "|"
        where = f"  ({step.ref.display()})" if step.ref else ""
        lines.append(f"    {mark} {render(step.text)}{where}")
    if f.fix:
        fix_lines = render(f.fix).rstrip().splitlines()
        lines.append(f"    {_paint('fix', '32', color)}: {fix_lines[0]}")
        lines.extend(f"         {line}" for line in fix_lines[1:])
    return lines


def _count(n: int, severity: str) -> str:
    return f"{n} {severity}" if n == 1 or severity == "info" else f"{n} {severity}s"


def render_text(report: Report, *, color: bool = False, quiet: bool = False) -> str:
    out: list[str] = []
    for f in report.findings:
        out.extend(_finding(f, color, quiet))
        if not quiet:
            out.append("")
    for p in report.problems:
        where = f"{p.ref.display()}: " if p.ref else ""
        out.append(f"{where}{_paint('error', '31', color)}: {p.message}")
    counts = summary(report.findings)
    if not quiet or report.findings or report.problems:
        total = len(report.findings)
        detail = ", ".join(_count(n, sev) for sev, n in counts.items() if n)
        files = sum(len(u.files) for u in report.units)
        line = f"Found {total} finding{'s' if total != 1 else ''}"
        line += f" ({detail})" if detail else ""
        line += f" in {files} file{'s' if files != 1 else ''}"
        if report.problems:
            line += (
                f"; {len(report.problems)} input error{'s' if len(report.problems) != 1 else ''}"
            )
        out.append(line + ".")
    return "\n".join(out) + "\n" if out else ""
