"""Access contracts: "this principal can (or cannot) do these actions on that resource",
proved statically with the evaluator, or explained when they fail."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.findings import TraceStep
from policylint.policy.decision import Outcome, PolicySet, Request
from policylint.policy.document import PolicyDocument
from policylint.values import Unknown, render, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext, Expectation
    from policylint.model import Bucket, KmsKey, Model, Role
    from policylint.policy.decision import Decision
    from policylint.source import SourceRef

_S3_BUCKET_ACTIONS = ("s3:listbucket", "s3:getbucket", "s3:putbucket", "s3:deletebucket")


class Verdict(enum.Enum):
    HOLDS = "holds"
    BROKEN = "broken"
    UNPROVEN = "unproven"


@dataclass(frozen=True, slots=True)
class Subject:
    """Who asks: the request principal, its context and identity-side policies."""

    label: str
    principal: str
    account: str | None
    context: tuple[tuple[str, str], ...] = ()
    identity: tuple[PolicyDocument, ...] = ()
    boundaries: tuple[PolicyDocument, ...] | None = None
    role: Role | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """What is asked for: the resource ARN and the resource-side policy that guards it."""

    label: str
    arn: str
    account: str | None
    policy: PolicyDocument | None
    key_policy: bool = False
    ref: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class ActionResult:
    """One action of one contract, decided."""

    action: str
    decision: Decision
    verdict: Verdict


class ContractError(ValueError):
    """A contract names a principal or a resource that the run does not have."""


def _unknown_identity(label: str) -> PolicyDocument:
    return PolicyDocument(
        statements=(), unknown=(f"identity policies of {label} are not in the run",)
    )


def resolve_principal(ctx: CheckContext, text: str) -> Subject:
    model = ctx.model
    raw = text.strip()
    kind, _, name = raw.partition(":") if not raw.startswith("arn:") else ("", "", raw)
    if raw in ("anonymous", "*"):
        return Subject("anonymous", "*", None, (("aws:SecureTransport", "true"),))
    if raw.endswith(".amazonaws.com") or kind == "service":
        service = name if kind == "service" else raw
        return Subject(f"service {service}", service, None, (("aws:SecureTransport", "true"),))
    if kind in ("cloudfront", "distribution"):
        for dist in model.distributions:
            if name in (dist.name, dist.id):
                context = (
                    ("aws:SourceArn", dist.arn),
                    ("aws:SourceAccount", dist.account),
                    ("aws:SecureTransport", "true"),
                )
                return Subject(
                    f"CloudFront for {dist.name}", "cloudfront.amazonaws.com", None, context
                )
        raise ContractError(f"no distribution named {name!r} in the run")
    role = _find_role(model, name if kind == "role" else raw)
    if role is not None:
        return _role_subject(ctx, role)
    if raw.startswith("arn:"):
        return Subject(raw, raw, None, identity=(_unknown_identity(raw),))
    raise ContractError(
        f"no role named {raw!r} in the run (use role:NAME, an ARN, a service, "
        "cloudfront:DISTRIBUTION or anonymous)"
    )


def _find_role(model: Model, name: str) -> Role | None:
    for role in model.roles:
        if name in (role.name, role.role_name, role.arn, role.id):
            return role
    return None


def _role_subject(ctx: CheckContext, role: Role) -> Subject:
    from policylint.checks.iam_eval import boundary_of, context_for, role_policies

    found = role_policies(ctx.model, role)
    identity = found.docs if found.complete else (*found.docs, _unknown_identity(role.name))
    boundary = boundary_of(ctx.model, role)
    boundaries: tuple[PolicyDocument, ...] | None = None
    if isinstance(boundary, Unknown):
        boundaries = (PolicyDocument(statements=(), unknown=(boundary.reason,)),)
    elif boundary is not None:
        boundaries = (boundary,)
    context = tuple(sorted(context_for(role, "s3:GetObject").items()))
    return Subject(f"role {role.name}", role.arn, role.account, context, identity, boundaries, role)


def resolve_target(ctx: CheckContext, text: str, action: str) -> Target:
    model, raw = ctx.model, text.strip()
    for bucket in model.buckets:
        suffix = _bucket_suffix(bucket, raw)
        if suffix is not None:
            return _bucket_target(ctx, bucket, suffix, action)
    for key in model.keys:
        if raw in (key.name, key.id, key.arn, key.key_id):
            return _key_target(key)
    if raw.startswith("arn:"):
        return Target(raw, raw, None, None)
    raise ContractError(f"no bucket or key named {raw!r} in the run (or give an ARN)")


def _bucket_suffix(bucket: Bucket, raw: str) -> str | None:
    for prefix in (bucket.arn, bucket.name, bucket.bucket_name, bucket.id):
        if raw == prefix:
            return ""
        if raw.startswith(prefix + "/"):
            return raw[len(prefix) :]
    return None


def _bucket_target(ctx: CheckContext, bucket: Bucket, suffix: str, action: str) -> Target:
    arn = bucket.arn + suffix
    if not suffix and not action.lower().startswith(_S3_BUCKET_ACTIONS):
        arn = f"{bucket.arn}/{sym('object-key')}"  # an object action on "the bucket": any key
    elif suffix == "/*":
        arn = f"{bucket.arn}/{sym('object-key')}"
    policy = None
    for bp in ctx.graph.policies_for(bucket):  # the policies of this bucket's own input
        policy = bp.document if isinstance(bp.document, PolicyDocument) else _opaque(bp.document)
    return Target(f"bucket {bucket.name}", arn, bucket.account, policy, ref=bucket.ref)


def _key_target(key: KmsKey) -> Target:
    if isinstance(key.policy, Unknown):
        policy = _opaque(key.policy)
    else:
        policy = key.policy if key.policy is not None else _default_key_policy(key.account)
    return Target(f"key {key.name}", key.arn, key.account, policy, key_policy=True, ref=key.ref)


def _opaque(value: Unknown) -> PolicyDocument:
    return PolicyDocument(statements=(), unknown=(value.reason,))


@functools.cache
def _default_key_policy(account: str) -> PolicyDocument:
    """The default key policy: the account root may use the key, so IAM decides."""
    from policylint.policy.parse import parse_policy

    root = f"arn:{sym('AWS::Partition')}:iam::{account}:root"
    doc = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"}
        ]
    }
    return parse_policy(doc)


def decide(ctx: CheckContext, subject: Subject, target: Target, action: str) -> Decision:
    from policylint.checks.iam_eval import scps
    from policylint.policy.evaluate import evaluate

    context = dict(subject.context)
    request = Request(
        principal=subject.principal,
        action=action,
        resource=target.arn,
        resource_account=target.account,
        principal_account=subject.account,
        context=context,
    )
    org = scps(ctx) if subject.role is not None else ()
    policies = PolicySet(
        identity=subject.identity,
        resource=target.policy,
        boundaries=subject.boundaries,
        scps=(org,) if org else None,
        resource_is_key_policy=target.key_policy,
    )
    return evaluate(request, policies)


def judge(expectation: Expectation, decision: Decision) -> Verdict:
    if decision.outcome is Outcome.UNKNOWN:
        return Verdict.UNPROVEN
    allowed = decision.outcome is Outcome.ALLOW
    return Verdict.HOLDS if allowed == expectation.allowed else Verdict.BROKEN


def check_contract(ctx: CheckContext, expectation: Expectation) -> list[ActionResult]:
    """Decide every action of the contract; raises ContractError for names not in the run."""
    subject = resolve_principal(ctx, expectation.principal)
    out = []
    for action in expectation.actions:
        target = resolve_target(ctx, expectation.on, action)
        decision = decide(ctx, subject, target, action)
        out.append(ActionResult(action, decision, judge(expectation, decision)))
    return out


def trace(expectation: Expectation, outcome: ActionResult) -> tuple[TraceStep, ...]:
    """The decision's reasons as trace steps; the deciding statements with their positions."""
    steps = [
        TraceStep(
            f"{expectation.principal} -> {outcome.action} on {expectation.on}", expectation.ref
        )
    ]
    steps += [TraceStep(render(r)) for r in outcome.decision.reasons]
    for match in outcome.decision.statements:
        steps.append(
            TraceStep(
                f"{match.layer.value}: {match.statement.label()}",
                match.statement.ref,
                denies=outcome.verdict is Verdict.BROKEN,
            )
        )
    if outcome.decision.missing_keys:
        steps.append(
            TraceStep("missing condition keys: " + ", ".join(outcome.decision.missing_keys))
        )
    return tuple(steps)


def describe(outcome: ActionResult) -> str:
    d = outcome.decision
    layer = f" at {d.layer.value}" if d.layer else ""
    text = f"{d.outcome.value}{layer}"
    if d.outcome is Outcome.UNKNOWN and d.unknown_reasons:
        text += ": " + "; ".join(render(r) for r in d.unknown_reasons[:3])
    return text
