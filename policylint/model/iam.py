"""IAM roles, managed policies and organization policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef
    from policylint.values import Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    id: str
    name: str
    ref: SourceRef
    role_name: str
    arn: str  # arn:<partition>:iam::<account>:role/<path><role_name>
    account: str
    trust_policy: PolicyDocument | Unknown | None
    inline_policies: tuple[PolicyDocument | Unknown, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()  # resolved; attached by ARN
    boundary_arn: str | Unknown | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagedPolicy:
    """AWS::IAM::ManagedPolicy / AWS::IAM::Policy / aws_iam_policy / aws_iam_role_policy."""

    id: str
    name: str
    ref: SourceRef
    arn: str | None  # None for inline policies attached by name (AWS::IAM::Policy)
    document: PolicyDocument | Unknown
    roles: tuple[str, ...] = ()  # role names (or ARNs) it is attached to


@dataclass(frozen=True, slots=True, kw_only=True)
class ScpPolicy:
    id: str
    name: str
    ref: SourceRef
    document: PolicyDocument | Unknown
    targets: tuple[str, ...] = ()  # account ids, OU ids, root ids
