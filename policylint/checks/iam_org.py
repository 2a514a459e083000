"""IAM020: cross-account grants, allowed on one side only. A request from a role of account A
to a resource of account B needs an Allow in B's resource policy *and* in the role's identity
policies (after its permissions boundary). Both sides are in the run when the configuration's
`accounts` gives each input its account; otherwise the other side is outside the run (info)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from policylint.accounts import scope_of
from policylint.checks.context import CheckContext
from policylint.checks.iam_deploy import admin_policy
from policylint.checks.iam_eval import (
    allow_statements,
    boundary_of,
    context_for,
    denied_for_sure,
    evaluate,
    role_policies,
)
from policylint.checks.iam_policies import DocKind, OwnedDoc, documents
from policylint.findings import Hit, Severity, TraceStep
from policylint.model import Role
from policylint.policy.decision import Decision, Layer, Outcome, PolicySet, Request
from policylint.policy.document import Effect, PolicyDocument, Statement
from policylint.policy.matching import match_arn
from policylint.source import SourceRef
from policylint.values import Tri, has_symbol, render, sym

_ACCOUNT = re.compile(r"^(?:arn:[^:]+:(?:iam|sts)::)?(\d{12})(?::|$)")
_LITERAL_ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True, slots=True)
class _Target:
    """A bucket or key of the run with its resource policy (None: a bucket without one)."""

    name: str
    kind: str  # "bucket policy" / "key policy"
    arns: tuple[str, ...]
    doc: PolicyDocument | None
    account: str
    ref: SourceRef
    is_key: bool


def _account_of(ctx: CheckContext, ref: SourceRef) -> str | None:
    scope = scope_of(ctx.intent, ref.file)
    return scope.account_id if scope else ctx.intent.account_id


def _targets(ctx: CheckContext) -> list[_Target]:
    out: list[_Target] = []
    policies = {bp.bucket: bp for bp in ctx.model.bucket_policies if isinstance(bp.bucket, str)}
    for b in ctx.model.buckets:
        account = _account_of(ctx, b.ref)
        if account is None:
            continue
        bp = policies.get(b.bucket_name)
        if bp is not None and not isinstance(bp.document, PolicyDocument):
            continue  # a policy that cannot be read: its grants are unknown
        doc = bp.document if bp is not None and isinstance(bp.document, PolicyDocument) else None
        arns = (b.arn, f"{b.arn}/{sym('object-key')}")
        out.append(_Target(b.name, "bucket policy", arns, doc, account, b.ref, False))
    for k in ctx.model.keys:
        account = _account_of(ctx, k.ref)
        if account is not None and isinstance(k.policy, PolicyDocument):
            out.append(_Target(k.name, "key policy", (k.arn,), k.policy, account, k.ref, True))
    return out


@dataclass(frozen=True, slots=True)
class _Side:
    """A role whose every identity policy (and boundary) is in the run."""

    role: Role
    docs: tuple[PolicyDocument, ...]
    boundary: PolicyDocument | None


def _sides(ctx: CheckContext) -> list[_Side]:
    out: list[_Side] = []
    for role in ctx.model.roles:
        if not _LITERAL_ACCOUNT.match(role.account):
            continue
        pol = role_policies(ctx.model, role)
        boundary = boundary_of(ctx.model, role)
        if pol.complete and (boundary is None or isinstance(boundary, PolicyDocument)):
            out.append(_Side(role, pol.docs, boundary))
    return out


def _request(role: Role, action: str, resource: str, account: str) -> Request:
    m = re.match(r"^arn:([a-z-]+):", resource)  # the partition, if the resource spells it
    principal = role.arn.replace(sym("AWS::Partition"), m.group(1)) if m else role.arn
    return Request(
        principal=principal,
        action=action,
        resource=resource,
        resource_account=account,
        context=context_for(role, action),
    )


def _identity(side: _Side, req: Request) -> Decision:
    """The principal's side alone: its identity policies and boundary, asked as if the
    resource were in its own account (where they alone decide)."""
    bounds = (side.boundary,) if side.boundary is not None else None
    own = dataclasses.replace(req, resource_account=side.role.account)
    return evaluate(own, PolicySet(identity=side.docs, boundaries=bounds))


def _resource(t: _Target, req: Request) -> Decision | None:
    """The resource's side alone (an identity policy that allows everything stands in for the
    other side); None for a bucket without a policy, which grants other accounts nothing."""
    if t.doc is None:
        return None
    ps = PolicySet(identity=(admin_policy(),), resource=t.doc, resource_is_key_policy=t.is_key)
    return evaluate(req, ps)


def _names(principal: str, role: Role) -> bool:
    """Does a principal ARN as written name this role (partition written out or symbolic)?"""
    if principal == role.arn:
        return True
    m = re.match(r"^arn:([a-z-]+):", principal)
    return m is not None and role.arn.replace(sym("AWS::Partition"), m.group(1)) == principal


def _concrete(actions: tuple[str, ...] | None) -> list[str]:
    return [a for a in actions or () if "*" not in a and "?" not in a and not has_symbol(a)]


def two_sided(ctx: CheckContext) -> tuple[list[Hit], set[tuple[int, int, str]]]:
    """Errors for grants allowed on one side only; and the (owner, statement, principal)
    grants that were decided, so that the info note is not repeated for them."""
    hits: list[Hit] = []
    decided: set[tuple[int, int, str]] = set()  # (id of the document, statement, principal)
    sides = _sides(ctx)
    if not sides:
        return hits, decided
    targets = _targets(ctx)
    seen: set[tuple[str, str, str]] = set()
    for t in targets:  # the resource grants, the identity side does not
        for st in t.doc.statements if t.doc else ():
            if st.effect is not Effect.ALLOW or st.principals is None:
                continue
            for p in st.principals.aws:
                side = next((s for s in sides if _names(p, s.role)), None)
                if side is None or side.role.account == t.account:
                    continue
                decided.add((id(t.doc), st.index, p))
                for action in _concrete(st.actions):
                    hit = _resource_only(t, st, side, action, seen)
                    if hit is not None:
                        hits.append(hit)
    for side in sides:  # the identity grants, the resource does not
        for _, st in allow_statements(side.docs):
            for action in _concrete(st.actions):
                for t in targets:
                    if t.account != side.role.account:
                        hit = _identity_only(t, st, side, action, seen)
                        if hit is not None:
                            hits.append(hit)
    return hits, decided


def _arn_for(t: _Target, patterns: tuple[str, ...] | None) -> tuple[str, str] | None:
    """The target ARN the statement names for certain (never through "*" alone); a pattern
    that spells the partition out names the ARN in that partition. Returns (ARN, pattern)."""
    for arn in t.arns:
        for r in patterns or ():
            m = re.match(r"^arn:([a-z-]+):", r)
            spelled = arn.replace(sym("AWS::Partition"), m.group(1)) if m else arn
            if r != "*" and match_arn(r, spelled) is Tri.TRUE:
                return spelled, r
    return None


def _resource_only(
    t: _Target, st: Statement, side: _Side, action: str, seen: set[tuple[str, str, str]]
) -> Hit | None:
    named = _arn_for(t, st.resources)
    key = (t.name, side.role.name, action)
    if named is None or key in seen:
        return None
    arn, pattern = named
    req = _request(side.role, action, arn, t.account)
    res = _resource(t, req)
    ident = _identity(side, req)
    if res is None or not res.allowed or not denied_for_sure(ident):
        return None
    seen.add(key)
    r = side.role
    bounded = ident.layer is Layer.BOUNDARY
    lacks = "its permissions boundary does not" if bounded else "its identity policies do not"
    lacks += " allow it"
    msg = (
        f"{t.kind} of {t.name} (account {t.account}) grants role {r.name} (account {r.account}) "
        f"{action} ({st.label()}), but {lacks}: a cross-account request needs an Allow on both "
        "sides, so it is denied"
    )
    snippet = {"Effect": "Allow", "Action": action, "Resource": render(pattern)}
    return Hit(
        ref=st.ref or t.ref,
        resource=t.name,
        message=msg,
        fix=f"Add to an identity policy of {r.name}: {json.dumps(snippet)}",
        key=f"{t.name}|{r.name}|{action}|identity",
        trace=(
            TraceStep(f"{t.kind} of {t.name}: {st.label()} allows {r.name} {action}", st.ref),
            TraceStep(f"role {r.name} (account {r.account}): {lacks}", r.ref, True),
        ),
    )


def _identity_only(
    t: _Target, st: Statement, side: _Side, action: str, seen: set[tuple[str, str, str]]
) -> Hit | None:
    named = _arn_for(t, st.resources)
    key = (t.name, side.role.name, action)
    if named is None or key in seen:
        return None
    arn, pattern = named
    req = _request(side.role, action, arn, t.account)
    if not _identity(side, req).allowed:
        return None
    res = _resource(t, req)
    if res is not None and not denied_for_sure(res):
        return None
    seen.add(key)
    r = side.role
    if res is None:
        how = f"{t.name} has no bucket policy"
    elif res.outcome is Outcome.EXPLICIT_DENY:
        how = f"the {t.kind} of {t.name} denies it"
    else:
        how = f"the {t.kind} of {t.name} does not allow it"
    msg = (
        f"role {r.name} (account {r.account}) is granted {action} on {t.name} (account "
        f"{t.account}) by {st.label()}, but {how}: a cross-account request needs an Allow on "
        "both sides, so it is denied"
    )
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": render(req.principal)},
        "Action": action,
        "Resource": render(pattern),
    }
    return Hit(
        ref=st.ref or r.ref,
        resource=r.name,
        message=msg,
        fix=f"Add to the {t.kind} of {t.name}: {json.dumps(grant)}",
        key=f"{t.name}|{r.name}|{action}|resource",
        trace=(
            TraceStep(f"role {r.name}: {st.label()} allows {action} on {t.name}", st.ref),
            TraceStep(f"account {t.account}: {how}", t.ref, True),
        ),
    )


def _where(owned: OwnedDoc, st: Statement) -> SourceRef:
    return st.ref or owned.doc.ref or owned.ref


def check_iam020(ctx: CheckContext) -> Iterator[Hit]:
    """Cross-account grants: an error when one side is in the run and lacks the Allow; info
    when the other account's side is outside the run."""
    hits, decided = two_sided(ctx)
    yield from hits
    for owned in documents(ctx.model):
        if owned.kind not in (DocKind.BUCKET, DocKind.KEY, DocKind.QUEUE):
            continue
        own = _account_of(ctx, owned.ref)
        for st in owned.doc.statements:
            if st.effect is not Effect.ALLOW or st.principals is None:
                continue
            for principal in st.principals.aws:
                m = _ACCOUNT.match(principal)
                if m is None or m.group(1) == own:
                    continue
                if (id(owned.doc), st.index, principal) in decided:
                    continue
                yield _info(owned, st, principal, m.group(1), own)


def _info(owned: OwnedDoc, st: Statement, principal: str, account: str, own: str | None) -> Hit:
    actions = ", ".join(st.actions or ("(NotAction)",))
    other = "another account" if own else "another account than the stack's"
    label = f"{st.label()} of {owned.kind.value} {owned.doc.name or owned.owner}"
    msg = (
        f"{label} grants {actions} to {principal} (account {account}); if that is {other}, "
        "the access also needs an Allow in the principal's identity policies, which are not "
        "in the run"
    )
    return Hit(
        ref=_where(owned, st),
        resource=owned.owner,
        message=msg,
        fix=f"Make sure account {account} allows {actions} on this resource",
        key=f"{owned.owner}|{st.index}|{principal}",
        trace=(TraceStep(msg, _where(owned, st)),),
        severity=Severity.INFO,
    )
