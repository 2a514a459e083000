"""Where a workload runs (subnets -> VPC) and whether a VPC endpoint serves it.

Never guess: a subnet that is not created in the run, subnets that do not agree on one VPC,
or a subnet without an explicit route table association leave the answer unknown (MAYBE).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.common import text
from policylint.policy.matching import equals
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.model import Model, Placement, RouteTableLink, Subnet, VpcEndpoint, Workload


@dataclass(frozen=True, slots=True)
class Site:
    """One placement of a workload: its subnets and the VPC they resolve to (None: unknown)."""

    placement: Placement
    subnets: tuple[str, ...]  # empty when the subnets are not known
    vpc: str | None
    subnet: Subnet | None  # a subnet of the run that names the VPC (for the trace)
    unknown: str = ""  # why the VPC is not known


def _eq(a: str | Unknown | None, b: str | Unknown | None) -> Tri:
    if not isinstance(a, str) or not isinstance(b, str):
        return Tri.MAYBE
    return equals(a, b)


def _any(values: Iterable[Tri]) -> Tri:
    out = Tri.FALSE
    for v in values:
        out = out | v
    return out


def _places(p: Placement, w: Workload) -> bool:
    if p.target == w.id:
        return True
    from policylint.model.network import owner_of  # placements exist: the module is loaded

    return owner_of(p.target) == w.id


def subnet_names(model: Model, site: Site) -> str:
    """The site's subnets by name where the run creates them."""
    names = [(sub.name if (sub := _subnet(model, sid)) else text(sid)) for sid in site.subnets]
    return ", ".join(names) or "subnets not known"


def sites(model: Model, w: Workload) -> list[Site]:
    """Every placement of `w` (none: not known to run in a VPC)."""
    return [_site(model, p) for p in model.placements if _places(p, w)]


def _subnet(model: Model, subnet_id: str) -> Subnet | None:
    found = [s for s in model.subnets if _eq(s.subnet_id, subnet_id) is Tri.TRUE]
    return found[0] if len(found) == 1 else None


def _site(model: Model, p: Placement) -> Site:
    site = _subnet_site(model, p)
    if site.vpc is None and isinstance(p.vpc_id, str):
        return Site(p, site.subnets, p.vpc_id, None)  # the VPC the resource names (CodeBuild)
    return site


def _subnet_site(model: Model, p: Placement) -> Site:
    if isinstance(p.subnet_ids, Unknown) or not p.subnet_ids:
        why = p.subnet_ids.reason if isinstance(p.subnet_ids, Unknown) else "no subnets"
        return Site(p, (), None, None, f"its subnets are not known ({why})")
    subs: list[Subnet] = []
    for sid in p.subnet_ids:
        sub = _subnet(model, sid)
        if sub is None or not isinstance(sub.vpc_id, str):
            return Site(p, p.subnet_ids, None, None, "a subnet is not created in this run")
        subs.append(sub)
    first = subs[0].vpc_id
    assert isinstance(first, str)
    if any(_eq(first, s.vpc_id) is not Tri.TRUE for s in subs[1:]):
        return Site(p, p.subnet_ids, None, None, "its subnets are not known to share one VPC")
    return Site(p, p.subnet_ids, first, subs[0])


def same_vpc(site: Site, ep: VpcEndpoint) -> Tri:
    """Is the endpoint in the site's VPC? A subnet both sit in settles it."""
    ep_subnets = () if isinstance(ep.subnet_ids, Unknown) else ep.subnet_ids
    if any(_eq(a, b) is Tri.TRUE for a in site.subnets for b in ep_subnets):
        return Tri.TRUE
    if site.vpc is None:
        return Tri.MAYBE
    return _eq(site.vpc, ep.vpc_id)


def gateway_route(model: Model, site: Site, ep: VpcEndpoint) -> tuple[Tri, RouteTableLink | None]:
    """Does S3 traffic from the site go through gateway endpoint `ep`? (With the subnet's
    route table association that proves it.)

    Only subnets whose route table is one of the endpoint's send it there; a subnet without
    an explicit association uses the VPC's main route table, which the run does not show, so
    it stays unknown. One routed subnet is enough for some requests to go through.
    """
    if isinstance(ep.route_table_ids, Unknown) or not site.subnets:
        return Tri.MAYBE, None
    tables: list[tuple[str | Unknown, Tri]] = [(t, Tri.TRUE) for t in ep.route_table_ids]
    for link in model.route_table_links:
        if link.endpoint_id is not None:
            tables.append((link.route_table_id, _eq(link.endpoint_id, ep.endpoint_id)))
    if all(on is Tri.FALSE for _, on in tables):
        return Tri.MAYBE, None  # no route table of the run: another stack may attach them
    subnet_links = [x for x in model.route_table_links if x.subnet_id is not None]
    per_subnet: list[Tri] = []
    for sid in site.subnets:
        sure = [x for x in subnet_links if _eq(x.subnet_id, sid) is Tri.TRUE]
        if len(sure) != 1:
            per_subnet.append(Tri.MAYBE)
            continue
        routed = _any(_eq(sure[0].route_table_id, t) & on for t, on in tables)
        if routed is Tri.TRUE:
            return Tri.TRUE, sure[0]
        per_subnet.append(routed)
    return _any(per_subnet), None
