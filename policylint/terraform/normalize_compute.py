"""EC2 instances and CodeBuild projects: workloads that name their own subnets.

An `aws_instance` runs with the role of its `aws_iam_instance_profile` and is handed the
resources its `user_data` interpolates; an `aws_codebuild_project` runs with `service_role`
in `vpc_config` and is handed its environment variables and S3 source / artifact locations.
A profile that no instance of the run uses stays a workload of its own.
An `aws_sfn_state_machine` is handed the resources its `definition` passes to their service
(`definition_wires`); a definition from templatefile() is unknown and hands nothing.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from policylint.compute_refs import bucket_of, handed
from policylint.model.network import Placement, owner_of
from policylint.model.workload import Workload, WorkloadKind
from policylint.sfn_refs import SERVICE_OF_TYPE, decoded, task_wires
from policylint.source import SourceRef
from policylint.terraform import attributes as attrs
from policylint.terraform.common import s, strs
from policylint.terraform.expressions import to_str
from policylint.terraform.instances import block, blocks, json_value
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

Wired = tuple[str, str | Unknown, SourceRef]
_NONE = Unknown("no subnets given: the default VPC or another configuration decides")
# attributes a script may interpolate to name a resource (buckets, queues, tables, topics, APIs)
_NAMING = {
    "aws_s3_bucket": ("id", "bucket", "arn"),
    "aws_sqs_queue": ("id", "arn", "name", "url"),
    "aws_sns_topic": ("id", "arn", "name"),
    "aws_dynamodb_table": ("id", "arn", "name"),
    "aws_kinesis_stream": ("id", "arn", "name"),
}


def compute_workloads(ctx: Ctx) -> tuple[list[Workload], list[Placement]]:
    workloads: list[Workload] = []
    placements: list[Placement] = []
    profiles = ctx.of("aws_iam_instance_profile")
    used: set[str] = set()
    for i in ctx.of("aws_instance"):
        p = _profile(i, profiles)
        if p is None:
            continue  # no profile, or one from outside the run: its role is not known
        used.add(p.id)
        role = s(p.values.get("role"))
        wired = _user_data(ctx, i)
        workloads.append(_workload(i, WorkloadKind.EC2, role, wired))
        placements.append(_instance_placement(i))
    for p in profiles:
        if p.id not in used:
            workloads.append(_workload(p, WorkloadKind.EC2, s(p.values.get("role")), ()))
    for c in ctx.of("aws_codebuild_project"):
        w, placement = _codebuild(c)
        workloads.append(w)
        if placement is not None:
            placements.append(placement)
    return workloads, placements


def _workload(
    r: Instance, kind: WorkloadKind, role: str | Unknown | None, wired: tuple[Wired, ...]
) -> Workload:
    return Workload(id=r.id, name=r.address, ref=r.ref, kind=kind, role_arn=role, wired=wired)


# --- EC2 --------------------------------------------------------------------------------


def _profile(i: Instance, profiles: list[Instance]) -> Instance | None:
    """The run's profile the instance's `iam_instance_profile` names (by reference)."""
    value = s(i.values.get("iam_instance_profile"))
    if not isinstance(value, str):
        return None
    found = [
        p
        for p in profiles
        if p.base in i.depends and (owner_of(value) == p.id or value == p.values.get("name"))
    ]
    return found[0] if len(found) == 1 else None


def _instance_placement(i: Instance) -> Placement:
    one = s(i.values.get("subnet_id"))
    subnets: tuple[str, ...] | Unknown = (one,) if isinstance(one, str) else (one or _NONE)
    where = i.at("subnet_id")
    return Placement(id=i.id, name=i.address, ref=where, target=i.id, subnet_ids=subnets)


def _script(i: Instance) -> tuple[str, str] | None:
    text = i.values.get("user_data")
    if isinstance(text, str) and text:
        return "user_data", text
    encoded = i.values.get("user_data_base64")  # plans: the encoded script
    if isinstance(encoded, str) and encoded:
        try:
            return "user_data_base64", base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
    return None


def _user_data(ctx: Ctx, i: Instance) -> tuple[Wired, ...]:
    """The naming attributes of the resources the instance references that its script holds."""
    found = _script(i)
    if found is None:
        return ()
    key, script = found
    at = i.at(key)
    return tuple((key, v, at) for v in handed(script, _named(ctx, i)))


def _named(ctx: Ctx, i: Instance) -> list[str]:
    """The naming attributes of the managed resources `i` references."""
    values: list[str] = []
    for r in _referenced(ctx, i):
        for attr in _NAMING.get(r.type, ("id", "arn")):
            v = attrs.managed(r.type, r.id, attr, r.values.get)
            if isinstance(v, str):
                values.append(v)
    return values


def _referenced(ctx: Ctx, i: Instance) -> list[Instance]:
    return [r for r in ctx.instances if r.mode == "managed" and r.base in i.depends]


# --- Step Functions -------------------------------------------------------------------------


def definition_wires(ctx: Ctx, m: Instance) -> tuple[Wired, ...]:
    """The resources a state machine references whose naming attribute its `definition`
    (jsonencode, JSON text, a plan's rendered string) holds in the input of a state that
    integrates their service (`sfn_refs`)."""
    services: dict[str, str] = {}
    for r in _referenced(ctx, m):
        service = SERVICE_OF_TYPE.get(r.type)
        for attr in _NAMING.get(r.type, ("id", "arn")) if service else ():
            v = attrs.managed(r.type, r.id, attr, r.values.get)
            if isinstance(v, str):
                services.setdefault(v, service or "")
    data = decoded(json_value(m.values.get("definition")))
    at = m.at("definition")
    return tuple(
        (".".join(map(str, ("definition", *path))), value, at)
        for path, value in task_wires(data, services)
    )


# --- CodeBuild ----------------------------------------------------------------------------


def _codebuild(c: Instance) -> tuple[Workload, Placement | None]:
    wired: list[Wired] = []
    env = block(c.values, "environment")
    variables = blocks(env, "environment_variable") if isinstance(env, dict) else []
    if not isinstance(variables, Unknown):
        for i, var in enumerate(variables):
            vtype = to_str(var.get("type")) or "PLAINTEXT"
            name, value = to_str(var.get("name")), s(var.get("value"))
            if vtype == "PLAINTEXT" and name is not None and value is not None:
                wired.append((name, value, c.at("environment", 0, "environment_variable", i)))
    wired += _s3_locations(c)
    vpc = block(c.values, "vpc_config")
    placed = isinstance(vpc, Unknown) or (isinstance(vpc, dict) and bool(vpc.get("subnets")))
    w = _workload(c, WorkloadKind.CODEBUILD, s(c.values.get("service_role")), tuple(wired))
    from dataclasses import replace

    w = replace(w, in_vpc=placed)
    if not placed:
        return w, None
    if isinstance(vpc, Unknown):
        subnets: tuple[str, ...] | Unknown = vpc
        vpc_id = None
    else:
        assert isinstance(vpc, dict)
        subnets, vpc_id = strs(vpc.get("subnets")), s(vpc.get("vpc_id"))
    where = c.at("vpc_config", 0, "subnets")
    placement = Placement(
        id=c.id, name=c.address, ref=where, target=c.id, subnet_ids=subnets, vpc_id=vpc_id
    )
    return w, placement


def _s3_locations(c: Instance) -> list[Wired]:
    """`source` (bucket/key) and `artifacts` (bucket) of type S3: the buckets' names."""
    out: list[Wired] = []
    for key, whole in (("source", False), ("artifacts", True)):
        b = block(c.values, key)
        if not isinstance(b, dict) or to_str(b.get("type")) != "S3":
            continue
        loc = s(b.get("location"))
        name = loc if whole else bucket_of(loc) if isinstance(loc, str) else None
        if isinstance(name, str) and name:
            out.append((f"{key}.location", name, c.at(key, 0, "location")))
    return out
