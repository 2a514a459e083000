"""API Gateway REST API rules: keys without usage plans, resource policies that deny the
caller, private DNS endpoints, custom domains without mappings, private APIs without policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.apigw_network import check_api030, check_api040, execute_api_endpoints
from policylint.checks.apigw_origin import origin_key_hits
from policylint.checks.apigw_support import (
    P,
    caller_context,
    decide,
    denied_for_sure,
    eq,
    execute_api_arn,
    expand_policy,
    stages_of,
)
from policylint.checks.common import stmt_list, text
from policylint.checks.fixes import Fmt, fmt_of, render
from policylint.findings import Hit, Severity, TraceStep
from policylint.policy.decision import Outcome
from policylint.policy.document import PolicyDocument
from policylint.values import Tri, Unknown, sym

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.model import ApiMethod, Model, RestApi, VpcEndpoint
    from policylint.policy.decision import Decision
    from policylint.source import SourceRef

INVOKE = "execute-api:Invoke"


def _methods(model: Model, api: RestApi) -> list[ApiMethod]:
    return [m for m in model.api_methods if eq(m.api_id, api.api_id) is Tri.TRUE]


def _verb(m: ApiMethod) -> str:
    v = m.http_method
    return v.upper() if isinstance(v, str) and v.upper() != "ANY" else sym(f"method:{m.name}")


def _path(m: ApiMethod) -> str:
    """The resource path in an execute-api ARN; path parameters ({id}, {proxy+}) are symbols."""
    if m.path is None or not m.path.startswith("/"):
        return sym(f"path:{m.name}")
    parts = m.path[1:].split("/")
    return "/".join(sym(f"path:{m.name}:{p}") if "{" in p else p for p in parts)


# --- API010 -----------------------------------------------------------------------------


def _key_enabled(model: Model, key_id: str | Unknown) -> Tri:
    found = [k for k in model.api_keys if eq(k.key_id, key_id) is Tri.TRUE]
    if not found:
        return Tri.MAYBE  # a key outside the run, or not resolvable
    enabled = found[0].enabled
    return Tri.MAYBE if isinstance(enabled, Unknown) else Tri.of(enabled)


def _stage_bound(model: Model, api: RestApi, stage: str) -> Tri:
    """Is (api, stage) in a usage plan that has at least one enabled key?"""
    result = Tri.FALSE
    for plan in model.usage_plans:
        if isinstance(plan.api_stages, Unknown):
            listed = Tri.MAYBE
        else:
            listed = Tri.FALSE
            for api_id, name in plan.api_stages:
                listed = listed | (eq(api_id, api.api_id) & eq(name, stage))
        if listed is Tri.FALSE:
            continue
        keyed = Tri.FALSE
        for pk in model.usage_plan_keys:
            keyed = keyed | (eq(pk.plan_id, plan.plan_id) & _key_enabled(model, pk.key_id))
        result = result | (listed & keyed)
    return result


def _plan_fix(api: RestApi, stage: str, fmt: Fmt) -> str:
    if fmt is Fmt.HCL:
        return (
            'resource "aws_api_gateway_usage_plan" "plan" {\n'
            '  name = "clients"\n'
            "  api_stages {\n"
            f"    api_id = {api.name}.id\n"
            f'    stage  = "{text(stage)}"\n'
            "  }\n}\n"
            'resource "aws_api_gateway_api_key" "client" { name = "client" }\n'
            'resource "aws_api_gateway_usage_plan_key" "client" {\n'
            "  key_id        = aws_api_gateway_api_key.client.id\n"
            '  key_type      = "API_KEY"\n'
            "  usage_plan_id = aws_api_gateway_usage_plan.plan.id\n}"
        )
    return (
        "Plan:\n  Type: AWS::ApiGateway::UsagePlan\n  Properties:\n    ApiStages:\n"
        f"      - ApiId: !Ref {api.name}\n        Stage: {text(stage)}\n"
        "ClientKey:\n  Type: AWS::ApiGateway::ApiKey\n  Properties:\n    Enabled: true\n"
        "PlanKey:\n  Type: AWS::ApiGateway::UsagePlanKey\n  Properties:\n"
        "    KeyId: !Ref ClientKey\n    KeyType: API_KEY\n    UsagePlanId: !Ref Plan"
    )


def check_api010(ctx: CheckContext) -> Iterator[Hit]:
    """Methods require an API key, but no usage plan binds the stage to an enabled key."""
    model = ctx.model
    for api in model.rest_apis:
        keyed = [m for m in _methods(model, api) if m.api_key_required is True]
        if not keyed:
            continue
        names = ", ".join(f"{text(m.http_method)} ({m.name})" for m in keyed[:3])
        if api.api_key_source == "AUTHORIZER":
            lambdas = [
                a
                for a in model.api_authorizers
                if eq(a.api_id, api.api_id) is not Tri.FALSE
                and (isinstance(a.type, Unknown) or a.type in ("TOKEN", "REQUEST"))
            ]
            if not lambdas:
                yield Hit(
                    ref=api.ref,
                    resource=api.name,
                    message=(
                        f"API {api.name} takes API keys from an authorizer (ApiKeySourceType "
                        f"AUTHORIZER), but has no Lambda authorizer: methods {names} that "
                        "require a key answer 403"
                    ),
                    fix="Add a TOKEN or REQUEST authorizer that returns usageIdentifierKey, "
                    "or set ApiKeySourceType / api_key_source to HEADER.",
                    key=f"{api.name}|authorizer-source",
                    severity=Severity.WARNING,
                )
            continue
        if api.api_key_source != "HEADER":
            continue
        yield from origin_key_hits(ctx, api, names)
        for stage in stages_of(model, api):
            if _stage_bound(model, api, stage) is not Tri.FALSE:
                continue
            m = keyed[0]
            msg = (
                f"methods {names} of API {api.name} require an API key, but no usage plan binds "
                f"stage {text(stage)} to an enabled API key: API Gateway answers every call "
                "403 Forbidden (no key can match a usage plan)"
            )
            steps = (
                TraceStep(f"client -> API {api.name} stage {text(stage)}", api.ref),
                TraceStep(f"method {m.name}: {m.key_source}", m.ref),
                TraceStep("no usage plan lists this stage with an enabled key", api.ref, True),
            )
            yield Hit(
                ref=m.ref,
                resource=api.name,
                message=msg,
                fix="Bind the stage to a usage plan with a key:\n"
                + _plan_fix(api, stage, fmt_of(m.ref)),
                key=f"{api.name}|{text(stage)}|usage-plan",
                trace=steps,
            )


# --- API020 -----------------------------------------------------------------------------


def _allow_fix(api: RestApi, principal: object, fmt: Fmt) -> str:
    stmt = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": INVOKE,
        "Resource": "execute-api:/*",
    }
    return f"Allow the caller in the resource policy of {api.name}:\n" + render(stmt, fmt)  # type: ignore[arg-type]


def _why(d: Decision, api: RestApi) -> tuple[str, SourceRef | None]:
    if d.outcome is Outcome.EXPLICIT_DENY and d.statements:
        sts = [s.statement for s in d.statements]
        return f"{stmt_list(sts)} denies it (explicit deny)", sts[0].ref
    return "no statement allows it (implicit deny)", api.policy_ref or api.ref


def _api020_hit(
    api: RestApi, m: ApiMethod, stage: str, who: str, d: Decision, sev: Severity | None
) -> Hit:
    why, ref = _why(d, api)
    auth = text(m.authorization_type)
    where = "any stage" if stage.startswith(sym("stage:")[:-1]) else f"stage {text(stage)}"
    msg = (
        f"the resource policy of API {api.name} does not let {who} call {text(m.http_method)} "
        f"({m.name}, AuthorizationType {auth}) on {where}: {why}; "
        "API Gateway answers 403"
    )
    principal: object = "*" if "anonymous" in who else {"AWS": who}
    return Hit(
        ref=ref or api.ref,
        resource=api.name,
        message=msg,
        fix=_allow_fix(api, principal, fmt_of(api.ref)) + "\nRedeploy the API after a change.",
        key=f"{api.name}|{m.name}|{who}",
        trace=(
            TraceStep(f"{who} -> {text(m.http_method)} {m.name} ({auth})", m.ref),
            TraceStep(f"resource policy of {api.name}: {why}", ref, denies=True),
        ),
        severity=sev,
    )


def check_api020(ctx: CheckContext) -> Iterator[Hit]:
    """The REST API's resource policy denies (or does not allow) its legitimate callers."""
    model = ctx.model
    for api in model.rest_apis:
        if api.policy is not None and api.policy_ref is not None:
            yield from _stale_policy_notes(model, api)
        if not isinstance(api.policy, PolicyDocument):
            continue
        doc = expand_policy(api, api.policy)
        stages = stages_of(model, api) or [sym(f"stage:{api.name}")]
        for m in _methods(model, api):
            auth = m.authorization_type
            if not isinstance(auth, str):
                continue
            yield from _api020_method(ctx, api, doc, m, auth.upper(), stages)


def _stale_policy_notes(model: Model, api: RestApi) -> Iterator[Hit]:
    """Info: a Deployment that a resource policy change does not replace (step 4)."""
    for dep in model.api_deployments:
        redeploys = dep.redeploys_on_body if api.policy_in_body else dep.redeploys_on_policy
        if redeploys is not False or eq(dep.api_id, api.api_id) is not Tri.TRUE:
            continue
        hcl = fmt_of(dep.ref) is Fmt.HCL
        where, prop = (
            ("the OpenAPI body", "Body") if api.policy_in_body else ("the policy", "Policy")
        )
        how = (
            f"its triggers (if any) do not reference {where}"
            if hcl
            else f"the Deployment resource does not change when {prop} changes"
        )
        yield Hit(
            ref=dep.ref,
            resource=api.name,
            message=(
                f"deployment {dep.name} of API {api.name}: {how}, so a later change of the "
                "resource policy is not deployed and the stage keeps enforcing the old one"
            ),
            fix=(
                "Add the policy to the deployment's triggers, e.g. triggers = { redeployment = "
                f"sha1(jsonencode([{api.name}.body, <the policy>])) }}, with "
                "lifecycle { create_before_destroy = true }."
                if hcl
                else "Redeploy after a policy change (create a new Deployment, e.g. by changing "
                "its logical id, or run create-deployment)."
            ),
            key=f"{api.name}|{dep.name}|stale-policy",
            trace=(
                TraceStep(f"resource policy of {api.name}", api.policy_ref or api.ref),
                TraceStep(f"deployment {dep.name}: {how}", dep.ref),
            ),
            severity=Severity.INFO,
        )


def _api020_method(
    ctx: CheckContext,
    api: RestApi,
    doc: PolicyDocument,
    m: ApiMethod,
    auth: str,
    stages: list[str],
) -> Iterator[Hit]:
    path = _path(m)
    in_account = f"arn:{P}:iam::{api.account}:role/{sym('caller-role')}"
    for stage in stages:
        resource = execute_api_arn(api, stage, _verb(m), path)
        who = "an anonymous caller" if auth != "AWS_IAM" else "an IAM caller of the account"
        principal = "*" if auth != "AWS_IAM" else in_account
        d = decide(principal, INVOKE, resource, doc, caller_context(), api.account)
        if auth == "NONE" and denied_for_sure(d):
            yield _api020_hit(api, m, stage, who, d, None)
            return
        if d.outcome is Outcome.EXPLICIT_DENY and not d.missing_keys:
            yield _api020_hit(api, m, stage, who, d, None)
            return
        if auth != "AWS_IAM":
            continue
        for acct in ctx.intent.external_accounts:
            caller = acct if acct.startswith("arn:") else f"arn:{P}:iam::{acct}:root"
            d = decide(caller, INVOKE, resource, doc, caller_context(), api.account)
            if denied_for_sure(d):
                sev = None if d.outcome is Outcome.EXPLICIT_DENY else Severity.WARNING
                yield _api020_hit(api, m, stage, caller, d, sev)
                return


# --- API050 -----------------------------------------------------------------------------


def check_api050(ctx: CheckContext) -> Iterator[Hit]:
    """A private REST API without a resource policy, or one that no endpoint of the run passes."""
    model = ctx.model
    endpoints = execute_api_endpoints(model)
    for api in model.rest_apis:
        types = api.endpoint_types
        if isinstance(types, Unknown) or "PRIVATE" not in [t.upper() for t in types]:
            continue
        if api.policy is None:
            yield Hit(
                ref=api.ref,
                resource=api.name,
                message=(
                    f"private API {api.name} has no resource policy: until one allows its VPC "
                    "endpoints or VPCs, every call fails with 403"
                ),
                fix=_allow_fix(api, "*", fmt_of(api.ref))
                + "\nwith a condition on aws:SourceVpce (your endpoint ids) or aws:SourceVpc.",
                key=f"{api.name}|no-policy",
            )
            continue
        if not isinstance(api.policy, PolicyDocument):
            continue
        yield from _api050_endpoints(api, api.policy, endpoints)


def _api050_endpoints(
    api: RestApi, policy: PolicyDocument, endpoints: list[VpcEndpoint]
) -> Iterator[Hit]:
    ids = api.vpc_endpoint_ids
    if not isinstance(ids, Unknown) and ids:
        endpoints = [e for e in endpoints if any(eq(e.endpoint_id, i) is Tri.TRUE for i in ids)]
    if not endpoints:
        return
    doc = expand_policy(api, policy)
    resource = execute_api_arn(api, sym("stage"), sym("method"), sym("path"))
    denied: list[tuple[VpcEndpoint, Decision]] = []
    for e in endpoints:
        vpc = e.vpc_id if isinstance(e.vpc_id, str) else sym(f"vpc:{e.name}")
        context = caller_context(aws__SourceVpce=e.endpoint_id, aws__SourceVpc=vpc)
        d = decide("*", INVOKE, resource, doc, context, api.account)
        if not denied_for_sure(d):
            return
        denied.append((e, d))
    names = ", ".join(e.name for e, _ in denied)
    why, ref = _why(denied[0][1], api)
    yield Hit(
        ref=ref or api.ref,
        resource=api.name,
        message=(
            f"the resource policy of private API {api.name} lets no request through its VPC "
            f"endpoint(s) {names}: {why}; calls get 403"
        ),
        fix="Allow execute-api:Invoke with aws:SourceVpce set to the endpoint id(s) "
        f"({names}), e.g.:\n" + _allow_fix(api, "*", fmt_of(api.ref)),
        key=f"{api.name}|endpoints",
    )


CHECKS: dict[str, CheckFn] = {
    "API010": check_api010,
    "API020": check_api020,
    "API030": check_api030,
    "API040": check_api040,
    "API050": check_api050,
}
