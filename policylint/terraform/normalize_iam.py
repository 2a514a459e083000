"""IAM roles and policies, and organization service control policies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policylint.model import ManagedPolicy, Role, ScpPolicy
from policylint.terraform import attributes as attrs
from policylint.terraform.common import s, strs_sym, sym_s
from policylint.terraform.expressions import to_str
from policylint.terraform.instances import blocks
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.terraform.common import Ctx


def normalize_iam(ctx: Ctx) -> tuple[list[Role], list[ManagedPolicy], list[ScpPolicy]]:
    roles = ctx.of("aws_iam_role")
    attached: dict[str, list[str]] = {}  # role name -> policy ARNs
    policy_roles: dict[str, list[str]] = {}  # policy ARN -> role names
    for a in ctx.of("aws_iam_role_policy_attachment"):
        role, arn = to_str(a.values.get("role")), to_str(a.values.get("policy_arn"))
        if role is not None and arn is not None:
            attached.setdefault(role, []).append(arn)
            policy_roles.setdefault(arn, []).append(role)
    for a in ctx.of("aws_iam_policy_attachment"):
        arn = to_str(a.values.get("policy_arn"))
        for role in strs_sym(a.values.get("roles")):
            if arn is not None:
                attached.setdefault(role, []).append(arn)
                policy_roles.setdefault(arn, []).append(role)
    out_roles = []
    for r in roles:
        name = attrs.role_name(r.id, r.values.get)
        inline: list[PolicyDocument | Unknown] = []
        ib = blocks(r.values, "inline_policy")
        if isinstance(ib, Unknown):
            inline.append(ib)
        else:
            for n, blk in enumerate(ib):
                doc = ctx.policy(blk.get("policy"), r.at("inline_policy", n))
                if doc is not None:
                    inline.append(doc)
        trust = ctx.policy(r.values.get("assume_role_policy"), r.at("assume_role_policy"))
        boundary = s(r.values.get("permissions_boundary"))
        out_roles.append(
            Role(
                id=r.id,
                name=r.address,
                ref=r.ref,
                role_name=name,
                arn=attrs.role_arn(r.id, r.values.get),
                account=attrs.A,
                trust_policy=trust,
                inline_policies=tuple(inline),
                managed_policy_arns=(
                    *strs_sym(r.values.get("managed_policy_arns")),
                    *attached.get(name, ()),
                ),
                boundary_arn=boundary,
            )
        )
    managed = []
    for p in ctx.of("aws_iam_policy"):
        arn = attrs.policy_arn(p.id, p.values.get)
        doc = ctx.policy(p.values.get("policy"), p.at("policy"))
        managed.append(
            ManagedPolicy(
                id=p.id,
                name=p.address,
                ref=p.ref,
                arn=arn,
                document=doc if doc is not None else Unknown("no policy"),
                roles=tuple(policy_roles.get(arn, ())),
            )
        )
    for p in ctx.of("aws_iam_role_policy"):
        doc = ctx.policy(p.values.get("policy"), p.at("policy"))
        role = sym_s(p.values.get("role"), "")
        managed.append(
            ManagedPolicy(
                id=p.id,
                name=p.address,
                ref=p.ref,
                arn=None,
                document=doc if doc is not None else Unknown("no policy"),
                roles=(role,) if role else (),
            )
        )
    return out_roles, managed, _scps(ctx)


def _scps(ctx: Ctx) -> list[ScpPolicy]:
    targets: dict[str, list[str]] = {}
    for a in ctx.of("aws_organizations_policy_attachment"):
        pid, target = to_str(a.values.get("policy_id")), to_str(a.values.get("target_id"))
        if pid is not None and target is not None:
            targets.setdefault(pid, []).append(target)
    out = []
    for p in ctx.of("aws_organizations_policy"):
        ptype = to_str(p.values.get("type")) or "SERVICE_CONTROL_POLICY"
        if ptype not in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
            continue
        doc = ctx.policy(p.values.get("content"), p.at("content"))
        out.append(
            ScpPolicy(
                id=p.id,
                name=p.address,
                ref=p.ref,
                document=doc if doc is not None else Unknown("no content"),
                targets=tuple(targets.get(resource_sym(p.id, "Id"), ())),
            )
        )
    return out
