"""AWS::S3::Bucket and AWS::S3::BucketPolicy -> Bucket, BucketPolicy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.cfn import returns
from policylint.model.s3 import Bucket, BucketEncryption, BucketPolicy, PublicAccessBlock, Website
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.cfn.common import Res

Element = tuple[str, Any]


def bucket(res: Res) -> Iterator[Element]:
    """One Bucket with its inline sub-configuration."""
    env = res.env
    name = returns.bucket_name(env, res.logical, res.id)
    yield (
        "buckets",
        Bucket(
            id=res.id,
            name=res.name,
            ref=res.ref,
            bucket_name=name,
            arn=f"arn:{env.partition}:s3:::{name}",
            account=env.account,
            region=env.region,
            public_access_block=_public_access_block(res),
            ownership=res.string("OwnershipControls", "Rules", 0, "ObjectOwnership"),
            ownership_ref=res.at("OwnershipControls") if res.get("OwnershipControls") else None,
            acl=res.string("AccessControl"),
            acl_ref=res.at("AccessControl") if res.get("AccessControl") is not None else None,
            website=_website(res),
            encryption=_encryption(res),
        ),
    )


def _public_access_block(res: Res) -> PublicAccessBlock | Unknown | None:
    config = res.mapping("PublicAccessBlockConfiguration")
    if config is None or isinstance(config, Unknown):
        return config
    key = "PublicAccessBlockConfiguration"

    def flag(name: str) -> bool | Unknown:
        value = res.boolean(key, name)
        return False if value is None else value

    return PublicAccessBlock(
        ref=res.at(key),
        block_public_acls=flag("BlockPublicAcls"),
        ignore_public_acls=flag("IgnorePublicAcls"),
        block_public_policy=flag("BlockPublicPolicy"),
        restrict_public_buckets=flag("RestrictPublicBuckets"),
    )


def _website(res: Res) -> Website | Unknown | None:
    config = res.mapping("WebsiteConfiguration")
    if config is None or isinstance(config, Unknown):
        return config
    key = "WebsiteConfiguration"
    return Website(
        ref=res.at(key),
        index_document=res.string(key, "IndexDocument"),
        error_document=res.string(key, "ErrorDocument"),
        redirect_all_to=res.string(key, "RedirectAllRequestsTo", "HostName"),
    )


def _encryption(res: Res) -> BucketEncryption | Unknown | None:
    rules = res.get("BucketEncryption", "ServerSideEncryptionConfiguration")
    if rules is None or isinstance(rules, Unknown):
        return rules
    key = ("BucketEncryption", "ServerSideEncryptionConfiguration", 0)
    default = res.mapping(*key, "ServerSideEncryptionByDefault")
    if isinstance(default, Unknown):
        return default
    if default is None:
        return None
    algorithm = res.string(*key, "ServerSideEncryptionByDefault", "SSEAlgorithm")
    return BucketEncryption(
        ref=res.at(*key),
        algorithm=algorithm if algorithm is not None else "AES256",
        kms_key=res.string(*key, "ServerSideEncryptionByDefault", "KMSMasterKeyID"),
        bucket_key_enabled=res.boolean(*key, "BucketKeyEnabled"),
    )


def bucket_policy(res: Res) -> Iterator[Element]:
    """A BucketPolicy keyed by the resolved bucket name."""
    target = res.string("Bucket")
    if target is None:
        target = Unknown("BucketPolicy without Bucket", res.at())
    yield (
        "bucket_policies",
        BucketPolicy(
            id=res.id,
            name=res.name,
            ref=res.ref,
            bucket=target,
            document=res.policy("PolicyDocument", name=res.name),
        ),
    )


HANDLERS = {"AWS::S3::Bucket": bucket, "AWS::S3::BucketPolicy": bucket_policy}
