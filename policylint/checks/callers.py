"""Synthetic callers (catalog 2.3) as evaluator requests, and bucket/key policy decisions."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from policylint.graph_types import CallerKind
from policylint.policy.decision import Decision, Layer, Outcome, PolicySet, Request
from policylint.values import Unknown, sym

if TYPE_CHECKING:
    from policylint.graph import AccessGraph
    from policylint.graph_types import Caller, OriginView
    from policylint.model import Behavior, Bucket, KmsKey, OriginAccessIdentity
    from policylint.policy.document import PolicyDocument, Principals, Statement

CLOUDFRONT = "cloudfront.amazonaws.com"
OAI_ARN_PREFIX = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "
# Which object is requested is not known before deploy: an opaque key only "*" covers.
OBJECT_KEY = sym("s3:object-key")
_SECURE = ("https-only", "redirect-to-https")


def object_arn(bucket: Bucket) -> str:
    return f"{bucket.arn}/{OBJECT_KEY}"


def actions_for(behaviors: Iterable[Behavior]) -> tuple[str, ...]:
    """S3 object actions the behaviors' AllowedMethods can produce (catalog CF010 step 3)."""
    methods: set[str] = {"GET"}
    for beh in behaviors:
        if not isinstance(beh.allowed_methods, Unknown):
            methods.update(m.upper() for m in beh.allowed_methods)
    actions = ["s3:GetObject"]
    if methods & {"PUT", "POST"}:
        actions.append("s3:PutObject")
    if "DELETE" in methods:
        actions.append("s3:DeleteObject")
    return tuple(actions)


def https_reachable(view: OriginView) -> bool:
    """Can requests reach this origin over HTTPS (aws:SecureTransport=true)?"""
    policy = view.origin.origin_protocol_policy
    return not (view.origin.custom_origin_config and policy == "http-only")


def http_behaviors(view: OriginView) -> tuple[Behavior, ...]:
    """Behaviors that let HTTP viewers through to a match-viewer origin (SecureTransport=false)."""
    if view.origin.custom_origin_config and view.origin.origin_protocol_policy == "https-only":
        return ()
    return tuple(b for b in view.behaviors if b.viewer_protocol_policy == "allow-all")


def request(caller: Caller, action: str, resource: str, *, account: str, secure: bool) -> Request:
    """The request S3 or KMS sees from `caller` (context keys per catalog 2.3)."""
    context: dict[str, str] = {"aws:SecureTransport": "true" if secure else "false"}
    principal = "*"
    if caller.kind is CallerKind.CLOUDFRONT_OAC and caller.distribution is not None:
        principal = CLOUDFRONT
        context["aws:SourceArn"] = caller.distribution.arn
        context["aws:SourceAccount"] = caller.distribution.account
    elif caller.kind is CallerKind.CLOUDFRONT_OAI and caller.oai is not None:
        principal = caller.oai.iam_arn
    return Request(
        principal=principal,
        action=action,
        resource=resource,
        resource_account=account,
        principal_account=None,
        context=context,
    )


def with_oai_canonical_users(
    doc: PolicyDocument, oais: Iterable[OriginAccessIdentity]
) -> PolicyDocument:
    """S3 stores a CanonicalUser OAI principal as the OAI's IAM ARN; do the same."""
    by_canonical = {o.canonical_user_id: o.iam_arn for o in oais}
    statements = []
    for st in doc.statements:
        pr = st.principals
        if pr is not None and any(c in by_canonical for c in pr.canonical_user):
            extra = tuple(by_canonical[c] for c in pr.canonical_user if c in by_canonical)
            pr = dataclasses.replace(pr, aws=pr.aws + extra)
            st = dataclasses.replace(st, principals=pr)
        statements.append(st)
    return dataclasses.replace(doc, statements=tuple(statements))


def bucket_policy_doc(graph: AccessGraph, bucket: Bucket) -> PolicyDocument | Unknown | None:
    """The bucket's policy document; None if it has none; Unknown if unknowable."""
    found = graph.policies_for(bucket)
    if not found:
        return None
    if len(found) > 1:
        return Unknown(f"{len(found)} bucket policies name bucket {bucket.name}")
    doc = found[0].document
    if isinstance(doc, Unknown):
        return doc
    return with_oai_canonical_users(doc, graph.model.oais)


def evaluate_bucket(
    graph: AccessGraph, bucket: Bucket, caller: Caller, action: str, resource: str, *, secure: bool
) -> Decision:
    """Evaluate the bucket policy alone for `caller` (service principals, OAIs, anonymous)."""
    doc = bucket_policy_doc(graph, bucket)
    if isinstance(doc, Unknown):
        return Decision(outcome=Outcome.UNKNOWN, unknown_reasons=(doc.reason,))
    if doc is None:
        reason = f"bucket {bucket.name} has no bucket policy"
        return Decision(outcome=Outcome.IMPLICIT_DENY, layer=Layer.RESOURCE, reasons=(reason,))
    return evaluate_doc(
        doc, request(caller, action, resource, account=bucket.account, secure=secure)
    )


def evaluate_doc(doc: PolicyDocument, req: Request, *, key_policy: bool = False) -> Decision:
    """One resource policy against one request (the evaluator is imported lazily)."""
    from policylint.policy.evaluate import evaluate

    return evaluate(req, PolicySet(resource=doc, resource_is_key_policy=key_policy))


def evaluate_key(key: KmsKey, caller: Caller, action: str, *, secure: bool = True) -> Decision:
    """Evaluate the key policy for `caller` (IAM cannot help a service principal)."""
    if isinstance(key.policy, Unknown):
        return Decision(outcome=Outcome.UNKNOWN, unknown_reasons=(key.policy.reason,))
    if key.policy is None:
        reason = f"key {key.name} has the default key policy (account principals only)"
        return Decision(outcome=Outcome.IMPLICIT_DENY, layer=Layer.RESOURCE, reasons=(reason,))
    req = request(caller, action, key.arn, account=key.account, secure=secure)
    return evaluate_doc(key.policy, req, key_policy=True)


def names_cloudfront_service(st: Statement) -> bool:
    pr = st.principals
    return pr is not None and any(s.lower() == CLOUDFRONT for s in pr.service)


def oai_principals(pr: Principals | None) -> tuple[str, ...]:
    """The principals of a statement that look like (or try to be) OAI principals."""
    if pr is None:
        return ()
    found = [a for a in pr.aws if "cloudfront:user/" in a or "Origin Access Identity" in a]
    return tuple(found) + pr.canonical_user
