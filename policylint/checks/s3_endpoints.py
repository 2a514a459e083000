"""S3100: the S3 VPC endpoint policy must allow what workloads in the VPC do with buckets.

Severity follows what is known of the path workload -> subnet -> VPC -> endpoint -> bucket:
error when the workload's subnets are in the endpoint's VPC and one of them routes S3 through
it (gateway route table), warning when the VPC matches but the route is not known (no explicit
route table association, interface endpoint), info when the VPC itself is not known.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.access_common import objects, workload_uses
from policylint.checks.callers import evaluate_doc
from policylint.checks.common import text
from policylint.checks.fixes import bucket_objects, fmt_of, render
from policylint.checks.iam_eval import context_for, denied_for_sure
from policylint.checks.vpc import gateway_route, same_vpc, sites, subnet_names
from policylint.findings import Hit, Severity, TraceStep
from policylint.policy.decision import Outcome, Request
from policylint.policy.document import PolicyDocument
from policylint.values import Tri

if TYPE_CHECKING:
    from policylint.checks.access_common import Use
    from policylint.checks.context import CheckContext
    from policylint.checks.fixes import Node
    from policylint.checks.vpc import Site
    from policylint.model import Bucket, RouteTableLink, VpcEndpoint, Workload
    from policylint.policy.decision import Decision

ACTIONS = ("s3:GetObject", "s3:PutObject")
_RANK = {None: 1, Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def route_of(
    ctx: CheckContext, site: Site, ep: VpcEndpoint
) -> tuple[Tri, Tri, RouteTableLink | None]:
    """(same VPC, S3 traffic routed through `ep`, the association proving it); interface
    endpoints: route MAYBE (whether clients use them depends on the DNS names they call)."""
    vpc = same_vpc(site, ep)
    gateway = isinstance(ep.endpoint_type, str) and ep.endpoint_type.lower() == "gateway"
    if not gateway or vpc is Tri.FALSE:
        return vpc, Tri.MAYBE, None
    route, link = gateway_route(ctx.model, site, ep)
    return vpc, route, link


def behind_s3_endpoint(
    ctx: CheckContext, wl: Workload, endpoints: list[VpcEndpoint]
) -> tuple[VpcEndpoint, Site] | None:
    """An S3 endpoint certainly in the VPC of one of `wl`'s placements, and not certainly
    bypassed by its route tables (S3060)."""
    for site in sites(ctx.model, wl):
        for ep in endpoints:
            vpc, route, _ = route_of(ctx, site, ep)
            if vpc is Tri.TRUE and route is not Tri.FALSE:
                return ep, site
    return None


def endpoint_hits(ctx: CheckContext, endpoints: list[VpcEndpoint]) -> Iterator[Hit]:
    """Workloads whose bucket access an S3 endpoint serving their VPC does not allow."""
    if not endpoints:
        return
    best: dict[str, Hit] = {}
    for bucket in ctx.model.buckets:
        for action in ACTIONS:
            for use in workload_uses(ctx, bucket, action):
                for site in sites(ctx.model, use.wire.workload):
                    for ep in endpoints:
                        _keep(best, _check(ctx, bucket, action, use, site, ep))
    yield from best.values()


def _keep(best: dict[str, Hit], hit: Hit | None) -> None:
    """One finding per endpoint, bucket, workload and action: the most certain placement."""
    if hit is None:
        return
    old = best.get(hit.key)
    if old is None or _RANK[hit.severity] > _RANK[old.severity]:
        best[hit.key] = hit


def _check(
    ctx: CheckContext, bucket: Bucket, action: str, use: Use, site: Site, ep: VpcEndpoint
) -> Hit | None:
    vpc, route, link = route_of(ctx, site, ep)
    if vpc is Tri.FALSE or route is Tri.FALSE or ep.policy is None:
        return None  # another VPC, a subnet not routed to it, or the default (allow-all) policy
    wl = use.wire.workload
    if not isinstance(ep.policy, PolicyDocument):
        if vpc is not Tri.TRUE:
            return None
        msg = (
            f"{wl.kind.value} {wl.name} runs in the VPC of S3 endpoint {ep.name}, whose policy "
            f"cannot be read before deploy: check it allows {action} on {bucket.name}"
        )
        return _hit(ctx, bucket, action, use, (site, link), ep, None, msg, Severity.INFO)
    req = Request(
        principal=use.role.arn,
        action=action,
        resource=objects(bucket),
        context=context_for(use.role, action),
    )
    dec = evaluate_doc(ep.policy, req)
    if not dec.certainly_denied:
        return None
    sure = denied_for_sure(dec)
    if vpc is Tri.TRUE and route is Tri.TRUE and sure:
        sev = Severity.ERROR
    elif vpc is Tri.TRUE and sure:
        sev = Severity.WARNING
    else:
        sev = Severity.INFO
    why = (
        "an explicit Deny matches"
        if dec.outcome is Outcome.EXPLICIT_DENY
        else "no statement allows it"
    )
    where = _where(vpc, route, site, ep)
    msg = (
        f"{wl.kind.value} {wl.name} (role {use.role.name}) uses {action} on {bucket.name}, but "
        f"the policy of S3 VPC endpoint {ep.name} does not allow it ({why}); {where}"
    )
    return _hit(ctx, bucket, action, use, (site, link), ep, dec, msg, sev)


def _where(vpc: Tri, route: Tri, site: Site, ep: VpcEndpoint) -> str:
    if vpc is not Tri.TRUE:
        return (
            f"the workload's VPC is not known ({site.unknown}): if it is the endpoint's VPC "
            f"({text(ep.vpc_id) if ep.vpc_id else 'not named'}), its requests get 403"
        )
    if route is Tri.TRUE:
        return "its subnet routes S3 through this endpoint, so every such request gets 403"
    return (
        "the workload is in the endpoint's VPC; if its subnet sends S3 traffic through the "
        "endpoint, every such request gets 403"
    )


def _hit(
    ctx: CheckContext,
    bucket: Bucket,
    action: str,
    use: Use,
    where: tuple[Site, RouteTableLink | None],
    ep: VpcEndpoint,
    dec: Decision | None,
    msg: str,
    sev: Severity,
) -> Hit:
    wl = use.wire.workload
    site, link = where
    subnets = subnet_names(ctx.model, site)
    trace = [
        TraceStep(f"{wl.name} is handed {bucket.name} ({use.wire.variable})", use.wire.ref),
        TraceStep(f"{wl.name} runs in {subnets}", site.placement.ref),
    ]
    if site.subnet is not None and site.vpc is not None:
        trace.append(
            TraceStep(f"subnet {site.subnet.name} is in VPC {text(site.vpc)}", site.subnet.ref)
        )
    elif site.vpc is not None:
        trace.append(TraceStep(f"{wl.name} names VPC {text(site.vpc)}", site.placement.ref))
    if link is not None:
        step = f"{link.name}: the subnet's route table {text(link.route_table_id)} is {ep.name}'s"
        trace.append(TraceStep(step, link.ref))
    trace.append(TraceStep(f"S3 via endpoint {ep.name} ({text(ep.endpoint_type)})", ep.ref))
    deciding = ep.ref
    if dec is not None:
        deciding = next((m.statement.ref for m in dec.statements if m.statement.ref), None) or (
            ep.policy.ref if isinstance(ep.policy, PolicyDocument) and ep.policy.ref else ep.ref
        )
    trace.append(
        TraceStep(
            f"endpoint policy of {ep.name}: {action} on {bucket.name} not allowed", deciding, True
        )
    )
    statement: dict[str, Node] = {
        "Sid": f"Allow{action.split(':')[1]}",
        "Effect": "Allow",
        "Principal": "*",
        "Action": action,
        "Resource": bucket_objects(bucket),
    }
    fix = (
        f"Add this statement to the endpoint policy of {ep.name} (PolicyDocument / policy):\n"
        + render(statement, fmt_of(ep.ref))
    )
    return Hit(
        ref=ep.ref,
        resource=ep.name,
        message=msg,
        fix=fix,
        key=f"{ep.name}|{bucket.name}|{wl.name}|{action}",
        trace=tuple(trace),
        severity=sev,
    )
