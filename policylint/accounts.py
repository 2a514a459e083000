"""Multi-account runs: the configuration's `accounts` list gives each input its AWS account
(and optionally Region). A matching input's model has the symbols AWS::AccountId (CloudFormation
pseudo parameter, Terraform `data.aws_caller_identity`) and AWS::Region replaced by them.

In Terraform, those symbols stand for the account and Region of each resource's provider
configuration: the Region is the configured one only under the root module's default
configuration (or one naming the same region), the account only without `assume_role`. A record
(and each nested record with a `ref` of its own) whose resource, or anything it references,
uses another configuration keeps the symbol (`Declared.value_regions` / `value_account_unknown`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policylint.source import SourceRef, Span
from policylint.values import SYM_OPEN, sym

if TYPE_CHECKING:
    from policylint.checks.context import AccountScope, Intent
    from policylint.model import LoadResult, Model


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
        out.append(dataclasses.replace(result, model=_localize(result.model, scope)))
    return out


Table = list[tuple[str, str]]
Owners = dict[tuple[str, tuple[Any, ...]], Table]


def _localize(model: Model, scope: AccountScope) -> Model:
    def table(regions: frozenset[str], account_unknown: bool) -> Table:
        out = [] if account_unknown else [(sym("AWS::AccountId"), scope.account_id)]
        if scope.region is not None and regions <= {scope.region}:
            out.append((sym("AWS::Region"), scope.region))
        return out

    decls = model.declared
    if not any(d.value_regions or d.value_account_unknown for d in decls):
        # CloudFormation, and Terraform under one provider configuration without a region
        swapped: Model = _swap(model, table(frozenset(), False))
        return swapped
    owners: Owners = {
        (d.ref.file, d.ref.path): table(d.value_regions, d.value_account_unknown) for d in decls
    }
    every = frozenset(r for d in decls for r in d.value_regions)
    unowned = table(every, any(d.value_account_unknown for d in decls))
    result: Model = _swap(model, unowned, owners)
    return result


def _owner(ref: SourceRef, owners: Owners) -> Table | None:
    """The table of the resource whose position `ref` is in (a resource or one of its parts)."""
    for k in range(len(ref.path), 0, -1):
        found = owners.get((ref.file, ref.path[:k]))
        if found is not None:
            return found
    return None


def _swap(value: Any, table: Table, owners: Owners | None = None) -> Any:
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
        items = [_swap(v, table, owners) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        pairs = [(_swap(k, table, owners), _swap(v, table, owners)) for k, v in value.items()]
        if all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        ref = getattr(value, "ref", None)
        if owners and isinstance(ref, SourceRef):
            table = _owner(ref, owners) or table
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = _swap(old, table, owners)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
