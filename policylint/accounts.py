"""Multi-account runs: the configuration's `accounts` list gives each input its AWS account
(and optionally Region). A matching input's model has the symbols AWS::AccountId (CloudFormation
pseudo parameter, Terraform `data.aws_caller_identity`) and AWS::Region replaced by them."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policylint.source import SourceRef, Span
from policylint.values import SYM_OPEN, sym

if TYPE_CHECKING:
    from policylint.checks.context import AccountScope, Intent
    from policylint.model import LoadResult


def scope_of(intent: Intent, path: str) -> AccountScope | None:
    """The first `accounts` entry whose glob matches `path` (a file or module directory)."""
    if not intent.accounts:
        return None
    from policylint.suppress import glob_match, relative_to

    rel = relative_to(intent.accounts_root, path)
    return next((a for a in intent.accounts if glob_match(a.path, rel)), None)


def localize(
    paths: Sequence[str], results: Sequence[LoadResult], intent: Intent
) -> list[LoadResult]:
    """Each input's load result with its configured account (and Region) substituted."""
    out: list[LoadResult] = []
    for path, result in zip(paths, results, strict=True):
        scope = scope_of(intent, path)
        if scope is None:
            out.append(result)
            continue
        table = [(sym("AWS::AccountId"), scope.account_id)]
        if scope.region is not None:
            table.append((sym("AWS::Region"), scope.region))
        out.append(dataclasses.replace(result, model=_swap(result.model, table)))
    return out


def _swap(value: Any, table: list[tuple[str, str]]) -> Any:
    """`value` with the symbols of `table` replaced in every string; unchanged parts are
    returned as they are (the model is frozen dataclasses, tuples and plain data)."""
    if isinstance(value, str):
        if SYM_OPEN in value:
            for old, new in table:
                value = value.replace(old, new)
        return value
    if isinstance(value, (SourceRef, Span)) or value is None:
        return value
    if isinstance(value, (tuple, list, frozenset)):
        items = [_swap(v, table) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        pairs = [(_swap(k, table), _swap(v, table)) for k, v in value.items()]
        if all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = _swap(old, table)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
