"""CF030 and CF050: origins configured in ways S3 or the OAI cannot serve."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.callers import evaluate_bucket, object_arn
from policylint.checks.common import denial_step, origin_id, origin_trace, text
from policylint.checks.s3_intent import restrict_fix, restrict_public_buckets
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph import ANONYMOUS
from policylint.graph_types import Caller, EndpointKind
from policylint.policy.decision import Outcome
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.model import Bucket

PUBLIC_ACLS = frozenset({"PublicRead", "PublicReadWrite", "public-read", "public-read-write"})
_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _hit(
    view: OriginView,
    msg: str,
    fix: str,
    key: str,
    sev: Severity | None = None,
    denying: TraceStep | None = None,
) -> Hit:
    d = view.distribution
    trace = (*origin_trace(view), *((denying,) if denying else ()))
    return Hit(
        ref=view.origin.ref,
        resource=d.name,
        message=msg,
        fix=fix,
        key=f"{d.name}|{origin_id(view)}|{key}",
        trace=trace,
        severity=sev,
    )


def _public_acl(bucket: Bucket) -> bool:
    return (isinstance(bucket.acl, str) and bucket.acl in PUBLIC_ACLS) or any(
        _ALL_USERS in g for g in bucket.acl_grantees
    )


def cf030_hits(ctx: CheckContext) -> Iterator[Hit]:
    """Sub-checks (a) to (d) of catalog CF030."""
    for view in ctx.graph.origins():
        kind = view.endpoint.kind
        o = view.origin
        signs = bool(o.oac_id) or bool(o.oai) or o.s3_origin_config
        if kind is EndpointKind.WEBSITE and signs:
            what = "an OAC" if o.oac_id else "an OAI" if o.oai else "S3OriginConfig"
            msg = (
                f"origin {origin_id(view)} of distribution {view.distribution.name} uses {what} "
                f"with the S3 website endpoint {text(view.endpoint.host)}: website endpoints "
                "accept only anonymous requests, so CloudFront's signature cannot grant access"
            )
            fix = (
                "Either point the origin at the bucket's REST endpoint (RegionalDomainName / "
                "bucket_regional_domain_name) and keep the OAC, or keep the website endpoint as "
                "a custom origin (CustomOriginConfig, OriginProtocolPolicy: http-only) without "
                "OAC/OAI and a publicly readable bucket."
            )
            step = TraceStep(f"website endpoint ignores {what}", o.ref, denies=True)
            yield _hit(view, msg, fix, "website-signed", denying=step)
        elif kind is EndpointKind.WEBSITE and view.bucket is not None and view.behaviors:
            yield from _private_website(ctx, view, view.bucket)
        oac = view.oac
        if (
            oac is not None
            and oac.origin_type == "s3"
            and kind not in (EndpointKind.REST, EndpointKind.WEBSITE, EndpointKind.UNKNOWN)
        ):
            msg = (
                f"OAC {oac.name} has origin type s3 but origin {origin_id(view)} is a "
                f"{kind.value} endpoint ({text(view.endpoint.host)})"
            )
            fix = "Use an OAC whose OriginAccessControlOriginType matches the origin, or remove it."
            step = TraceStep(f"OAC {oac.name} (type s3)", oac.ref, denies=True)
            yield _hit(view, msg, fix, "oac-type", denying=step)
        if kind is EndpointKind.REST and view.endpoint.global_form:
            msg = (
                f"origin {origin_id(view)} uses the global S3 host {text(view.endpoint.host)}, "
                "which does not work for buckets in Regions launched in 2019 or later"
            )
            fix = (
                "Use the regional host: !GetAtt Bucket.RegionalDomainName "
                "(Terraform: bucket_regional_domain_name)."
            )
            yield _hit(view, msg, fix, "global-host", Severity.WARNING)


def _private_website(ctx: CheckContext, view: OriginView, bucket: Bucket) -> Iterator[Hit]:
    if _public_acl(bucket):
        return
    anon = ctx.graph.obj(ANONYMOUS)
    if not isinstance(anon, Caller):
        return
    decision = evaluate_bucket(
        ctx.graph, bucket, anon, "s3:GetObject", object_arn(bucket), secure=False
    )
    if decision.outcome is not Outcome.IMPLICIT_DENY:
        return
    msg = (
        f"origin {origin_id(view)} of distribution {view.distribution.name} uses the website "
        f"endpoint of bucket {bucket.name}, but the bucket is not publicly readable: "
        "website endpoints serve only anonymous requests, so every object answers 403"
    )
    fix = (
        "Use the REST endpoint with an OAC and a bucket-policy grant to CloudFront (preferred), "
        'or allow s3:GetObject to Principal "*" on the bucket\'s objects (and allow public '
        "policies in Block Public Access)."
    )
    # One finding for both blockers: S3010 leaves a website origin without a grant to CF030(b).
    restrict = restrict_public_buckets(ctx, bucket)
    if restrict.value is Tri.TRUE:
        msg += f"; the bucket also {restrict.state}, so S3 would ignore a public grant too (S3010)"
        fix += "\nFor the public-read route, also set:\n" + restrict_fix(bucket, restrict)
    step = denial_step(ctx.graph, bucket, decision, "s3:GetObject", "anonymous callers")
    yield _hit(view, msg, fix, "website-private", denying=step)


def _region(view: OriginView) -> str | None:
    for region in (view.bucket.region if view.bucket else None, view.endpoint.region):
        if isinstance(region, str) and region and "\ue000" not in region:
            return region
    return None


def cf050_hits(ctx: CheckContext, new_regions: frozenset[str]) -> Iterator[Hit]:
    """OAI + SSE-KMS, OAI in a Region launched after Dec 2022, OAI with write methods."""
    for view in ctx.graph.s3_origins():
        if not view.origin.oai or view.oac is not None or view.origin.oac_id:
            continue
        name = view.oai.name if view.oai else text(view.origin.oai)
        bucket = view.bucket
        migrate = (
            "Migrate the origin to an origin access control (OAC); grant both during the switch."
        )
        if bucket is not None and ctx.graph.key_for(bucket) is not None:
            enc = bucket.encryption
            ref = enc.ref if enc is not None and not isinstance(enc, Unknown) else bucket.ref
            msg = (
                f"origin {origin_id(view)} reads bucket {bucket.name} through OAI {name}, but the "
                "bucket encrypts objects with SSE-KMS, which an OAI cannot decrypt"
            )
            step = TraceStep("SSE-KMS default encryption", ref, denies=True)
            yield _hit(
                view,
                msg,
                migrate + " Then grant kms:Decrypt to CloudFront (KMS010).",
                "kms",
                denying=step,
            )
        region = _region(view)
        if region in new_regions:
            msg = (
                f"origin {origin_id(view)} uses OAI {name} for a bucket in {region}, a Region "
                "launched after December 2022 where OAI is not supported"
            )
            yield _hit(view, msg, migrate, "region")
        methods = {
            m.upper()
            for b in view.behaviors
            if not isinstance(b.allowed_methods, Unknown)
            for m in b.allowed_methods
        }
        dynamic = sorted(methods & {"PUT", "POST", "DELETE"})
        if dynamic:
            msg = (
                f"origin {origin_id(view)} uses OAI {name} with {', '.join(dynamic)} allowed: "
                "OAI does not support dynamic requests in all Regions"
            )
            yield _hit(view, msg, migrate, "methods", Severity.WARNING)
