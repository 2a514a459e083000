"""Account-level Block Public Access and object ACLs (aws_s3_object, aws_s3_bucket_object)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.model import AccountPublicAccessBlock, ObjectAcl
from policylint.terraform.common import b, s, s_req

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx


def _flag(value: Any) -> Any:
    out = b(value, False)
    return False if out is None else out


def normalize_s3_extra(ctx: Ctx) -> dict[str, Any]:
    """Model fields: account_public_access_blocks and object_acls."""
    pabs = [
        AccountPublicAccessBlock(
            id=inst.id,
            name=inst.address,
            ref=inst.ref,
            account=s_req(inst.values.get("account_id")),
            block_public_acls=_flag(inst.values.get("block_public_acls")),
            ignore_public_acls=_flag(inst.values.get("ignore_public_acls")),
            block_public_policy=_flag(inst.values.get("block_public_policy")),
            restrict_public_buckets=_flag(inst.values.get("restrict_public_buckets")),
        )
        for inst in ctx.of("aws_s3_account_public_access_block")
    ]
    objects = []
    for inst in ctx.of("aws_s3_object", "aws_s3_bucket_object"):
        acl = s(inst.values.get("acl"))
        if acl is None:
            continue
        objects.append(
            ObjectAcl(
                id=inst.id,
                name=inst.address,
                ref=inst.ref,
                bucket=s_req(inst.values.get("bucket")),
                key=s_req(inst.values.get("key")),
                acl=acl,
                acl_ref=inst.at("acl"),
            )
        )
    return {"account_public_access_blocks": tuple(pabs), "object_acls": tuple(objects)}
