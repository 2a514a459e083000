"""The normalized model: what CloudFormation and Terraform inputs both become.

Every element carries `id` (unique in the run: ``file#LogicalId`` or ``dir#tf.address``),
`name` (what users call it: the logical id or the Terraform address) and `ref` (its source).
Strings may hold symbols (`policylint.values`); `Unknown` marks whole values that cannot be
resolved. None means "not set".
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # at run time each name is imported on first use (__getattr__ below)
    from policylint.findings import InputProblem, Suppression
    from policylint.model.apigw import (
        ApiAuthorizer,
        ApiDeployment,
        ApiDomainName,
        ApiKey,
        ApiMapping,
        ApiMethod,
        ApiStage,
        RestApi,
        UsagePlan,
        UsagePlanKey,
    )
    from policylint.model.cloudfront import (
        Behavior,
        CustomErrorResponse,
        Distribution,
        GeoRestriction,
        Origin,
        OriginAccessControl,
        OriginAccessIdentity,
        OriginRequestPolicy,
    )
    from policylint.model.data import DataKind, DataResource, QueuePolicy, Subscription
    from policylint.model.declared import Declared
    from policylint.model.events import (
        BucketNotification,
        EventRule,
        EventTarget,
        LambdaNotification,
        TopicPolicy,
    )
    from policylint.model.iam import ManagedPolicy, Role, ScpPolicy
    from policylint.model.kms import KmsAlias, KmsKey
    from policylint.model.lambda_ import EventSourceMapping, Function, FunctionUrl, LambdaPermission
    from policylint.model.network import (
        Certificate,
        DnsRecord,
        Listener,
        ListenerAction,
        ListenerRule,
        LoadBalancer,
        Placement,
        RouteTableLink,
        Subnet,
        VpcEndpoint,
    )
    from policylint.model.s3 import (
        Bucket,
        BucketEncryption,
        BucketPolicy,
        PublicAccessBlock,
        Website,
    )
    from policylint.model.s3_extra import AccountPublicAccessBlock, ObjectAcl
    from policylint.model.waf import IpSet, RuleGroup, WafRule, WebAcl, WebAclAssociation
    from policylint.model.workload import KeyGroup, Workload, WorkloadKind

__all__ = [
    "AccountPublicAccessBlock",
    "ApiAuthorizer",
    "ApiDeployment",
    "ApiDomainName",
    "ApiKey",
    "ApiMapping",
    "ApiMethod",
    "ApiStage",
    "Behavior",
    "Bucket",
    "BucketEncryption",
    "BucketNotification",
    "BucketPolicy",
    "Certificate",
    "CustomErrorResponse",
    "DataKind",
    "DataResource",
    "Declared",
    "Distribution",
    "DnsRecord",
    "EventRule",
    "EventSourceMapping",
    "EventTarget",
    "Function",
    "FunctionUrl",
    "GeoRestriction",
    "IpSet",
    "KeyGroup",
    "KmsAlias",
    "KmsKey",
    "LambdaNotification",
    "LambdaPermission",
    "Listener",
    "ListenerAction",
    "ListenerRule",
    "LoadBalancer",
    "LoadResult",
    "ManagedPolicy",
    "Model",
    "ObjectAcl",
    "Origin",
    "OriginAccessControl",
    "OriginAccessIdentity",
    "OriginRequestPolicy",
    "Placement",
    "PublicAccessBlock",
    "QueuePolicy",
    "RestApi",
    "Role",
    "RouteTableLink",
    "RuleGroup",
    "ScpPolicy",
    "Subnet",
    "Subscription",
    "TopicPolicy",
    "UsagePlan",
    "UsagePlanKey",
    "VpcEndpoint",
    "WafRule",
    "WebAcl",
    "WebAclAssociation",
    "Website",
    "Workload",
    "WorkloadKind",
]

# Which module defines each re-exported name. A run imports only the model modules of the
# resource types it meets: creating the classes is a good part of start-up (issue #7).
_SUBMODULE = {
    "BucketNotification": "events",
    "ApiAuthorizer": "apigw",
    "ApiDeployment": "apigw",
    "ApiDomainName": "apigw",
    "ApiKey": "apigw",
    "ApiMapping": "apigw",
    "ApiMethod": "apigw",
    "ApiStage": "apigw",
    "RestApi": "apigw",
    "UsagePlan": "apigw",
    "UsagePlanKey": "apigw",
    "Behavior": "cloudfront",
    "CustomErrorResponse": "cloudfront",
    "Distribution": "cloudfront",
    "GeoRestriction": "cloudfront",
    "Origin": "cloudfront",
    "OriginAccessControl": "cloudfront",
    "OriginAccessIdentity": "cloudfront",
    "OriginRequestPolicy": "cloudfront",
    "DataKind": "data",
    "DataResource": "data",
    "QueuePolicy": "data",
    "Subscription": "data",
    "Declared": "declared",
    "EventRule": "events",
    "EventTarget": "events",
    "LambdaNotification": "events",
    "TopicPolicy": "events",
    "ManagedPolicy": "iam",
    "Role": "iam",
    "ScpPolicy": "iam",
    "KmsAlias": "kms",
    "KmsKey": "kms",
    "EventSourceMapping": "lambda_",
    "Function": "lambda_",
    "FunctionUrl": "lambda_",
    "LambdaPermission": "lambda_",
    "Certificate": "network",
    "DnsRecord": "network",
    "Listener": "network",
    "ListenerAction": "network",
    "ListenerRule": "network",
    "LoadBalancer": "network",
    "Placement": "network",
    "RouteTableLink": "network",
    "Subnet": "network",
    "VpcEndpoint": "network",
    "Bucket": "s3",
    "BucketEncryption": "s3",
    "BucketPolicy": "s3",
    "PublicAccessBlock": "s3",
    "Website": "s3",
    "AccountPublicAccessBlock": "s3_extra",
    "ObjectAcl": "s3_extra",
    "IpSet": "waf",
    "RuleGroup": "waf",
    "WafRule": "waf",
    "WebAcl": "waf",
    "WebAclAssociation": "waf",
    "KeyGroup": "workload",
    "Workload": "workload",
    "WorkloadKind": "workload",
}


def __getattr__(name: str) -> Any:
    submodule = _SUBMODULE.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """Everything one run read. Merge the per-file models with `Model.merge`."""

    buckets: tuple[Bucket, ...] = ()
    bucket_policies: tuple[BucketPolicy, ...] = ()
    distributions: tuple[Distribution, ...] = ()
    oacs: tuple[OriginAccessControl, ...] = ()
    oais: tuple[OriginAccessIdentity, ...] = ()
    origin_request_policies: tuple[OriginRequestPolicy, ...] = ()
    keys: tuple[KmsKey, ...] = ()
    key_aliases: tuple[KmsAlias, ...] = ()
    web_acls: tuple[WebAcl, ...] = ()
    web_acl_associations: tuple[WebAclAssociation, ...] = ()
    ip_sets: tuple[IpSet, ...] = ()
    rule_groups: tuple[RuleGroup, ...] = ()
    roles: tuple[Role, ...] = ()
    managed_policies: tuple[ManagedPolicy, ...] = ()
    scps: tuple[ScpPolicy, ...] = ()
    key_groups: tuple[KeyGroup, ...] = ()
    workloads: tuple[Workload, ...] = ()
    functions: tuple[Function, ...] = ()
    function_urls: tuple[FunctionUrl, ...] = ()
    lambda_permissions: tuple[LambdaPermission, ...] = ()
    event_source_mappings: tuple[EventSourceMapping, ...] = ()
    rest_apis: tuple[RestApi, ...] = ()
    api_methods: tuple[ApiMethod, ...] = ()
    api_stages: tuple[ApiStage, ...] = ()
    api_deployments: tuple[ApiDeployment, ...] = ()
    api_authorizers: tuple[ApiAuthorizer, ...] = ()
    usage_plans: tuple[UsagePlan, ...] = ()
    usage_plan_keys: tuple[UsagePlanKey, ...] = ()
    api_keys: tuple[ApiKey, ...] = ()
    api_domain_names: tuple[ApiDomainName, ...] = ()
    api_mappings: tuple[ApiMapping, ...] = ()
    dns_records: tuple[DnsRecord, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    route_table_links: tuple[RouteTableLink, ...] = ()
    placements: tuple[Placement, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    listeners: tuple[Listener, ...] = ()
    listener_rules: tuple[ListenerRule, ...] = ()
    data_resources: tuple[DataResource, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    queue_policies: tuple[QueuePolicy, ...] = ()
    event_rules: tuple[EventRule, ...] = ()
    event_targets: tuple[EventTarget, ...] = ()
    topic_policies: tuple[TopicPolicy, ...] = ()
    lambda_notifications: tuple[LambdaNotification, ...] = ()
    bucket_notifications: tuple[BucketNotification, ...] = ()
    account_public_access_blocks: tuple[AccountPublicAccessBlock, ...] = ()
    object_acls: tuple[ObjectAcl, ...] = ()
    declared: tuple[Declared, ...] = ()  # every resource, for deploy-time calls (IAM050)

    @staticmethod
    def merge(models: list[Model]) -> Model:
        """One model from many: each field is the concatenation, in the order given."""
        if len(models) == 1:
            return models[0]
        fields = Model.__dataclass_fields__
        merged = {name: tuple(x for m in models for x in getattr(m, name)) for name in fields}
        return Model(**merged)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a loader returns for one input unit (a template, a Terraform module, a plan)."""

    model: Model
    problems: tuple[InputProblem, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
