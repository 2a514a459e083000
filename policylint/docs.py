"""A rule's documentation as text, ruff-style: what it does, why, example, fix, references."""

from __future__ import annotations

from policylint.catalog import RuleDoc


def _indent(text: str, pad: str = "    ") -> str:
    return "\n".join(pad + line if line else line for line in text.rstrip().splitlines())


def rule_text(doc: RuleDoc) -> str:
    parts = [
        f"# {doc.id} {doc.name} ({doc.severity.value})",
        "",
        "## What it does",
        doc.what or doc.summary,
        "",
        "## Why does this return 403?",
        doc.why,
    ]
    if doc.severity_notes:
        parts += ["", "## Severity", doc.severity_notes]
    for title, examples in (("Example", doc.bad), ("Use instead", doc.good)):
        parts += ["", f"## {title}"]
        for ex in examples[:2]:
            label = f" — {ex.title}" if ex.title else ""
            parts += [f"({ex.format}{label})", _indent(ex.content), ""]
    parts += ["## Fix", doc.fix, "", "## References"]
    parts += [f"- {r.title}: {r.url}" for r in doc.references]
    return "\n".join(parts).rstrip() + "\n"
