"""WAF rules are mostly warnings, which test_rule_fixtures.py lets good/near fixtures keep.

Here a good_* or near_* fixture of a WAF rule must not yield that rule at any severity, so the
near misses (an ARN from a parameter, an override to Count, an IPv4-only load balancer) prove
that the rule stays silent and not only that it stays below error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.conftest import describe, run

HERE = Path(__file__).parent
CLEAN = sorted(
    p
    for d in HERE.glob("WAF0*")
    if d.is_dir()
    for p in d.iterdir()
    if p.name.removeprefix("tf_").startswith(("good_", "near_"))
)


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_clean_fixture_does_not_yield_its_rule(path: Path) -> None:
    rule = path.parent.name
    rel = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    findings = run([str(rel)])
    assert not [f for f in findings if f.rule == rule], describe(findings)


def test_there_are_clean_waf_fixtures() -> None:
    assert len(CLEAN) > 20
