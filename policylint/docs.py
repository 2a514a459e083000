"""A rule's documentation as text, ruff-style: what it does, why, example, fix, references."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


README_BEGIN = (
    "<!-- rules-table:begin (generated from rules/*.yaml by `python -m policylint.docs`) -->"
)
README_END = "<!-- rules-table:end -->"


def rules_table_markdown() -> str:
    """The README's rule table, from the catalog (a test keeps the README in step)."""
    from policylint.catalog import load_catalog

    rows = ["| ID | Severity | Name | Summary |", "| --- | --- | --- | --- |"]
    for doc in load_catalog().values():
        summary = doc.summary.replace("|", "\\|")
        rows.append(f"| {doc.id} | {doc.severity.value} | `{doc.name}` | {summary} |")
    return "\n".join(rows) + "\n"


def update_readme(path: str) -> bool:
    """Rewrite the generated table in the README at `path`; True if it changed."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    start, end = text.index(README_BEGIN) + len(README_BEGIN), text.index(README_END)
    new = text[:start] + "\n" + rules_table_markdown() + text[end:]
    if new != text:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(new)
    return new != text


if __name__ == "__main__":
    import sys

    print(
        "README.md updated"
        if update_readme(sys.argv[1] if len(sys.argv) > 1 else "README.md")
        else "README.md is up to date"
    )
