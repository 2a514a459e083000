"""What the IAM checks share: a role's policies, SCPs, requests on behalf of a role."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.policy.decision import Request
from policylint.policy.document import Effect
from policylint.values import Unknown, render, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.model import Model, Role
    from policylint.policy.decision import Decision, PolicySet
    from policylint.policy.document import PolicyDocument, Statement

GLOBAL_SERVICES = ("cloudfront", "iam", "route53", "support", "organizations", "waf")


@dataclass(frozen=True, slots=True)
class RolePolicies:
    """A role's identity policies; `complete` is False when some cannot be read (an AWS
    managed policy, a policy outside the run, an unresolved document)."""

    docs: tuple[PolicyDocument, ...]
    complete: bool
    missing: tuple[str, ...] = ()


def role_policies(model: Model, role: Role) -> RolePolicies:
    docs: list[PolicyDocument] = []
    missing: list[str] = []
    for doc in role.inline_policies:
        if isinstance(doc, Unknown):
            missing.append(f"inline policy ({doc.reason})")
        else:
            docs.append(doc)
    attached = set(role.managed_policy_arns)
    found: set[str] = set()
    for mp in model.managed_policies:
        by_role = role.role_name in mp.roles or role.arn in mp.roles
        by_arn = mp.arn is not None and mp.arn in attached
        if not (by_role or by_arn):
            continue
        if mp.arn is not None:
            found.add(mp.arn)
        if isinstance(mp.document, Unknown):
            missing.append(f"{mp.name} ({mp.document.reason})")
        else:
            docs.append(mp.document)
    missing.extend(render(a) for a in sorted(attached - found))
    return RolePolicies(tuple(docs), not missing, tuple(missing))


def boundary_of(model: Model, role: Role) -> PolicyDocument | Unknown | None:
    """The role's permissions boundary document: None without one, Unknown when out of run."""
    arn = role.boundary_arn
    if arn is None:
        return None
    if isinstance(arn, Unknown):
        return arn
    for mp in model.managed_policies:
        if mp.arn == arn:
            return mp.document
    return Unknown(f"boundary {render(arn)} is not in the run")


def scps(ctx: CheckContext) -> tuple[PolicyDocument, ...]:
    """SCPs that apply to the stack's account: supplied files, and template SCPs that target
    the stack's own account (AWS::AccountId, or the declared account id).
    Without any Allow among them, FullAWSAccess is assumed attached."""
    docs = [d for path in ctx.intent.organization_policies for d in _scp_file(path)]
    accounts = {sym("AWS::AccountId"), ctx.intent.account_id}  # this stack's own account
    for scp in ctx.model.scps:
        if accounts & set(scp.targets) and not isinstance(scp.document, Unknown):
            docs.append(scp.document)
    if docs and not any(s.effect is Effect.ALLOW for d in docs for s in d.statements):
        docs.append(_full_access())
    return tuple(docs)


@functools.cache
def _full_access() -> PolicyDocument:
    from policylint.policy.parse import parse_policy

    full = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    return parse_policy(full)


@functools.cache
def _scp_file(path: str) -> tuple[PolicyDocument, ...]:
    from policylint.policy.parse import parse_policy
    from policylint.source import SourceRef

    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    items = data if isinstance(data, list) else [data]
    return tuple(parse_policy(item, at=SourceRef(path)) for item in items)


def context_for(role: Role, action: str) -> dict[str, str]:
    region = "us-east-1" if action.split(":")[0].lower() in GLOBAL_SERVICES else sym("AWS::Region")
    return {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": role.account,
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": region,
        "aws:PrincipalType": "AssumedRole",
    }


def request(role: Role, action: str, resource: str) -> Request:
    account = role.account if ":s3:::" in resource or resource == "*" else None
    return Request(
        principal=role.arn,
        action=action,
        resource=resource,
        resource_account=account,
        context=context_for(role, action),
    )


def evaluate(req: Request, policies: PolicySet) -> Decision:
    from policylint.policy.evaluate import evaluate as _evaluate

    return _evaluate(req, policies)


def denied_for_sure(decision: Decision) -> bool:
    """Denied, and not because a request-context key was missing."""
    return decision.certainly_denied and not decision.missing_keys


def allow_statements(
    docs: tuple[PolicyDocument, ...],
) -> Iterator[tuple[PolicyDocument, Statement]]:
    for doc in docs:
        for st in doc.statements:
            if st.effect is Effect.ALLOW and not st.unknown:
                yield doc, st


def sample_resource(resource: str, action: str) -> str:
    """A concrete stand-in for a policy Resource: `*` and wildcards become a symbol, so that
    decisions about them are never definite."""
    if resource == "*" or "*" in resource or "?" in resource:
        service = action.split(":")[0]
        base = resource if resource != "*" else f"arn:{sym('AWS::Partition')}:{service}:::"
        return base.replace("*", sym("any")).replace("?", sym("one"))
    return resource
