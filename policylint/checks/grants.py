"""Does the bucket policy grant CloudFront's origin identity? (shared by CF010/CF080/CF090)."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.callers import (
    OAI_ARN_PREFIX,
    bucket_policy_doc,
    evaluate_bucket,
    evaluate_doc,
    https_reachable,
    names_cloudfront_service,
    oai_principals,
    object_arn,
    request,
)
from policylint.graph_types import CallerKind, EndpointKind
from policylint.policy.decision import Outcome
from policylint.policy.document import Effect, PolicyDocument
from policylint.policy.matching import match_action
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.graph import AccessGraph
    from policylint.graph_types import Caller, OriginView
    from policylint.model import Bucket
    from policylint.policy.decision import Decision, Request
    from policylint.policy.document import ConditionClause, Statement

SOURCE_KEYS = ("aws:sourcearn", "aws:sourceaccount")


class Status(enum.Enum):
    ALLOWED = "allowed"
    WILDCARD_ONLY = "wildcard-only"  # allowed only through a distribution/* SourceArn pattern
    UNKNOWN = "unknown"
    EXPLICIT_DENY = "explicit-deny"
    NO_GRANT = "no-grant"  # CF010
    CONDITION_MISMATCH = "condition-mismatch"  # CF080
    WRONG_IDENTITY = "wrong-identity"  # CF090


@dataclass(frozen=True, slots=True, kw_only=True)
class Grant:
    """The outcome of one caller/action through one origin, classified for the rules."""

    view: OriginView
    bucket: Bucket
    caller: Caller
    action: str
    resource: str
    status: Status
    decision: Decision
    statements: tuple[Statement, ...] = ()  # the statements the status is about


def cloudfront_target(graph: AccessGraph, view: OriginView) -> tuple[Bucket, Caller] | None:
    """A REST origin on a bucket of the run, signed by OAC or OAI: the pair to evaluate."""
    if view.endpoint.kind is not EndpointKind.REST or view.bucket is None or not view.behaviors:
        return None
    caller = graph.caller_for(view)
    if caller is None or caller.kind is CallerKind.ANONYMOUS:
        return None
    return view.bucket, caller


def analyze(graph: AccessGraph, view: OriginView, action: str, resource: str = "") -> Grant | None:
    """Evaluate `action` for the origin's CloudFront identity and say why it fails, if it does."""
    target = cloudfront_target(graph, view)
    if target is None or not https_reachable(view):
        return None
    bucket, caller = target
    resource = resource or object_arn(bucket)
    decision = evaluate_bucket(graph, bucket, caller, action, resource, secure=True)
    grant = Grant(
        view=view,
        bucket=bucket,
        caller=caller,
        action=action,
        resource=resource,
        status=Status.UNKNOWN,
        decision=decision,
    )
    if decision.outcome is Outcome.ALLOW:
        used = tuple(m.statement for m in decision.statements)
        wild = bool(used) and all(wildcard_source(st) for st in used)
        status = Status.WILDCARD_ONLY if wild else Status.ALLOWED
        return dataclasses.replace(grant, status=status, statements=used)
    if decision.outcome is Outcome.UNKNOWN:
        return _unknown_oai(grant, bucket_policy_doc(graph, bucket))
    if decision.outcome is Outcome.EXPLICIT_DENY:
        denies = tuple(m.statement for m in decision.statements)
        return dataclasses.replace(grant, status=Status.EXPLICIT_DENY, statements=denies)
    doc = bucket_policy_doc(graph, bucket)
    if not isinstance(doc, PolicyDocument):
        return dataclasses.replace(grant, status=Status.NO_GRANT)
    return _classify_implicit(grant, doc)


def _malformed(oai_id: str) -> tuple[str, ...]:
    """Undocumented ways of naming an OAI that never match it (Terraform .id / path forms)."""
    path = f"origin-access-identity/cloudfront/{oai_id}"
    return (oai_id, path, f"{OAI_ARN_PREFIX}{path}")


def _unknown_oai(grant: Grant, doc: PolicyDocument | Unknown | None) -> Grant:
    """An OAI named in a malformed form is not the OAI: drop those entries and decide again."""
    oai = grant.caller.oai
    if oai is None or not isinstance(doc, PolicyDocument):
        return grant
    bad = set(_malformed(oai.oai_id))
    wrong = [
        st
        for st in doc.statements
        if st.effect is Effect.ALLOW and st.principals and bad & set(st.principals.aws)
    ]
    if not wrong:
        return grant
    fixed = tuple(
        dataclasses.replace(
            st,
            principals=dataclasses.replace(
                st.principals, aws=tuple(a for a in st.principals.aws if a not in bad)
            ),
        )
        if id(st) in {id(w) for w in wrong} and st.principals is not None
        else st
        for st in doc.statements
    )
    req = request(
        grant.caller, grant.action, grant.resource, account=grant.bucket.account, secure=True
    )
    again = evaluate_doc(dataclasses.replace(doc, statements=fixed), req)
    if again.outcome is Outcome.IMPLICIT_DENY:
        return _with(dataclasses.replace(grant, decision=again), Status.WRONG_IDENTITY, wrong)
    return grant


def _classify_implicit(grant: Grant, doc: PolicyDocument) -> Grant:
    allows = [st for st in doc.statements if st.effect is Effect.ALLOW]
    if grant.caller.kind is CallerKind.CLOUDFRONT_OAC:
        conditioned = [
            st
            for st in allows
            if names_cloudfront_service(st) and _source_conds(st) and _covers(st, grant.action)
        ]
        if conditioned:
            # What if the SourceArn/SourceAccount conditions were not there?
            ids = {id(c) for c in conditioned}  # a set: policies may hold 10,000 statements
            relaxed = tuple(
                dataclasses.replace(st, conditions=_without_source(st)) if id(st) in ids else st
                for st in doc.statements
            )
            what_if = evaluate_doc(dataclasses.replace(doc, statements=relaxed), _request(grant))
            if what_if.outcome is Outcome.ALLOW:
                return _with(grant, Status.CONDITION_MISMATCH, conditioned)
            if what_if.outcome is Outcome.UNKNOWN:
                return grant
        others = [st for st in allows if oai_principals(st.principals)]
        if others:
            return _with(grant, Status.WRONG_IDENTITY, others)
        return _with(grant, Status.NO_GRANT, [])
    oai = grant.caller.oai
    wrong = [
        st
        for st in allows
        if names_cloudfront_service(st)
        or any(p != (oai.iam_arn if oai else "") for p in oai_principals(st.principals))
        or (oai is not None and _mentions(st, oai.oai_id))
    ]
    if wrong:
        return _with(grant, Status.WRONG_IDENTITY, wrong)
    return _with(grant, Status.NO_GRANT, [])


def _request(grant: Grant) -> Request:
    return request(
        grant.caller, grant.action, grant.resource, account=grant.bucket.account, secure=True
    )


def _with(grant: Grant, status: Status, statements: list[Statement]) -> Grant:
    return dataclasses.replace(grant, status=status, statements=tuple(statements))


def _covers(st: Statement, action: str) -> bool:
    """The statement's Action element may match `action` (NotAction: left to the evaluator)."""
    if st.actions is None:
        return True
    return any(match_action(a, action) is not Tri.FALSE for a in st.actions)


def _source_conds(st: Statement) -> bool:
    return any(c.key.lower() in SOURCE_KEYS for c in st.conditions)


def _without_source(st: Statement) -> tuple[ConditionClause, ...]:
    return tuple(c for c in st.conditions if c.key.lower() not in SOURCE_KEYS)


def wildcard_source(st: Statement) -> bool:
    """The statement admits CloudFront only through a wildcard SourceArn (distribution/*)."""
    values = [v for c in st.conditions if c.key.lower() == "aws:sourcearn" for v in c.values]
    return bool(values) and all("*" in v or "?" in v for v in values)


def _mentions(st: Statement, oai_id: str) -> bool:
    """A principal that names this OAI's id but is not its IAM ARN (malformed forms)."""
    pr = st.principals
    if pr is None:
        return False
    return any(oai_id in a and not a.startswith("arn:aws:iam::cloudfront:user/") for a in pr.aws)


def read_grant(graph: AccessGraph, view: OriginView) -> Grant | None:
    """The first failing (or, if none fails, the s3:GetObject) grant for the origin's actions."""
    from policylint.checks.callers import actions_for

    first: Grant | None = None
    for action in actions_for(view.behaviors):
        grant = analyze(graph, view, action)
        if grant is None:
            return None
        if first is None:
            first = grant
        if grant.status not in (Status.ALLOWED, Status.WILDCARD_ONLY, Status.UNKNOWN):
            return grant
    return first


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)
