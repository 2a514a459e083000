"""IAM050, deploy side: the SCPs deny an API call that CloudFormation or Terraform makes to
create a resource of the run (cloudfront:CreateDistribution, s3:CreateBucket...)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.iam_eval import GLOBAL_SERVICES, denied_for_sure, evaluate
from policylint.findings import Hit, TraceStep
from policylint.policy.decision import Layer, Outcome, PolicySet, Request
from policylint.policy.document import Effect
from policylint.values import has_symbol, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.model import Declared
    from policylint.policy.decision import Decision
    from policylint.policy.document import PolicyDocument, Statement

# The deploying principal is not known: only the SCP layer is asked (an administrator's
# identity policy stands in for the rest), with the keys a deploy call certainly carries.
_DEPLOYER = f"arn:{sym('AWS::Partition')}:iam::{sym('AWS::AccountId')}:role/{sym('deployer')}"


@functools.cache
def admin_policy() -> PolicyDocument:
    """An identity policy that allows everything: stands in for a side that is not asked."""
    from policylint.policy.parse import parse_policy

    return parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def _region(ctx: CheckContext, decl: Declared, action: str, account_region: str | None) -> str:
    """aws:RequestedRegion of the call: us-east-1 for global services and CLOUDFRONT-scope
    WAF; otherwise the resource's own Region (a Terraform provider configuration's), else the
    stack's Region, a symbol unless configured."""
    if action.split(":", 1)[0].lower() in GLOBAL_SERVICES:
        return "us-east-1"
    if action.lower().startswith("wafv2:"):
        m = ctx.model
        scopes = [
            w.scope for ws in (m.web_acls, m.rule_groups, m.ip_sets) for w in ws if w.id == decl.id
        ]
        if "CLOUDFRONT" in scopes:
            return "us-east-1"
    if decl.region is not None:
        return decl.region
    return account_region or sym("AWS::Region")


def deploy_hits(ctx: CheckContext, scps: tuple[PolicyDocument, ...]) -> Iterator[Hit]:
    """One hit per (resource, create action) that the SCPs deny for certain."""
    from policylint.accounts import scope_of
    from policylint.deploy_actions import cfn_type, create_actions

    tool = {True: "CloudFormation", False: "Terraform"}
    for decl in ctx.model.declared:
        ctype = cfn_type(decl.type)
        # SCPs do not apply to the management account, where Organizations resources live.
        if ctype is None or ctype.startswith("AWS::Organizations::"):
            continue
        scope = scope_of(ctx.intent, decl.ref.file)
        account = decl.account or (scope.account_id if scope else ctx.intent.account_id)
        region = scope.region if scope else None
        for action in create_actions(ctype):
            where = _region(ctx, decl, action, region)
            d = _decide(scps, action, where, account)
            if d.layer is not Layer.SCP or not denied_for_sure(d):
                continue
            yield _hit(decl, ctype, action, where, d, tool[decl.type.startswith("AWS::")])


def _decide(
    scps: tuple[PolicyDocument, ...], action: str, region: str, account: str | None
) -> Decision:
    acct = account or sym("AWS::AccountId")
    req = Request(
        principal=_DEPLOYER.replace(sym("AWS::AccountId"), acct),
        action=action,
        resource=sym("deploy-target"),  # any Resource pattern but "*" may or may not match
        principal_account=acct,
        resource_account=acct,
        context={
            "aws:RequestedRegion": region,
            "aws:PrincipalAccount": acct,
            "aws:SecureTransport": "true",
        },
    )
    return evaluate(req, PolicySet(identity=(admin_policy(),), scps=(scps,)))


def _hit(decl: Declared, ctype: str, action: str, region: str, d: Decision, tool: str) -> Hit:
    deny = d.statements[0].statement if d.statements else None
    how = "denies" if d.outcome is Outcome.EXPLICIT_DENY else "does not allow"
    label = deny.label() if deny else "no statement"
    in_region = "" if has_symbol(region) else f" in {region}"
    msg = (
        f"deploy fails: the organization's SCP {how} {action}{in_region} ({label}), which "
        f"{tool} calls to create {decl.name} ({ctype}): the stack cannot be deployed"
    )
    return Hit(
        ref=decl.ref,
        resource=decl.name,
        message=msg,
        fix=_fix(action, deny),
        key=f"{decl.name}|{action}",
        trace=(
            TraceStep(f"{tool} calls {action}{in_region} to create {decl.name}", decl.ref),
            TraceStep(f"SCP {label} {how} {action}", deny.ref if deny else None, True),
        ),
    )


def _fix(action: str, deny: Statement | None) -> str:
    service = action.split(":", 1)[0]
    if deny is None or deny.effect is not Effect.DENY:
        snippet = {"Effect": "Allow", "Action": [action], "Resource": "*"}
        return f"Allow {action} in the SCPs, e.g. add the statement {json.dumps(snippet)}"
    if deny.not_actions is not None:
        listed = [*deny.not_actions, f"{service}:*"]
        return f'Exempt {service}:* from {deny.label()}: "NotAction": {json.dumps(listed)}'
    return (
        f"Remove {action} from {deny.label()}, or exempt the deploying role with "
        '"Condition": {"ArnNotLike": {"aws:PrincipalArn": '
        '"arn:aws:iam::*:role/DEPLOY-ROLE-NAME"}}'
    )
