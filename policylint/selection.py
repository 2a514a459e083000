"""Rule selection by id or prefix, as in ruff: `--select CF --ignore CF020`."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.errors import UsageError


def _matches(rule_id: str, pattern: str) -> bool:
    return rule_id.startswith(pattern.upper())


def select_rules(
    all_ids: Iterable[str], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> set[str]:
    """The ids chosen by `select` (default: all) minus those `ignore` names."""
    ids = sorted(all_ids)
    select, ignore = list(select), list(ignore)
    for pattern in [*select, *ignore]:
        if pattern.upper() != "ALL" and not any(_matches(i, pattern) for i in ids):
            raise UsageError(f"unknown rule or prefix {pattern!r} (see `policylint rules`)")
    chosen = {
        i for i in ids if not select or any(p.upper() == "ALL" or _matches(i, p) for p in select)
    }
    return {i for i in chosen if not any(p.upper() == "ALL" or _matches(i, p) for p in ignore)}
