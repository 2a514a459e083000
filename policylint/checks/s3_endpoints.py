"""S3100: the S3 VPC endpoint policy must allow what workloads in the VPC do with buckets."""

from __future__ import annotations

from collections.abc import Iterator

from policylint.checks.access_common import objects, roles_using
from policylint.checks.callers import evaluate_doc
from policylint.checks.common import text
from policylint.checks.context import CheckContext
from policylint.checks.iam_eval import context_for
from policylint.findings import Hit, Severity, TraceStep
from policylint.model import VpcEndpoint
from policylint.policy.decision import Outcome, Request
from policylint.policy.document import PolicyDocument

ACTIONS = ("s3:GetObject", "s3:PutObject")


def endpoint_hits(ctx: CheckContext, endpoints: list[VpcEndpoint]) -> Iterator[Hit]:
    """Workloads in a VPC whose bucket access the S3 endpoint policy does not allow.

    The model does not say which VPC a workload runs in, so a finding is a warning: the
    workload is in a VPC and the run has an S3 endpoint whose policy denies its access.
    """
    if not endpoints:
        return
    for bucket in ctx.model.buckets:
        for action in ACTIONS:
            for use in roles_using(ctx, bucket, action):
                wl = next((w for w in ctx.model.workloads if w.name == use.workload), None)
                if wl is None or wl.in_vpc is not True:
                    continue
                for ep in endpoints:
                    policy = ep.policy
                    if policy is None:
                        continue  # the default endpoint policy allows everything
                    req = Request(
                        principal=use.role.arn,
                        action=action,
                        resource=objects(bucket),
                        context=context_for(use.role, action),
                    )
                    if not isinstance(policy, PolicyDocument):
                        msg = (
                            f"S3 VPC endpoint {ep.name} has a policy that cannot be read before "
                            f"deploy; check it allows {action} on {bucket.name} for {wl.name}"
                        )
                        yield _hit(ep, bucket.name, wl.name, action, msg, Severity.INFO)
                        continue
                    dec = evaluate_doc(policy, req)
                    if dec.outcome is Outcome.ALLOW or dec.outcome is Outcome.UNKNOWN:
                        continue
                    why = (
                        "an explicit Deny matches"
                        if dec.outcome is Outcome.EXPLICIT_DENY
                        else "no statement allows it"
                    )
                    msg = (
                        f"{wl.kind.value} {wl.name} runs in a VPC and its role {use.role.name} "
                        f"uses {action} on {bucket.name}, but the policy of S3 VPC endpoint "
                        f"{ep.name} ({text(ep.vpc_id) if ep.vpc_id else 'VPC not named'}) does "
                        f"not allow it ({why}): if the workload's VPC routes S3 through this "
                        "endpoint, every such request gets 403"
                    )
                    yield _hit(ep, bucket.name, wl.name, action, msg, Severity.WARNING)


def _hit(ep: VpcEndpoint, bucket: str, workload: str, action: str, msg: str, sev: Severity) -> Hit:
    return Hit(
        ref=ep.ref,
        resource=ep.name,
        message=msg,
        fix=f"Add a statement to the endpoint policy of {ep.name} allowing {action} on the "
        f'objects of {bucket} (Principal "*", Resource the bucket\'s object ARN).',
        key=f"{ep.name}|{bucket}|{workload}|{action}",
        trace=(
            TraceStep(f"workload {workload} in a VPC -> S3 via endpoint {ep.name}"),
            TraceStep(
                f"endpoint policy of {ep.name}: {action} on {bucket} not allowed", ep.ref, True
            ),
        ),
        severity=sev,
    )
