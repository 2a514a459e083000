"""Rule detection: one function per rule, one module per family, one explicit table."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from policylint.checks.context import CheckContext
from policylint.findings import Hit

CheckFn = Callable[[CheckContext], Iterable[Hit]]


def all_checks() -> dict[str, CheckFn]:
    """The table of every rule's check, by rule id (imported lazily: it pulls in the graph)."""
    from policylint.checks import (
        apigw,
        cloudfront,
        cloudfront_edge,
        contracts,
        iam,
        kms,
        kms_access,
        lambda_url,
        s3,
        s3_access,
        waf,
    )

    table: dict[str, CheckFn] = {}
    # Each family module exposes CHECKS: dict[str, CheckFn]. Add new families here.
    families = (cloudfront.CHECKS, s3.CHECKS, kms.CHECKS, waf.CHECKS, cloudfront_edge.CHECKS)
    for family in (*families, iam.CHECKS, contracts.CHECKS, apigw.CHECKS, lambda_url.CHECKS):
        table.update(family)
    table.update(s3_access.CHECKS)
    table.update(kms_access.CHECKS)
    return table
