"""GitHub Actions workflow commands: one `::error file=...,line=...::message` per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policylint.findings import Severity
from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding, InputProblem
    from policylint.pipeline import Report

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: %, CR and LF are percent-encoded (as @actions/core does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as data, and also `:` and `,` which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return (
        f"::{name} {props}::{escape_data(message)}"
        if props
        else f"::{name}::{escape_data(message)}"
    )


def _path(file: str) -> str:
    return file.replace("\\", "/").removeprefix("./")


def _finding(f: Finding) -> str:
    lines = [render(f.message)]
    lines.extend(
        f"{'x' if step.denies else '|'} {render(step.text)}"
        + (f" ({_path(step.ref.file)}:{step.ref.line})" if step.ref else "")
        for step in f.trace
    )
    if f.fix:
        lines.append(f"Fix: {render(f.fix).rstrip()}")
    span = f.ref.span
    return command(
        _COMMANDS[f.severity],
        "\n".join(lines),
        file=_path(f.file),
        line=f.line,
        endLine=span.end_line if span and span.end_line else None,
        col=f.column,
        title=f"{f.rule} {f.name}" if f.name else f.rule,
    )


def _problem(p: InputProblem) -> str:
    if p.ref is None:
        return command("error", p.message, title="policylint input error")
    return command(
        "error",
        p.message,
        file=_path(p.ref.file),
        line=p.ref.line,
        col=p.ref.column,
        title="policylint input error",
    )


def render_github(report: Report) -> str:
    lines = [_finding(f) for f in report.findings]
    lines.extend(_problem(p) for p in report.problems)
    return "".join(line + "\n" for line in lines)
