"""Subnets, route table associations, and where compute runs (ECS services).

A Lambda function's placement comes from its own handler (`normalize_workloads.function`);
EC2 instances and CodeBuild projects are placed by `normalize_compute`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.model.network import Placement, RouteTableLink, Subnet
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]


def id_list(res: Res, *keys: str | int) -> tuple[str, ...] | Unknown:
    """A list of resource ids; anything that is not a list of strings is Unknown (never raises:
    a placement that cannot be read must not cost the resource that holds it)."""
    value = res.get(*keys)
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, list):
        return Unknown("not a list of ids", res.at(*keys))
    out: list[str] = []
    for item in value:
        if isinstance(item, Unknown):
            out.append(res.r.text(item))  # an opaque symbol: matches no subnet of the run
        elif isinstance(item, str):
            out.append(item)
        else:
            return Unknown("not a list of ids", res.at(*keys))
    return tuple(out)


def one_id(res: Res, *keys: str | int) -> str | Unknown | None:
    value = res.get(*keys)
    if value is None or isinstance(value, (str, Unknown)):
        return value
    return Unknown("not an id", res.at(*keys))


def lambda_placement(res: Res) -> Placement | None:
    """A function with VpcConfig subnets runs in them (a whole unknown VpcConfig: unknown)."""
    vpc = res.get("VpcConfig")
    if isinstance(vpc, Unknown):
        subnets: tuple[str, ...] | Unknown = vpc
    elif isinstance(vpc, dict) and vpc.get("SubnetIds"):
        subnets = id_list(res, "VpcConfig", "SubnetIds")
    else:
        return None
    return Placement(
        id=res.id, name=res.name, ref=res.at("VpcConfig"), target=res.id, subnet_ids=subnets
    )


def subnet(res: Res) -> Iterator[Element]:
    vpc = one_id(res, "VpcId")
    yield (
        "subnets",
        Subnet(id=res.id, name=res.name, ref=res.ref, subnet_id=res.own_ref(), vpc_id=vpc),
    )


def route_table_association(res: Res) -> Iterator[Element]:
    table = one_id(res, "RouteTableId")
    if table is None:
        return
    link = RouteTableLink(
        id=res.id,
        name=res.name,
        ref=res.ref,
        route_table_id=table,
        subnet_id=one_id(res, "SubnetId"),
    )
    yield ("route_table_links", link)


def ecs_service(res: Res) -> Iterator[Element]:
    """awsvpc tasks of the service run in its subnets."""
    keys = ("NetworkConfiguration", "AwsvpcConfiguration", "Subnets")
    task = one_id(res, "TaskDefinition")
    if task is None or res.get("NetworkConfiguration") is None:
        return
    where = res.at(*keys) if res.get(*keys) is not None else res.at("NetworkConfiguration")
    subnets = id_list(res, *keys)
    yield (
        "placements",
        Placement(id=res.id, name=res.name, ref=where, target=task, subnet_ids=subnets or _NONE),
    )


_NONE = Unknown("no subnets given: the default VPC or another stack decides")


HANDLERS = {
    "AWS::EC2::Subnet": subnet,
    "AWS::EC2::SubnetRouteTableAssociation": route_table_association,
    "AWS::ECS::Service": ecs_service,
}
