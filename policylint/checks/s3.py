"""S3 rules: Block Public Access, Object Ownership and transport conditions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.callers import evaluate_bucket, http_behaviors, object_arn
from policylint.checks.common import origin_trace, pattern_of, stmt_list, text
from policylint.checks.fixes import Fmt, fmt_of
from policylint.checks.public import (
    bpa_setting,
    cross_account_statements,
    is_public,
    pab_ref,
    public_acl,
    public_statements,
)
from policylint.checks.s3_intent import (
    intent_hits,
    intent_note,
    restrict_fix,
    restrict_public_buckets,
)
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph import ANONYMOUS
from policylint.graph_types import Caller, CallerKind, EndpointKind
from policylint.policy.decision import Outcome
from policylint.values import Tri, Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.model import Bucket
    from policylint.policy.document import PolicyDocument, Statement
    from policylint.source import SourceRef

OWNER_ONLY_ACLS = frozenset(
    {
        "Private",
        "BucketOwnerFullControl",
        "BucketOwnerRead",
        "private",
        "bucket-owner-full-control",
        "bucket-owner-read",
    }
)


def _pab_fix(bucket: Bucket, ref: SourceRef, *, block_policy: bool) -> str:
    """Block Public Access settings that let a public policy in, in the file's format."""
    fmt = fmt_of(ref)
    bp = "true" if block_policy else "false"
    if fmt is Fmt.HCL:
        return (
            f'resource "aws_s3_bucket_public_access_block" "{bucket.name.split(".")[-1]}" {{\n'
            f"  bucket                  = {bucket.name}.id\n"
            "  block_public_acls       = true\n"
            "  ignore_public_acls      = true\n"
            f"  block_public_policy     = {bp}\n"
            "  restrict_public_buckets = false\n"
            "}"
        )
    if fmt is Fmt.JSON:
        return (
            '"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": '
            f'true, "BlockPublicPolicy": {bp}, "RestrictPublicBuckets": false}}'
        )
    return (
        "PublicAccessBlockConfiguration:\n  BlockPublicAcls: true\n  IgnorePublicAcls: true\n"
        f"  BlockPublicPolicy: {bp}\n  RestrictPublicBuckets: false"
    )


def _pab_where(bucket: Bucket) -> SourceRef:
    pab = pab_ref(bucket)
    return pab.ref if pab is not None else bucket.ref


def _policy(ctx: CheckContext, bucket: Bucket) -> tuple[PolicyDocument, SourceRef, str] | None:
    found = ctx.graph.policies_for(bucket)
    if len(found) != 1 or isinstance(found[0].document, Unknown):
        return None
    return found[0].document, found[0].ref, found[0].name


def check_s3010(ctx: CheckContext) -> Iterator[Hit]:
    """Block Public Access defeats the bucket's intended public access (who owns which case:
    see checks/s3_intent.py)."""
    for bucket in ctx.model.buckets:
        pol = _policy(ctx, bucket)
        note = intent_note(ctx, bucket)
        if pol is not None and is_public(pol[0]) is Tri.TRUE:
            doc, ref, name = pol
            restrict = restrict_public_buckets(ctx, bucket)
            # A public policy that cannot even be stored is S3020's finding.
            if (
                bpa_setting(bucket, "block_public_policy") is Tri.FALSE
                and restrict.value is Tri.TRUE
            ):
                pub = public_statements(doc)
                setting = "RestrictPublicBuckets on" if not restrict.account else restrict.state
                if restrict.account:
                    msg = f"bucket {bucket.name} {setting}, so S3 ignores the public grant "
                else:
                    msg = f"bucket {bucket.name} has {setting}, so S3 ignores the public grant "
                msg += f"{stmt_list(pub)} of {name}: anonymous callers get 403{note}"
                named = cross_account_statements(doc)
                if named:
                    msg += f"; the named principals of {stmt_list(named)} are blocked too"
                where = restrict.ref
                trace = (
                    TraceStep(f"public grant {stmt_list(pub)}", pub[0].ref),
                    TraceStep("Block Public Access: RestrictPublicBuckets", where, denies=True),
                )
                fix = "Prefer a private bucket behind CloudFront with OAC (CF010), or set:\n"
                fix += (
                    restrict_fix(bucket, restrict)
                    if restrict.account
                    else _pab_fix(bucket, where, block_policy=False)
                )
                yield Hit(
                    ref=ref,
                    resource=bucket.name,
                    message=msg,
                    trace=trace,
                    fix=fix,
                    key=f"{bucket.name}|policy",
                )
        acl_ok = bucket.ownership in ("ObjectWriter", "BucketOwnerPreferred")
        if acl_ok and public_acl(bucket) is Tri.TRUE:
            if bpa_setting(bucket, "ignore_public_acls") is not Tri.TRUE:
                continue
            where = _pab_where(bucket)
            msg = (
                f"bucket {bucket.name} grants public read through its ACL ({text(bucket.acl)}), "
                "but IgnorePublicAcls is on: S3 ignores the grant and anonymous callers get 403"
                + note
            )
            trace = (
                TraceStep(f"ACL {text(bucket.acl)}", bucket.acl_ref or bucket.ref),
                TraceStep("Block Public Access: IgnorePublicAcls", where, denies=True),
            )
            yield Hit(
                ref=bucket.acl_ref or bucket.ref,
                resource=bucket.name,
                message=msg,
                trace=trace,
                key=f"{bucket.name}|acl",
                fix="Grant public read in the bucket policy instead of the ACL (and allow "
                "it in Block Public Access), or set IgnorePublicAcls: false.",
            )
    yield from intent_hits(ctx)


def check_s3020(ctx: CheckContext) -> Iterator[Hit]:
    """BlockPublicPolicy makes S3 reject the public bucket policy at deploy time."""
    for bucket in ctx.model.buckets:
        pol = _policy(ctx, bucket)
        if pol is None or is_public(pol[0]) is not Tri.TRUE:
            continue
        doc, ref, name = pol
        pub = public_statements(doc)
        setting = bpa_setting(bucket, "block_public_policy")
        where = _pab_where(bucket)
        policy_obj = ctx.graph.policy_for(bucket)
        if setting is Tri.TRUE:
            state = (
                "has no Block Public Access configuration (all settings on for new buckets)"
                if bucket.public_access_block is None
                else "has BlockPublicPolicy on"
            )
            msg = (
                f"bucket {bucket.name} {state}, so PutBucketPolicy for {name} fails with "
                f"AccessDenied (403) at deploy: {stmt_list(pub)} is public"
            )
            fix = "Use CloudFront with OAC instead of a public policy, or turn the setting off:\n"
            fix += _pab_fix(bucket, where, block_policy=False)
            key = f"{bucket.name}|block"
        elif (
            setting is Tri.FALSE
            and policy_obj is not None
            and policy_obj.depends_on_public_access_block is False
        ):
            msg = (
                f"{name} is public and does not depend on the public access block of "
                f"{bucket.name}: Terraform may put the policy before BlockPublicPolicy is "
                "turned off, and PutBucketPolicy fails with AccessDenied (403)"
            )
            pab_name = f"aws_s3_bucket_public_access_block.{bucket.name.split('.')[-1]}"
            fix = f"Add to {name}:\n  depends_on = [{pab_name}]"
            key = f"{bucket.name}|order"
        else:
            continue
        trace = (
            TraceStep(f"public statement {stmt_list(pub)}", pub[0].ref),
            TraceStep("Block Public Access: BlockPublicPolicy", where, denies=True),
        )
        yield Hit(ref=ref, resource=bucket.name, message=msg, fix=fix, key=key, trace=trace)


def check_s3030(ctx: CheckContext) -> Iterator[Hit]:
    """An ACL on a bucket whose Object Ownership is BucketOwnerEnforced (ACLs disabled)."""
    for bucket in ctx.model.buckets:
        if isinstance(bucket.acl, Unknown) or isinstance(bucket.ownership, Unknown):
            continue
        if (bucket.acl and has_symbol(bucket.acl)) or any(
            has_symbol(g) for g in bucket.acl_grantees
        ):
            continue  # an ACL we cannot read (a variable without value) may well be "private"
        others = [g for g in bucket.acl_grantees if g]
        foreign = (bucket.acl is not None and bucket.acl not in OWNER_ONLY_ACLS) or others
        if not foreign:
            continue
        ref = bucket.acl_ref or bucket.ref
        tf = fmt_of(ref) is Fmt.HCL
        acl = text(bucket.acl) if bucket.acl else "grants to " + ", ".join(others)
        if bucket.ownership in (None, "BucketOwnerEnforced"):
            how = "explicitly" if bucket.ownership else "by default for new buckets"
            msg = (
                f"bucket {bucket.name} sets ACL {acl}, but its Object Ownership is "
                f"BucketOwnerEnforced ({how}): ACLs are disabled and S3 rejects the request "
                "(InvalidBucketAclWithObjectOwnership)"
            )
            fix = (
                "Drop the ACL and grant access in the bucket policy. If an ACL is really needed "
                "(legacy log delivery), set "
                + (
                    'object_ownership = "ObjectWriter"'
                    if tf
                    else "OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}"
                )
                + "."
            )
            key = f"{bucket.name}|enforced"
        elif bucket.acl_depends_on_ownership is False:
            msg = (
                f"the ACL {acl} of bucket {bucket.name} does not depend on its ownership "
                "controls: Terraform may apply it while ACLs are still disabled"
            )
            fix = "Add depends_on = [aws_s3_bucket_ownership_controls.<name>] to the ACL resource."
            key = f"{bucket.name}|order"
        else:
            continue
        where = bucket.ownership_ref or bucket.ref
        trace = (
            TraceStep(f"ACL {acl}", ref),
            TraceStep("Object Ownership BucketOwnerEnforced", where, denies=True),
        )
        yield Hit(ref=ref, resource=bucket.name, message=msg, fix=fix, key=key, trace=trace)


def check_s3040(ctx: CheckContext) -> Iterator[Hit]:
    """An aws:SecureTransport=false Deny meets a hop that speaks HTTP."""
    anon = ctx.graph.obj(ANONYMOUS)
    for bucket in ctx.model.buckets:
        views = [v for v in ctx.graph.views_of(bucket) if v.behaviors]
        website = any(v.endpoint.kind is EndpointKind.WEBSITE for v in views) or (
            bucket.website is not None
            and not any(v.endpoint.kind is EndpointKind.REST for v in views)
        )
        if website and isinstance(anon, Caller):
            deny = _transport_deny(ctx, bucket, anon)
            if deny:
                msg = (
                    f"bucket {bucket.name} is served through its website endpoint, which speaks "
                    f"only HTTP, but {stmt_list(deny)} denies requests with aws:SecureTransport "
                    "false: every request gets 403"
                )
                yield _s3040_hit(bucket, deny, msg, "website", None)
        for view in views:
            if view.endpoint.kind is not EndpointKind.REST:
                continue
            caller = ctx.graph.caller_for(view)
            http = http_behaviors(view)
            if caller is None or caller.kind is CallerKind.ANONYMOUS or not http:
                continue
            deny = _transport_deny(ctx, bucket, caller)
            if not deny:
                continue
            pats = ", ".join(pattern_of(b) for b in http)
            msg = (
                f"behavior {pats} of {view.distribution.name} allows HTTP viewers "
                "(allow-all) and CloudFront reaches S3 with the viewer's protocol, but "
                f"{stmt_list(deny)} "
                "denies aws:SecureTransport false: HTTP viewers get 403"
            )
            key = f"{view.distribution.name}|{text(view.origin.origin_id)}"
            yield _s3040_hit(bucket, deny, msg, key, Severity.WARNING, view)


def _transport_deny(ctx: CheckContext, bucket: Bucket, caller: Caller) -> tuple[Statement, ...]:
    """The Deny statements that fire only because the request is not over TLS."""
    res = object_arn(bucket)
    plain = evaluate_bucket(ctx.graph, bucket, caller, "s3:GetObject", res, secure=False)
    if plain.outcome is not Outcome.EXPLICIT_DENY or not plain.statements:
        return ()
    tls = evaluate_bucket(ctx.graph, bucket, caller, "s3:GetObject", res, secure=True)
    if tls.outcome in (Outcome.EXPLICIT_DENY, Outcome.UNKNOWN):
        return ()
    return tuple(m.statement for m in plain.statements)


def _s3040_hit(
    bucket: Bucket,
    deny: tuple[Statement, ...],
    msg: str,
    key: str,
    sev: Severity | None,
    view: OriginView | None = None,
) -> Hit:
    trace = [TraceStep(f"caller {'CloudFront' if view else 'an anonymous viewer'}")]
    if view is not None:
        trace = origin_trace(view)
    ref = deny[0].ref or bucket.ref
    trace.append(TraceStep(f"Deny {stmt_list(deny)} (aws:SecureTransport false)", ref, True))
    if view is not None:
        fix = "Set ViewerProtocolPolicy: redirect-to-https (or https-only) on the behavior."
        if fmt_of(view.distribution.ref) is Fmt.HCL:
            fix = 'Set viewer_protocol_policy = "redirect-to-https" (or "https-only").'
    else:
        fix = (
            "Website endpoints cannot use HTTPS: drop the aws:SecureTransport Deny, or move to "
            "the REST endpoint with CloudFront and OAC (then keep the Deny)."
        )
    return Hit(
        ref=ref,
        resource=bucket.name,
        message=msg,
        fix=fix,
        key=f"{bucket.name}|{key}",
        trace=tuple(trace),
        severity=sev,
    )


CHECKS: dict[str, CheckFn] = {
    "S3010": check_s3010,
    "S3020": check_s3020,
    "S3030": check_s3030,
    "S3040": check_s3040,
}
