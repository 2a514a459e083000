"""Subnets, route table associations, and where compute runs (Lambda `vpc_config`, ECS
services; EC2 instances and CodeBuild projects: `normalize_compute`). `aws_default_subnet`
and `data "aws_subnet"` are not modelled: a workload in them has an unknown VPC."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.model.network import Placement, RouteTableLink, Subnet
from policylint.terraform.common import s, strs
from policylint.terraform.instances import block, known
from policylint.terraform.normalize_compute import compute_workloads
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

_NONE = Unknown("no subnets given: the default VPC or another configuration decides")


def normalize_network(ctx: Ctx) -> dict[str, tuple[Any, ...]]:
    """The model fields this module fills, ready for `Model(**...)`."""
    links = [_subnet_link(a) for a in ctx.of("aws_route_table_association")]
    links += [_endpoint_link(a) for a in ctx.of("aws_vpc_endpoint_route_table_association")]
    placements = [_lambda(f) for f in ctx.of("aws_lambda_function")]
    placements += [_service(x) for x in ctx.of("aws_ecs_service")]
    placements += compute_workloads(ctx)[1]  # EC2 instances, CodeBuild projects
    return {
        "subnets": tuple(_subnet(x) for x in ctx.of("aws_subnet")),
        "route_table_links": tuple(x for x in links if x is not None),
        "placements": tuple(p for p in placements if p is not None),
    }


def _subnet(x: Instance) -> Subnet:
    own = known(x, "id") or resource_sym(x.id, "id")
    return Subnet(
        id=x.id, name=x.address, ref=x.ref, subnet_id=own, vpc_id=s(x.values.get("vpc_id"))
    )


def _subnet_link(a: Instance) -> RouteTableLink | None:
    table, subnet = s(a.values.get("route_table_id")), s(a.values.get("subnet_id"))
    if table is None or subnet is None:
        return None  # a gateway_id association: not a subnet's route table
    return RouteTableLink(
        id=a.id, name=a.address, ref=a.ref, route_table_id=table, subnet_id=subnet
    )


def _endpoint_link(a: Instance) -> RouteTableLink | None:
    table, ep = s(a.values.get("route_table_id")), s(a.values.get("vpc_endpoint_id"))
    if table is None or ep is None:
        return None
    return RouteTableLink(id=a.id, name=a.address, ref=a.ref, route_table_id=table, endpoint_id=ep)


def _lambda(f: Instance) -> Placement | None:
    vpc = block(f.values, "vpc_config")
    if isinstance(vpc, Unknown):
        subnets: tuple[str, ...] | Unknown = vpc
    elif isinstance(vpc, dict) and vpc.get("subnet_ids"):
        subnets = strs(vpc.get("subnet_ids"))
    else:
        return None
    where = f.at("vpc_config", 0, "subnet_ids")
    return Placement(id=f.id, name=f.address, ref=where, target=f.id, subnet_ids=subnets)


def _service(x: Instance) -> Placement | None:
    """awsvpc tasks of the service run in `network_configuration.subnets`."""
    task = s(x.values.get("task_definition"))
    net = block(x.values, "network_configuration")
    if task is None or net is None:
        return None
    subnets = net if isinstance(net, Unknown) else strs(net.get("subnets"))
    where = x.at("network_configuration", 0, "subnets")
    return Placement(id=x.id, name=x.address, ref=where, target=task, subnet_ids=subnets or _NONE)
