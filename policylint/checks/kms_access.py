"""KMS rules for callers other than CloudFront: other accounts, roles, anonymous (KMS020-050)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.checks.access_common import (
    account_of,
    anonymous_readers,
    bucket_doc,
    covers,
    foreign_grants,
    roles_using,
)
from policylint.checks.common import stmt_list, text
from policylint.checks.iam_eval import denied_for_sure, role_policies
from policylint.checks.iam_eval import evaluate as iam_evaluate
from policylint.checks.iam_eval import request as role_request
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import KeyKind
from policylint.policy.decision import PolicySet
from policylint.policy.document import Effect
from policylint.values import Tri, Unknown, sym

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.access_common import (
        Foreign,
    )
    from policylint.checks.context import CheckContext
    from policylint.checks.iam_eval import RolePolicies
    from policylint.model import Bucket, KmsKey, Role
    from policylint.policy.decision import Decision
    from policylint.policy.document import PolicyDocument, Statement

READ, WRITE = "kms:Decrypt", "kms:GenerateDataKey"


@functools.cache
def _allow_all() -> PolicyDocument:
    from policylint.policy.parse import parse_policy

    return parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def key_policy(key: KmsKey) -> PolicyDocument | None:
    """The key policy; the default key policy (the account, through IAM) when none is set."""
    if isinstance(key.policy, Unknown):
        return None
    if key.policy is not None:
        return key.policy
    from policylint.policy.parse import parse_policy

    root = f"arn:{sym('AWS::Partition')}:iam::{key.account}:root"
    stmt = {"Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"}
    return parse_policy({"Statement": [stmt]})


def _key_grants(doc: PolicyDocument, grantee: Foreign, action: str) -> bool:
    """Some Allow of the key policy names the principal, its account or everyone."""
    for st in doc.statements:
        if st.effect is not Effect.ALLOW or st.principals is None:
            continue
        if covers(st, action, "*") is Tri.FALSE and st.resources != ("*",):
            continue
        if st.principals.wildcard or st.unknown:
            return True
        for entry in st.principals.aws:
            if entry in ("*", grantee.principal) or account_of(entry) == grantee.account:
                return True
    return False


def check_kms020(ctx: CheckContext) -> Iterator[Hit]:
    """Other accounts granted by the bucket policy cannot use the bucket's SSE-KMS key."""
    for bucket in ctx.model.buckets:
        link = ctx.graph.key_for(bucket)
        doc = bucket_doc(ctx, bucket)
        if link is None or doc is None:
            continue
        groups = (
            (READ, "read", foreign_grants(ctx, bucket, doc, "s3:GetObject")),
            (WRITE, "write", foreign_grants(ctx, bucket, doc, "s3:PutObject")),
        )
        kms_key = link.encryption.kms_key
        alias = isinstance(kms_key, str) and "alias/" in kms_key
        for action, verb, found in groups:
            for grantee in {f.principal: f for f in found}.values():
                sev = None if grantee.certain else Severity.WARNING
                who = f"{text(grantee.principal)} ({grantee.statement.label()})"
                if link.kind is KeyKind.AWS_MANAGED:
                    why = "the AWS managed key aws/s3 serves only its own account"
                elif alias and verb == "write" and link.kind is KeyKind.EXTERNAL:
                    why = (
                        f"KMSMasterKeyID {text(kms_key)} is an alias, which KMS resolves in the "
                        "writer's account, not the bucket's"
                    )
                    sev = Severity.WARNING
                elif link.key is not None:
                    policy = key_policy(link.key)
                    if policy is None or _key_grants(policy, grantee, action):
                        continue
                    why = f"the key policy of {link.key.name} does not allow that account {action}"
                else:
                    continue
                yield _kms020_hit(bucket, link.encryption.ref, grantee, who, verb, why, sev)


def _kms020_hit(
    bucket: Bucket,
    enc_ref: object,
    grantee: Foreign,
    who: str,
    verb: str,
    why: str,
    sev: Severity | None,
) -> Hit:
    maybe = "" if grantee.certain else " (an account that may differ from the bucket's)"
    msg = (
        f"bucket {bucket.name} lets {who}{maybe} {verb} objects, but its default encryption is "
        f"SSE-KMS and {why}: cross-account {verb}s get 403"
    )
    ref = grantee.statement.ref or bucket.ref
    return Hit(
        ref=ref,
        resource=bucket.name,
        message=msg,
        fix="Encrypt with a customer managed key referenced by its key ARN, and allow the other "
        f"account {READ if verb == 'read' else WRITE + ' and ' + READ} in its key policy (and in "
        "that account's IAM policies).",
        key=f"{bucket.name}|{grantee.principal}|{verb}",
        trace=(
            TraceStep(f"bucket policy grants {who}", ref),
            TraceStep(f"SSE-KMS: {why}", bucket.ref, True),
        ),
        severity=sev,
    )


@dataclass(frozen=True, slots=True)
class _Need:
    role: Role
    key: KmsKey
    action: str
    why: str
    policies: RolePolicies


def _needs(ctx: CheckContext) -> list[_Need]:
    """Roles of the run that need a key of the run, and why (deduplicated per role and key)."""
    out: dict[tuple[str, str], _Need] = {}
    for bucket in ctx.model.buckets:
        link = ctx.graph.key_for(bucket)
        if link is None or link.key is None:
            continue
        for s3_action, action, verb in (
            ("s3:GetObject", READ, "reads"),
            ("s3:PutObject", WRITE, "writes"),
        ):
            for use in roles_using(ctx, bucket, s3_action):
                why = f"{use.workload} {verb} {bucket.name}, encrypted with {link.key.name}"
                out.setdefault(
                    (use.role.id, link.key.id), _Need(use.role, link.key, action, why, use.policies)
                )
    # The Allow statements of the roles' policies by each resource they name, in the order
    # of roles, documents and statements, so that each key looks only at its own.
    naming: dict[str, list[tuple[Role, RolePolicies, Statement]]] = {}
    for role in ctx.model.roles:
        pol = role_policies(ctx.model, role)
        for doc in pol.docs:
            for st in doc.statements:
                if st.effect is Effect.ALLOW:
                    for resource in dict.fromkeys(st.resources or ()):
                        naming.setdefault(resource, []).append((role, pol, st))
    for key in ctx.model.keys:
        for role, wire in ctx.graph.roles_wired_to(key.id):
            why = f"{wire.workload.name} is handed {key.name} in {wire.variable}"
            out.setdefault(
                (role.id, key.id), _Need(role, key, READ, why, role_policies(ctx.model, role))
            )
        for role, pol, st in naming.get(key.arn, ()):
            if covers(st, READ, key.arn) is Tri.TRUE:
                why = f"its policy allows kms:Decrypt on {key.name} ({st.label()})"
                out.setdefault((role.id, key.id), _Need(role, key, READ, why, pol))
    return list(out.values())


def _with_key(need: _Need, identity: tuple[PolicyDocument, ...], action: str) -> Decision | None:
    policy = key_policy(need.key)
    if policy is None:
        return None
    ps = PolicySet(identity=identity, resource=policy, resource_is_key_policy=True)
    return iam_evaluate(role_request(need.role, action, need.key.arn), ps)


def check_kms030(ctx: CheckContext) -> Iterator[Hit]:
    """The key policy neither delegates to the account nor names the role that needs it."""
    for need in _needs(ctx):
        dec = _with_key(need, (_allow_all(),), need.action)
        if dec is None or not denied_for_sure(dec) or dec.outcome.name == "EXPLICIT_DENY":
            continue
        req = role_request(need.role, need.action, need.key.arn)
        by_iam = iam_evaluate(req, PolicySet(identity=need.policies.docs)).allowed
        iam = " (its IAM policy allows it, to no effect)" if by_iam else ""
        msg = (
            f"role {need.role.name} needs {need.action} on KMS key {need.key.name} ({need.why}), "
            f"but the key policy neither enables IAM policies (no statement for the account root) "
            f"nor names the role{iam}: KMS denies it and the S3 request gets 403"
        )
        yield Hit(
            ref=need.key.ref,
            resource=need.key.name,
            message=msg,
            fix=f"Add to the key policy of {need.key.name} a statement allowing "
            f"{need.action} (and kms:Decrypt) to {text(need.role.arn)}, or the default statement "
            "that allows the account root kms:* so IAM policies take effect.",
            key=f"{need.key.name}|{need.role.name}",
            trace=(
                TraceStep(f"role {need.role.name}: {need.why}", need.role.ref),
                TraceStep(
                    f"key policy of {need.key.name}: no grant to the role or account",
                    need.key.ref,
                    True,
                ),
            ),
        )


def check_kms040(ctx: CheckContext) -> Iterator[Hit]:
    """Anonymous or public readers of a bucket whose objects are SSE-KMS encrypted."""
    for bucket in ctx.model.buckets:
        link = ctx.graph.key_for(bucket)
        readers = anonymous_readers(ctx, bucket)
        if link is None or not readers:
            continue
        enc = link.encryption
        msg = (
            f"bucket {bucket.name} is read anonymously ({'; '.join(readers)}), but its default "
            f"encryption is {text(enc.algorithm)}: KMS does not support anonymous requests, so "
            "every anonymous GetObject of an SSE-KMS object gets 403"
        )
        yield Hit(
            ref=enc.ref,
            resource=bucket.name,
            message=msg,
            fix="Use SSE-S3 (AES256) for public content, or serve it through CloudFront with OAC "
            "and a key policy that lets CloudFront decrypt (KMS010).",
            key=f"{bucket.name}|anonymous",
            trace=(
                TraceStep(f"anonymous readers: {'; '.join(readers)}", bucket.ref),
                TraceStep(f"default encryption {text(enc.algorithm)}", enc.ref, True),
            ),
        )


def check_kms050(ctx: CheckContext) -> Iterator[Hit]:
    """SSE-KMS writers may GenerateDataKey but not Decrypt: multipart uploads fail."""
    for bucket in ctx.model.buckets:
        link = ctx.graph.key_for(bucket)
        if link is None or link.key is None:
            continue
        for use in roles_using(ctx, bucket, "s3:PutObject"):
            if not use.policies.complete:
                continue
            need = _Need(use.role, link.key, WRITE, "", use.policies)
            gdk = _with_key(need, use.policies.docs, WRITE)
            dec = _with_key(need, use.policies.docs, READ)
            if gdk is None or dec is None or not gdk.allowed or not denied_for_sure(dec):
                continue
            used = [m.statement for m in gdk.statements]
            msg = (
                f"role {use.role.name} writes to {bucket.name} (SSE-KMS with {link.key.name}) and "
                f"may use kms:GenerateDataKey ({stmt_list(used) or 'allowed'}), but not "
                "kms:Decrypt: multipart uploads (large files, the CLI's default above 8 MB) "
                "get 403"
            )
            yield Hit(
                ref=use.role.ref,
                resource=use.role.name,
                message=msg,
                fix=f"Allow kms:Decrypt on {text(link.key.arn)} next to kms:GenerateDataKey.",
                key=f"{use.role.name}|{bucket.name}|{link.key.name}",
                trace=(
                    TraceStep(f"{use.workload} writes {bucket.name}", use.role.ref),
                    TraceStep(f"kms:Decrypt on {link.key.name} denied", link.key.ref, True),
                ),
            )


CHECKS: dict[str, CheckFn] = {
    "KMS020": check_kms020,
    "KMS030": check_kms030,
    "KMS040": check_kms040,
    "KMS050": check_kms050,
}
