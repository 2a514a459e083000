"""AWS::KMS::Key and AWS::KMS::Alias -> KmsKey, KmsAlias."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.cfn import returns
from policylint.model.kms import KmsAlias, KmsKey
from policylint.values import resource_sym

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]


def key(res: Res) -> Iterator[Element]:
    """A key; no KeyPolicy means the default key policy (None)."""
    env = res.env
    policy = None if res.get("KeyPolicy") is None else res.policy("KeyPolicy", name=res.name)
    yield (
        "keys",
        KmsKey(
            id=res.id,
            name=res.name,
            ref=res.ref,
            key_id=resource_sym(res.id, "KeyId"),
            arn=returns.key_arn(env, res.id),
            account=env.account,
            region=env.region,
            policy=policy,
        ),
    )


def alias(res: Res) -> Iterator[Element]:
    yield (
        "key_aliases",
        KmsAlias(
            id=res.id,
            name=res.name,
            ref=res.ref,
            alias_name=res.text("AliasName") or resource_sym(res.id, "AliasName"),
            target_key=res.text("TargetKeyId") or resource_sym(res.id, "TargetKeyId"),
        ),
    )


HANDLERS = {"AWS::KMS::Key": key, "AWS::KMS::Alias": alias}
