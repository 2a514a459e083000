"""Workload rules: a role with no permission at all on a resource it is handed (IAM070), and
permissions AWS documents as required for a wiring (IAM080)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.iam_eval import denied_for_sure, evaluate, request, role_policies
from policylint.checks.iam_push import check_pushes
from policylint.findings import Hit, TraceStep
from policylint.graph_types import KeyKind
from policylint.graph_workloads import identifiers, role_for
from policylint.model import Bucket, DataKind, DataResource, KmsKey
from policylint.policy.decision import PolicySet
from policylint.policy.document import Effect
from policylint.policy.matching import match_arn
from policylint.values import Tri, Unknown, render, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_workloads import Target, Wire
    from policylint.model import Model, Role, Workload
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

# Execution-role permissions the Lambda Developer Guide lists for each event source.
ESM_ACTIONS = {
    "sqs": ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
    "kinesis": ("kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream"),
    "dynamodb": ("dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"),
}
_SERVICE = {
    DataKind.QUEUE: "sqs",
    DataKind.TOPIC: "sns",
    DataKind.TABLE: "dynamodb",
    DataKind.STREAM: "kinesis",
}


def _service(target: Target) -> str:
    if isinstance(target, Bucket):
        return "s3"
    if isinstance(target, KmsKey):
        return "kms"
    return _SERVICE[target.kind]


def _forms(target: Target) -> tuple[str, ...]:
    if isinstance(target, Bucket):
        return (target.arn, f"{target.arn}/{sym('object-key')}")
    if isinstance(target, KmsKey):
        return (target.arn,)
    extra = (f"{target.arn}/index/{sym('index')}",) if target.kind is DataKind.TABLE else ()
    return (target.arn, *extra, *((target.stream_arn,) if target.stream_arn else ()))


def _identity_covers(
    docs: tuple[PolicyDocument, ...], service: str, forms: tuple[str, ...]
) -> bool:
    for doc in docs:
        for st in doc.statements:
            if st.effect is not Effect.ALLOW:
                continue
            acts = st.actions is None or any(
                a == "*" or a.split(":")[0].lower() in (service, "*") for a in st.actions
            )
            res = st.resources is None or any(
                match_arn(r, f) is not Tri.FALSE for r in st.resources for f in forms
            )
            if acts and res:
                return True
    return False


def _resource_docs(model: Model, target: Target) -> list[PolicyDocument | Unknown | None]:
    if isinstance(target, KmsKey):
        return [target.policy]
    if isinstance(target, Bucket):
        return [p.document for p in model.bucket_policies if p.bucket == target.bucket_name]
    names = {target.arn, *target.aliases}
    return [p.document for p in model.queue_policies if names & set(p.queues)]


def _resource_grants(model: Model, target: Target, role: Role) -> bool:
    """Might a resource policy grant the role directly? True when unsure."""
    for doc in _resource_docs(model, target):
        if doc is None:
            continue
        if isinstance(doc, Unknown):
            return True
        for st in doc.statements:
            p = st.principals
            if st.effect is not Effect.ALLOW or p is None:
                continue
            if p.wildcard or any(match_arn(a, role.arn) is not Tri.FALSE for a in p.aws):
                return True
    return False


def check_iam070(ctx: CheckContext) -> Iterator[Hit]:
    """A workload's role has no allowed action at all on a resource it is handed."""
    for w in ctx.model.workloads:
        role = ctx.graph.role_of(w.id)
        if role is None:
            continue
        pol = role_policies(ctx.model, role)
        if not pol.complete:
            continue
        done: set[str] = set()
        for wire in ctx.graph.wires(w.id):
            target, service = wire.target, _service(wire.target)
            if target.id in done:
                continue
            done.add(target.id)
            if _identity_covers(pol.docs, service, _forms(target)):
                continue
            if _resource_grants(ctx.model, target, role):
                continue
            yield _iam070_hit(w, role, wire, service)


def _iam070_hit(w: Workload, role: Role, wire: Wire, service: str) -> Hit:
    t = wire.target
    msg = (
        f"{w.kind.value} {w.name} is handed {t.name} in {wire.variable}, but its role {role.name} "
        f"is allowed no {service} action on it: every call it makes to {t.name} is denied"
    )
    return Hit(
        ref=wire.ref,
        resource=w.name,
        message=msg,
        fix=f"Grant {role.name} the {service} actions the code needs on {render(t.arn)}",
        key=f"{w.name}|{t.name}",
        trace=(
            TraceStep(f"{w.kind.value} {w.name}: {wire.variable} names {t.name}", wire.ref),
            TraceStep(f"role {role.name}: no statement allows {service}:* on it", role.ref, True),
        ),
    )


def _workload_of_function(model: Model, value: str | Unknown) -> Workload | None:
    if not isinstance(value, str):
        return None
    for f in model.functions:
        if value in (f.arn, f.function_name) or value.startswith(f.arn + ":"):
            return next((w for w in model.workloads if w.id == f.id), None)
    return None


def _missing(
    role: Role, docs: tuple[PolicyDocument, ...], actions: tuple[str, ...], arn: str
) -> list[str]:
    out = []
    for action in actions:
        d = evaluate(request(role, action, arn), PolicySet(identity=docs))
        if denied_for_sure(d):
            out.append(action)
    return out


def _key_denies(model: Model, role: Role, docs: tuple[PolicyDocument, ...], key: KmsKey) -> bool:
    from policylint.policy.parse import parse_policy

    policy = key.policy
    if isinstance(policy, Unknown):
        return False
    if policy is None:  # the default key policy: the account, through IAM
        root = f"arn:{sym('AWS::Partition')}:iam::{key.account}:root"
        default = {
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"}
            ]
        }
        policy = parse_policy(default)
    ps = PolicySet(identity=docs, resource=policy, resource_is_key_policy=True)
    return denied_for_sure(evaluate(request(role, "kms:Decrypt", key.arn), ps))


def _hit(
    ref: SourceRef, resource: str, msg: str, fix: str, key: str, steps: tuple[TraceStep, ...]
) -> Hit:
    return Hit(ref=ref, resource=resource, message=msg, fix=fix, key=key, trace=steps)


def check_iam080(ctx: CheckContext) -> Iterator[Hit]:
    """The role lacks permissions AWS documents as required for a wiring."""
    yield from _event_sources(ctx)
    yield from _kms_buckets(ctx)
    yield from check_pushes(ctx)  # resource policies of push targets: `iam_push`


def _event_sources(ctx: CheckContext) -> Iterator[Hit]:
    names = identifiers(ctx.model)
    for esm in ctx.model.event_source_mappings:
        w = _workload_of_function(ctx.model, esm.function)
        role = role_for(ctx.model, w.role_arn) if w else None
        source = esm.event_source_arn
        if w is None or role is None or not isinstance(source, str):
            continue
        pol = role_policies(ctx.model, role)
        if not pol.complete:
            continue
        found = (
            re.search(r":(sqs|kinesis|dynamodb):", source) if source.startswith("arn:") else None
        )
        service = found.group(1) if found else ""
        if service == "dynamodb" and "/stream/" not in source:
            continue
        missing = _missing(role, pol.docs, ESM_ACTIONS.get(service, ()), source)
        target = names.get(source)
        if isinstance(target, DataResource) and isinstance(target.kms_key, str):
            key = names.get(target.kms_key)
            if isinstance(key, KmsKey) and _key_denies(ctx.model, role, pol.docs, key):
                missing.append("kms:Decrypt")
        if not missing:
            continue
        acts = ", ".join(missing)
        msg = (
            f"event source mapping {esm.name} polls {render(source)} for function {w.name}, but "
            f"role {role.name} is not allowed {acts}: Lambda cannot read the source"
        )
        steps = (
            TraceStep(f"{esm.name}: Lambda polls {render(source)} as {role.name}", esm.ref),
            TraceStep(f"role {role.name}: no statement allows {acts}", role.ref, True),
        )
        fix = f"Allow {acts} on {render(source)} in {role.name}'s policies"
        yield _hit(esm.ref, esm.name, msg, fix, f"{esm.name}|{role.name}", steps)


def _kms_buckets(ctx: CheckContext) -> Iterator[Hit]:
    for w in ctx.model.workloads:
        role = ctx.graph.role_of(w.id)
        if role is None:
            continue
        pol = role_policies(ctx.model, role)
        if not pol.complete:
            continue
        wired = {wire.target.id for wire in ctx.graph.wires(w.id)}
        for bucket in ctx.model.buckets:
            link = ctx.graph.key_for(bucket)
            if link is None or link.kind is not KeyKind.IN_RUN or link.key is None:
                continue
            obj = f"{bucket.arn}/{sym('object-key')}"
            if not _names_bucket(pol.docs, obj) and bucket.id not in wired:
                continue  # only s3:* on "*": no sign that the workload reads this bucket
            if not evaluate(
                request(role, "s3:GetObject", obj), PolicySet(identity=pol.docs)
            ).allowed:
                continue
            if not _key_denies(ctx.model, role, pol.docs, link.key):
                continue
            key = link.key
            msg = (
                f"{w.kind.value} {w.name} may read {bucket.name} (s3:GetObject), whose objects are "
                f"encrypted with KMS key {key.name}, but role {role.name} is not allowed "
                "kms:Decrypt on that key: every GetObject is denied"
            )
            steps = (
                TraceStep(f"role {role.name} is allowed s3:GetObject on {bucket.name}", role.ref),
                TraceStep(f"{bucket.name} default encryption: SSE-KMS with {key.name}", bucket.ref),
                TraceStep(f"kms:Decrypt on {key.name} is denied for {role.name}", key.ref, True),
            )
            fix = f"Allow kms:Decrypt on {render(key.arn)} in {role.name}'s policies"
            yield _hit(w.ref, w.name, msg, fix, f"{w.name}|{bucket.name}|{key.name}", steps)


def _names_bucket(docs: tuple[PolicyDocument, ...], obj: str) -> bool:
    """Does an Allow statement name the bucket's objects by something other than "*"?"""
    for doc in docs:
        for st in doc.statements:
            named = st.resources and any(
                r != "*" and match_arn(r, obj) is Tri.TRUE for r in st.resources
            )
            if st.effect is Effect.ALLOW and named:
                return True
    return False
