"""The rule catalog: `rules/*.yaml`, validated against `rules/schema.json`."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
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


def _rules_dir() -> Path:
    # find_spec, not importlib.resources: the latter costs ~10 ms of every run's start-up.
    from importlib.util import find_spec

    spec = find_spec("policylint._rules")
    assert spec is not None and spec.submodule_search_locations, "policylint._rules is missing"
    return Path(next(iter(spec.submodule_search_locations)))


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


class Catalog(Mapping[str, RuleDoc]):
    """Rule docs by id; each file is parsed on first use (a run stamps only the rules that fire)."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self._files = dict(sorted(files.items()))
        self._docs: dict[str, RuleDoc] = {}

    def __getitem__(self, rule_id: str) -> RuleDoc:
        doc = self._docs.get(rule_id)
        if doc is None:
            doc = self._docs[rule_id] = _read_rule(self._files[rule_id])
        return doc

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._files


def _read_rule(path: Path) -> RuleDoc:
    import yaml

    # libyaml's loader when PyYAML has it: the pure-Python one spent ~0.7 s of every run here.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(path.read_text("utf-8"), Loader=loader)  # a safe loader
    doc = parse_rule(raw)
    assert doc.id == path.stem, f"{path.name} holds rule {doc.id}"
    return doc


@functools.cache
def load_catalog() -> Catalog:
    """Every rule, by id, sorted. Files were validated by the test suite; here we only parse."""
    files = {p.stem: p for p in _rules_dir().iterdir() if p.name.endswith(".yaml")}
    return Catalog(files)
