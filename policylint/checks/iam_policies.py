"""Which policy documents the run holds, with the role(s) each one is an identity policy of."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.iam_eval import role_policies
from policylint.policy.document import PolicyDocument
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.model import Model, Role
    from policylint.source import SourceRef


class DocKind(enum.Enum):
    IDENTITY = "identity policy"
    TRUST = "trust policy"
    BUCKET = "bucket policy"
    KEY = "key policy"
    QUEUE = "queue policy"
    SCP = "service control policy"
    ENDPOINT = "VPC endpoint policy"
    API = "API resource policy"


@dataclass(frozen=True, slots=True)
class OwnedDoc:
    """A policy document and where it lives: `owner` is what users call that resource."""

    doc: PolicyDocument
    kind: DocKind
    owner: str
    ref: SourceRef
    roles: tuple[Role, ...] = ()  # identity policies: the roles it belongs to


def documents(model: Model) -> Iterator[OwnedDoc]:
    """Every readable policy document of the run, once each."""
    owners: dict[int, list[Role]] = {}
    for role in model.roles:
        for doc in role_policies(model, role).docs:
            owners.setdefault(id(doc), []).append(role)
    for role in model.roles:
        if isinstance(role.trust_policy, PolicyDocument):
            yield OwnedDoc(role.trust_policy, DocKind.TRUST, role.name, role.ref)
        for inline in role.inline_policies:
            if isinstance(inline, PolicyDocument):
                roles = tuple(owners.get(id(inline), ()))
                yield OwnedDoc(inline, DocKind.IDENTITY, role.name, role.ref, roles)
    for mp in model.managed_policies:
        if isinstance(mp.document, PolicyDocument):
            roles = tuple(owners.get(id(mp.document), ()))
            yield OwnedDoc(mp.document, DocKind.IDENTITY, mp.name, mp.ref, roles)
    for bp in model.bucket_policies:
        if isinstance(bp.document, PolicyDocument):
            yield OwnedDoc(bp.document, DocKind.BUCKET, bp.name, bp.ref)
    for key in model.keys:
        if isinstance(key.policy, PolicyDocument):
            yield OwnedDoc(key.policy, DocKind.KEY, key.name, key.ref)
    for qp in model.queue_policies:
        if isinstance(qp.document, PolicyDocument):
            yield OwnedDoc(qp.document, DocKind.QUEUE, qp.name, qp.ref)
    for scp in model.scps:
        if isinstance(scp.document, PolicyDocument):
            yield OwnedDoc(scp.document, DocKind.SCP, scp.name, scp.ref)
    for ep in model.vpc_endpoints:
        policy = getattr(ep, "policy", None)
        if isinstance(policy, PolicyDocument):
            yield OwnedDoc(policy, DocKind.ENDPOINT, ep.name, ep.ref)
    for api in model.rest_apis:
        policy = getattr(api, "policy", None)
        if isinstance(policy, PolicyDocument) and not isinstance(policy, Unknown):
            yield OwnedDoc(policy, DocKind.API, api.name, api.ref)


def siblings(owned: OwnedDoc, model: Model) -> tuple[PolicyDocument, ...]:
    """The documents evaluated together with this one (all of its roles' identity policies)."""
    if not owned.roles:
        return (owned.doc,)
    docs: dict[int, PolicyDocument] = {}
    for role in owned.roles:
        for d in role_policies(model, role).docs:
            docs[id(d)] = d
    return tuple(docs.values())
