"""KMS rules: can CloudFront decrypt what the bucket encrypts?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.callers import evaluate_key
from policylint.checks.common import origin_id, origin_trace, stmt_list, text, where
from policylint.checks.fixes import dist_arn, fmt_of, render
from policylint.checks.grants import cloudfront_target, wildcard_source
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import CallerKind, KeyKind
from policylint.policy.decision import Outcome

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.checks.fixes import Fmt, Node
    from policylint.graph_types import OriginView
    from policylint.model import Bucket, Distribution
    from policylint.source import SourceRef


def _key_statement(d: Distribution, fmt: Fmt) -> str:
    stmt: dict[str, Node] = {
        "Sid": "AllowCloudFrontDecrypt",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"AWS:SourceArn": dist_arn(d)}},
    }
    return render(stmt, fmt)


def _hit(
    view: OriginView,
    bucket: Bucket,
    ref: SourceRef,
    msg: str,
    fix: str,
    key: str,
    step: TraceStep,
    sev: Severity | None = None,
) -> Hit:
    return Hit(
        ref=ref,
        resource=bucket.name,
        message=msg,
        fix=fix,
        key=f"{bucket.name}|{view.distribution.name}|{origin_id(view)}|{key}",
        trace=(*origin_trace(view), step),
        severity=sev,
    )


def check_kms010(ctx: CheckContext) -> Iterator[Hit]:
    """SSE-KMS bucket behind OAC, but the key policy does not let CloudFront decrypt."""
    for view in ctx.graph.s3_origins():
        target = cloudfront_target(ctx.graph, view)
        if target is None:
            continue
        bucket, caller = target
        link = ctx.graph.key_for(bucket)
        if link is None or caller.kind is not CallerKind.CLOUDFRONT_OAC:
            continue
        d = view.distribution
        enc_ref = link.encryption.ref
        if link.kind is KeyKind.AWS_MANAGED:
            msg = (
                f"bucket {bucket.name} encrypts with the AWS managed key aws/s3, whose key policy "
                f"cannot be changed to let CloudFront (distribution {d.name}) decrypt: "
                "objects answer 403"
            )
            fix = (
                "Use a customer managed key (KMSMasterKeyID / kms_master_key_id) whose key "
                "policy has this statement:\n" + _key_statement(d, fmt_of(enc_ref))
            )
            step = TraceStep("aws/s3 key policy (not editable)", enc_ref, denies=True)
            yield _hit(view, bucket, enc_ref, msg, fix, "aws-managed", step)
            continue
        key = link.key
        if link.kind is KeyKind.EXTERNAL or key is None:
            msg = (
                f"bucket {bucket.name} encrypts with KMS key {text(link.encryption.kms_key)}, "
                f"defined outside this run: make sure its key policy lets "
                f"cloudfront.amazonaws.com (distribution {d.name}) use kms:Decrypt"
            )
            fix = "Add to that key's policy:\n" + _key_statement(d, fmt_of(enc_ref))
            step = TraceStep("key policy outside the run", enc_ref)
            yield _hit(view, bucket, enc_ref, msg, fix, "external", step, Severity.INFO)
            continue
        decision = evaluate_key(key, caller, "kms:Decrypt")
        kref = key.ref
        fmt = fmt_of(kref)
        if decision.outcome is Outcome.ALLOW:
            used = [m.statement for m in decision.statements]
            if used and all(wildcard_source(st) for st in used):
                msg = (
                    f"key policy of {key.name} lets CloudFront decrypt for any distribution of "
                    f"the account ({stmt_list(used)}), not only {d.name}"
                )
                fix = (
                    "If the reference cycle allows it, pin AWS:SourceArn to the distribution:\n"
                    + render({"StringEquals": {"AWS:SourceArn": dist_arn(d)}}, fmt, item=False)
                )
                step = TraceStep(f"wildcard SourceArn in {stmt_list(used)}", used[0].ref)
                yield _hit(view, bucket, kref, msg, fix, "wildcard", step, Severity.INFO)
            continue
        if decision.outcome is Outcome.UNKNOWN:
            continue
        if decision.outcome is Outcome.EXPLICIT_DENY and decision.statements:
            denying = [m.statement for m in decision.statements]
            why = f"{stmt_list(denying)} denies it"
            ref = denying[0].ref or kref
        else:
            why = (
                "it has the default key policy, which trusts only the account"
                if key.policy is None
                else "no statement allows cloudfront.amazonaws.com with this SourceArn"
            )
            ref = kref
        msg = (
            f"bucket {bucket.name} encrypts objects with KMS key {key.name}, but the key policy "
            f"does not let CloudFront (distribution {d.name}, OAC) use kms:Decrypt: {why}; "
            "IAM policies cannot grant a service principal, so objects answer 403"
        )
        fix = f"Add to the key policy of {key.name}{where(kref)}:\n" + _key_statement(d, fmt)
        step = TraceStep(f"key policy of {key.name}: {why}", ref, denies=True)
        yield _hit(view, bucket, kref, msg, fix, "decrypt", step)


CHECKS: dict[str, CheckFn] = {"KMS010": check_kms010}
