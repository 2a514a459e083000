"""PL010 / PL011: the configuration's access contracts (`expect`), proved or refuted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.contracts import Verdict, check_contract, describe, trace
from policylint.findings import Hit, Severity

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext, Expectation
    from policylint.contracts import ActionResult


def _hits(ctx: CheckContext, want_allowed: bool) -> Iterator[tuple[Expectation, ActionResult]]:
    from policylint.contracts import ContractError

    for exp in ctx.intent.expect:
        if exp.allowed is not want_allowed:
            continue
        try:
            results = check_contract(ctx, exp)
        except ContractError:
            continue  # reported as a configuration error by the pipeline
        for result in results:
            if result.verdict is not Verdict.HOLDS:
                yield exp, result


def _hit(exp: Expectation, result: ActionResult, verb: str, fix: str) -> Hit:
    unproven = result.verdict is Verdict.UNPROVEN
    head = "cannot be proven" if unproven else "is broken"
    return Hit(
        ref=exp.ref,
        resource=f"expect {exp.principal} {verb} {result.action} on {exp.on}",
        message=(
            f"access contract `{exp.principal} {verb} {result.action} on {exp.on}` {head}: "
            f"{describe(result)}"
        ),
        fix=fix,
        key=f"{exp.principal}|{verb}|{result.action}|{exp.on}",
        trace=trace(exp, result),
        severity=Severity.INFO if unproven else None,
    )


def check_pl010(ctx: CheckContext) -> Iterator[Hit]:
    """A `can` contract whose request is denied."""
    for exp, result in _hits(ctx, True):
        yield _hit(
            exp,
            result,
            "can",
            "grant the action in the policy that lacks an allow (the trace names the "
            "layer), or narrow the deny that matches",
        )


def check_pl011(ctx: CheckContext) -> Iterator[Hit]:
    """A `cannot` contract whose request is allowed."""
    for exp, result in _hits(ctx, False):
        yield _hit(
            exp,
            result,
            "cannot",
            "remove or narrow the statements that allow it (listed in the trace), or "
            "add an explicit Deny",
        )


CHECKS = {"PL010": check_pl010, "PL011": check_pl011}
