"""CloudFront rules: does each origin's identity get what the viewers ask for?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.callers import actions_for
from policylint.checks.cloudfront_origins import cf030_hits, cf050_hits
from policylint.checks.common import (
    denial_step,
    origin_id,
    origin_trace,
    pattern_of,
    policy_ref,
    stmt_list,
    text,
    where,
)
from policylint.checks.context import OAI_UNSUPPORTED_REGIONS
from policylint.checks.fixes import (
    Fmt,
    bucket_arn,
    bucket_objects,
    dist_arn,
    fmt_of,
    oac_statement,
    oai_statement,
    policy_resource,
    render,
)
from policylint.checks.grants import Status, analyze, read_grant
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import CallerKind, EndpointKind
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.checks.fixes import (
        Node,
        V,
    )
    from policylint.checks.grants import Grant
    from policylint.graph_types import OriginView
    from policylint.model import Distribution

_DENIED = (Status.NO_GRANT, Status.EXPLICIT_DENY, Status.CONDITION_MISMATCH, Status.WRONG_IDENTITY)
# Regions launched after December 2022, where OAI does not work (catalog CF050): the default of
# the configuration key `oai-unsupported-regions` (Intent.oai_unsupported_regions).
NEW_REGIONS = frozenset(OAI_UNSUPPORTED_REGIONS)


def _who(grant: Grant) -> str:
    c = grant.caller
    if c.kind is CallerKind.CLOUDFRONT_OAC:
        oac = c.oac.name if c.oac else "?"
        return f"distribution {grant.view.distribution.name} (OAC {oac}, cloudfront.amazonaws.com)"
    return f"OAI {c.oai.name if c.oai else '?'} of distribution {grant.view.distribution.name}"


def _grant_statement(grant: Grant, actions: list[str], resource: V, sid: str) -> dict[str, Node]:
    """The missing statement, for the caller this origin really uses."""
    c = grant.caller
    if c.kind is CallerKind.CLOUDFRONT_OAI and c.oai is not None:
        return oai_statement(sid, c.oai, actions, resource)
    return oac_statement(sid, grant.view.distribution, actions, resource)


def _hit(ctx: CheckContext, grant: Grant, message: str, fix: str, key: str, **kw: object) -> Hit:
    ref, resource = policy_ref(ctx.graph, grant.bucket)
    steps = [
        *origin_trace(grant.view, grant.caller),
        denial_step(ctx.graph, grant.bucket, grant.decision, grant.action, grant.caller.label),
    ]
    extra = kw.get("trace")
    if isinstance(extra, TraceStep):
        steps[-1] = extra
    sev = kw.get("severity")
    return Hit(
        ref=ref,
        resource=resource,
        message=message,
        fix=fix,
        key=key,
        trace=tuple(steps),
        severity=sev if isinstance(sev, Severity) else None,
    )


def _key(grant: Grant) -> str:
    v = grant.view
    return f"{grant.bucket.name}|{v.distribution.name}|{origin_id(v)}|{grant.action}"


def _add_fix(ctx: CheckContext, grant: Grant, statement: dict[str, Node]) -> str:
    """Paste-able text: the statement for the existing policy, or a whole new policy."""
    pol = ctx.graph.policy_for(grant.bucket)
    if pol is None:
        fmt = fmt_of(grant.bucket.ref)
        kind = "an aws_s3_bucket_policy" if fmt is Fmt.HCL else "an AWS::S3::BucketPolicy"
        head = f"Create {kind} for bucket {grant.bucket.name}:"
        return f"{head}\n{policy_resource(grant.bucket, statement, fmt)}"
    head = f"Add this statement to the Statement list of {pol.name}{where(pol.ref)}:"
    return f"{head}\n{render(statement, fmt_of(pol.ref))}"


def check_cf010(ctx: CheckContext) -> Iterator[Hit]:
    """S3 REST origin: the bucket policy grants the distribution's OAC/OAI no read."""
    for view in ctx.graph.s3_origins():
        grant = read_grant(ctx.graph, view)
        if grant is None or grant.status not in (Status.NO_GRANT, Status.EXPLICIT_DENY):
            continue
        actions = list(actions_for(view.behaviors))
        stmt = _grant_statement(grant, actions, bucket_objects(grant.bucket), "AllowCloudFrontRead")
        if grant.status is Status.EXPLICIT_DENY:
            msg = (
                f"bucket policy of {grant.bucket.name} denies {grant.action} to {_who(grant)}: "
                f"{stmt_list(grant.statements)} (explicit deny in the bucket policy)"
            )
            fix = (
                f"Narrow {stmt_list(grant.statements)} so it does not match CloudFront's "
                "request, and keep an Allow such as:\n"
                + render(stmt, fmt_of(policy_ref(ctx.graph, grant.bucket)[0]))
            )
        else:
            msg = (
                f"bucket policy of {grant.bucket.name} grants {_who(grant)} no {grant.action}: "
                "no statement allows this principal"
                + (" with this SourceArn" if grant.caller.kind is CallerKind.CLOUDFRONT_OAC else "")
                + " (implicit deny at the bucket policy)"
            )
            if ctx.graph.policy_for(grant.bucket) is None:
                msg = (
                    f"bucket {grant.bucket.name} has no bucket policy, so {_who(grant)} "
                    f"gets no {grant.action} (implicit deny at the bucket policy)"
                )
            fix = _add_fix(ctx, grant, stmt)
        # Reads fail for every viewer; a denied write only matters if writes are intended.
        sev = None if grant.action == "s3:GetObject" else Severity.WARNING
        yield _hit(ctx, grant, msg, fix, _key(grant), severity=sev)


def check_cf080(ctx: CheckContext) -> Iterator[Hit]:
    """The OAC statement's aws:SourceArn condition does not match the distribution."""
    for view in ctx.graph.s3_origins():
        grant = read_grant(ctx.graph, view)
        if grant is None or grant.status not in (Status.CONDITION_MISMATCH, Status.WILDCARD_ONLY):
            continue
        d = grant.view.distribution
        values = sorted(
            {
                f"{c.operator} {c.key} = {text(v)}"
                for st in grant.statements
                for c in st.conditions
                if c.key.lower() in ("aws:sourcearn", "aws:sourceaccount")
                for v in c.values
            }
        )
        fmt = fmt_of(policy_ref(ctx.graph, grant.bucket)[0])
        cond = render({"StringEquals": {"AWS:SourceArn": dist_arn(d)}}, fmt, item=False)
        if grant.status is Status.WILDCARD_ONLY:
            msg = (
                f"{stmt_list(grant.statements)} lets CloudFront read bucket {grant.bucket.name} "
                f"for any distribution of the account ({'; '.join(values)}), not only {d.name}"
            )
            yield _hit(
                ctx,
                grant,
                msg,
                f"Pin the condition to {d.name}:\n{cond}",
                _key(grant),
                severity=Severity.INFO,
                trace=TraceStep(msg, grant.statements[0].ref),
            )
            continue
        msg = (
            f"{stmt_list(grant.statements)} allows cloudfront.amazonaws.com, but its condition "
            f"({'; '.join(values)}) does not match distribution {d.name} "
            f"(aws:SourceArn {text(d.arn)}): {grant.action} is implicitly denied"
        )
        step = TraceStep(
            f"condition does not match aws:SourceArn {text(d.arn)}",
            grant.statements[0].ref,
            denies=True,
        )
        fix = (
            f"Use the distribution's ARN in the condition of {stmt_list(grant.statements)}:\n{cond}"
        )
        yield _hit(ctx, grant, msg, fix, _key(grant), trace=step)


def check_cf090(ctx: CheckContext) -> Iterator[Hit]:
    """The bucket policy grants the other CloudFront identity (OAI vs OAC, or another OAI)."""
    for view in ctx.graph.s3_origins():
        grant = read_grant(ctx.graph, view)
        if grant is None or grant.status is not Status.WRONG_IDENTITY:
            continue
        uses = (
            f"OAC {grant.caller.oac.name}"
            if grant.caller.oac
            else f"OAI {grant.caller.oai.name if grant.caller.oai else '?'}"
        )
        msg = (
            f"origin {origin_id(view)} of distribution {view.distribution.name} signs with "
            f"{uses}, but the bucket policy of {grant.bucket.name} grants another identity "
            f"({stmt_list(grant.statements)}): {grant.action} is implicitly denied"
        )
        stmt = _grant_statement(
            grant,
            list(actions_for(view.behaviors)),
            bucket_objects(grant.bucket),
            "AllowOriginIdentity",
        )
        step = TraceStep(
            f"{stmt_list(grant.statements)} names a different principal",
            grant.statements[0].ref,
            denies=True,
        )
        fix = _add_fix(ctx, grant, stmt) + "\nDuring an OAI-to-OAC migration, keep both grants."
        yield _hit(ctx, grant, msg, fix, _key(grant), trace=step)


def _list_grant(ctx: CheckContext, view: OriginView) -> Grant | None:
    read = read_grant(ctx.graph, view)
    if read is None or read.status not in (Status.ALLOWED, Status.WILDCARD_ONLY):
        return None
    return analyze(ctx.graph, view, "s3:ListBucket", read.bucket.arn)


def _maps(dist: Distribution, code: int) -> bool:
    errs = dist.custom_error_responses
    return not isinstance(errs, Unknown) and any(e.error_code == code for e in errs)


def check_cf020(ctx: CheckContext) -> Iterator[Hit]:
    """No s3:ListBucket for CloudFront: missing keys answer 403, not 404."""
    for view in ctx.graph.s3_origins():
        grant = _list_grant(ctx, view)
        if grant is None or grant.status not in _DENIED:
            continue
        d = view.distribution
        msg = (
            f"bucket policy of {grant.bucket.name} does not allow s3:ListBucket to {_who(grant)}: "
            "requests for missing objects get 403 instead of 404"
        )
        if _maps(d, 404) and not _maps(d, 403):
            msg += f"; the 404 error response of {d.name} will not fire (SPA fallback broken)"
        stmt = _grant_statement(
            grant, ["s3:ListBucket"], bucket_arn(grant.bucket), "AllowCloudFrontList"
        )
        yield _hit(ctx, grant, msg, _add_fix(ctx, grant, stmt), _key(grant))
    yield from _api_403_rewrite(ctx)


def _api_403_rewrite(ctx: CheckContext) -> Iterator[Hit]:
    apis = (EndpointKind.APIGW, EndpointKind.LAMBDA_URL, EndpointKind.ALB)
    for d in ctx.model.distributions:
        errs = d.custom_error_responses
        if isinstance(errs, Unknown):
            continue
        rewrite = next((e for e in errs if e.error_code == 403 and e.response_code == 200), None)
        views = [v for v in ctx.graph.origins() if v.distribution is d and v.behaviors]
        if rewrite is None or not any(v.endpoint.kind in apis for v in views):
            continue
        msg = (
            f"distribution {d.name} rewrites every 403 into a 200 page, also for its API origins: "
            "real API authorization errors will look like success"
        )
        fix = "Scope the 403 fallback to the S3 behaviors (e.g. with a CloudFront Function)."
        yield Hit(
            ref=rewrite.ref,
            resource=d.name,
            message=msg,
            fix=fix,
            key=f"{d.name}|403-rewrite",
            severity=Severity.INFO,
        )


def check_cf040(ctx: CheckContext) -> Iterator[Hit]:
    """No DefaultRootObject while the default behavior targets an S3 REST origin."""
    for view in ctx.graph.s3_origins():
        d = view.distribution
        if view.endpoint.kind is not EndpointKind.REST:
            continue
        for beh in view.behaviors:
            if isinstance(beh.path_pattern, str) and beh.path_pattern.endswith("/"):
                yield Hit(
                    ref=beh.ref,
                    resource=d.name,
                    severity=Severity.INFO,
                    key=f"{d.name}|{beh.path_pattern}|dir-index",
                    message=f"behavior {pattern_of(beh)} of {d.name} expects a directory "
                    "index; DefaultRootObject applies only to the root URL",
                    fix="Rewrite directory URLs to index.html with a CloudFront Function.",
                )
        if not view.is_default_target or isinstance(d.default_root_object, Unknown):
            continue
        if d.default_root_object:
            continue
        listing = _list_grant(ctx, view)
        if listing is None or listing.status in (Status.UNKNOWN,):
            sev, outcome = Severity.WARNING, "a bucket listing or 403"
        elif listing.status in _DENIED:
            sev, outcome = Severity.ERROR, "403 (CloudFront may not list the bucket)"
        else:
            sev, outcome = Severity.WARNING, "a listing of the bucket's keys"
        prop = "default_root_object" if fmt_of(d.ref) is Fmt.HCL else "DefaultRootObject"
        msg = (
            f"distribution {d.name} has no {prop} and its default behavior targets "
            f"S3 REST origin {origin_id(view)}: requests for / return {outcome}"
        )
        fmt = fmt_of(d.ref)
        fix = {
            Fmt.YAML: "DefaultRootObject: index.html",
            Fmt.JSON: '"DefaultRootObject": "index.html"',
            Fmt.HCL: 'default_root_object = "index.html"',
        }[fmt]
        trace = (*origin_trace(view), TraceStep("no DefaultRootObject", d.ref, denies=True))
        yield Hit(
            ref=d.ref,
            resource=d.name,
            message=msg,
            severity=sev,
            trace=trace,
            fix=f"Set the default root object (no leading /):\n{fix}",
            key=f"{d.name}|root",
        )


def check_cf030(ctx: CheckContext) -> Iterator[Hit]:
    """S3 website endpoint misused, OAC on a non-S3 origin, or the global REST host."""
    yield from cf030_hits(ctx)


def check_cf050(ctx: CheckContext) -> Iterator[Hit]:
    """OAI used where it cannot work: SSE-KMS, new Regions, PUT/POST/DELETE."""
    yield from cf050_hits(ctx, frozenset(ctx.intent.oai_unsupported_regions))


CHECKS: dict[str, CheckFn] = {
    "CF010": check_cf010,
    "CF020": check_cf020,
    "CF030": check_cf030,
    "CF040": check_cf040,
    "CF050": check_cf050,
    "CF080": check_cf080,
    "CF090": check_cf090,
}
