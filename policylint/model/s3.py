"""S3 buckets and what hangs off them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

MaybeBool = bool | Unknown
MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicAccessBlock:
    """Bucket-level Block Public Access. In CloudFormation an omitted field inside the
    configuration is false; an absent configuration is None on the bucket (all true)."""

    ref: SourceRef
    block_public_acls: MaybeBool = False
    ignore_public_acls: MaybeBool = False
    block_public_policy: MaybeBool = False
    restrict_public_buckets: MaybeBool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Website:
    ref: SourceRef
    index_document: MaybeStr | None = None
    error_document: MaybeStr | None = None
    redirect_all_to: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BucketEncryption:
    """Default encryption. `algorithm` is AES256, aws:kms or aws:kms:dsse; `kms_key` the
    KMSMasterKeyID as written (key id, key ARN, alias or alias ARN), None for aws/s3."""

    ref: SourceRef
    algorithm: MaybeStr
    kms_key: MaybeStr | None = None
    bucket_key_enabled: MaybeBool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BucketPolicy:
    """An AWS::S3::BucketPolicy / aws_s3_bucket_policy (or a legacy inline `policy`)."""

    id: str
    name: str
    ref: SourceRef
    bucket: MaybeStr  # the bucket name it applies to, as resolved
    document: PolicyDocument | Unknown
    # Terraform: does the policy (transitively) depend on the bucket's public access block?
    # None where the question does not arise (CloudFormation, or no PAB resource).
    depends_on_public_access_block: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Bucket:
    id: str
    name: str
    ref: SourceRef
    bucket_name: str  # literal or symbolic; the bucket ARN is arn:<partition>:s3:::<bucket_name>
    arn: str
    account: str
    region: str
    public_access_block: PublicAccessBlock | Unknown | None = None  # None: absent (all true)
    ownership: MaybeStr | None = None  # ObjectOwnership; None: absent (BucketOwnerEnforced)
    ownership_ref: SourceRef | None = None
    acl: MaybeStr | None = None  # canned ACL (AccessControl / acl)
    acl_ref: SourceRef | None = None
    acl_grantees: tuple[str, ...] = ()  # explicit grants: URIs, canonical ids, emails
    website: Website | Unknown | None = None
    encryption: BucketEncryption | Unknown | None = None
    request_payer: MaybeStr | None = None  # "Requester" or "BucketOwner"
    request_payer_ref: SourceRef | None = None
    # Terraform: does the ACL resource depend on the ownership controls resource?
    acl_depends_on_ownership: bool | None = None
