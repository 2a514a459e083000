"""Small helpers shared by the checks: names, traces and refs for messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from policylint.findings import TraceStep
from policylint.values import Tri, Unknown, render

if TYPE_CHECKING:
    from policylint.graph import AccessGraph
    from policylint.graph_types import Caller, OriginView
    from policylint.model import Behavior, Bucket, Model
    from policylint.policy.decision import Decision
    from policylint.policy.document import Statement
    from policylint.source import SourceRef


def text(value: object) -> str:
    """A model value for a message: symbols as ${...}, unknowns as <unknown>."""
    if isinstance(value, Unknown):
        return "<unknown>"
    return render(value) if isinstance(value, str) else str(value)


def origin_id(view: OriginView) -> str:
    return text(view.origin.origin_id)


def pattern_of(beh: Behavior) -> str:
    return "default (*)" if beh.path_pattern is None else text(beh.path_pattern)


def where(ref: SourceRef | None) -> str:
    return f" at {ref.display()}" if ref else ""


def stmt_name(st: Statement) -> str:
    return f"{st.label()}{where(st.ref)}"


def stmt_list(statements: Iterable[Statement]) -> str:
    return ", ".join(stmt_name(st) for st in statements)


def policy_ref(graph: AccessGraph, bucket: Bucket) -> tuple[SourceRef, str]:
    """Where to point a finding about the bucket's policy: the policy, else the bucket."""
    pol = graph.policy_for(bucket)
    return (pol.ref, pol.name) if pol is not None else (bucket.ref, bucket.name)


def origin_trace(view: OriginView, caller: Caller | None = None) -> list[TraceStep]:
    """Caller -> distribution/behavior -> origin -> bucket."""
    steps: list[TraceStep] = []
    if caller is not None:
        steps.append(TraceStep(caller.label, view.distribution.ref))
    beh = ", ".join(pattern_of(b) for b in view.behaviors) or "no behavior"
    steps.append(
        TraceStep(
            f"distribution {view.distribution.name}: behavior {beh} -> origin {origin_id(view)}",
            view.behaviors[0].ref if view.behaviors else view.distribution.ref,
        )
    )
    target = f"bucket {view.bucket.name}" if view.bucket else "an origin outside the run"
    steps.append(
        TraceStep(
            f"origin {origin_id(view)} -> {target} via "
            f"{view.endpoint.kind.value} endpoint {text(view.endpoint.host)}",
            view.origin.ref,
        )
    )
    return steps


def denial_step(
    graph: AccessGraph, bucket: Bucket, decision: Decision, action: str, who: str
) -> TraceStep:
    """The denying hop of a bucket-policy decision."""
    if decision.outcome.name == "EXPLICIT_DENY" and decision.statements:
        st = decision.statements[0].statement
        return TraceStep(f"bucket policy denies {action}: {st.label()}", st.ref, denies=True)
    ref, name = policy_ref(graph, bucket)
    if graph.policy_for(bucket) is None:
        msg = f"bucket {bucket.name} has no bucket policy: implicit deny of {action} for {who}"
    else:
        msg = f"no statement of {name} allows {action} for {who} (implicit deny)"
    return TraceStep(msg, ref, denies=True)


def custom_orp_forwards(model: Model, policy_id: str, header: str) -> Tri:
    """Does the run's origin request policy `policy_id` send the viewer header `header`
    (lower case) to the origin? MAYBE when the policy or its header list is not known."""
    policy = next((p for p in model.origin_request_policies if p.policy_id == policy_id), None)
    if policy is None or not isinstance(policy.header_behavior, str):
        return Tri.MAYBE
    if isinstance(policy.headers, Unknown):
        return Tri.MAYBE
    mode = policy.header_behavior.lower()
    listed = any(h.lower() == header for h in policy.headers)
    if mode == "none":
        return Tri.FALSE
    if mode == "whitelist":
        return Tri.of(listed)
    if mode == "allexcept":
        return Tri.of(not listed)
    return Tri.TRUE if mode.startswith("allviewer") else Tri.MAYBE
