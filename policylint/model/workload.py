"""Workloads that run with a role: what they are handed and what they need."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import SourceRef

MaybeStr = str | Unknown


class WorkloadKind(enum.Enum):
    LAMBDA = "lambda"
    ECS_TASK = "ecs-task"
    EC2 = "ec2"
    STEP_FUNCTIONS = "step-functions"
    CODEBUILD = "codebuild"


SERVICE_PRINCIPALS = {
    WorkloadKind.LAMBDA: "lambda.amazonaws.com",
    WorkloadKind.ECS_TASK: "ecs-tasks.amazonaws.com",
    WorkloadKind.EC2: "ec2.amazonaws.com",
    WorkloadKind.STEP_FUNCTIONS: "states.amazonaws.com",
    WorkloadKind.CODEBUILD: "codebuild.amazonaws.com",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload:
    """A compute resource that assumes `role_arn`; `wired` holds the values it is handed
    (environment variables, parameters) as (name, resolved value, where)."""

    id: str
    name: str
    ref: SourceRef
    kind: WorkloadKind
    role_arn: MaybeStr | None
    wired: tuple[tuple[str, MaybeStr, SourceRef], ...] = ()
    in_vpc: bool | Unknown = False


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyGroup:
    id: str
    name: str
    ref: SourceRef
    key_group_id: str
    items: tuple[str, ...] | Unknown = ()
