"""JUnit XML for CI test-report views (GitLab, Jenkins, Azure): one testsuite; a failing
testcase per finding, a passing one per clean file, an erroring one per input problem."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from policylint.source import FileKind
from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding, InputProblem
    from policylint.pipeline import Report


def _text(f: Finding) -> str:
    lines = [f"{f.ref.display()}: {f.rule} {f.severity.value}: {render(f.message)}"]
    lines.extend(
        f"    {'x' if s.denies else '|'} {render(s.text)}"
        + (f"  ({s.ref.display()})" if s.ref else "")
        for s in f.trace
    )
    if f.fix:
        lines.append(f"    fix: {render(f.fix).rstrip()}")
    return "\n".join(lines)


def _finding_case(f: Finding) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=f.file,
        name=f"{f.rule} {f.name} {f.resource} (line {f.line})",
        file=f.file,
        line=str(f.line),
    )
    failure = ET.SubElement(
        case, "failure", type=f"{f.rule} {f.severity.value}", message=render(f.message)
    )
    failure.text = _text(f)
    return case


def _problem_case(p: InputProblem) -> ET.Element:
    file = p.ref.file if p.ref else "policylint"
    case = ET.Element("testcase", classname=file, name=f"input: {p.message}")
    if p.ref:
        case.set("file", p.ref.file)
        case.set("line", str(p.ref.line))
    error = ET.SubElement(case, "error", type="input-error", message=p.message)
    error.text = p.display()
    return case


def render_junit(report: Report) -> str:
    cases = [_finding_case(f) for f in report.findings]
    with_findings = {f.file for f in report.findings}
    with_problems = {p.ref.file for p in report.problems if p.ref}
    checked = sorted(
        {f.path for u in report.units for f in u.files if f.kind is not FileKind.TF_VARS}
        - with_findings
        - with_problems
    )
    cases.extend(ET.Element("testcase", classname=path, name="no findings") for path in checked)
    cases.extend(_problem_case(p) for p in report.problems)
    counts = {
        "tests": str(len(cases)),
        "failures": str(len(report.findings)),
        "errors": str(len(report.problems)),
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": "policylint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "policylint", **counts})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
