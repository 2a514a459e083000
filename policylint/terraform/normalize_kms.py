"""KMS keys (`policy`, `aws_kms_key_policy`) and aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policylint.model import KmsAlias, KmsKey
from policylint.terraform import attributes as attrs
from policylint.terraform.common import sym_s
from policylint.terraform.expressions import to_str
from policylint.terraform.instances import known

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance


def normalize_kms(ctx: Ctx) -> tuple[list[KmsKey], list[KmsAlias]]:
    keys = ctx.of("aws_kms_key")
    by_ref: dict[str, str] = {}
    for k in keys:
        by_ref[_key_id(k)] = k.id
        by_ref[_key_arn(k)] = k.id
    separate: dict[str, object] = {}
    for p in ctx.of("aws_kms_key_policy"):
        target = by_ref.get(to_str(p.values.get("key_id")) or "")
        if target is not None:
            separate[target] = ctx.policy(p.values.get("policy"), p.at("policy"))
    out = []
    for k in keys:
        policy = ctx.policy(k.values.get("policy"), k.at("policy"))
        if k.id in separate:
            policy = separate[k.id]  # type: ignore[assignment]
        out.append(
            KmsKey(
                id=k.id,
                name=k.address,
                ref=k.ref,
                key_id=_key_id(k),
                arn=_key_arn(k),
                account=attrs.A,
                region=attrs.R,
                policy=policy,
            )
        )
    aliases = [
        KmsAlias(
            id=a.id,
            name=a.address,
            ref=a.ref,
            alias_name=sym_s(a.values.get("name"), f"alias/{a.address}"),
            target_key=sym_s(a.values.get("target_key_id"), ""),
        )
        for a in ctx.of("aws_kms_alias")
    ]
    return out, aliases


def _key_id(k: Instance) -> str:
    return known(k, "key_id") or attrs.key_id(k.id)


def _key_arn(k: Instance) -> str:
    return known(k, "arn") or attrs.key_arn(k.id)
