"""Workloads that run with a role (Lambda, ECS tasks, EC2 instance profiles, Step Functions,
CodeBuild), Lambda event source mappings, and the data resources they are wired to."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policylint.model.data import DataResource, QueuePolicy, Subscription, data_kind
from policylint.model.lambda_ import EventSourceMapping, Function
from policylint.model.workload import Workload, WorkloadKind
from policylint.source import SourceRef
from policylint.terraform import attributes as attrs
from policylint.terraform.common import s, strs_sym
from policylint.terraform.expressions import to_str
from policylint.terraform.instances import block, json_value
from policylint.terraform.normalize_compute import compute_workloads, definition_wires
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

Wired = tuple[str, str | Unknown, SourceRef]


def normalize_workloads(ctx: Ctx) -> dict[str, tuple[Any, ...]]:
    """The model fields this module fills, ready for `Model(**...)`."""
    workloads: list[Workload] = []
    functions: list[Function] = []
    for f in ctx.of("aws_lambda_function"):
        functions.append(_function(f))
        workloads.append(_lambda_workload(f))
    for t in ctx.of("aws_ecs_task_definition"):
        workloads.extend(_task(t))
    for m in ctx.of("aws_sfn_state_machine"):
        role, wired = s(m.values.get("role_arn")), definition_wires(ctx, m)
        workloads.append(_workload(m, WorkloadKind.STEP_FUNCTIONS, role, wired))
    workloads.extend(compute_workloads(ctx)[0])  # EC2 instances and profiles, CodeBuild
    return {
        "workloads": tuple(workloads),
        "functions": tuple(functions),
        "event_source_mappings": tuple(
            e for e in (_esm(x) for x in ctx.of("aws_lambda_event_source_mapping")) if e
        ),
        "data_resources": tuple(
            _data(d)
            for d in ctx.of(
                "aws_sqs_queue", "aws_sns_topic", "aws_dynamodb_table", "aws_kinesis_stream"
            )
        ),
        "subscriptions": tuple(
            x for x in (_subscription(i) for i in ctx.of("aws_sns_topic_subscription")) if x
        ),
        "queue_policies": tuple(_queue_policy(ctx, q) for q in ctx.of("aws_sqs_queue_policy"))
        + tuple(p for p in (_inline_queue_policy(ctx, q) for q in ctx.of("aws_sqs_queue")) if p),
    }


def _workload(
    r: Instance, kind: WorkloadKind, role: str | Unknown | None, wired: tuple[Wired, ...]
) -> Workload:
    return Workload(id=r.id, name=r.address, ref=r.ref, kind=kind, role_arn=role, wired=wired)


def _function(f: Instance) -> Function:
    arn = attrs.managed("aws_lambda_function", f.id, "arn", f.values.get)
    fname = attrs.managed("aws_lambda_function", f.id, "function_name", f.values.get)
    return Function(id=f.id, name=f.address, ref=f.ref, function_name=str(fname), arn=str(arn))


def _lambda_workload(f: Instance) -> Workload:
    env = block(f.values, "environment")
    wired: list[Wired] = []
    if isinstance(env, dict):
        variables = json_value(env.get("variables"))
        if isinstance(variables, dict):
            for name, value in variables.items():
                v = to_str(value) if not isinstance(value, Unknown) else value
                if v is not None:
                    wired.append((str(name), v, f.at("environment", 0, "variables", name)))
    vpc = block(f.values, "vpc_config")
    in_vpc: bool | Unknown = isinstance(vpc, Unknown) or (
        isinstance(vpc, dict) and bool(vpc.get("subnet_ids"))
    )
    w = _workload(f, WorkloadKind.LAMBDA, s(f.values.get("role")), tuple(wired))
    from dataclasses import replace

    return replace(w, in_vpc=in_vpc)


def _task(t: Instance) -> list[Workload]:
    wired: list[Wired] = []
    defs = json_value(t.values.get("container_definitions"))
    if isinstance(defs, str):
        try:
            defs = json.loads(defs)
        except ValueError:
            defs = None
    if isinstance(defs, list):
        for c in defs:
            env = c.get("environment") if isinstance(c, dict) else None
            for item in env if isinstance(env, list) else ():
                if not isinstance(item, dict):
                    continue
                name, value = item.get("name"), to_str(item.get("value"))
                if isinstance(name, str) and value is not None:
                    wired.append((name, value, t.at("container_definitions")))
    out: list[Workload] = []
    task = s(t.values.get("task_role_arn"))
    if task is not None:
        out.append(_workload(t, WorkloadKind.ECS_TASK, task, tuple(wired)))
    execution = s(t.values.get("execution_role_arn"))
    if execution is not None:
        ref = t.at("execution_role_arn")
        out.append(
            Workload(
                id=f"{t.id}/execution",
                name=t.address,
                ref=ref,
                kind=WorkloadKind.ECS_TASK,
                role_arn=execution,
            )
        )
    return out


def _esm(e: Instance) -> EventSourceMapping | None:
    source, fn = s(e.values.get("event_source_arn")), s(e.values.get("function_name"))
    if source is None or fn is None:
        return None
    return EventSourceMapping(
        id=e.id, name=e.address, ref=e.ref, function=fn, event_source_arn=source
    )


def _data(d: Instance) -> DataResource:
    kind = data_kind(d.type)
    assert kind is not None
    get = d.values.get

    def attr(name: str) -> str | None:
        value = attrs.managed(d.type, d.id, name, get)
        return value if isinstance(value, str) else None

    arn = attr("arn") or ""
    aliases = tuple(a for a in (attr("url"), attr("name"), attr("id")) if a and a != arn)
    key = s(get("kms_master_key_id")) or s(get("kms_key_id"))
    sse = block(d.values, "server_side_encryption")
    if key is None and isinstance(sse, dict):
        key = s(sse.get("kms_key_arn"))
    return DataResource(
        id=d.id,
        name=d.address,
        ref=d.ref,
        kind=kind,
        resource_name=attr("name") or "",
        arn=arn,
        aliases=tuple(dict.fromkeys(aliases)),
        stream_arn=attr("stream_arn"),
        kms_key=key,
    )


def _subscription(i: Instance) -> Subscription | None:
    v = i.values
    topic, protocol, endpoint = s(v.get("topic_arn")), s(v.get("protocol")), s(v.get("endpoint"))
    if topic is None or protocol is None or endpoint is None:
        return None
    return Subscription(
        id=i.id, name=i.address, ref=i.ref, topic=topic, protocol=protocol, endpoint=endpoint
    )


def _inline_queue_policy(ctx: Ctx, q: Instance) -> QueuePolicy | None:
    """aws_sqs_queue's own `policy` argument: the queue's policy, named by its URL."""
    if q.values.get("policy") is None:
        return None
    doc = ctx.policy(q.values.get("policy"), q.at("policy"))
    url = attrs.managed(q.type, q.id, "url", q.values.get)
    return QueuePolicy(
        id=f"{q.id}/policy",
        name=q.address,
        ref=q.at("policy"),
        queues=(url,) if isinstance(url, str) else (),
        document=doc if doc is not None else Unknown("no policy"),
    )


def _queue_policy(ctx: Ctx, q: Instance) -> QueuePolicy:
    doc = ctx.policy(q.values.get("policy"), q.at("policy"))
    return QueuePolicy(
        id=q.id,
        name=q.address,
        ref=q.ref,
        queues=strs_sym(q.values.get("queue_url")),
        document=doc if doc is not None else Unknown("no policy"),
    )
