"""The README's generated parts stay in step with the code."""

from __future__ import annotations

from pathlib import Path

from policylint.docs import README_BEGIN, README_END, rules_table_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rule_table_matches_the_catalog() -> None:
    text = (ROOT / "README.md").read_text()
    table = text[text.index(README_BEGIN) + len(README_BEGIN) : text.index(README_END)]
    assert table.strip() == rules_table_markdown().strip(), (
        "README rule table is stale: run `python -m policylint.docs README.md`"
    )


def test_readme_gives_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "pip install . && policylint check examples/" in text
    assert "pip install -e '.[test]' && python -m pytest" in text
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci and "python -m pytest" in ci
