"""IAM roles, inline and managed policies, and service control policies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.cfn import returns
from policylint.model.iam import ManagedPolicy, Role, ScpPolicy
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.cfn.common import Res
    from policylint.policy.document import PolicyDocument

Element = tuple[str, Any]


def role(res: Res) -> Iterator[Element]:
    """A role with its trust policy, inline policies, managed policy ARNs and boundary."""
    env = res.env
    inline: list[PolicyDocument | Unknown] = []
    policies = res.items("Policies")
    if isinstance(policies, Unknown):
        inline.append(policies)
    else:
        for i in range(len(policies)):
            name = res.text("Policies", i, "PolicyName") or f"{res.logical}.Policies[{i}]"
            inline.append(res.policy("Policies", i, "PolicyDocument", name=name))
    managed = res.strings("ManagedPolicyArns")
    trust = res.get("AssumeRolePolicyDocument")
    yield (
        "roles",
        Role(
            id=res.id,
            name=res.name,
            ref=res.ref,
            role_name=returns.role_name(env, res.logical, res.id),
            arn=returns.role_arn(env, res.logical, res.id),
            account=env.account,
            trust_policy=None if trust is None else res.policy("AssumeRolePolicyDocument"),
            inline_policies=tuple(inline),
            managed_policy_arns=(res.r.text(managed),) if isinstance(managed, Unknown) else managed,
            boundary_arn=res.string("PermissionsBoundary"),
        ),
    )


def _targets(res: Res, key: str) -> tuple[str, ...]:
    value = res.strings(key)
    return (res.r.text(value),) if isinstance(value, Unknown) else value


def policy(res: Res) -> Iterator[Element]:
    """AWS::IAM::Policy: inline, attached by role name (no ARN)."""
    yield (
        "managed_policies",
        ManagedPolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            arn=None,
            document=res.policy("PolicyDocument", name=res.text("PolicyName") or res.name),
            roles=_targets(res, "Roles"),
        ),
    )


def managed_policy(res: Res) -> Iterator[Element]:
    yield (
        "managed_policies",
        ManagedPolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            arn=returns.managed_policy_arn(res.env, res.logical, res.id),
            document=res.policy("PolicyDocument", name=res.name),
            roles=_targets(res, "Roles"),
        ),
    )


def organizations_policy(res: Res) -> Iterator[Element]:
    """Only service control policies matter for access decisions here."""
    if res.get("Type") != "SERVICE_CONTROL_POLICY":
        return
    yield (
        "scps",
        ScpPolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            document=res.policy("Content", name=res.text("Name") or res.name),
            targets=_targets(res, "TargetIds"),
        ),
    )


HANDLERS = {
    "AWS::IAM::Role": role,
    "AWS::IAM::Policy": policy,
    "AWS::IAM::ManagedPolicy": managed_policy,
    "AWS::Organizations::Policy": organizations_policy,
}
