"""What a check is given: the graph to question, the model, and declared intent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policylint.model import Model
from policylint.source import SourceRef

if TYPE_CHECKING:
    from policylint.graph import AccessGraph


@dataclass(frozen=True, slots=True, kw_only=True)
class Expectation:
    """One access contract of the configuration's `expect` list (shape validated only)."""

    principal: str
    actions: tuple[str, ...]
    allowed: bool  # True for `can`, False for `cannot`
    on: str
    ref: SourceRef  # the entry in the configuration file


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent:
    """What the user declared in the configuration (the catalog's DECLARED inputs)."""

    public_buckets: tuple[str, ...] = ()  # bucket names or logical ids/addresses
    external_accounts: tuple[str, ...] = ()
    expected_countries: tuple[str, ...] = ()
    account_id: str | None = None
    organization_policies: tuple[str, ...] = ()  # SCP JSON files, paths as the CLI can open
    expect: tuple[Expectation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckContext:
    graph: AccessGraph
    model: Model
    intent: Intent = field(default_factory=Intent)
