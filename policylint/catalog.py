"""The rule catalog: `rules/*.yaml`, validated against `rules/schema.json`."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from policylint.findings import Severity


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Example:
    format: str
    content: str
    title: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDoc:
    id: str
    name: str
    severity: Severity
    summary: str
    why: str
    fix: str
    references: tuple[Reference, ...]
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    what: str = ""
    certainty: str = ""
    when: str = ""
    severity_notes: str = ""


def _rules_dir() -> Any:
    return resources.files("policylint._rules")


def rule_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_rules_dir() / "schema.json").read_text("utf-8"))
    return data


def _examples(raw: list[dict[str, str]]) -> tuple[Example, ...]:
    return tuple(Example(e["format"], e["content"], e.get("title", "")) for e in raw)


def parse_rule(raw: dict[str, Any]) -> RuleDoc:
    return RuleDoc(
        id=raw["id"],
        name=raw["name"],
        severity=Severity(raw["severity"]),
        summary=raw["summary"].strip(),
        why=raw["why"].strip(),
        fix=raw["fix"].strip(),
        references=tuple(Reference(r["title"], r["url"]) for r in raw["references"]),
        bad=_examples(raw["examples"]["bad"]),
        good=_examples(raw["examples"]["good"]),
        what=raw.get("what", "").strip(),
        certainty=raw.get("certainty", ""),
        when=raw.get("when", ""),
        severity_notes=raw.get("severity_notes", "").strip(),
    )


@functools.cache
def load_catalog() -> dict[str, RuleDoc]:
    """Every rule, by id, sorted. Files were validated by the test suite; here we only parse."""
    import yaml

    # libyaml's loader when PyYAML has it: the pure-Python one spent ~0.7 s of every run here.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs: dict[str, RuleDoc] = {}
    for entry in sorted(_rules_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            raw = yaml.load(entry.read_text("utf-8"), Loader=loader)  # a safe loader
            docs[raw["id"]] = parse_rule(raw)
    return docs
