"""Lambda function URL rules: NONE without a public permission, AWS_IAM callers (CloudFront OAC
included) without invoke permission, permissions on another qualifier than the URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.apigw_support import (
    P,
    caller_context,
    decide,
    denied_for_sure,
    eq,
    permission_policy,
    qualifier_of,
    ref_of,
    same_function,
)
from policylint.checks.common import text
from policylint.checks.fixes import Fmt, fmt_of
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph_types import EndpointKind
from policylint.values import Tri, Unknown, sym

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.lambda_refs import FunctionRef
    from policylint.model import Function, FunctionUrl, Model
    from policylint.policy.decision import Decision
    from policylint.policy.document import PolicyDocument

URL_ACTION = "lambda:InvokeFunctionUrl"
INVOKE = "lambda:InvokeFunction"
A = sym("AWS::AccountId")
R = sym("AWS::Region")


def dual_permission(ctx: CheckContext) -> bool:
    """Check lambda:InvokeFunction too (URLs created since October 2025 need both); the
    configuration key `lambda-url-invoke-function: false` turns this off."""
    return ctx.intent.lambda_url_invoke_function


def _unit(file: str) -> str:
    """The input unit of a file: the template itself, or a Terraform module's directory."""
    import os

    return os.path.dirname(file) if file.endswith((".tf", ".tf.json")) else file


class _Target:
    """The function a URL serves, the qualified ARN a request names, and its policy."""

    def __init__(self, model: Model, url: FunctionUrl) -> None:
        self.url = url
        self.ref: FunctionRef | None = ref_of(url.target_function)
        self.function: Function | None = next(
            (
                f
                for f in model.functions
                if self.ref is not None and eq(f.function_name, self.ref.name) is Tri.TRUE
            ),
            None,
        )
        self.qualifier = qualifier_of(self.ref, url.qualifier)
        name = self.ref.name if self.ref is not None else sym(f"function:{url.name}")
        base = (
            self.function.arn
            if self.function is not None
            else f"arn:{P}:lambda:{R}:{A}:function:{name}"
        )
        q = self.qualifier
        self.arn = base if q is None else f"{base}:{q if isinstance(q, str) else sym('qualifier')}"
        self.label = self.function.name if self.function is not None else text(name)
        unit = _unit(url.ref.file)
        perms = [(p, same_function(ref_of(p.function), self.ref)) for p in model.lambda_permissions]
        # A permission of another template or module counts only when it names this function.
        perms = [(p, m) for p, m in perms if m is Tri.TRUE or _unit(p.ref.file) == unit]
        self.perms = perms
        self.policy: PolicyDocument | None = permission_policy(
            perms, self.arn, f"resource-based policy of {self.label}"
        )

    def decide(self, principal: str, action: str, **ctx: str) -> Decision:
        return decide(principal, action, self.arn, self.policy, caller_context(**ctx), A)


def _permission_fix(
    t: _Target, principal: str, auth: str, fmt: Fmt, action: str, extra: str
) -> str:
    fn = t.function.name if t.function is not None else t.label
    q = t.qualifier if isinstance(t.qualifier, str) else None
    if fmt is Fmt.HCL:
        lines = [
            'resource "aws_lambda_permission" "url" {',
            f"  function_name          = {fn}.function_name"
            if t.function
            else f'  function_name = "{fn}"',
            f'  action                 = "{action}"',
            f'  principal              = "{principal}"',
        ]
        if action == URL_ACTION:
            lines.append(f'  function_url_auth_type = "{auth}"')
        if q:
            lines.append(f'  qualifier              = "{text(q)}"')
        lines += [extra, "}"] if extra else ["}"]
        return "\n".join(lines)
    target = f"!Ref {fn}" if t.function is not None else fn
    if q:
        target = f"!Sub '${{{fn}.Arn}}:{text(q)}'" if t.function is not None else f"{fn}:{text(q)}"
    lines = [
        "UrlPermission:",
        "  Type: AWS::Lambda::Permission",
        "  Properties:",
        f"    FunctionName: {target}",
        f"    Action: {action}",
        f"    Principal: '{principal}'",
    ]
    if action == URL_ACTION:
        lines.append(f"    FunctionUrlAuthType: {auth}")
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _trace(t: _Target, who: str, what: str) -> tuple[TraceStep, ...]:
    return (
        TraceStep(f"{who} -> function URL {t.url.name} ({text(t.url.auth_type)})", t.url.ref),
        TraceStep(f"resource-based policy of {t.label}: {what}", t.url.ref, denies=True),
    )


def check_lmb010(ctx: CheckContext) -> Iterator[Hit]:
    """Function URL with AuthType NONE, but no public lambda:InvokeFunctionUrl permission."""
    for url in ctx.model.function_urls:
        if url.auth_type != "NONE":
            continue
        t = _Target(ctx.model, url)
        fmt = fmt_of(url.ref)
        d = t.decide("*", URL_ACTION, lambda__FunctionUrlAuthType="NONE")
        if denied_for_sure(d):
            outside = t.function is None
            msg = (
                f"function URL {url.name} has AuthType NONE, but no resource-based permission "
                f"lets everyone (Principal *) call lambda:InvokeFunctionUrl on {t.label} with "
                "FunctionUrlAuthType NONE: every request gets 403 Forbidden"
            )
            if outside:
                msg += " (the function is defined outside this run: check its policy there)"
            yield Hit(
                ref=url.ref,
                resource=url.name,
                message=msg,
                fix="Add the permission:\n" + _permission_fix(t, "*", "NONE", fmt, URL_ACTION, ""),
                key=f"{url.name}|invoke-function-url",
                trace=_trace(t, "an anonymous caller", "no statement allows it"),
                severity=Severity.INFO if outside else None,
            )
            continue
        if not dual_permission(ctx) or d.certainly_denied:
            continue
        d2 = t.decide("*", INVOKE, lambda__InvokedViaFunctionUrl="true")
        if denied_for_sure(d2):
            yield Hit(
                ref=url.ref,
                resource=url.name,
                message=(
                    f"function URL {url.name} (AuthType NONE) has lambda:InvokeFunctionUrl but "
                    f"no public lambda:InvokeFunction permission on {t.label}: function URLs "
                    "created since October 2025 need both, or they answer 403 Forbidden"
                ),
                fix="Add the second permission:\n"
                + _permission_fix(t, "*", "NONE", fmt, INVOKE, _via_url(fmt)),
                key=f"{url.name}|invoke-function",
                trace=_trace(t, "an anonymous caller", "no statement allows InvokeFunction"),
                severity=Severity.WARNING,
            )


def _via_url(fmt: Fmt) -> str:
    if fmt is Fmt.HCL:
        return "  # provider versions with it: invoked_via_function_url = true"
    return "    InvokedViaFunctionUrl: true"


def _url_for(model: Model, view: OriginView) -> FunctionUrl | None:
    host = view.endpoint.host
    for url in model.function_urls:
        u = url.url.removeprefix("https://").rstrip("/")
        if eq(u, host) is Tri.TRUE:
            return url
    return None


def check_lmb020(ctx: CheckContext) -> Iterator[Hit]:
    """AWS_IAM function URL whose callers (CloudFront OAC, declared accounts) may not invoke."""
    model = ctx.model
    for view in ctx.graph.origins():
        if view.endpoint.kind is not EndpointKind.LAMBDA_URL:
            continue
        url = _url_for(model, view)
        if url is None or view.oac_unresolved:
            continue
        yield from _lmb020_origin(ctx, view, url)
    for url in model.function_urls:
        if url.auth_type != "AWS_IAM":
            continue
        t = _Target(model, url)
        for acct in ctx.intent.external_accounts:
            caller = acct if acct.startswith("arn:") else f"arn:{P}:iam::{acct}:root"
            d = t.decide(caller, URL_ACTION, lambda__FunctionUrlAuthType="AWS_IAM")
            if denied_for_sure(d):
                yield Hit(
                    ref=url.ref,
                    resource=url.name,
                    message=(
                        f"declared external caller {caller} may not invoke function URL "
                        f"{url.name} (AWS_IAM): cross-account calls need a resource-based "
                        f"permission on {t.label} as well as their own IAM policy"
                    ),
                    fix="Add the permission:\n"
                    + _permission_fix(t, acct, "AWS_IAM", fmt_of(url.ref), URL_ACTION, ""),
                    key=f"{url.name}|{caller}",
                    trace=_trace(t, caller, "no statement allows it"),
                    severity=Severity.WARNING,
                )


def _lmb020_origin(ctx: CheckContext, view: OriginView, url: FunctionUrl) -> Iterator[Hit]:
    dist = view.distribution
    oac = view.oac
    signing = oac.signing_behavior if oac is not None else "never"
    if isinstance(signing, Unknown) or isinstance(url.auth_type, Unknown):
        return
    key = f"{url.name}|{dist.name}|{text(view.origin.origin_id)}"
    if signing == "never" or oac is None:
        if url.auth_type == "AWS_IAM":
            yield Hit(
                ref=view.origin.ref,
                resource=url.name,
                message=(
                    f"distribution {dist.name} sends unsigned requests to function URL "
                    f"{url.name}, which has AuthType AWS_IAM: every request gets 403 Forbidden"
                ),
                fix="Attach an origin access control of type lambda (signing always) to the "
                "origin, and grant cloudfront.amazonaws.com lambda:InvokeFunctionUrl.",
                key=key + "|unsigned",
            )
        return
    if url.auth_type == "NONE":
        yield Hit(
            ref=view.origin.ref,
            resource=url.name,
            message=(
                f"distribution {dist.name} signs requests to function URL {url.name} with OAC "
                f"{oac.name}, but the URL has AuthType NONE: signing protects nothing"
            ),
            fix="Set AuthType / authorization_type to AWS_IAM and grant CloudFront invoke.",
            key=key + "|none",
            severity=Severity.WARNING,
        )
        return
    t = _Target(ctx.model, url)
    fmt = fmt_of(url.ref)
    extra = (
        f"  source_arn             = {dist.name}.arn"
        if fmt is Fmt.HCL
        else f"    SourceArn: !Sub arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:"
        f"distribution/${{{dist.name}}}"
    )
    for action, sev in ((URL_ACTION, None), (INVOKE, Severity.WARNING)):
        if action == INVOKE and not dual_permission(ctx):
            return
        context = {
            "aws__SourceArn": dist.arn,
            "aws__SourceAccount": dist.account,
            "lambda__FunctionUrlAuthType": "AWS_IAM",
            "lambda__InvokedViaFunctionUrl": "true",
        }
        d = t.decide("cloudfront.amazonaws.com", action, **context)
        if not denied_for_sure(d):
            continue
        later = " (required for function URLs created since October 2025)" if sev else ""
        yield Hit(
            ref=url.ref,
            resource=url.name,
            message=(
                f"CloudFront (distribution {dist.name}, OAC {oac.name}) may not call {action} on "
                f"{t.label}{later}: no permission allows cloudfront.amazonaws.com with this "
                f"distribution's SourceArn, so the AWS_IAM function URL {url.name} answers 403"
            ),
            fix="Add the permission:\n"
            + _permission_fix(t, "cloudfront.amazonaws.com", "AWS_IAM", fmt, action, extra),
            key=f"{key}|{action}",
            trace=(
                TraceStep(f"CloudFront for {dist.name} via OAC {oac.name}", view.origin.ref),
                *_trace(t, "cloudfront.amazonaws.com", f"no statement allows {action}")[1:],
            ),
            severity=sev,
        )
        return
    writes = [
        b
        for b in view.behaviors
        if not isinstance(b.allowed_methods, Unknown) and {"PUT", "POST"} & set(b.allowed_methods)
    ]
    if writes:
        yield Hit(
            ref=writes[0].ref,
            resource=url.name,
            message=(
                f"distribution {dist.name} forwards PUT/POST to OAC-signed function URL "
                f"{url.name}: clients must send the payload hash in x-amz-content-sha256, or "
                "Lambda rejects the request"
            ),
            fix="Have clients send x-amz-content-sha256 with the SHA-256 of the body.",
            key=key + "|payload",
            severity=Severity.INFO,
        )


def check_lmb030(ctx: CheckContext) -> Iterator[Hit]:
    """The URL's permission targets another qualifier (version or alias) than the URL."""
    for url in ctx.model.function_urls:
        if isinstance(url.auth_type, Unknown):
            continue
        t = _Target(ctx.model, url)
        mine = [
            p
            for p, match in t.perms
            if match is Tri.TRUE and eq(p.action, URL_ACTION) is not Tri.FALSE
        ]
        if not mine:
            continue
        quals = [(p, qualifier_of(ref_of(p.function), p.qualifier)) for p in mine]
        if any(eq(q, t.qualifier) is not Tri.FALSE for _, q in quals):
            continue
        p, q = quals[0]
        want = (
            "the unqualified function" if t.qualifier is None else f"qualifier {text(t.qualifier)}"
        )
        has = "the unqualified function" if q is None else f"qualifier {text(q)}"
        yield Hit(
            ref=p.ref,
            resource=url.name,
            message=(
                f"function URL {url.name} serves {want} of {t.label}, but permission {p.name} "
                f"grants lambda:InvokeFunctionUrl on {has}: a resource-based permission applies "
                "to one function, version or alias only, so the URL answers 403"
            ),
            fix=f"Grant the permission on the URL's qualifier ({want}): set Qualifier / "
            "qualifier (or the qualified FunctionName) to match the URL.",
            key=f"{url.name}|{p.name}",
            trace=(
                TraceStep(f"function URL {url.name}: {want}", url.ref),
                TraceStep(f"permission {p.name}: {has}", p.ref, denies=True),
            ),
        )


CHECKS: dict[str, CheckFn] = {
    "LMB010": check_lmb010,
    "LMB020": check_lmb020,
    "LMB030": check_lmb030,
}
