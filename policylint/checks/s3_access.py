"""S3 rules beyond the first set: ignored ACLs, object ownership, Requester Pays (S3050-S3100)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.access_common import (
    account_pab,
    account_setting,
    anonymous_readers,
    bucket_doc,
    covers,
    foreign_grants,
    objects,
    roles_using,
)
from policylint.checks.callers import evaluate_bucket
from policylint.checks.common import stmt_list, text, where
from policylint.checks.fixes import Fmt, fmt_of
from policylint.checks.public import PUBLIC_CANNED, bpa_setting, pab_ref, public_acl
from policylint.checks.s3_conditions import check_s3060, check_s3090, check_s3100
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph import ANONYMOUS
from policylint.graph_types import Caller, CallerKind
from policylint.policy.decision import Outcome
from policylint.policy.document import Effect
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.model import Bucket, ObjectAcl
    from policylint.policy.document import PolicyDocument

ENFORCED = (None, "BucketOwnerEnforced")


def _anon_allowed(ctx: CheckContext, bucket: Bucket) -> Outcome:
    anon = ctx.graph.obj(ANONYMOUS)
    if not isinstance(anon, Caller):
        return Outcome.UNKNOWN
    res = objects(bucket)
    return evaluate_bucket(ctx.graph, bucket, anon, "s3:GetObject", res, secure=True).outcome


def _objects_of(ctx: CheckContext, bucket: Bucket) -> list[ObjectAcl]:
    return [o for o in ctx.model.object_acls if o.bucket == bucket.bucket_name]


def check_s3050(ctx: CheckContext) -> Iterator[Hit]:
    """Public access relies on ACL grants that S3 rejects or ignores."""
    for bucket in ctx.model.buckets:
        if isinstance(bucket.ownership, Unknown):
            continue
        readers = anonymous_readers(ctx, bucket)
        for obj in _objects_of(ctx, bucket):
            if isinstance(obj.acl, Unknown) or obj.acl not in PUBLIC_CANNED:
                continue
            yield from _object_acl_hit(ctx, bucket, obj, readers)
        acct = account_setting(ctx, bucket, "ignore_public_acls")
        if acct is not Tri.TRUE or public_acl(bucket) is not Tri.TRUE:
            continue
        if bucket.ownership in ENFORCED or bpa_setting(bucket, "ignore_public_acls") is Tri.TRUE:
            continue  # S3030 (ACLs disabled) or S3010 (bucket-level IgnorePublicAcls)
        pab = account_pab(ctx, bucket)
        assert pab is not None
        msg = (
            f"bucket {bucket.name} grants public access through its ACL ({text(bucket.acl)}), but "
            f"the account-level Block Public Access {pab.name} has IgnorePublicAcls on: S3 "
            "ignores the grant and anonymous callers get 403"
        )
        yield Hit(
            ref=bucket.acl_ref or bucket.ref,
            resource=bucket.name,
            message=msg,
            fix="Grant public read in the bucket policy instead of the ACL (and let it through "
            "Block Public Access), or set ignore_public_acls = false on the account.",
            key=f"{bucket.name}|account",
            trace=(
                TraceStep(f"bucket ACL {text(bucket.acl)}", bucket.acl_ref or bucket.ref),
                TraceStep("account Block Public Access: IgnorePublicAcls", pab.ref, denies=True),
            ),
        )


def _object_acl_hit(
    ctx: CheckContext, bucket: Bucket, obj: ObjectAcl, readers: list[str]
) -> Iterator[Hit]:
    fix = (
        "Drop the object ACL and grant read in the bucket policy (better: serve through "
        "CloudFront with OAC)."
    )
    step = TraceStep(f"object {obj.name} sets acl = {text(obj.acl)}", obj.acl_ref)
    if bucket.ownership in ENFORCED:
        how = "explicitly" if bucket.ownership else "by default for new buckets"
        msg = (
            f"object {obj.name} is uploaded with ACL {text(obj.acl)}, but bucket {bucket.name} "
            f"has Object Ownership BucketOwnerEnforced ({how}): ACLs are disabled and S3 "
            "rejects the upload (AccessControlListNotSupported)"
        )
        deny = TraceStep(
            "Object Ownership BucketOwnerEnforced", bucket.ownership_ref or bucket.ref, True
        )
        yield Hit(
            ref=obj.acl_ref,
            resource=bucket.name,
            message=msg,
            fix=fix,
            key=f"{bucket.name}|{obj.name}|enforced",
            trace=(step, deny),
        )
        return
    ignored = bpa_setting(bucket, "ignore_public_acls")
    pab_at = pab_ref(bucket)
    layer = "bucket"
    if ignored is not Tri.TRUE and account_setting(ctx, bucket, "ignore_public_acls") is Tri.TRUE:
        ignored, layer = Tri.TRUE, "account"
        acct = account_pab(ctx, bucket)
        at = acct.ref if acct else bucket.ref
    else:
        at = pab_at.ref if pab_at else bucket.ref
    if ignored is not Tri.TRUE or _anon_allowed(ctx, bucket) is not Outcome.IMPLICIT_DENY:
        return
    msg = (
        f"object {obj.name} is made public with ACL {text(obj.acl)}, but {layer}-level Block "
        f"Public Access of {bucket.name} has IgnorePublicAcls on and no bucket policy statement "
        "grants anonymous read: S3 ignores the ACL and anonymous callers get 403"
    )
    if readers:
        msg += f" (the bucket is read anonymously: {'; '.join(readers)})"
    yield Hit(
        ref=obj.acl_ref,
        resource=bucket.name,
        message=msg,
        fix=fix,
        key=f"{bucket.name}|{obj.name}|ignored",
        trace=(step, TraceStep("Block Public Access: IgnorePublicAcls", at, denies=True)),
        severity=None if readers else Severity.WARNING,
    )


def _requires_owner_acl(doc: PolicyDocument, bucket: Bucket) -> bool:
    """A statement makes cross-account writers hand the object to the bucket owner."""
    for st in doc.statements:
        if covers(st, "s3:PutObject", objects(bucket)) is Tri.FALSE:
            continue
        for c in st.conditions:
            if c.key.lower() != "s3:x-amz-acl" or "bucket-owner-full-control" not in c.values:
                continue
            negated = "not" in c.operator.lower()
            if (st.effect is Effect.DENY) == negated:
                return True
    return False


def check_s3070(ctx: CheckContext) -> Iterator[Hit]:
    """Objects written by other accounts stay theirs; the owner's readers get 403."""
    for bucket in ctx.model.buckets:
        own = bucket.ownership
        if own in ENFORCED or isinstance(own, Unknown):
            continue
        doc = bucket_doc(ctx, bucket)
        writers = foreign_grants(ctx, bucket, doc, "s3:PutObject") if doc else []
        oac = [c for c in ctx.graph.callers_of(bucket) if c.kind is CallerKind.CLOUDFRONT_OAC]
        readers = [
            c.label for c in ctx.graph.callers_of(bucket) if c.kind is not CallerKind.ANONYMOUS
        ]
        readers += anonymous_readers(ctx, bucket)
        readers += [f"role {u.role.name}" for u in roles_using(ctx, bucket, "s3:GetObject")]
        at = bucket.ownership_ref or bucket.ref
        tf = fmt_of(at) is Fmt.HCL
        fix = (
            'Set object_ownership = "BucketOwnerEnforced" (move any ACL grants into the bucket '
            "policy first)."
            if tf
            else "Set OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerEnforced}]} (move "
            "any ACL grants into the bucket policy first)."
        )
        if writers and doc is not None and readers:
            if own == "BucketOwnerPreferred" and _requires_owner_acl(doc, bucket):
                continue
            names = ", ".join(sorted({text(w.principal) for w in writers}))
            stmts = stmt_list(dict.fromkeys(w.statement for w in writers))
            maybe = "" if all(w.certain for w in writers) else " (accounts that may differ)"
            msg = (
                f"bucket {bucket.name} lets other accounts{maybe} write objects ({names}, "
                f"{stmts}) but its Object Ownership is {text(own)}: their objects stay theirs, "
                "the bucket policy does not apply to them, and its readers get 403 on them "
                f"({'; '.join(readers[:3])})"
            )
            if own == "BucketOwnerPreferred":
                msg += " (no statement requires s3:x-amz-acl bucket-owner-full-control)"
            yield Hit(
                ref=at,
                resource=bucket.name,
                message=msg,
                fix=fix,
                key=f"{bucket.name}|writers",
                trace=(
                    TraceStep(f"cross-account PutObject: {stmts}", writers[0].statement.ref),
                    TraceStep(f"Object Ownership {text(own)}", at, denies=True),
                ),
            )
        elif oac:
            msg = (
                f"bucket {bucket.name} is read through CloudFront OAC ({oac[0].label}) but its "
                f"Object Ownership is {text(own)}: objects another account writes are not "
                "readable by OAC; AWS requires BucketOwnerEnforced with OAC"
            )
            yield Hit(
                ref=at,
                resource=bucket.name,
                message=msg,
                fix=fix,
                key=f"{bucket.name}|oac",
                trace=(
                    TraceStep(
                        oac[0].label, oac[0].distribution.ref if oac[0].distribution else None
                    ),
                    TraceStep(f"Object Ownership {text(own)}", at, denies=True),
                ),
            )


def check_s3080(ctx: CheckContext) -> Iterator[Hit]:
    """A Requester Pays bucket is read anonymously, through its website endpoint or CloudFront."""
    for bucket in ctx.model.buckets:
        if bucket.request_payer != "Requester":
            continue
        why = anonymous_readers(ctx, bucket)
        if bucket.website is not None:
            why.append("it has a website configuration (website endpoints refuse Requester Pays)")
        views = [v for v in ctx.graph.views_of(bucket) if v.behaviors]
        for view in views:
            why.append(f"distribution {view.distribution.name} fetches it as an origin")
        if not why:
            continue
        why = list(dict.fromkeys(why))
        at = bucket.request_payer_ref or bucket.ref
        msg = (
            f"bucket {bucket.name} has Requester Pays on, but {'; '.join(why)}: these requests "
            "cannot carry x-amz-request-payer and S3 answers 403"
        )
        trace = [TraceStep(w, bucket.ref) for w in why[:3]]
        trace.append(TraceStep("Requester Pays: payer = Requester", at, denies=True))
        yield Hit(
            ref=at,
            resource=bucket.name,
            message=msg,
            fix='Set payer = "BucketOwner" (or remove the request payment configuration) for a '
            f"bucket that serves content{where(at)}.",
            key=f"{bucket.name}|requester-pays",
            trace=tuple(trace),
        )


CHECKS: dict[str, CheckFn] = {
    "S3050": check_s3050,
    "S3060": check_s3060,
    "S3070": check_s3070,
    "S3080": check_s3080,
    "S3090": check_s3090,
    "S3100": check_s3100,
}
