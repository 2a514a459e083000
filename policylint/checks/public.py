"""S3's definition of a "public" bucket policy and ACL (Block Public Access, S3-BPA)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from policylint.model import PublicAccessBlock
from policylint.policy.document import Effect
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.model import Bucket
    from policylint.policy.document import PolicyDocument, Principals, Statement

# Condition keys that make a statement non-public when pinned to fixed values.
_FIXED_KEYS = frozenset(
    {
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:principalaccount",
        "aws:principalorgid",
        "aws:principalarn",
        "aws:userid",
        "aws:sourceip",
        "s3:dataaccesspointarn",
        "s3:dataaccesspointaccount",
    }
)
PUBLIC_CANNED = frozenset(
    {
        "PublicRead",
        "PublicReadWrite",
        "AuthenticatedRead",
        "public-read",
        "public-read-write",
        "authenticated-read",
    }
)
_PUBLIC_GROUPS = ("/global/AllUsers", "/global/AuthenticatedUsers")


def _wild_principal(pr: Principals | None) -> bool:
    return pr is not None and (pr.wildcard or any("*" in a for a in pr.aws))


def _narrow_cidr(value: str) -> bool:
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return net.prefixlen >= (8 if net.version == 4 else 32)


def _restricts(st: Statement) -> bool:
    """A condition pins the statement to fixed principals, accounts, networks or sources."""
    for c in st.conditions:
        op = c.operator.lower()
        if c.key.lower() not in _FIXED_KEYS or "not" in op or op.endswith("ifexists"):
            continue
        if not c.values or any("*" in v or "?" in v for v in c.values):
            continue
        if c.key.lower() == "aws:sourceip" and not all(_narrow_cidr(v) for v in c.values):
            continue
        return True
    return False


def public_statements(doc: PolicyDocument) -> tuple[Statement, ...]:
    """Allow statements that S3 considers public."""
    return tuple(
        st
        for st in doc.statements
        if st.effect is Effect.ALLOW
        and (_wild_principal(st.principals) or st.not_principals is not None)
        and not _restricts(st)
    )


def is_public(doc: PolicyDocument | Unknown | None) -> Tri:
    if doc is None:
        return Tri.FALSE
    if isinstance(doc, Unknown):
        return Tri.MAYBE
    if public_statements(doc):
        return Tri.TRUE
    unknown = doc.unknown or any(st.unknown for st in doc.statements)
    return Tri.MAYBE if unknown else Tri.FALSE


def cross_account_statements(doc: PolicyDocument) -> tuple[Statement, ...]:
    """Allow statements naming specific AWS principals (other accounts, roles, users)."""
    return tuple(
        st
        for st in doc.statements
        if st.effect is Effect.ALLOW
        and st.principals is not None
        and any(a != "*" and "cloudfront:user/" not in a for a in st.principals.aws)
    )


def public_acl(bucket: Bucket) -> Tri:
    """Does the bucket's ACL grant AllUsers or AuthenticatedUsers?"""
    if isinstance(bucket.acl, Unknown):
        return Tri.MAYBE
    canned = bucket.acl in PUBLIC_CANNED
    granted = any(g.endswith(_PUBLIC_GROUPS) for g in bucket.acl_grantees)
    return Tri.of(canned or granted)


def bpa_setting(bucket: Bucket, field: str) -> Tri:
    """One effective bucket-level Block Public Access setting (absent configuration: on)."""
    pab = bucket.public_access_block
    if pab is None:
        return Tri.TRUE
    if isinstance(pab, Unknown):
        return Tri.MAYBE
    value = getattr(pab, field)
    return Tri.MAYBE if isinstance(value, Unknown) else Tri.of(bool(value))


def pab_ref(bucket: Bucket) -> PublicAccessBlock | None:
    pab = bucket.public_access_block
    return pab if isinstance(pab, PublicAccessBlock) else None
