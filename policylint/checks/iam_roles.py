"""Role rules: boundary (IAM040), SCP (IAM050), trust (IAM060), resource-policy denies of a
role's own grants (IAM030), and the workload rules IAM070 / IAM080 (in `iam_workloads`)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeGuard

from policylint.checks.iam_eval import (
    allow_statements,
    boundary_of,
    denied_for_sure,
    evaluate,
    request,
    role_policies,
    sample_resource,
    scps,
)
from policylint.findings import Hit, TraceStep
from policylint.graph_workloads import role_for
from policylint.model.workload import SERVICE_PRINCIPALS
from policylint.policy.decision import Layer, Outcome, PolicySet, Request
from policylint.policy.document import Effect, PolicyDocument
from policylint.policy.matching import match_arn, unescape
from policylint.values import Tri, has_symbol, render, split_symbols, sym

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.model import Role
    from policylint.policy.decision import Decision
    from policylint.policy.document import Statement

_MAX_PAIRS = 200  # (action, resource) pairs per role: enough for real roles, bounded


def _granted(docs: tuple[PolicyDocument, ...]) -> Iterator[tuple[Statement, str, str]]:
    """(statement, action, resource as written) for each concrete action of Allow statements."""
    n = 0
    for _, st in allow_statements(docs):
        for action in st.actions or ():
            if "*" in action or "?" in action or has_symbol(action):
                continue
            for resource in st.resources or ():
                n += 1
                if n > _MAX_PAIRS:
                    return
                yield st, action, resource


def _step(d: Decision, text: str) -> TraceStep:
    st = d.statements[0].statement if d.statements else None
    return TraceStep(text, st.ref if st else None, True)


def _denied_by(
    ctx: CheckContext, role: Role, layer: Layer, **extra: Any
) -> Iterator[tuple[Statement, str, str, Decision]]:
    """Actions the role's identity policies allow that adding `extra` (a boundary, SCPs) makes
    `layer` deny for certain; once per action."""
    pol = role_policies(ctx.model, role)
    seen: set[str] = set()
    for st, action, resource in _granted(pol.docs):
        if action in seen:
            continue
        req = request(role, action, sample_resource(resource, action))
        if not evaluate(req, PolicySet(identity=pol.docs)).allowed:
            continue
        d = evaluate(req, PolicySet(identity=pol.docs, **extra))
        if d.layer is layer and denied_for_sure(d):
            seen.add(action)
            yield st, action, resource, d


def check_iam040(ctx: CheckContext) -> Iterator[Hit]:
    """The permissions boundary does not allow what the identity policy grants."""
    for role in ctx.model.roles:
        boundary = boundary_of(ctx.model, role)
        if not isinstance(boundary, PolicyDocument):
            continue
        capped = _denied_by(ctx, role, Layer.BOUNDARY, boundaries=(boundary,))
        for st, action, resource, d in capped:
            name = boundary.name or render(str(role.boundary_arn))
            how = "denies" if d.outcome is Outcome.EXPLICIT_DENY else "does not allow"
            msg = (
                f"role {role.name} is granted {action} on {render(resource)} by {st.label()}, but "
                f"its permissions boundary {name} {how} it: the request is denied"
            )
            yield Hit(
                ref=st.ref or role.ref,
                resource=role.name,
                message=msg,
                fix=f"Allow {action} in the permissions boundary {name}, or drop the grant",
                key=f"{role.name}|{action}",
                trace=(
                    TraceStep(f"identity policy allows {action}", st.ref),
                    TraceStep(f"permissions boundary {name} {how} {action}", boundary.ref, True),
                ),
            )


def check_iam050(ctx: CheckContext) -> Iterator[Hit]:
    """A supplied SCP denies, or does not allow, an API call that creating a resource of the
    run makes (deploy side, `iam_deploy`) or that a role of the run is granted."""
    docs = scps(ctx)
    if not docs:
        return
    from policylint.checks.iam_deploy import deploy_hits

    yield from deploy_hits(ctx, docs)
    for role in ctx.model.roles:
        for st, action, _resource, d in _denied_by(ctx, role, Layer.SCP, scps=(docs,)):
            how = "deny" if d.outcome is Outcome.EXPLICIT_DENY else "do not allow"
            where = d.statements[0].statement.label() if d.statements else "no statement"
            msg = (
                f"role {role.name} is granted {action} by {st.label()}, but the organization's "
                f"service control policies {how} it ({where}): the request is denied"
            )
            yield Hit(
                ref=st.ref or role.ref,
                resource=role.name,
                message=msg,
                fix=f"Exempt {action} in the SCP (e.g. its NotAction list), or drop the grant",
                key=f"{role.name}|{action}",
                trace=(
                    TraceStep(f"identity policy allows {action}", st.ref),
                    _step(d, f"SCP {how} {action}"),
                ),
            )


def check_iam060(ctx: CheckContext) -> Iterator[Hit]:
    """The role's trust policy does not let the workload's service assume it."""
    for w in ctx.model.workloads:
        role = role_for(ctx.model, w.role_arn)
        if role is None or not isinstance(role.trust_policy, PolicyDocument):
            continue
        service = SERVICE_PRINCIPALS[w.kind]
        regional = service.replace(".amazonaws.com", f".{sym('AWS::Region')}.amazonaws.com")
        ps = PolicySet(resource=role.trust_policy)
        if not all(
            denied_for_sure(
                evaluate(Request(principal=p, action="sts:AssumeRole", resource=role.arn), ps)
            )
            for p in (service, regional)  # states.<region>.amazonaws.com is accepted too
        ):
            continue
        msg = (
            f"{w.kind.value} {w.name} runs with role {role.name}, but the role's trust policy "
            f"does not let {service} call sts:AssumeRole: the service cannot use the role"
        )
        yield Hit(
            ref=w.ref,
            resource=w.name,
            message=msg,
            fix=(
                f"Add to {role.name}'s AssumeRolePolicyDocument: Effect Allow, Principal Service "
                f"{service}, Action sts:AssumeRole"
            ),
            key=f"{w.name}|{role.name}|{service}",
            trace=(
                TraceStep(f"{w.kind.value} {w.name} assumes {role.name}", w.ref),
                TraceStep(f"trust policy of {role.name} does not trust {service}", role.ref, True),
            ),
        )


def resource_denies(ctx: CheckContext) -> Iterator[Hit]:
    """IAM030: a bucket or key policy explicitly denies a role of the run what its own
    identity policy grants on that bucket or key."""
    targets: list[tuple[str, str, str, PolicyDocument, bool]] = []  # name, arn, obj, doc, key
    by_name = {b.bucket_name: b for b in ctx.model.buckets}
    # Only a policy with a Deny statement can end in an explicit deny at the resource layer.
    for bp in ctx.model.bucket_policies:
        bucket = by_name.get(bp.bucket) if isinstance(bp.bucket, str) else None
        if bucket is not None and _has_deny(bp.document):
            obj = f"{bucket.arn}/{sym('object-key')}"
            targets.append((bucket.name, bucket.arn, obj, bp.document, False))
    for key in ctx.model.keys:
        if _has_deny(key.policy):
            targets.append((key.name, key.arn, key.arn, key.policy, True))
    index = _TargetIndex([(arn, obj) for _, arn, obj, _, _ in targets])
    keys = {i for i, target in enumerate(targets) if target[4]}
    for role in ctx.model.roles:
        pol = role_policies(ctx.model, role)
        # Only the targets some grant resource can match: the others yield nothing.
        candidates: set[int] = set()
        for _, _, resource in _granted(pol.docs):
            # `_denied_grants` skips "*" on a bucket: only key policies can deny it
            candidates |= keys if resource == "*" else index.candidates(resource)
        for i in sorted(candidates):
            name, arn, obj, doc, is_key = targets[i]
            yield from _denied_grants(role, pol.docs, name, (arn, obj), doc, is_key)


def _has_deny(doc: object) -> TypeGuard[PolicyDocument]:
    return isinstance(doc, PolicyDocument) and any(
        st.effect is Effect.DENY for st in doc.statements
    )


def _literal_prefix(pattern: str) -> str:
    """The text an ARN pattern starts with before its first wildcard: `match_arn` is TRUE only
    for a value that starts with it (literal characters and symbols match one to one)."""
    out: list[str] = []
    for is_sym, text in split_symbols(pattern):
        if is_sym:
            out.append(sym(text))
            continue
        cut = min((k for k in (text.find("*"), text.find("?")) if k >= 0), default=-1)
        if cut >= 0:
            out.append(text[:cut])
            break
        out.append(text)
    return unescape("".join(out))


class _TargetIndex:
    """The target ARNs sorted by text, to find those starting with a pattern's fixed prefix."""

    def __init__(self, arns: list[tuple[str, str]]) -> None:
        self._keys = sorted((unescape(a), i) for i, pair in enumerate(arns) for a in pair)
        self._texts = [k for k, _ in self._keys]
        self._memo: dict[str, set[int]] = {}

    def candidates(self, pattern: str) -> set[int]:
        """Indexes of the targets one of whose ARNs `pattern` may match (a superset)."""
        found = self._memo.get(pattern)
        if found is None:
            prefix = _literal_prefix(pattern)
            lo = bisect.bisect_left(self._texts, prefix)
            hi = lo
            while hi < len(self._texts) and self._texts[hi].startswith(prefix):
                hi += 1
            found = self._memo[pattern] = {i for _, i in self._keys[lo:hi]}
        return found


def _denied_grants(
    role: Role,
    docs: tuple[PolicyDocument, ...],
    name: str,
    arns: tuple[str, str],
    policy: PolicyDocument,
    is_key: bool,
) -> Iterator[Hit]:
    seen: set[str] = set()
    for st, action, resource in _granted(docs):
        hit = next((a for a in arns if match_arn(resource, a) is Tri.TRUE), None)
        if hit is None or action in seen or (resource == "*" and not is_key):
            continue
        req = request(role, action, hit)
        ps = PolicySet(identity=docs, resource=policy, resource_is_key_policy=is_key)
        d = evaluate(req, ps)
        if d.outcome is not Outcome.EXPLICIT_DENY or d.layer is not Layer.RESOURCE:
            continue
        if d.missing_keys:
            continue
        seen.add(action)
        deny = d.statements[0].statement if d.statements else None
        label = deny.label() if deny else "a Deny statement"
        kind = "key policy" if is_key else "bucket policy"
        msg = (
            f"{kind} of {name} denies role {role.name} {action} ({label}), although the role's "
            f"{st.label()} grants it: an explicit Deny wins"
        )
        yield Hit(
            ref=(deny.ref if deny and deny.ref else policy.ref) or role.ref,
            resource=name,
            message=msg,
            fix=f"Exempt {render(role.arn)} in the Deny (aws:PrincipalArn condition)",
            key=f"{name}|{role.name}|{action}",
            trace=(
                TraceStep(f"role {role.name}: {st.label()} allows {action}", st.ref),
                TraceStep(f"{kind} of {name}: {label} denies", deny.ref if deny else None, True),
            ),
        )


def _checks() -> dict[str, CheckFn]:
    from policylint.checks.iam_workloads import check_iam070, check_iam080

    return {
        "IAM040": check_iam040,
        "IAM050": check_iam050,
        "IAM060": check_iam060,
        "IAM070": check_iam070,
        "IAM080": check_iam080,
    }


CHECKS: dict[str, CheckFn] = _checks()
