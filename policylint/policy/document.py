"""Parsed policy documents. Plain data; parsing lives in `policylint.policy.parse`."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.source import SourceRef


class Effect(enum.Enum):
    ALLOW = "Allow"
    DENY = "Deny"


@dataclass(frozen=True, slots=True)
class Principals:
    """A `Principal` / `NotPrincipal` element. `wildcard` is "*" or {"AWS": "*"}."""

    wildcard: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionClause:
    """One operator + key + values, e.g. ("ForAnyValue:StringLikeIfExists", "aws:SourceArn")."""

    operator: str
    key: str
    values: tuple[str, ...]
    ref: SourceRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    effect: Effect
    sid: str | None = None
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principals: Principals | None = None
    not_principals: Principals | None = None
    conditions: tuple[ConditionClause, ...] = ()
    ref: SourceRef | None = None
    index: int = 0
    # Parts of this statement that could not be resolved (e.g. an unknown Condition block):
    # wherever it would otherwise match, the statement matches only MAYBE.
    unknown: tuple[str, ...] = ()

    def label(self) -> str:
        """A short name for messages: the Sid, or the statement's index."""
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index + 1}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyDocument:
    """A policy. `unknown` lists reasons for parts that could not be resolved before deploy;
    a document with unknown parts can never yield a definite decision on its own."""

    statements: tuple[Statement, ...]
    version: str | None = None
    ref: SourceRef | None = None
    name: str | None = None
    unknown: tuple[str, ...] = ()
