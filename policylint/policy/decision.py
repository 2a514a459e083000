"""Requests to the evaluator and the decisions it returns, with their reasons."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument, Statement

ContextValue = str | tuple[str, ...]


class Outcome(enum.Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit_deny"
    IMPLICIT_DENY = "implicit_deny"
    UNKNOWN = "unknown"

    @property
    def denied(self) -> bool:
        return self in (Outcome.EXPLICIT_DENY, Outcome.IMPLICIT_DENY)


class Layer(enum.Enum):
    """The policy type that decided (or lacked an allow)."""

    SCP = "scp"
    RCP = "rcp"
    RESOURCE = "resource_policy"
    IDENTITY = "identity_policy"
    BOUNDARY = "permissions_boundary"
    SESSION = "session_policy"


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """One API call. `principal` is an ARN, a service principal name, or "*" (anonymous).

    Accounts are strings (possibly symbolic); None means "not stated": then the principal's
    account is taken from its ARN and the resource's from `resource_account` or its ARN.
    The context is used exactly as given.
    """

    principal: str
    action: str
    resource: str
    resource_account: str | None = None
    principal_account: str | None = None
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    # Other names of the same principal, e.g. an OAI's canonical user id next to its IAM ARN.
    principal_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicySet:
    """Every policy that applies to a request. None = that layer does not exist."""

    identity: tuple[PolicyDocument, ...] = ()
    resource: PolicyDocument | None = None
    boundaries: tuple[PolicyDocument, ...] | None = None
    scps: tuple[tuple[PolicyDocument, ...], ...] | None = None  # one tuple per level from root
    rcps: tuple[tuple[PolicyDocument, ...], ...] | None = None
    session: PolicyDocument | None = None
    # KMS: the key policy is the resource policy, and IAM counts only if the key policy
    # delegates to the account. Trust policies: resource policy of sts:AssumeRole.
    resource_is_key_policy: bool = False


@dataclass(frozen=True, slots=True)
class StatementMatch:
    """A statement that took part in the decision, and the policy it belongs to."""

    layer: Layer
    statement: Statement
    policy: PolicyDocument


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    outcome: Outcome
    layer: Layer | None = None  # deciding layer: the deny's, or the one lacking an allow
    statements: tuple[StatementMatch, ...] = ()  # deciding denies, or the allows used
    missing_keys: tuple[str, ...] = ()  # condition keys absent from the context
    unknown_reasons: tuple[str, ...] = ()  # why the outcome is UNKNOWN
    reasons: tuple[str, ...] = ()  # human-readable trace, in evaluation order
    # For UNKNOWN: the outcomes still possible (e.g. both denials, so "denied" is certain).
    possible: tuple[Outcome, ...] = ()

    @property
    def certainly_denied(self) -> bool:
        """Denied whatever the unknown values turn out to be."""
        if self.outcome is Outcome.UNKNOWN:
            return bool(self.possible) and all(o.denied for o in self.possible)
        return self.outcome.denied

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOW
