"""What the S3/KMS access rules share: declared intent, foreign principals, workload roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.callers import bucket_policy_doc
from policylint.checks.iam_eval import evaluate as iam_evaluate
from policylint.checks.iam_eval import request as role_request
from policylint.checks.iam_eval import role_policies
from policylint.checks.public import is_public
from policylint.graph import ANONYMOUS
from policylint.graph_types import EndpointKind
from policylint.policy.decision import PolicySet
from policylint.policy.document import Effect, PolicyDocument
from policylint.policy.matching import equals, match_action, match_arn
from policylint.policy.principals import split_arn
from policylint.values import Tri, Unknown, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.iam_eval import RolePolicies
    from policylint.graph_workloads import Wire
    from policylint.model import AccountPublicAccessBlock, Bucket, Role
    from policylint.policy.decision import Decision
    from policylint.policy.document import Statement

OBJECT = sym("s3:object-key")
_ACCOUNT = re.compile(r"^[0-9]{12}$")


def objects(bucket: Bucket) -> str:
    return f"{bucket.arn}/{OBJECT}"


def declared_public(ctx: CheckContext, bucket: Bucket) -> bool:
    """The configuration's public-buckets names the bucket (name, logical id or address)."""
    names = {bucket.name, bucket.bucket_name, bucket.id.rsplit("#", 1)[-1]}
    return any(p in names for p in ctx.intent.public_buckets)


def anonymous_readers(ctx: CheckContext, bucket: Bucket) -> list[str]:
    """Why anonymous callers read the bucket: declared, public policy, unsigned origin."""
    why: list[str] = []
    if declared_public(ctx, bucket):
        why.append("declared public in the configuration (public-buckets)")
    if is_public(bucket_policy_doc(ctx.graph, bucket)) is Tri.TRUE:
        why.append("its bucket policy grants public read")
    for view in ctx.graph.views_of(bucket):
        if not view.behaviors:
            continue
        if view.endpoint.kind is EndpointKind.WEBSITE:
            why.append(f"distribution {view.distribution.name} uses its website endpoint")
        elif ctx.graph.caller_for(view) is ctx.graph.obj(ANONYMOUS):
            why.append(f"distribution {view.distribution.name} fetches it unsigned (no OAC/OAI)")
    return list(dict.fromkeys(why))


def account_pab(ctx: CheckContext, bucket: Bucket) -> AccountPublicAccessBlock | None:
    """An account-level Block Public Access of the same Terraform module as the bucket."""
    where = bucket.id.rsplit("#", 1)[0]
    for pab in ctx.model.account_public_access_blocks:
        if pab.id.rsplit("#", 1)[0] == where and pab.account in ("", bucket.account):
            return pab
    return None


def account_setting(ctx: CheckContext, bucket: Bucket, field: str) -> Tri:
    pab = account_pab(ctx, bucket)
    if pab is None:
        return Tri.FALSE  # not supplied: unknown account state is out of scope (catalog 6)
    value = getattr(pab, field)
    return Tri.MAYBE if isinstance(value, Unknown) else Tri.of(bool(value))


def covers(st: Statement, action: str, resource: str) -> Tri:
    """Does the statement's Action/Resource part cover `action` on `resource`?"""
    if st.actions is not None:
        act = Tri.FALSE
        for a in st.actions:
            act = act | match_action(a, action)
    else:
        act = ~_any(match_action(a, action) for a in st.not_actions or ())
    if st.resources is not None:
        res = _any(match_arn(r, resource) for r in st.resources)
    else:
        res = ~_any(match_arn(r, resource) for r in st.not_resources or ())
    return act & res


def _any(values: Iterator[Tri] | list[Tri] | tuple[Tri, ...]) -> Tri:
    out = Tri.FALSE
    for v in values:
        out = out | v
    return out


def account_of(entry: str) -> str | None:
    if _ACCOUNT.match(entry):
        return entry
    parts = split_arn(entry)
    return parts[4] or None if parts else None


@dataclass(frozen=True, slots=True)
class Foreign:
    """A principal of another account granted by a bucket policy statement."""

    principal: str
    account: str
    statement: Statement
    certain: bool  # declared, or known to differ; else a literal account vs a symbolic one


def other_account(ctx: CheckContext, entry: str, own: str) -> bool | None:
    """True: another account for sure; None: probably (literal vs symbolic); False: same."""
    acct = account_of(entry)
    if acct is None:
        return False
    if entry in ctx.intent.external_accounts or acct in ctx.intent.external_accounts:
        return True
    if ctx.intent.account_id is not None and _ACCOUNT.match(acct):
        return acct != ctx.intent.account_id
    same = equals(acct, own)
    if same is Tri.FALSE:
        return True
    if same is Tri.MAYBE and _ACCOUNT.match(acct):
        return None
    return False


def foreign_grants(
    ctx: CheckContext, bucket: Bucket, doc: PolicyDocument, action: str
) -> list[Foreign]:
    """Allow statements that let principals of other accounts do `action` on the objects."""
    out: list[Foreign] = []
    for st in doc.statements:
        if st.effect is not Effect.ALLOW or st.principals is None or st.unknown:
            continue
        if covers(st, action, objects(bucket)) is not Tri.TRUE:
            continue
        for entry in st.principals.aws:
            if entry == "*" or "cloudfront:user/" in entry:
                continue
            other = other_account(ctx, entry, bucket.account)
            if other is not False:
                acct = account_of(entry) or entry
                out.append(Foreign(entry, acct, st, certain=other is True))
    return out


def bucket_doc(ctx: CheckContext, bucket: Bucket) -> PolicyDocument | None:
    doc = bucket_policy_doc(ctx.graph, bucket)
    return doc if isinstance(doc, PolicyDocument) and not doc.unknown else None


@dataclass(frozen=True, slots=True)
class Use:
    """A workload handed a bucket whose role's IAM policies allow `action` on its objects."""

    role: Role
    wire: Wire
    policies: RolePolicies


@dataclass(frozen=True, slots=True)
class RoleUse:
    """A role of the run that uses a bucket: wired to it and allowed the action by IAM."""

    role: Role
    workload: str
    variable: str
    policies: RolePolicies


def workload_uses(ctx: CheckContext, bucket: Bucket, action: str) -> list[Use]:
    """Each workload handed the bucket whose role's identity policies allow `action` on it."""
    out: list[Use] = []
    seen: set[str] = set()
    for role, wire in ctx.graph.roles_wired_to(bucket.id):
        if wire.workload.id in seen:
            continue
        pol = role_policies(ctx.model, role)
        if identity_decision(role, pol, action, objects(bucket)).allowed:
            seen.add(wire.workload.id)
            out.append(Use(role, wire, pol))
    return out


def roles_using(ctx: CheckContext, bucket: Bucket, action: str) -> list[RoleUse]:
    """The same, once per role (the first workload that hands it the bucket)."""
    out: list[RoleUse] = []
    seen: set[str] = set()
    for use in workload_uses(ctx, bucket, action):
        if use.role.id not in seen:
            seen.add(use.role.id)
            out.append(RoleUse(use.role, use.wire.workload.name, use.wire.variable, use.policies))
    return out


def identity_decision(role: Role, pol: RolePolicies, action: str, resource: str) -> Decision:
    return iam_evaluate(role_request(role, action, resource), PolicySet(identity=pol.docs))
