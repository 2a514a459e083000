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

    families = (
        cloudfront.CHECKS,
        cloudfront_edge.CHECKS,
        s3.CHECKS,
        s3_access.CHECKS,
        kms.CHECKS,
        kms_access.CHECKS,
        waf.CHECKS,
        iam.CHECKS,
        apigw.CHECKS,
        lambda_url.CHECKS,
        contracts.CHECKS,
    )
    table: dict[str, CheckFn] = {}
    for family in families:  # add a new family module here
        clash = table.keys() & family.keys()
        assert not clash, f"rule ids defined twice: {sorted(clash)}"
        table.update(family)
    return table
