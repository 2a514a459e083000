"""DNS records, certificates, VPC endpoints and load balancer listeners."""

from __future__ import annotations

from dataclasses import dataclass

from policylint.policy.document import PolicyDocument
from policylint.source import SourceRef
from policylint.values import Unknown

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
