"""DNS records, certificates, VPC endpoints, subnets and placements, load balancer listeners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import RESOURCE_PREFIX, SYM_CLOSE, SYM_OPEN, Unknown

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsRecord:
    id: str
    name: str
    ref: SourceRef
    record_name: MaybeStr
    record_type: MaybeStr
    alias_target: MaybeStr | None = None  # DNS name of the alias target
    values: tuple[MaybeStr, ...] = ()  # ResourceRecords / records (CNAME target)


@dataclass(frozen=True, slots=True, kw_only=True)
class Certificate:
    id: str
    name: str
    ref: SourceRef
    arn: str
    domain_name: MaybeStr
    alternative_names: tuple[MaybeStr, ...] | Unknown = ()
    region: str = ""
    region_ref: SourceRef | None = None  # the setting the region comes from (Terraform provider)


@dataclass(frozen=True, slots=True, kw_only=True)
class VpcEndpoint:
    id: str
    name: str
    ref: SourceRef
    endpoint_id: str
    service_name: MaybeStr
    endpoint_type: MaybeStr = "Gateway"
    vpc_id: MaybeStr | None = None
    private_dns_enabled: bool | Unknown = False
    policy: PolicyDocument | Unknown | None = None
    route_table_ids: tuple[str, ...] | Unknown = ()  # gateway endpoints: RouteTableIds
    subnet_ids: tuple[str, ...] | Unknown = ()  # interface endpoints: SubnetIds


@dataclass(frozen=True, slots=True, kw_only=True)
class Subnet:
    """`AWS::EC2::Subnet` / `aws_subnet` of the run: the VPC it belongs to."""

    id: str
    name: str
    ref: SourceRef
    subnet_id: str  # what Ref / `.id` returns
    vpc_id: MaybeStr | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteTableLink:
    """A route table associated with a subnet (`AWS::EC2::SubnetRouteTableAssociation`,
    `aws_route_table_association`) or with a gateway endpoint
    (`aws_vpc_endpoint_route_table_association`)."""

    id: str
    name: str
    ref: SourceRef
    route_table_id: MaybeStr
    subnet_id: MaybeStr | None = None
    endpoint_id: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Placement:
    """Compute that runs in subnets. `target` names the workload: its model id (Lambda), or
    the value the placing resource holds (an ECS service's task definition, an instance's
    profile name), which names the workload when it is exactly one of its resource symbols.
    EC2 instances and CodeBuild projects are workloads themselves: `target` is their id."""

    id: str
    name: str
    ref: SourceRef  # where the subnets are set
    target: MaybeStr
    subnet_ids: tuple[str, ...] | Unknown
    vpc_id: MaybeStr | None = None  # the VPC the placing resource names itself (CodeBuild)


def owner_of(value: str | Unknown) -> str | None:
    """The model id of the resource `value` names when it is exactly one resource symbol."""
    if not isinstance(value, str) or not value.startswith(SYM_OPEN + RESOURCE_PREFIX):
        return None
    if not value.endswith(SYM_CLOSE) or value.count(SYM_OPEN) != 1:
        return None
    name = value[len(SYM_OPEN + RESOURCE_PREFIX) : -len(SYM_CLOSE)]
    owner, dot, _attr = name.rpartition(".")
    return owner if dot else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListenerAction:
    type: MaybeStr  # forward, fixed-response, redirect, ...
    status_code: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Listener:
    id: str
    name: str
    ref: SourceRef
    listener_arn: str
    load_balancer_arn: MaybeStr
    default_actions: tuple[ListenerAction, ...] | Unknown = ()
    protocol: MaybeStr | None = None  # HTTP or HTTPS (None: not set)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListenerRule:
    id: str
    name: str
    ref: SourceRef
    listener_arn: MaybeStr
    header_conditions: tuple[tuple[MaybeStr, tuple[MaybeStr, ...]], ...] | Unknown = ()
    actions: tuple[ListenerAction, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadBalancer:
    id: str
    name: str
    ref: SourceRef
    arn: str
    dns_name: str
    ip_address_type: MaybeStr = "ipv4"  # ipv4, dualstack, dualstack-without-public-ipv4
