"""Workloads that run with a role (Lambda, ECS tasks, EC2 instance profiles, Step Functions,
CodeBuild), Lambda event source mappings, and the data resources they are wired to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.cfn import normalize_compute as compute
from policylint.cfn import returns
from policylint.cfn.normalize_network import lambda_placement
from policylint.model.data import (
    DataResource,
    QueuePolicy,
    Subscription,
    data_kind,
    formats,
    name_property,
)
from policylint.model.lambda_ import EventSourceMapping, Function
from policylint.model.workload import Workload, WorkloadKind
from policylint.source import SourceRef
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]
Wired = tuple[str, str | Unknown, SourceRef]


def _scalar(res: Res, value: Any, *keys: str | int) -> str | Unknown | None:
    if isinstance(value, (str, Unknown)):
        return value
    if isinstance(value, (dict, list)) or value is None:
        return None
    return res.text(*keys)


def _mapping_wires(res: Res, *keys: str) -> tuple[Wired, ...]:
    found = res.get(*keys)
    if not isinstance(found, dict):
        return ()
    out: list[Wired] = []
    for name, value in found.items():
        v = _scalar(res, value, *keys, name)
        if v is not None:
            out.append((str(name), v, res.at(*keys, name)))
    return tuple(out)


def _list_wires(
    res: Res, keys: tuple[str | int, ...], name_key: str, value_key: str
) -> list[Wired]:
    items = res.get(*keys)
    if not isinstance(items, list):
        return []
    out: list[Wired] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("Type", "PLAINTEXT") != "PLAINTEXT":
            continue
        name, value = item.get(name_key), item.get(value_key)
        v = _scalar(res, value, *keys, i, value_key)
        if isinstance(name, str) and v is not None:
            out.append((name, v, res.at(*keys, i, value_key)))
    return out


def function(res: Res) -> Iterator[Element]:
    env = res.env
    name = returns.function_name(env, res.logical, res.id)
    arn = f"arn:{env.partition}:lambda:{env.region}:{env.account}:function:{name}"
    yield (
        "functions",
        Function(id=res.id, name=res.name, ref=res.ref, function_name=name, arn=arn),
    )
    vpc = res.get("VpcConfig")
    in_vpc: bool | Unknown = isinstance(vpc, Unknown) or (
        isinstance(vpc, dict) and bool(vpc.get("SubnetIds"))
    )
    yield (
        "workloads",
        Workload(
            id=res.id,
            name=res.name,
            ref=res.ref,
            kind=WorkloadKind.LAMBDA,
            role_arn=res.string("Role"),
            wired=_mapping_wires(res, "Environment", "Variables"),
            in_vpc=in_vpc,
        ),
    )
    placement = lambda_placement(res)
    if placement is not None:
        yield ("placements", placement)


def task_definition(res: Res) -> Iterator[Element]:
    wired: list[Wired] = []
    containers = res.get("ContainerDefinitions")
    if isinstance(containers, list):
        for i in range(len(containers)):
            wired.extend(
                _list_wires(res, ("ContainerDefinitions", i, "Environment"), "Name", "Value")
            )
    task, execution = res.string("TaskRoleArn"), res.string("ExecutionRoleArn")
    kind = WorkloadKind.ECS_TASK
    if task is not None:
        w = Workload(id=res.id, name=res.name, ref=res.ref, kind=kind, role_arn=task)
        yield ("workloads", _with_wires(w, wired))
    if execution is not None:
        ref = res.at("ExecutionRoleArn")
        wid = f"{res.id}/execution"
        yield ("workloads", Workload(id=wid, name=res.name, ref=ref, kind=kind, role_arn=execution))


def _with_wires(w: Workload, wired: list[Wired]) -> Workload:
    from dataclasses import replace

    return replace(w, wired=tuple(wired))


def state_machine(res: Res) -> Iterator[Element]:
    yield (
        "workloads",
        Workload(
            id=res.id,
            name=res.name,
            ref=res.ref,
            kind=WorkloadKind.STEP_FUNCTIONS,
            role_arn=res.string("RoleArn"),
            wired=(*_mapping_wires(res, "DefinitionSubstitutions"), *compute.definition_wires(res)),
        ),
    )


def codebuild_project(res: Res) -> Iterator[Element]:
    wired = _list_wires(res, ("Environment", "EnvironmentVariables"), "Name", "Value")
    yield from compute.codebuild_elements(res, wired)


def event_source_mapping(res: Res) -> Iterator[Element]:
    source = res.string("EventSourceArn")
    fn = res.string("FunctionName")
    if source is None or fn is None:
        return
    esm = EventSourceMapping(
        id=res.id, name=res.name, ref=res.ref, function=fn, event_source_arn=source
    )
    yield ("event_source_mappings", esm)


def data_resource(res: Res) -> Iterator[Element]:
    kind = data_kind(res.type)
    if kind is None:
        return
    given = res.env.prop(res.logical, name_property(res.type))
    name = (
        given if isinstance(given, str) and given else resource_sym(res.id, name_property(res.type))
    )
    f = formats(kind, res.id, name, *_pra(res))
    key = (
        res.string("KmsMasterKeyId")
        or res.string("SSESpecification", "KMSMasterKeyId")
        or res.string("StreamEncryption", "KeyId")
    )
    yield (
        "data_resources",
        DataResource(
            id=res.id,
            name=res.name,
            ref=res.ref,
            kind=kind,
            resource_name=f["name"],
            arn=f["arn"],
            aliases=tuple(v for k, v in f.items() if k != "arn"),
            stream_arn=f.get("stream_arn"),
            kms_key=key,
        ),
    )


def _pra(res: Res) -> tuple[str, str, str]:
    return res.env.partition, res.env.region, res.env.account


def subscription(res: Res) -> Iterator[Element]:
    topic, protocol, endpoint = (
        res.string("TopicArn"),
        res.string("Protocol"),
        res.string("Endpoint"),
    )
    if topic is None or protocol is None or endpoint is None:
        return
    yield (
        "subscriptions",
        Subscription(
            id=res.id, name=res.name, ref=res.ref, topic=topic, protocol=protocol, endpoint=endpoint
        ),
    )


def queue_policy(res: Res) -> Iterator[Element]:
    queues = res.strings("Queues")
    yield (
        "queue_policies",
        QueuePolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            queues=() if isinstance(queues, Unknown) else queues,
            document=res.policy("PolicyDocument", name=res.name),
        ),
    )


HANDLERS = {
    "AWS::Lambda::Function": function,
    "AWS::ECS::TaskDefinition": task_definition,
    "AWS::IAM::InstanceProfile": compute.instance_profile,
    "AWS::EC2::Instance": compute.ec2_instance,
    "AWS::StepFunctions::StateMachine": state_machine,
    "AWS::CodeBuild::Project": codebuild_project,
    "AWS::Lambda::EventSourceMapping": event_source_mapping,
    "AWS::SQS::Queue": data_resource,
    "AWS::SNS::Topic": data_resource,
    "AWS::DynamoDB::Table": data_resource,
    "AWS::Kinesis::Stream": data_resource,
    "AWS::SNS::Subscription": subscription,
    "AWS::SQS::QueuePolicy": queue_policy,
}
