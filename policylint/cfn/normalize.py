"""Dispatch each resource to its family's normalizer and collect the model."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from policylint.cfn.common import BrokenResource, Res
from policylint.cfn.intrinsics import Resolver
from policylint.cfn.template import Template
from policylint.errors import InputError
from policylint.findings import InputProblem
from policylint.model import Declared, LoadResult, Model

if TYPE_CHECKING:
    from policylint.source import Document

Handler = Callable[[Res], Iterator[tuple[str, Any]]]

# The module that normalizes each resource type. A run imports only the modules (and with them
# the model classes) of the types its templates use: that is most of a small run's start-up.
# tests/cfn/test_dispatch.py checks this table against every module's HANDLERS.
HANDLER_MODULES: dict[str, str] = {
    **dict.fromkeys(("AWS::S3::Bucket", "AWS::S3::BucketPolicy"), "normalize_s3"),
    **dict.fromkeys(
        (
            "AWS::CloudFront::CloudFrontOriginAccessIdentity",
            "AWS::CloudFront::Distribution",
            "AWS::CloudFront::OriginAccessControl",
            "AWS::CloudFront::OriginRequestPolicy",
        ),
        "normalize_cloudfront",
    ),
    **dict.fromkeys(("AWS::KMS::Alias", "AWS::KMS::Key"), "normalize_kms"),
    **dict.fromkeys(
        (
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::Policy",
            "AWS::IAM::Role",
            "AWS::Organizations::Policy",
        ),
        "normalize_iam",
    ),
    **dict.fromkeys(
        (
            "AWS::WAFv2::IPSet",
            "AWS::WAFv2::RuleGroup",
            "AWS::WAFv2::WebACL",
            "AWS::WAFv2::WebACLAssociation",
        ),
        "normalize_waf",
    ),
    **dict.fromkeys(
        (
            "AWS::CertificateManager::Certificate",
            "AWS::CloudFront::KeyGroup",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::Route53::RecordSet",
            "AWS::Route53::RecordSetGroup",
        ),
        "normalize_edge",
    ),
    **dict.fromkeys(
        (
            "AWS::CodeBuild::Project",
            "AWS::DynamoDB::Table",
            "AWS::EC2::Instance",
            "AWS::ECS::TaskDefinition",
            "AWS::IAM::InstanceProfile",
            "AWS::Kinesis::Stream",
            "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Function",
            "AWS::SNS::Subscription",
            "AWS::SNS::Topic",
            "AWS::SQS::Queue",
            "AWS::SQS::QueuePolicy",
            "AWS::StepFunctions::StateMachine",
        ),
        "normalize_workloads",
    ),
    **dict.fromkeys(
        (
            "AWS::ApiGateway::ApiKey",
            "AWS::ApiGateway::Authorizer",
            "AWS::ApiGateway::BasePathMapping",
            "AWS::ApiGateway::Deployment",
            "AWS::ApiGateway::DomainName",
            "AWS::ApiGateway::Method",
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Stage",
            "AWS::ApiGateway::UsagePlan",
            "AWS::ApiGateway::UsagePlanKey",
            "AWS::ApiGatewayV2::ApiMapping",
            "AWS::EC2::VPCEndpoint",
            "AWS::Lambda::Permission",
            "AWS::Lambda::Url",
        ),
        "normalize_apigw",
    ),
    **dict.fromkeys(
        (
            "AWS::EC2::Subnet",
            "AWS::EC2::SubnetRouteTableAssociation",
            "AWS::ECS::Service",
        ),
        "normalize_network",
    ),
}
# Types that normalize_events adds, or extends (topics' inline subscriptions, bucket notifications).
EVENT_TYPES = frozenset(
    ("AWS::Events::Rule", "AWS::SNS::TopicPolicy", "AWS::SNS::Topic", "AWS::S3::Bucket")
)


@functools.cache
def handler_for(rtype: str) -> Handler | None:
    """The normalizer of a resource type, importing its module on first use; None: not modelled."""
    module = HANDLER_MODULES.get(rtype)
    base = None
    if module is not None:
        handlers = importlib.import_module(f"policylint.cfn.{module}").HANDLERS
        base = handlers.get(rtype)
    if rtype in EVENT_TYPES:
        from policylint.cfn import normalize_events

        return normalize_events.handlers({rtype: base} if base else {}).get(rtype)
    return base


def is_sam(doc: Document) -> bool:
    """Whether the template declares the SAM transform (expanded by `policylint.cfn.sam`)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    transform = data.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names)


def normalize(doc: Document, parameters: Mapping[str, str]) -> LoadResult:
    """The model of one template, plus the problems found in it."""
    if is_sam(doc):
        try:
            doc = _expand_sam(doc, parameters)
        except InputError as exc:
            return LoadResult(Model(), (InputProblem(exc.message, exc.ref or doc.ref(())),))
    template = Template(doc, parameters)
    resolver = Resolver(template)
    fields: dict[str, list[Any]] = {}
    for logical, body in template.resources.items():
        if not _created(resolver, logical, body):
            continue
        fields.setdefault("declared", []).append(_declared(template, logical, body["Type"]))
        handler = handler_for(body["Type"])
        if handler is None:
            continue
        try:
            elements = list(handler(Res(resolver, logical)))
        except BrokenResource as exc:
            template.problem(f"{logical}: {exc.message}; resource skipped", exc.path)
            continue
        except RecursionError:
            where = ("Resources", logical)
            template.problem(f"{logical}: nested too deeply; resource skipped", where)
            continue
        except Exception as exc:  # a loader bug must not end the run: report it, go on
            where = ("Resources", logical)
            template.problem(f"{logical}: internal error while loading: {exc!r}", where)
            continue
        for field, element in elements:
            fields.setdefault(field, []).append(element)
    model = Model(**{k: tuple(v) for k, v in fields.items()})
    return LoadResult(model, _unique(template.problems))


def _expand_sam(doc: Document, parameters: Mapping[str, str]) -> Document:
    """SAM hook: expand with `policylint.cfn.sam` when it is installed; else load as written."""
    try:
        from policylint.cfn.sam import expand_sam
    except ImportError:
        return doc
    return expand_sam(doc, parameters)


def _created(resolver: Resolver, logical: str, body: dict[str, Any]) -> bool:
    """False only when the resource's Condition is known to be false."""
    condition = body.get("Condition")
    if condition is None:
        return True
    truth = resolver.conditions.truth(condition, ("Resources", logical, "Condition"))
    return truth.value != "false"


def _declared(template: Template, logical: str, rtype: str) -> Declared:
    ref = template.ref(("Resources", logical))
    return Declared(id=template.owner(logical), name=logical, type=rtype, ref=ref)


def _unique(problems: list[InputProblem]) -> tuple[InputProblem, ...]:
    return tuple(dict.fromkeys(problems))
