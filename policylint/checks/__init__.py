"""Rule detection: one function per rule, one module per family, one explicit table."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from policylint.checks.context import CheckContext
from policylint.findings import Hit

CheckFn = Callable[[CheckContext], Iterable[Hit]]


def all_checks() -> dict[str, CheckFn]:
    """The table of every rule's check, by rule id (imported lazily: it pulls in the graph)."""
    from policylint.checks import cloudfront, cloudfront_edge, iam, kms, s3, waf

    table: dict[str, CheckFn] = {}
    # Each family module exposes CHECKS: dict[str, CheckFn]. Add new families here.
    families = (cloudfront.CHECKS, s3.CHECKS, kms.CHECKS, waf.CHECKS, cloudfront_edge.CHECKS)
    for family in (*families, iam.CHECKS):
        table.update(family)
    return table
