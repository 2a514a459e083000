"""Run the selected checks and stamp their hits into findings."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from policylint.findings import Finding, InputProblem

if TYPE_CHECKING:
    from policylint.catalog import RuleDoc
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.findings import Hit


def fingerprint(rule: str, hit: Hit) -> str:
    """Line-independent identity of a finding: survives edits that only move lines."""
    raw = f"{rule}|{hit.ref.file}|{hit.resource}|{hit.key}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def stamp(rule: RuleDoc, hit: Hit) -> Finding:
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity=hit.severity or rule.severity,
        message=hit.message,
        fix=hit.fix,
        ref=hit.ref,
        resource=hit.resource,
        trace=hit.trace,
        fingerprint=fingerprint(rule.id, hit),
    )


def run_checks(
    ctx: CheckContext,
    checks: Mapping[str, CheckFn],
    catalog: Mapping[str, RuleDoc],
    selected: Collection[str],
) -> tuple[list[Finding], list[InputProblem]]:
    """Findings of every selected rule; a rule that raises becomes a problem, not a crash."""
    findings: list[Finding] = []
    problems: list[InputProblem] = []
    for rule_id in sorted(selected):
        check = checks.get(rule_id)
        if check is None or rule_id not in catalog:
            continue
        try:
            hits = list(check(ctx))
            if hits:  # a rule's doc is read only when it has something to stamp
                doc = catalog[rule_id]
                findings.extend(stamp(doc, hit) for hit in hits)
        except Exception as exc:  # a bug in one rule must not hide the others
            problems.append(InputProblem(f"internal error in rule {rule_id}: {exc!r}"))
    unique = {f.fingerprint + f.ref.display(): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key), problems
