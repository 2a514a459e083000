"""IAM080, push wirings: an AWS service delivers to a resource of the run with its own service
principal (SNS -> Lambda or SQS, EventBridge -> Lambda, SQS or SNS, S3 -> Lambda, SQS or SNS),
so the target's resource-based policy must allow that principal for that source, and the key
of an encrypted queue or topic must allow it too (`push_keys`).

Only targets defined in the run are checked (the policy of anything else is not known); a
policy, permission or source that cannot be resolved makes the call "maybe", never an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.apigw_support import (
    caller_context,
    decide,
    denied_for_sure,
    eq,
    permission_policy,
    ref_of,
    same_function,
)
from policylint.checks.common import text
from policylint.checks.fixes import fmt_of
from policylint.checks.push_fixes import permission_fix, policy_fix
from policylint.checks.push_keys import check_key
from policylint.findings import Hit, TraceStep
from policylint.graph_workloads import identifiers
from policylint.model import (
    Bucket,
    DataKind,
    DataResource,
)
from policylint.policy.decision import PolicySet, Request
from policylint.policy.evaluate import evaluate
from policylint.values import Tri, Unknown, has_symbol, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_workloads import Target
    from policylint.lambda_refs import FunctionRef
    from policylint.model import (
        EventRule,
        Function,
        LambdaPermission,
        Model,
    )
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

P = sym("AWS::Partition")
A = sym("AWS::AccountId")
INVOKE = "lambda:InvokeFunction"
SNS, EVENTS, S3 = "sns.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"

# The call each service makes on each kind of target, and the policy that must allow it.
_ACTIONS = {DataKind.QUEUE: "sqs:SendMessage", DataKind.TOPIC: "sns:Publish"}
_WIRING = {SNS: "SNS subscription", EVENTS: "EventBridge rule target", S3: "S3 notification"}


@dataclass(frozen=True, slots=True)
class Push:
    """One delivery: `service` calls `target` (as written) on behalf of `source`."""

    name: str
    ref: SourceRef
    service: str
    source: str  # aws:SourceArn (a plain symbol when the source is not known)
    source_element: Target | object | None  # the source of the run, for messages and fixes
    target: str
    source_forms: tuple[str, ...] = ()  # the same source ARN spelled other ways
    kind: DataKind | None = None  # what the wiring says the target is (S3 queue / topic)

    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.source_forms)


def pushes(model: Model) -> Iterator[Push]:
    names = identifiers(model)
    for sub in model.subscriptions:
        protocol = sub.protocol.lower() if isinstance(sub.protocol, str) else None
        if protocol != "lambda" or not isinstance(sub.endpoint, str):
            continue  # sqs: see `queue_pushes`; other protocols need no resource policy
        if isinstance(sub.topic, str):
            yield Push(sub.name, sub.ref, SNS, sub.topic, names.get(sub.topic), sub.endpoint)
    for t in model.event_targets:
        if t.role_arn is not None or not isinstance(t.arn, str):
            continue  # EventBridge calls with that role: identity policies, out of scope here
        rule = next(
            (
                r
                for r in model.event_rules
                if isinstance(t.rule, str) and t.rule in (r.arn, *r.aliases)
            ),
            None,
        )
        source = rule.arn if rule is not None else sym(f"unknown-rule:{t.id}")
        forms = rule.arn_forms if rule is not None else ()
        yield Push(t.name, t.ref, EVENTS, source, rule, t.arn, forms)
    buckets = {b.bucket_name: b for b in model.buckets}
    for n in model.lambda_notifications:
        if isinstance(n.bucket, str) and isinstance(n.function, str):
            source = f"arn:{P}:s3:::{n.bucket}"
            yield Push(n.name, n.ref, S3, source, buckets.get(n.bucket), n.function)
    for d in model.bucket_notifications:
        if isinstance(d.bucket, str) and isinstance(d.destination, str):
            source = f"arn:{P}:s3:::{d.bucket}"
            element = buckets.get(d.bucket)
            yield Push(d.name, d.ref, S3, source, element, d.destination, kind=d.kind)


def _names(value: str, rule: EventRule) -> bool:
    return value in (rule.arn, *rule.aliases)


def queue_pushes(model: Model) -> Iterator[Push]:
    """SNS subscriptions of SQS queues (the queue policy must allow the topic)."""
    names = identifiers(model)
    for sub in model.subscriptions:
        protocol = sub.protocol.lower() if isinstance(sub.protocol, str) else None
        if protocol == "sqs" and isinstance(sub.endpoint, str) and isinstance(sub.topic, str):
            yield Push(sub.name, sub.ref, SNS, sub.topic, names.get(sub.topic), sub.endpoint)


def check_pushes(ctx: CheckContext) -> Iterator[Hit]:
    model = ctx.model
    names = identifiers(model)
    for push in (*pushes(model), *queue_pushes(model)):
        fn = _function(model, push.target)
        if fn is not None:
            yield from _lambda(model, push, *fn)
            continue
        target = names.get(push.target)
        if not isinstance(target, DataResource) or target.kind not in _ACTIONS:
            continue
        if push.service == SNS and target.kind is DataKind.TOPIC:
            continue  # not a wiring of this rule
        if push.kind is not None and push.kind is not target.kind:
            continue  # a queue configuration naming a topic: S3 rejects it for another reason
        if push.service == S3 and push.kind is None:
            continue  # a Lambda configuration naming a queue or topic: the same
        yield from _data_target(model, push, target)
        yield from check_key(model, push, target, _WIRING[push.service], _lost(push.service))


# --- Lambda -----------------------------------------------------------------------------


def _function(model: Model, value: str) -> tuple[Function, FunctionRef] | None:
    """The function of the run that `value` (name, ARN or qualified ARN) names."""
    ref = ref_of(value)
    if ref is None or not ref.exact:
        return None
    found = [f for f in model.functions if eq(f.function_name, ref.name) is Tri.TRUE]
    return (found[0], ref) if len(found) == 1 else None


def _covers(perm: LambdaPermission, ref: FunctionRef) -> Tri:
    """Does the permission (maybe) apply to invocations of `ref`? A permission on another
    qualifier of the same function counts as "maybe": only the name is compared for sure."""
    pref = ref_of(perm.function)
    same = same_function(pref, ref)
    written = (perm.principal, perm.action)
    if same is not Tri.FALSE and any(isinstance(v, str) and has_symbol(v) for v in written):
        return Tri.MAYBE  # e.g. !Sub events.${AWS::URLSuffix}: not compared as written
    if same is not Tri.TRUE:
        return same
    qualifier = perm.qualifier if perm.qualifier is not None else pref.qualifier if pref else None
    if isinstance(qualifier, Unknown) or qualifier != ref.qualifier:
        return Tri.MAYBE
    return Tri.TRUE


def _lambda(model: Model, push: Push, fn: Function, ref: FunctionRef) -> Iterator[Hit]:
    arn = fn.arn if ref.qualifier is None else f"{fn.arn}:{ref.qualifier}"
    perms = [(p, _covers(p, ref)) for p in model.lambda_permissions]
    policy = permission_policy(perms, arn, f"resource-based policy of {fn.name}")
    for source in push.sources():  # denied however the source ARN is spelled
        context = caller_context(aws__SourceArn=source, aws__SourceAccount=A)
        if not denied_for_sure(decide(push.service, INVOKE, arn, policy, context, A)):
            return
    own = [p for p, m in perms if m is Tri.TRUE]
    src = _label(push)
    why = (
        "its permissions allow other principals or sources only"
        if own
        else "it has no AWS::Lambda::Permission / aws_lambda_permission"
    )
    msg = (
        f"{_WIRING[push.service]} {push.name} makes {push.service} invoke function {fn.name} "
        f"for {src}, but the function's resource-based policy does not allow it ({why}): "
        f"{INVOKE} is denied and {_lost(push.service)}"
    )
    where = own[0].ref if own else fn.ref
    trace = (
        TraceStep(f"{push.name}: {push.service} invokes {fn.name} for {src}", push.ref),
        TraceStep(
            f"resource-based policy of {fn.name}: no statement allows {push.service} "
            f"{INVOKE} with aws:SourceArn {text(push.source)}",
            where,
            True,
        ),
    )
    fix = permission_fix(fmt_of(push.ref), fn, push.service, push.source_element)
    yield Hit(
        ref=push.ref,
        resource=push.name,
        message=msg,
        fix=fix,
        key=f"{push.name}|{fn.name}",
        trace=trace,
    )


# --- SQS queues and SNS topics ----------------------------------------------------------


def target_policies(model: Model, target: DataResource) -> list[PolicyDocument] | None:
    """The queue or topic policies of the run that apply to `target`; None when one may apply
    but cannot be read (a policy or its queue/topic list is not known)."""
    names = (target.arn, *target.aliases)
    found: list[PolicyDocument] = []
    if target.kind is DataKind.QUEUE:
        entries = [(q.queues or Unknown("no queues"), q.document) for q in model.queue_policies]
    else:
        entries = [(t.topics, t.document) for t in model.topic_policies]
    for listed, doc in entries:
        if isinstance(listed, Unknown):
            return None
        match = Tri.FALSE
        for value in listed:
            for name in names:
                match = match | eq(value, name)
        if match is Tri.FALSE:
            continue
        if match is Tri.MAYBE or isinstance(doc, Unknown):
            return None
        found.append(doc)
    return found


def _data_target(model: Model, push: Push, target: DataResource) -> Iterator[Hit]:
    docs = target_policies(model, target)
    if docs is None:
        return
    action = _ACTIONS[target.kind]
    layers: list[PolicyDocument | None] = [*docs] if docs else [None]
    for source in push.sources():
        context = caller_context(aws__SourceArn=source, aws__SourceAccount=A)
        req = Request(principal=push.service, action=action, resource=target.arn, context=context)
        for doc in layers:
            if not denied_for_sure(evaluate(req, PolicySet(resource=doc))):
                return
    kind = "queue" if target.kind is DataKind.QUEUE else "topic"
    src = _label(push)
    why = (
        f"its {kind} policy does not allow it"
        if docs
        else f"the {kind} has no {kind} policy, and without one no service principal is allowed"
    )
    msg = (
        f"{_WIRING[push.service]} {push.name} makes {push.service} call {action} on {kind} "
        f"{target.name} for {src}, but {why}: {_lost(push.service)}"
    )
    where = docs[0].ref if docs and docs[0].ref else target.ref
    trace = (
        TraceStep(f"{push.name}: {push.service} calls {action} on {target.name}", push.ref),
        TraceStep(
            f"{kind} {target.name}: no policy statement allows {push.service} with "
            f"aws:SourceArn {text(push.source)}",
            where,
            True,
        ),
    )
    fix = policy_fix(fmt_of(push.ref), target, push.service, action, push.source_element, docs)
    yield Hit(
        ref=push.ref,
        resource=push.name,
        message=msg,
        fix=fix,
        key=f"{push.name}|{target.name}",
        trace=trace,
    )


def _label(push: Push) -> str:
    el = push.source_element
    if isinstance(el, Bucket):
        return f"bucket {el.name}"
    kind = {SNS: "topic", EVENTS: "rule", S3: "bucket"}[push.service]
    name = getattr(el, "name", None)
    return f"{kind} {name}" if isinstance(name, str) else f"{kind} {text(push.source)}"


def _lost(service: str) -> str:
    return {
        SNS: "messages are never delivered",
        EVENTS: "every invocation fails (FailedInvocations)",
        S3: "S3 validates the destination when the notification is configured, so the deploy fails "
        "(Unable to validate the following destination configurations)",
    }[service]
