"""S3 settings outside the bucket resource: account-level Block Public Access, object ACLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import SourceRef

MaybeBool = bool | Unknown
MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountPublicAccessBlock:
    """aws_s3_account_public_access_block (Terraform only; CloudFormation has no resource).
    Every argument defaults to false. `account` is the account_id argument ("" when omitted:
    the provider's account)."""

    id: str
    name: str
    ref: SourceRef
    account: MaybeStr = ""
    block_public_acls: MaybeBool = False
    ignore_public_acls: MaybeBool = False
    block_public_policy: MaybeBool = False
    restrict_public_buckets: MaybeBool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectAcl:
    """A canned ACL on an object the run uploads (aws_s3_object / aws_s3_bucket_object)."""

    id: str
    name: str
    ref: SourceRef
    bucket: MaybeStr  # bucket name as resolved
    key: MaybeStr
    acl: MaybeStr
    acl_ref: SourceRef
