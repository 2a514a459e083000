"""The GitHub workflow-command and JUnit reporters, on hand-built reports."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from policylint.discover import InputUnit, UnitKind
from policylint.findings import InputProblem, Severity, TraceStep
from policylint.pipeline import Report
from policylint.report import Format, render
from policylint.report.github import escape_data, escape_property
from policylint.source import FileKind, SourceFile, SourceRef, Span
from tests.workflow.conftest import finding


def test_escaping() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("dir,x/a:b.yaml%\n") == "dir%2Cx/a%3Ab.yaml%25%0A"


def _report() -> Report:
    f = finding("CF010", file="a,b/t:1.yaml", message="100% denied\nsecond line")
    traced = finding("S3010", file="t.yaml", resource="B", severity=Severity.WARNING, message="w")
    steps = (TraceStep("viewer", SourceRef("t.yaml", (), Span(2))), TraceStep("deny", denies=True))
    traced = dataclasses.replace(traced, trace=steps)
    info = finding("KMS010", file="t.yaml", resource="K", severity=Severity.INFO, message="i")
    units = [
        InputUnit(UnitKind.CFN_TEMPLATE, "t.yaml", (SourceFile("t.yaml", FileKind.CFN_YAML),)),
        InputUnit(UnitKind.CFN_TEMPLATE, "ok.yaml", (SourceFile("ok.yaml", FileKind.CFN_YAML),)),
    ]
    problems = [
        InputProblem("invalid YAML", SourceRef("bad.yaml", (), Span(4, 2))),
        InputProblem("x"),
    ]
    return Report(findings=[f, traced, info], problems=problems, units=units, rules=["CF010"])


def test_github_commands_per_severity() -> None:
    lines = render(_report(), Format.GITHUB).splitlines()
    assert lines[0] == (
        "::error file=a%2Cb/t%3A1.yaml,line=3,col=5,title=CF010 some-rule"
        "::100%25 denied%0Asecond line%0AFix: grant it"
    )
    assert lines[1].startswith("::warning file=t.yaml,line=3,col=5,title=S3010 some-rule::w%0A")
    assert "%0A| viewer (t.yaml:2)%0Ax deny%0A" in lines[1]
    assert lines[2].startswith("::notice file=t.yaml,")
    assert (
        lines[3] == "::error file=bad.yaml,line=4,col=2,title=policylint input error::invalid YAML"
    )
    assert lines[4] == "::error title=policylint input error::x"
    assert len(lines) == 5


def test_github_empty_report_prints_nothing() -> None:
    assert render(Report(), Format.GITHUB) == ""


def test_junit_structure() -> None:
    root = ET.fromstring(render(_report(), Format.JUNIT))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "3", "2")
    cases = suite.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert [c.get("classname") for c in failures] == ["a,b/t:1.yaml", "t.yaml", "t.yaml"]
    failure = failures[1].find("failure")
    assert failure is not None and failure.get("type") == "S3010 warning"
    assert (
        failure.text
        and "| viewer  (t.yaml:2:1)" in failure.text
        and "fix: grant it" in failure.text
    )
    clean = [c for c in cases if c.get("name") == "no findings"]
    assert [c.get("classname") for c in clean] == ["ok.yaml"]
    errors = [c.find("error") for c in cases if c.find("error") is not None]
    assert [e.get("message") for e in errors if e is not None] == ["invalid YAML", "x"]


def test_junit_clean_run_is_all_passing() -> None:
    report = Report(
        units=[
            InputUnit(UnitKind.CFN_TEMPLATE, "t.yaml", (SourceFile("t.yaml", FileKind.CFN_YAML),))
        ]
    )
    root = ET.fromstring(render(report, Format.JUNIT))
    assert root.get("tests") == "1" and root.get("failures") == "0" and root.get("errors") == "0"
