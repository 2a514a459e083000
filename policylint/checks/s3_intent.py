"""S3010's intent side: why a bucket is meant to be public, and the effective Block Public Access.

Catalog S3010 step 1 (intended public) and step 2 (effective setting: the most restrictive of the
bucket's and the account's). Ownership between the rules that look at a public bucket:

- a public policy that BlockPublicPolicy rejects at deploy is S3020's; one stored but ignored
  under RestrictPublicBuckets (bucket or account level) is S3010's;
- a public bucket ACL under bucket-level IgnorePublicAcls is S3010's; under the account-level
  setting S3050's; an ACL on a bucket with ACLs disabled S3030's;
- a CloudFront website origin over a bucket with no anonymous grant at all is CF030(b)'s (its
  message names Block Public Access when that would block the grant too);
- a bucket declared in `public-buckets` with no public grant of its own, not served through a
  CloudFront website origin, under RestrictPublicBuckets: S3010 (`intent_hits`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.access_common import account_pab, account_setting, declared_public
from policylint.checks.callers import bucket_policy_doc
from policylint.checks.fixes import Fmt, fmt_of
from policylint.checks.public import bpa_setting, is_public, pab_ref, public_acl
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import EndpointKind
from policylint.values import Tri

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.model import Bucket
    from policylint.source import SourceRef


@dataclass(frozen=True, slots=True)
class Restrict:
    """The effective RestrictPublicBuckets of a bucket and where it is set."""

    value: Tri
    ref: SourceRef
    state: str  # "has RestrictPublicBuckets on", ...
    account: bool  # decided by the account-level setting


def restrict_public_buckets(ctx: CheckContext, bucket: Bucket) -> Restrict:
    """Bucket-level setting (absent configuration: on) or the account's, whichever blocks."""
    own = bpa_setting(bucket, "restrict_public_buckets")
    pab = pab_ref(bucket)
    if own is Tri.TRUE:
        state = (
            "has no Block Public Access configuration (all settings on for new buckets)"
            if bucket.public_access_block is None
            else "has RestrictPublicBuckets on"
        )
        return Restrict(Tri.TRUE, pab.ref if pab else bucket.ref, state, account=False)
    acct = account_setting(ctx, bucket, "restrict_public_buckets")
    at = account_pab(ctx, bucket)
    if own is Tri.FALSE and acct is not Tri.FALSE and at is not None:
        state = f"is in an account whose Block Public Access {at.name} has RestrictPublicBuckets on"
        return Restrict(acct, at.ref, state, account=True)
    return Restrict(own, pab.ref if pab else bucket.ref, "", account=False)


def website_views(ctx: CheckContext, bucket: Bucket) -> list[OriginView]:
    """CloudFront origins with behaviors that reach the bucket through its website endpoint."""
    return [
        v
        for v in ctx.graph.views_of(bucket)
        if v.behaviors and v.endpoint.kind is EndpointKind.WEBSITE
    ]


def intent_reasons(ctx: CheckContext, bucket: Bucket) -> list[str]:
    """Why the bucket is meant to be public besides its grants (catalog S3010 step 1)."""
    why = [
        f"distribution {v.distribution.name} reads it through its website endpoint"
        for v in website_views(ctx, bucket)
        if bucket.website is not None
    ]
    if declared_public(ctx, bucket):
        why.append("it is declared in public-buckets")
    return list(dict.fromkeys(why))


def intent_note(ctx: CheckContext, bucket: Bucket) -> str:
    why = intent_reasons(ctx, bucket)
    return f" (the bucket is meant to be public: {'; '.join(why)})" if why else ""


def restrict_fix(bucket: Bucket, r: Restrict) -> str:
    """Turn RestrictPublicBuckets (and BlockPublicPolicy) off where it is set."""
    fmt = fmt_of(r.ref)
    if r.account:
        return "Set restrict_public_buckets = false on the account-level public access block."
    if fmt is Fmt.HCL:
        return (
            f'resource "aws_s3_bucket_public_access_block" "{bucket.name.split(".")[-1]}" {{\n'
            f"  bucket                  = {bucket.name}.id\n"
            "  block_public_acls       = true\n"
            "  ignore_public_acls      = true\n"
            "  block_public_policy     = false\n"
            "  restrict_public_buckets = false\n"
            "}"
        )
    if fmt is Fmt.JSON:
        return (
            '"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": '
            'true, "BlockPublicPolicy": false, "RestrictPublicBuckets": false}'
        )
    return (
        "PublicAccessBlockConfiguration:\n  BlockPublicAcls: true\n  IgnorePublicAcls: true\n"
        "  BlockPublicPolicy: false\n  RestrictPublicBuckets: false"
    )


def intent_hits(ctx: CheckContext) -> Iterator[Hit]:
    """Declared public, no public grant of its own, and RestrictPublicBuckets blocks any."""
    for bucket in ctx.model.buckets:
        if not declared_public(ctx, bucket) or website_views(ctx, bucket):
            continue  # a website origin without a grant is CF030(b)'s
        policy = is_public(bucket_policy_doc(ctx.graph, bucket))
        if policy is Tri.TRUE or public_acl(bucket) is Tri.TRUE:
            continue  # the policy and ACL paths of S3010 (or S3020 / S3030 / S3050) judge it
        r = restrict_public_buckets(ctx, bucket)
        if r.value is Tri.FALSE or (r.value is Tri.MAYBE and not r.account):
            continue
        grant = (
            "its bucket policy grants no public read, and "
            if policy is Tri.FALSE
            else "whatever its bucket policy grants, "
        )
        msg = (
            f"bucket {bucket.name} is declared public (public-buckets), but {grant}it "
            f"{r.state}: S3 ignores public bucket policies, so anonymous callers get 403"
        )
        fix = (
            "If the bucket must be public, grant s3:GetObject to Principal * on its objects in "
            "the bucket policy and let it through Block Public Access:\n"
            + restrict_fix(bucket, r)
            + "\nOtherwise remove it from public-buckets (prefer CloudFront with OAC, CF010)."
        )
        yield Hit(
            ref=r.ref,
            resource=bucket.name,
            message=msg,
            fix=fix,
            key=f"{bucket.name}|declared",
            trace=(
                TraceStep("declared public in the configuration (public-buckets)"),
                TraceStep("Block Public Access: RestrictPublicBuckets", r.ref, denies=True),
            ),
            # only the account-level setting unknown: a warning (catalog S3010 severity)
            severity=Severity.WARNING if r.value is Tri.MAYBE else None,
        )
