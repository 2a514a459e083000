"""SARIF 2.1.0 for GitHub code scanning and other viewers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from policylint import __version__
from policylint.catalog import load_catalog
from policylint.findings import Severity
from policylint.values import render

if TYPE_CHECKING:
    from policylint.catalog import RuleDoc
    from policylint.findings import Finding
    from policylint.pipeline import Report
    from policylint.source import SourceRef

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/").removeprefix("./"))


def _location(ref: SourceRef, resource: str | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(ref.file), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(ref.line, 1), "startColumn": max(ref.column, 1)},
        }
    }
    if resource:
        loc["logicalLocations"] = [{"name": resource, "kind": "resource"}]
    return loc


def help_markdown(doc: RuleDoc) -> str:
    refs = "\n".join(f"- [{r.title}]({r.url})" for r in doc.references)
    return (
        f"**{doc.id} {doc.name}** ({doc.severity.value})\n\n{doc.what or doc.summary}\n\n"
        f"## Why\n{doc.why}\n\n## Fix\n{doc.fix}\n\n## References\n{refs}\n"
    )


def _rule(doc: RuleDoc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.why},
        "help": {"text": f"{doc.summary}\n\nFix: {doc.fix}", "markdown": help_markdown(doc)},
        "helpUri": doc.references[0].url,
        "defaultConfiguration": {"level": _LEVELS[doc.severity]},
        "properties": {
            "tags": ["security", "aws", "access-denied"],
            "precision": "very-high" if doc.certainty == "DOC" else "high",
            "security-severity": _SECURITY_SEVERITY[doc.severity],
        },
    }


def _result(f: Finding, index: int) -> dict[str, Any]:
    related = [
        {"id": i, **_location(s.ref), "message": {"text": render(s.text)}}
        for i, s in enumerate(f.trace)
        if s.ref is not None
    ]
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVELS[f.severity],
        "message": {"text": f"{render(f.message)}\nFix: {render(f.fix)}"},
        "locations": [_location(f.ref, f.resource)],
        "partialFingerprints": {"policylint/v1": f.fingerprint},
    }
    if related:
        result["relatedLocations"] = related
    return result


def render_sarif(report: Report) -> str:
    catalog = load_catalog()
    ids = sorted({*report.rules, *(f.rule for f in report.findings)} & set(catalog))
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    notifications = [
        {
            "level": "error",
            "message": {"text": p.message},
            **({"locations": [_location(p.ref)]} if p.ref else {}),
        }
        for p in report.problems
    ]
    run = {
        "tool": {
            "driver": {
                "name": "policylint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/policylint/policylint",
                "rules": [_rule(catalog[i]) for i in ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not report.problems,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": [_result(f, index[f.rule]) for f in report.findings],
    }
    data = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
