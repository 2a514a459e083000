"""S3 buckets, their split configuration resources (provider v4/v5) and bucket policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.model import Bucket, BucketEncryption, BucketPolicy, PublicAccessBlock, Website
from policylint.terraform import attributes as attrs
from policylint.terraform.common import b, s, s_req, strs_sym
from policylint.terraform.expressions import to_str
from policylint.terraform.instances import block, blocks, known
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.terraform.common import Ctx
    from policylint.terraform.instances import Instance

SPLIT = (
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_website_configuration",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_request_payment_configuration",
)


def bucket_name_of(inst: Instance) -> str:
    return attrs.bucket_name(inst.id, inst.values.get)


def normalize_s3(ctx: Ctx) -> tuple[list[Bucket], list[BucketPolicy]]:
    buckets = ctx.of("aws_s3_bucket")
    by_name: dict[str, Instance] = {}
    for inst in buckets:
        by_name.setdefault(bucket_name_of(inst), inst)
    split: dict[str, dict[str, Instance]] = {}  # bucket id -> type -> resource
    policies: list[BucketPolicy] = []
    for inst in ctx.of(*SPLIT):
        target = to_str(inst.values.get("bucket"))
        owner = by_name.get(target) if target is not None else None
        if owner is not None:
            split.setdefault(owner.id, {}).setdefault(inst.type, inst)
        if inst.type == "aws_s3_bucket_policy":
            policies.append(_policy(ctx, inst, owner))
    out = []
    for inst in buckets:
        bucket, inline_policy = _bucket(ctx, inst, split.get(inst.id, {}))
        out.append(bucket)
        if inline_policy is not None:
            policies.append(inline_policy)
    return out, policies


def _policy(ctx: Ctx, inst: Instance, owner: Instance | None) -> BucketPolicy:
    doc = ctx.policy(inst.values.get("policy"), inst.at("policy"))
    depends: bool | None = None
    if owner is not None:
        pab = _split_of(ctx, owner, "aws_s3_bucket_public_access_block")
        if pab is not None:
            depends = ctx.depends_on(inst.base, pab.base)
    bucket = bucket_name_of(owner) if owner is not None else s_req(inst.values.get("bucket"))
    return BucketPolicy(
        id=inst.id,
        name=inst.address,
        ref=inst.ref,
        bucket=bucket,
        document=doc if doc is not None else Unknown("no policy"),
        depends_on_public_access_block=depends,
    )


def _split_of(ctx: Ctx, owner: Instance, rtype: str) -> Instance | None:
    name = bucket_name_of(owner)
    for inst in ctx.of(rtype):
        if to_str(inst.values.get("bucket")) == name:
            return inst
    return None


def _bucket(
    ctx: Ctx, inst: Instance, split: dict[str, Instance]
) -> tuple[Bucket, BucketPolicy | None]:
    v = inst.values
    name = bucket_name_of(inst)
    kwargs: dict[str, Any] = {}
    # legacy inline arguments first; the split resources win
    if v.get("acl") is not None:
        kwargs.update(acl=s(v.get("acl")), acl_ref=inst.at("acl"))
    grants = blocks(v, "grant")
    if not isinstance(grants, Unknown) and grants:
        kwargs["acl_grantees"] = _grantees(grants)
        kwargs.setdefault("acl_ref", inst.at("grant"))
    web = block(v, "website")
    if web is not None:
        kwargs["website"] = _legacy_website(web, inst)
    sse = block(v, "server_side_encryption_configuration")
    if sse is not None:
        kwargs["encryption"] = _encryption(sse, inst, "server_side_encryption_configuration")
    if v.get("request_payer") is not None:
        kwargs.update(
            request_payer=s(v["request_payer"]), request_payer_ref=inst.at("request_payer")
        )
    if (r := split.get("aws_s3_bucket_public_access_block")) is not None:
        kwargs["public_access_block"] = PublicAccessBlock(
            ref=r.ref,
            block_public_acls=b(r.values.get("block_public_acls"), False),  # type: ignore[arg-type]
            ignore_public_acls=b(r.values.get("ignore_public_acls"), False),  # type: ignore[arg-type]
            block_public_policy=b(r.values.get("block_public_policy"), False),  # type: ignore[arg-type]
            restrict_public_buckets=b(r.values.get("restrict_public_buckets"), False),  # type: ignore[arg-type]
        )
    if (r := split.get("aws_s3_bucket_ownership_controls")) is not None:
        rule = block(r.values, "rule")
        own = rule if isinstance(rule, Unknown) else s((rule or {}).get("object_ownership"))
        kwargs.update(ownership=own, ownership_ref=r.at("rule"))
    if (r := split.get("aws_s3_bucket_acl")) is not None:
        kwargs.update(acl=s(r.values.get("acl")), acl_ref=r.ref)
        acp = block(r.values, "access_control_policy")
        if isinstance(acp, dict):
            g = blocks(acp, "grant")
            kwargs["acl_grantees"] = _grantees(g) if not isinstance(g, Unknown) else ()
        oc = split.get("aws_s3_bucket_ownership_controls")
        if oc is not None:
            kwargs["acl_depends_on_ownership"] = ctx.depends_on(r.base, oc.base)
    if (r := split.get("aws_s3_bucket_website_configuration")) is not None:
        kwargs["website"] = _website(r)
    if (r := split.get("aws_s3_bucket_server_side_encryption_configuration")) is not None:
        kwargs["encryption"] = _encryption(r.values, r, "rule")
    if (r := split.get("aws_s3_bucket_request_payment_configuration")) is not None:
        kwargs.update(request_payer=s(r.values.get("payer")), request_payer_ref=r.at("payer"))
    bucket = Bucket(
        id=inst.id,
        name=inst.address,
        ref=inst.ref,
        bucket_name=name,
        arn=known(inst, "arn") or f"arn:{attrs.P}:s3:::{name}",
        account=attrs.A,
        region=known(inst, "region") or attrs.R,
        **kwargs,
    )
    inline = None
    if v.get("policy") is not None:
        doc = ctx.policy(v.get("policy"), inst.at("policy"))
        inline = BucketPolicy(
            id=f"{inst.id}.policy",
            name=f"{inst.address}.policy",
            ref=inst.at("policy"),
            bucket=name,
            document=doc if doc is not None else Unknown("no policy"),
        )
    return bucket, inline


def _grantees(grants: list[dict[str, Any]]) -> tuple[str, ...]:
    out: list[str] = []
    for g in grants:
        gr = block(g, "grantee")
        src = gr if isinstance(gr, dict) else g
        for key in ("uri", "id", "email_address"):
            out.extend(strs_sym(src.get(key)))
    return tuple(out)


def _legacy_website(web: dict[str, Any] | Unknown, inst: Instance) -> Website | Unknown:
    if isinstance(web, Unknown):
        return web
    return Website(
        ref=inst.at("website"),
        index_document=s(web.get("index_document")),
        error_document=s(web.get("error_document")),
        redirect_all_to=s(web.get("redirect_all_requests_to")),
    )


def _website(r: Instance) -> Website | Unknown:
    v = r.values
    parts = {
        k: block(v, k) for k in ("index_document", "error_document", "redirect_all_requests_to")
    }
    for part in parts.values():
        if isinstance(part, Unknown):
            return part
    idx, err, red = (
        parts["index_document"],
        parts["error_document"],
        parts["redirect_all_requests_to"],
    )
    return Website(
        ref=r.ref,
        index_document=s(idx.get("suffix")) if isinstance(idx, dict) else None,
        error_document=s(err.get("key")) if isinstance(err, dict) else None,
        redirect_all_to=s(red.get("host_name")) if isinstance(red, dict) else None,
    )


def _encryption(v: Any, inst: Instance, key: str) -> BucketEncryption | Unknown:
    rule = block(v, "rule")
    if isinstance(rule, Unknown):
        return rule
    if rule is None:
        return Unknown("encryption without a rule")
    default = block(rule, "apply_server_side_encryption_by_default")
    if not isinstance(default, dict):
        return default if isinstance(default, Unknown) else Unknown("encryption without a default")
    return BucketEncryption(
        ref=inst.at(key),
        algorithm=s_req(default.get("sse_algorithm")),
        kms_key=s(default.get("kms_master_key_id")),
        bucket_key_enabled=b(rule.get("bucket_key_enabled")),
    )
