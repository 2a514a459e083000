"""S3 rules on request context: network conditions (S3060), encryption headers (S3090),
VPC endpoint policies (S3100)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.access_common import (
    anonymous_readers,
    bucket_doc,
    covers,
    objects,
)
from policylint.checks.callers import evaluate_doc
from policylint.checks.common import custom_orp_forwards, stmt_list, text
from policylint.checks.iam_eval import context_for
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import EndpointKind
from policylint.policy.decision import Outcome, PolicySet, Request
from policylint.policy.document import Effect
from policylint.values import Tri, Unknown

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.fixes import Node
    from policylint.graph_types import OriginView
    from policylint.model import Behavior, Bucket, VpcEndpoint
    from policylint.policy.decision import Decision
    from policylint.policy.document import PolicyDocument, Statement

NETWORK_KEYS = ("aws:sourcevpce", "aws:sourcevpc", "aws:sourceip", "aws:vpcsourceip")
SSE_KEYS = ("s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id")
# Managed origin request policies that forward the viewer's Referer header.
_REFERER_ORPS = frozenset(
    {
        "216adef6-5c7f-47e4-b989-5492eafa07d3",  # AllViewer
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",  # AllViewerAndCloudFrontHeaders-2022-06
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",  # AllViewerExceptHostHeader
        "acba4595-bd28-49b8-b9fe-13317c0390fa",  # UserAgentRefererHeaders
    }
)
# Managed cache policies that put no header in the cache key (so forward none).
_NO_HEADER_CACHE = frozenset(
    {
        "658327ea-f89d-4fab-a63d-7e88639e58f6",  # CachingOptimized
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",  # CachingDisabled
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",  # CachingOptimizedForUncompressedObjects
    }
)
_S3_SERVICE = re.compile(r"\.s3$")


def _keys_of(st: Statement) -> set[str]:
    return {c.key.lower() for c in st.conditions}


def _service_request(service: str, action: str, resource: str, bucket: Bucket) -> Request:
    ctx = {
        "aws:SecureTransport": "true",
        "aws:PrincipalIsAWSService": "true",
        "aws:PrincipalServiceName": service,
    }
    return Request(principal=service, action=action, resource=resource, context=ctx)


def _service_writers(doc: PolicyDocument) -> list[tuple[str, Statement]]:
    return [
        (svc, st)
        for st in doc.statements
        if st.effect is Effect.ALLOW and st.principals is not None
        for svc in st.principals.service
    ]


def _network_denies(decision: Decision) -> list[Statement]:
    if decision.outcome is not Outcome.EXPLICIT_DENY:
        return []
    found = [m.statement for m in decision.statements]
    return found if found and all(_keys_of(st) & set(NETWORK_KEYS) for st in found) else []


def check_s3060(ctx: CheckContext) -> Iterator[Hit]:
    """Request-context conditions (VPC, IP, Referer) the real request path cannot satisfy."""
    for bucket in ctx.model.buckets:
        doc = bucket_doc(ctx, bucket)
        if doc is None:
            continue
        readers = anonymous_readers(ctx, bucket)
        if readers:
            anon = Request(
                principal="*",
                action="s3:GetObject",
                resource=objects(bucket),
                context={"aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "false"},
            )
            deny = _network_denies(evaluate_doc(doc, anon))
            if deny:
                who = f"anonymous viewers ({'; '.join(readers)})"
                yield _hit(bucket, deny, who, "s3:GetObject", "anonymous")
            yield from _referer(ctx, bucket, doc)
        for svc, st in _service_writers(doc):
            if covers(st, "s3:PutObject", objects(bucket)) is Tri.FALSE:
                continue
            req = _service_request(svc, "s3:PutObject", objects(bucket), bucket)
            deny = _network_denies(evaluate_doc(doc, req))
            if deny:
                who = f"{svc} (allowed by {st.label()})"
                yield _hit(bucket, deny, who, "s3:PutObject", svc)
        yield from _vpc_source_ip(ctx, bucket, doc)


def _hit(bucket: Bucket, deny: list[Statement], who: str, action: str, key: str) -> Hit:
    keys = sorted({c.key for st in deny for c in st.conditions if c.key.lower() in NETWORK_KEYS})
    msg = (
        f"{stmt_list(deny)} of {bucket.name}'s policy denies {action} unless "
        f"{', '.join(keys)} matches, but {who} reach S3 from the internet or AWS's own network, "
        "not from your VPC or addresses: every such request gets 403"
    )
    return Hit(
        ref=deny[0].ref or bucket.ref,
        resource=bucket.name,
        message=msg,
        fix="Add a carve-out to the Deny for these callers (e.g. a StringNotEquals condition on "
        "aws:PrincipalServiceName, or aws:SourceArn for CloudFront), or scope it with "
        "aws:PrincipalArn to your own principals.",
        key=f"{bucket.name}|{key}",
        trace=(
            TraceStep(f"caller {who}", bucket.ref),
            TraceStep(f"Deny {stmt_list(deny)} on {', '.join(keys)}", deny[0].ref, True),
        ),
    )


def forwards_referer(ctx: CheckContext, beh: Behavior) -> Tri:
    """Does CloudFront send the viewer's Referer to the origin for this behavior?"""
    orp = beh.origin_request_policy_id
    cache = beh.cache_policy_id
    if cache is None and orp is None:
        return Tri.MAYBE  # legacy cache settings: forwarding rules differ
    if isinstance(orp, Unknown) or isinstance(cache, Unknown):
        return Tri.MAYBE
    if cache is not None and cache not in _NO_HEADER_CACHE:
        return Tri.MAYBE  # a custom cache policy may key on (and forward) Referer
    if orp is None:
        return Tri.FALSE
    if orp in _REFERER_ORPS:
        return Tri.TRUE
    return custom_orp_forwards(ctx.model, orp, "referer")


def _referer(ctx: CheckContext, bucket: Bucket, doc: PolicyDocument) -> Iterator[Hit]:
    allows = [
        st for st in doc.statements if st.effect is Effect.ALLOW and "aws:referer" in _keys_of(st)
    ]
    if not allows:
        return
    for view in ctx.graph.views_of(bucket):
        if not _unsigned(ctx, view):
            continue
        names = [h for h, _ in view.origin.custom_headers]
        if any(not isinstance(h, str) or h.lower() == "referer" for h in names):
            continue  # the origin sends its own Referer (the "secret header" pattern)
        dropping = [b for b in view.behaviors if forwards_referer(ctx, b) is Tri.FALSE]
        if not dropping or len(dropping) != len(view.behaviors):
            continue
        msg = (
            f"{stmt_list(allows)} of {bucket.name}'s policy allows reads only with an aws:Referer "
            f"condition, but distribution {view.distribution.name} does not forward the Referer "
            "header to the origin: S3 sees no Referer and answers 403"
        )
        yield Hit(
            ref=allows[0].ref or bucket.ref,
            resource=bucket.name,
            message=msg,
            fix="Use CloudFront with OAC instead of a Referer check, or forward Referer with an "
            "origin request policy (e.g. the managed UserAgentRefererHeaders policy).",
            key=f"{bucket.name}|{view.distribution.name}|referer",
            trace=(
                TraceStep(f"distribution {view.distribution.name} drops Referer", view.origin.ref),
                TraceStep(f"Allow {stmt_list(allows)} needs aws:Referer", allows[0].ref, True),
            ),
        )


def _unsigned(ctx: CheckContext, view: OriginView) -> bool:
    if not view.behaviors:
        return False
    if view.endpoint.kind is EndpointKind.WEBSITE:
        return True
    caller = ctx.graph.caller_for(view)
    return caller is not None and caller.node == "caller:anonymous"


def _vpc_source_ip(ctx: CheckContext, bucket: Bucket, doc: PolicyDocument) -> Iterator[Hit]:
    from policylint.checks.access_common import workload_uses
    from policylint.checks.s3_endpoints import behind_s3_endpoint
    from policylint.checks.vpc import subnet_names
    from policylint.policy.evaluate import evaluate

    endpoints = [ep for ep in ctx.model.vpc_endpoints if _is_s3_endpoint(ep)]
    if not endpoints:
        return
    seen: set[str] = set()
    for action in ("s3:GetObject", "s3:PutObject"):
        for use in workload_uses(ctx, bucket, action):
            wl = use.wire.workload
            key = f"{bucket.name}|{use.role.name}|{action}|sourceip"
            if key in seen:
                continue
            behind = behind_s3_endpoint(ctx, wl, endpoints)
            if behind is None:
                continue  # not known to be in an S3 endpoint's VPC
            ep, site = behind
            req = Request(
                principal=use.role.arn,
                action=action,
                resource=objects(bucket),
                resource_account=bucket.account,
                context=context_for(use.role, action),
            )
            dec = evaluate(req, PolicySet(identity=use.policies.docs, resource=doc))
            ip = [
                st
                for st in doc.statements
                if "aws:sourceip" in _keys_of(st)
                and covers(st, action, objects(bucket)) is not Tri.FALSE
            ]
            missing = {k.lower() for k in dec.missing_keys}
            # Behind an endpoint aws:SourceIp is absent (documented), so that missing key is
            # a fact; any other missing key leaves the outcome open.
            if not ip or not dec.certainly_denied or not missing <= {"aws:sourceip"}:
                continue
            denying = {id(m.statement) for m in dec.statements}
            if "aws:sourceip" not in missing and not any(id(st) in denying for st in ip):
                continue
            seen.add(key)
            msg = (
                f"{wl.kind.value} {wl.name} (role {use.role.name}) runs in the VPC of S3 VPC "
                f"endpoint {ep.name}, but {stmt_list(ip)} of {bucket.name}'s policy tests "
                f"aws:SourceIp: requests through a VPC endpoint carry no aws:SourceIp, so "
                f"{action} is denied"
            )
            yield Hit(
                ref=ip[0].ref or bucket.ref,
                resource=bucket.name,
                message=msg,
                fix=_vpce_carve_out(ep, ip[0]),
                key=key,
                trace=(
                    TraceStep(
                        f"{wl.name} runs in {subnet_names(ctx.model, site)}", site.placement.ref
                    ),
                    TraceStep(f"S3 endpoint {ep.name} in the same VPC", ep.ref),
                    TraceStep(f"{stmt_list(ip)} on aws:SourceIp", ip[0].ref, True),
                ),
                severity=Severity.WARNING,
            )


def _vpce_carve_out(ep: VpcEndpoint, st: Statement) -> str:
    from policylint.checks.fixes import V, fmt_of, render

    ref = st.ref or ep.ref
    vpce = V(f"${{{ep.name}}}", f"{ep.name}.id")
    cond: dict[str, Node] = {"StringNotEquals": {"aws:SourceVpce": vpce}}
    return (
        f"Let requests through {ep.name} pass: add this to the Condition of {st.label()} "
        "(a Deny), or test aws:SourceVpce / aws:VpcSourceIp instead of aws:SourceIp in an "
        f"Allow:\n{render(cond, fmt_of(ref), item=False)}"
    )


def _is_s3_endpoint(ep: VpcEndpoint) -> bool:
    return isinstance(ep.service_name, str) and bool(_S3_SERVICE.search(ep.service_name))


def _sse_denies(decision: Decision) -> list[Statement]:
    if decision.outcome is not Outcome.EXPLICIT_DENY:
        return []
    return [m.statement for m in decision.statements if _keys_of(m.statement) & set(SSE_KEYS)]


def check_s3090(ctx: CheckContext) -> Iterator[Hit]:
    """The bucket policy requires encryption headers that default-encryption writers omit."""
    for bucket in ctx.model.buckets:
        doc = bucket_doc(ctx, bucket)
        enc = bucket.encryption
        if doc is None or enc is None or isinstance(enc, Unknown):
            continue
        yield from _key_mismatch(ctx, bucket, doc)
        writers: list[tuple[str, Request]] = []
        for svc, st in _service_writers(doc):
            if covers(st, "s3:PutObject", objects(bucket)) is not Tri.FALSE:
                req = _service_request(svc, "s3:PutObject", objects(bucket), bucket)
                writers.append((f"{svc} (allowed by {st.label()})", req))
        for exp in ctx.intent.expect:
            if not exp.allowed or "s3:PutObject" not in exp.actions:
                continue
            names = (bucket.name, bucket.bucket_name, bucket.arn, objects(bucket))
            if exp.on not in names and not exp.on.startswith(bucket.arn + "/"):
                continue
            req = Request(
                principal=exp.principal,
                action="s3:PutObject",
                resource=objects(bucket),
                context={"aws:SecureTransport": "true"},
            )
            writers.append((f"declared writer {exp.principal}", req))
        for who, req in writers:
            deny = _sse_denies(evaluate_doc(doc, req))
            if not deny:
                continue
            msg = (
                f"{stmt_list(deny)} of {bucket.name}'s policy denies s3:PutObject without an "
                f"x-amz-server-side-encryption header, but {who} relies on the bucket's default "
                f"encryption ({text(enc.algorithm)}) and sends no header: its writes get 403"
            )
            yield Hit(
                ref=deny[0].ref or bucket.ref,
                resource=bucket.name,
                message=msg,
                fix="Rely on default encryption and drop the header Deny, or exempt these "
                "writers (e.g. StringNotEqualsIfExists with a Null check, or an "
                "aws:PrincipalServiceName carve-out).",
                key=f"{bucket.name}|{who.split(' ')[0]}",
                trace=(
                    TraceStep(f"writer {who}", bucket.ref),
                    TraceStep(f"default encryption {text(enc.algorithm)}", enc.ref),
                    TraceStep(f"Deny {stmt_list(deny)} on the SSE header", deny[0].ref, True),
                ),
            )


def _bucket_key_arn(ctx: CheckContext, key: str | Unknown | None) -> str | None:
    """The key ARN of a KMSMasterKeyID (a key of the run, or a key ARN); None if unsure."""
    if not isinstance(key, str) or not key:
        return None
    for k in ctx.model.keys:
        if key in (k.key_id, k.arn):
            return k.arn
    return key if key.startswith("arn:") and ":key/" in key else None


def _key_mismatch(ctx: CheckContext, bucket: Bucket, doc: PolicyDocument) -> Iterator[Hit]:
    """A Deny pins a KMS key id other than the bucket's KMSMasterKeyID (definite only)."""
    enc = bucket.encryption
    if enc is None or isinstance(enc, Unknown):
        return
    arn = _bucket_key_arn(ctx, enc.kms_key)
    if arn is None:
        return
    partition = bucket.arn.removeprefix("arn:").partition(":s3:::")[0]
    req = Request(
        principal=f"arn:{partition}:iam::{bucket.account}:role/writer",
        action="s3:PutObject",
        resource=objects(bucket),
        resource_account=bucket.account,
        principal_account=bucket.account,
        context={
            "aws:SecureTransport": "true",
            SSE_KEYS[0]: enc.algorithm if isinstance(enc.algorithm, str) else "aws:kms",
            SSE_KEYS[1]: arn,
        },
    )
    decision = evaluate_doc(doc, req)
    if decision.outcome is not Outcome.EXPLICIT_DENY:
        return
    deny = [m.statement for m in decision.statements if SSE_KEYS[1] in _keys_of(m.statement)]
    if not deny:
        return
    pinned = [
        text(v)
        for st in deny
        for c in st.conditions
        if c.key.lower() == SSE_KEYS[1]
        for v in c.values
    ]
    msg = (
        f"{stmt_list(deny)} of {bucket.name}'s policy requires KMS key {', '.join(pinned)} in "
        f"s3:x-amz-server-side-encryption-aws-kms-key-id, but the bucket's default encryption "
        f"uses KMSMasterKeyID {text(enc.kms_key)}: writers that send the bucket's key get 403"
    )
    yield Hit(
        ref=deny[0].ref or bucket.ref,
        resource=bucket.name,
        message=msg,
        fix=f"Use the same key in both places: put {text(arn)} in the condition, or set "
        "KMSMasterKeyID (kms_master_key_id) to the key the policy requires.",
        key=f"{bucket.name}|kms-key-mismatch",
        trace=(
            TraceStep(f"default encryption with key {text(enc.kms_key)}", enc.ref),
            TraceStep(f"Deny {stmt_list(deny)} unless key {', '.join(pinned)}", deny[0].ref, True),
        ),
    )


def check_s3100(ctx: CheckContext) -> Iterator[Hit]:
    """An S3 VPC endpoint policy excludes a bucket or action used by a workload in a VPC."""
    from policylint.checks.s3_endpoints import endpoint_hits

    yield from endpoint_hits(ctx, [ep for ep in ctx.model.vpc_endpoints if _is_s3_endpoint(ep)])
