"""Who is calling, and does a `Principal` / `NotPrincipal` element name them.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html:
an account id and ``arn:aws:iam::ID:root`` both name the account (a grant to it delegates to
the account's IAM policies); a role ARN covers every session of the role; a session ARN only
that session; ``"*"`` and ``{"AWS": "*"}`` everyone, anonymous callers included.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from policylint.policy.matching import equals
from policylint.values import SYM_CLOSE, SYM_OPEN, Tri, sym

if TYPE_CHECKING:
    from policylint.policy.document import Principals

_ACCOUNT_SYM = sym("AWS::AccountId")


class CallerKind(enum.Enum):
    IAM = "iam"  # user, role, role session, federated user, root
    SERVICE = "service"  # cloudfront.amazonaws.com
    ANONYMOUS = "anonymous"  # "*"
    OTHER = "other"  # canonical user id, symbol, anything else


def split_arn(value: str) -> list[str] | None:
    """Split an ARN into its 6 parts (colons inside symbols do not count)."""
    if not value.startswith("arn:"):
        return None
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(value):
        if ch == SYM_OPEN:
            depth += 1
        elif ch == SYM_CLOSE:
            depth -= 1
        elif ch == ":" and depth == 0 and len(parts) < 5:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts if len(parts) == 6 else None


@dataclass(frozen=True, slots=True)
class Caller:
    kind: CallerKind
    arn: str
    account: str | None = None
    role_name: str | None = None  # for a role ARN or a role session
    is_session: bool = False
    is_role: bool = False
    is_root: bool = False
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def parse_caller(principal: str, account: str | None, aliases: tuple[str, ...] = ()) -> Caller:
    """Classify the request's principal string."""
    if principal == "*":
        return Caller(CallerKind.ANONYMOUS, principal, aliases=aliases)
    parts = split_arn(principal)
    if parts is None:
        if SYM_OPEN not in principal and "." in principal and "/" not in principal:
            return Caller(CallerKind.SERVICE, principal, aliases=aliases)
        return Caller(CallerKind.OTHER, principal, account, aliases=aliases)
    service, res = parts[2], parts[5]
    acct = account or parts[4] or None
    if service == "sts" and res.startswith("assumed-role/"):
        bits = res.split("/")
        name = bits[1] if len(bits) > 2 else None
        return Caller(CallerKind.IAM, principal, acct, name, is_session=True, aliases=aliases)
    if service == "sts" and res.startswith("federated-user/"):
        return Caller(CallerKind.IAM, principal, acct, is_session=True, aliases=aliases)
    if service == "iam" and res.startswith("role/"):
        name = res.rsplit("/", 1)[-1]
        return Caller(CallerKind.IAM, principal, acct, name, is_role=True, aliases=aliases)
    if service == "iam" and res == "root":
        return Caller(CallerKind.IAM, principal, acct, is_root=True, aliases=aliases)
    return Caller(CallerKind.IAM, principal, acct, aliases=aliases)


@dataclass(frozen=True, slots=True)
class PrincipalMatch:
    """How a Principal element names the caller.

    direct: the caller itself (user, session, root, service, "*"); role: the caller's role
    ARN (limited by boundary and session policy); account: the caller's account (delegation).
    """

    direct: Tri = Tri.FALSE
    role: Tri = Tri.FALSE
    account: Tri = Tri.FALSE

    @property
    def any(self) -> Tri:
        return self.direct | self.role | self.account


NO_MATCH = PrincipalMatch()
ALL_MATCH = PrincipalMatch(direct=Tri.TRUE)


def _eq(a: str | None, b: str | None) -> Tri:
    if a is None or b is None:
        return Tri.MAYBE
    return equals(a, b)


def _entry_account(entry: str) -> str | None:
    """The account an AWS principal entry names as a whole (id or root ARN), else None."""
    if entry == _ACCOUNT_SYM or (entry.isdigit() and len(entry) == 12):
        return entry
    parts = split_arn(entry)
    if parts and parts[2] == "iam" and parts[5] == "root":
        return parts[4]
    return None


def _opaque(entry: str) -> bool:
    # A symbol standing for the whole entry: it could be an account, a role, a user...
    return entry.startswith(SYM_OPEN) and entry.endswith(SYM_CLOSE) and entry.count(SYM_OPEN) == 1


def _aws_entry(entry: str, c: Caller) -> PrincipalMatch:
    if c.kind is not CallerKind.IAM and c.kind is not CallerKind.OTHER:
        return NO_MATCH
    direct = _eq(entry, c.arn)
    for alias in c.aliases:
        direct = direct | equals(entry, alias)
    if _opaque(entry) and entry != c.arn:
        return PrincipalMatch(direct=direct | Tri.MAYBE, role=Tri.MAYBE, account=Tri.MAYBE)
    acct = _entry_account(entry)
    if acct is not None:
        if c.is_root:
            return PrincipalMatch(direct=_eq(acct, c.account))
        return PrincipalMatch(direct=direct, account=_eq(acct, c.account))
    parts = split_arn(entry)
    if parts and parts[2] == "iam" and parts[5].startswith("role/") and (c.is_role or c.is_session):
        name = parts[5].rsplit("/", 1)[-1]
        same = _eq(parts[4], c.account) & _eq(name, c.role_name)
        if c.is_role:
            return PrincipalMatch(role=same | direct)
        return PrincipalMatch(direct=direct, role=same)
    return PrincipalMatch(direct=direct)


def match_principals(p: Principals, c: Caller) -> PrincipalMatch:
    """Does the Principal element `p` name caller `c`, and how."""
    if p.wildcard:
        return ALL_MATCH
    direct = role = account = Tri.FALSE
    for entry in p.aws:
        m = _aws_entry(entry, c)
        direct, role, account = direct | m.direct, role | m.role, account | m.account
        if direct is Tri.TRUE:
            break
    if c.kind is not CallerKind.ANONYMOUS:
        for entry in (*p.service, *p.federated, *p.canonical_user):
            for name in (c.arn, *c.aliases):
                direct = direct | equals(entry, name)
    return PrincipalMatch(direct, role, account)


def _covers(entries: Principals, identity: str, kind: str, c: Caller) -> Tri:
    """Does a NotPrincipal entry list this identity of the caller's chain?"""
    if entries.wildcard:
        return Tri.TRUE
    out = Tri.FALSE
    if kind == "account":
        for entry in entries.aws:
            acct = _entry_account(entry)
            if acct is not None:
                out = out | _eq(acct, c.account)
            elif _opaque(entry):
                out = out | Tri.MAYBE
        return out
    if kind == "role":
        for entry in entries.aws:
            parts = split_arn(entry)
            if parts and parts[2] == "iam" and parts[5].startswith("role/"):
                name = parts[5].rsplit("/", 1)[-1]
                out = out | (_eq(parts[4], c.account) & _eq(name, c.role_name))
            elif _opaque(entry):
                out = out | Tri.MAYBE
        return out
    for entry in (*entries.aws, *entries.service, *entries.federated, *entries.canonical_user):
        for name in (identity, *c.aliases):
            out = out | equals(entry, name)
    return out


def not_principal_applies(entries: Principals, c: Caller) -> Tri:
    """A NotPrincipal statement applies unless every identity in the caller's chain is listed.

    AWS checks the account, then the role, then the session, so excluding a role session
    needs all three (reference_policies_elements_notprincipal.html); anonymous callers are
    never excluded.
    """
    if c.kind is CallerKind.ANONYMOUS:
        return Tri.FALSE if entries.wildcard else Tri.TRUE
    chain: list[tuple[str, str]] = [(c.arn, "self")]
    if c.kind is CallerKind.IAM:
        if c.is_session and c.role_name is not None:
            chain.append(("", "role"))
        if not c.is_root:
            chain.append(("", "account"))
    excluded = Tri.TRUE
    for identity, kind in chain:
        excluded = excluded & _covers(entries, identity, kind, c)
    return ~excluded
