"""IAM020: cross-account grants, allowed on one side only. A request from a role of account A
to a resource of account B needs an Allow in B's resource policy *and* in the role's identity
policies (after its permissions boundary). Both sides are in the run when the configuration's
`accounts` gives each input its account; otherwise the other side is outside the run (info)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.apigw_support import permission_policy
from policylint.checks.fixes import fmt_of
from policylint.checks.iam_deploy import admin_policy
from policylint.checks.iam_eval import (
    allow_statements,
    boundary_of,
    context_for,
    denied_for_sure,
    evaluate,
    role_policies,
)
from policylint.checks.iam_org_targets import (
    TargetKind,
    account_of,
    fix_text,
    fix_value,
    resource_fix,
    targets,
)
from policylint.checks.iam_policies import DocKind, documents
from policylint.findings import Hit, Severity, TraceStep
from policylint.policy.decision import Layer, Outcome, PolicySet, Request
from policylint.policy.document import Effect, PolicyDocument
from policylint.policy.matching import match_arn
from policylint.values import Tri, has_symbol, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.fixes import Node
    from policylint.checks.iam_org_targets import (
        Target,
    )
    from policylint.model import Role
    from policylint.policy.decision import Decision
    from policylint.policy.document import Statement
    from policylint.source import SourceRef

_ACCOUNT = re.compile(r"^(?:arn:[^:]+:(?:iam|sts)::)?(\d{12})(?::|$)")
_LITERAL_ACCOUNT = re.compile(r"^\d{12}$")


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


def _resource(t: Target, req: Request) -> Decision | None:
    """The resource's side alone (an identity policy that allows everything stands in for the
    other side); None for a resource without a policy, which grants other accounts nothing."""
    if t.doc is None:
        return None
    key = t.kind is TargetKind.KEY
    ps = PolicySet(identity=(admin_policy(),), resource=t.doc, resource_is_key_policy=key)
    return evaluate(req, ps)


def _names(principal: str, role: Role) -> bool:
    """Does a principal ARN as written name this role (partition written out or symbolic)?"""
    if principal == role.arn:
        return True
    m = re.match(r"^arn:([a-z-]+):", principal)
    return m is not None and role.arn.replace(sym("AWS::Partition"), m.group(1)) == principal


def _concrete(actions: tuple[str, ...] | None, service: str) -> list[str]:
    """The actions written out in full, of the resource's service."""
    return [
        a
        for a in actions or ()
        if "*" not in a
        and "?" not in a
        and not has_symbol(a)
        and a.split(":")[0].lower() == service
    ]


def _decided_key(t: Target, st: Statement) -> str:
    """Which grant a principal entry belongs to (a Lambda permission, or a statement)."""
    if t.kind is TargetKind.FUNCTION:
        return f"perm:{st.sid}"
    return f"{t.origin or id(t.doc)}:{st.index}"


def two_sided(ctx: CheckContext) -> tuple[list[Hit], set[tuple[str, str]]]:
    """Errors for grants allowed on one side only; and the (grant, principal) pairs that
    were decided, so that the info note is not repeated for them."""
    hits: list[Hit] = []
    decided: set[tuple[str, str]] = set()
    sides = _sides(ctx)
    if not sides:
        return hits, decided
    found = targets(ctx)
    seen: set[tuple[str, str, str]] = set()
    for t in found:  # the resource grants, the identity side does not
        for st in t.doc.statements if t.doc else ():
            if st.effect is not Effect.ALLOW or st.principals is None:
                continue
            for p in st.principals.aws:
                side = next((s for s in sides if _names(p, s.role)), None)
                if side is None or side.role.account == t.account:
                    continue
                decided.add((_decided_key(t, st), p))
                for action in _concrete(st.actions, t.service):
                    hit = _resource_only(t, st, side, action, seen)
                    if hit is not None:
                        hits.append(hit)
    for side in sides:  # the identity grants, the resource does not
        for _, st in allow_statements(side.docs):
            for t in found:
                if t.account == side.role.account:
                    continue
                for action in _concrete(st.actions, t.service):
                    hit = _identity_only(t, st, side, action, seen)
                    if hit is not None:
                        hits.append(hit)
    return hits, decided


def _arn_for(t: Target, patterns: tuple[str, ...] | None, *, own: bool) -> tuple[str, str] | None:
    """The target ARN a statement names for certain; a pattern that spells the partition out
    names the ARN in that partition. In the resource's own policy (`own`), "*" names the
    resource itself; in an identity policy, a pattern must name this resource, not every
    resource of the type (it must not match the same ARN with another name). Returns
    (ARN, pattern)."""
    for arn, sibling in zip(t.arns, t.siblings, strict=True):
        for r in patterns or ():
            if r == "*":
                if own and t.whole:
                    return arn, r
                continue
            m = re.match(r"^arn:([a-z-]+):", r)
            part = m.group(1) if m else None
            spelled = arn.replace(sym("AWS::Partition"), part) if part else arn
            if match_arn(r, spelled) is not Tri.TRUE:
                continue
            other = sibling.replace(sym("AWS::Partition"), part) if part else sibling
            if own or match_arn(r, other) is not Tri.TRUE:
                return spelled, r
    return None


def _resource_only(
    t: Target, st: Statement, side: _Side, action: str, seen: set[tuple[str, str, str]]
) -> Hit | None:
    named = _arn_for(t, st.resources, own=True)
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
        f"{t.kind.value} of {t.name} (account {t.account}) grants role {r.name} (account "
        f"{r.account}) {action} ({st.label()}), but {lacks}: a cross-account request needs an "
        "Allow on both sides, so it is denied"
    )
    resource = arn if pattern == "*" else pattern
    snippet: dict[str, Node] = {
        "Effect": "Allow",
        "Action": action,
        "Resource": fix_value(resource),
    }
    where = t.where(st)
    return Hit(
        ref=where,
        resource=t.name,
        message=msg,
        fix=fix_text(f"Add to an identity policy of {r.name}", snippet, fmt_of(r.ref)),
        key=f"{t.name}|{r.name}|{action}|identity",
        trace=(
            TraceStep(f"{t.kind.value} of {t.name}: {st.label()} allows {r.name} {action}", where),
            TraceStep(f"role {r.name} (account {r.account}): {lacks}", r.ref, True),
        ),
    )


def _identity_only(
    t: Target, st: Statement, side: _Side, action: str, seen: set[tuple[str, str, str]]
) -> Hit | None:
    named = _arn_for(t, st.resources, own=False)
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
        how = f"{t.name} has no {t.kind.value}"
    elif res.outcome is Outcome.EXPLICIT_DENY:
        how = f"the {t.kind.value} of {t.name} denies it"
    else:
        how = f"the {t.kind.value} of {t.name} does not allow it"
    msg = (
        f"role {r.name} (account {r.account}) is granted {action} on {t.name} (account "
        f"{t.account}) by {st.label()}, but {how}: a cross-account request needs an Allow on "
        "both sides, so it is denied"
    )
    return Hit(
        ref=st.ref or r.ref,
        resource=r.name,
        message=msg,
        fix=resource_fix(t, req.principal, action, pattern),
        key=f"{t.name}|{r.name}|{action}|resource",
        trace=(
            TraceStep(f"role {r.name}: {st.label()} allows {action} on {t.name}", st.ref),
            TraceStep(f"account {t.account}: {how}", t.ref, True),
        ),
    )


def check_iam020(ctx: CheckContext) -> Iterator[Hit]:
    """Cross-account grants: an error when one side is in the run and lacks the Allow; info
    when the other account's side is outside the run."""
    hits, decided = two_sided(ctx)
    yield from hits
    for owned in _grants(ctx):
        for st in owned.doc.statements:
            if st.effect is not Effect.ALLOW or st.principals is None:
                continue
            for principal in st.principals.aws:
                m = _ACCOUNT.match(principal)
                if m is None or m.group(1) == owned.account:
                    continue
                if (owned.decided_key(st), principal) in decided:
                    continue
                yield _info(owned, st, principal, m.group(1))


@dataclass(frozen=True, slots=True)
class _Grant:
    """A resource policy that may grant other accounts, for the info notes."""

    doc: PolicyDocument
    kind: str
    owner: str
    ref: SourceRef
    account: str | None
    permission: bool = False  # a Lambda permission (one statement, named by its Sid)

    def decided_key(self, st: Statement) -> str:
        return f"perm:{st.sid}" if self.permission else f"{id(self.doc)}:{st.index}"

    def where(self, st: Statement) -> SourceRef:
        return self.ref if self.permission else st.ref or self.doc.ref or self.ref


def _grants(ctx: CheckContext) -> Iterator[_Grant]:
    kinds = (DocKind.BUCKET, DocKind.KEY, DocKind.QUEUE, DocKind.API)
    for owned in documents(ctx.model):
        if owned.kind in kinds:
            own = account_of(ctx, owned.ref)
            yield _Grant(owned.doc, owned.kind.value, owned.owner, owned.ref, own)
    for tp in ctx.model.topic_policies:
        if isinstance(tp.document, PolicyDocument):
            own = account_of(ctx, tp.ref)
            yield _Grant(tp.document, "topic policy", tp.name, tp.ref, own)
    for perm in ctx.model.lambda_permissions:
        doc = permission_policy([(perm, Tri.TRUE)], sym("function"), perm.name)
        if doc is not None:
            own = account_of(ctx, perm.ref)
            yield _Grant(doc, "Lambda permission", perm.name, perm.ref, own, True)


def _info(owned: _Grant, st: Statement, principal: str, account: str) -> Hit:
    actions = ", ".join(st.actions or ("(NotAction)",))
    other = "another account" if owned.account else "another account than the stack's"
    name = owned.owner if owned.permission else owned.doc.name or owned.owner
    label = f"{owned.kind} {name}" if owned.permission else f"{st.label()} of {owned.kind} {name}"
    msg = (
        f"{label} grants {actions} to {principal} (account {account}); if that is {other}, "
        "the access also needs an Allow in the principal's identity policies, which are not "
        "in the run"
    )
    where = owned.where(st)
    return Hit(
        ref=where,
        resource=owned.owner,
        message=msg,
        fix=f"Make sure account {account} allows {actions} on this resource",
        key=f"{owned.owner}|{st.index}|{principal}",
        trace=(TraceStep(msg, where),),
        severity=Severity.INFO,
    )
