"""What the API Gateway and Lambda URL rules share: comparisons over symbols, the unknown
request context, execute-api ARNs, and resource policies built from Lambda permissions."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from policylint.lambda_refs import function_ref
from policylint.policy.decision import Decision, Outcome, PolicySet, Request
from policylint.values import Tri, Unknown, sym

if TYPE_CHECKING:
    from policylint.lambda_refs import FunctionRef
    from policylint.model import LambdaPermission, Model, RestApi
    from policylint.policy.document import PolicyDocument, Statement

P = sym("AWS::Partition")

# Request-context keys whose values depend on who calls from where: symbols, so that a
# condition on them is "maybe" and never turns into a definite denial.
_CALLER_KEYS = (
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    "aws:Referer",
    "aws:UserAgent",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:MultiFactorAuthPresent",
    "aws:RequestedRegion",
)


def caller_context(**known: str) -> dict[str, str | tuple[str, ...]]:
    """The context of a caller we know nothing about, plus the `known` keys (``a__b`` is
    ``a:b``)."""
    ctx: dict[str, str | tuple[str, ...]] = {k: sym(f"caller:{k}") for k in _CALLER_KEYS}
    for key, value in known.items():
        ctx[key.replace("__", ":")] = value
    return ctx


def eq(a: str | Unknown | None, b: str | Unknown | None) -> Tri:
    """Equality of two model values; symbols compare three-valued, Unknown is MAYBE."""
    from policylint.policy.matching import equals

    if a is None and b is None:
        return Tri.TRUE
    if not isinstance(a, str) or not isinstance(b, str):
        return Tri.MAYBE if isinstance(a, Unknown) or isinstance(b, Unknown) else Tri.FALSE
    return equals(a, b)


def denied_for_sure(d: Decision) -> bool:
    """Denied whatever the unknowns are, and not because a condition key was missing."""
    return d.certainly_denied and not d.missing_keys


# --- API Gateway ------------------------------------------------------------------------


def execute_api_arn(api: RestApi, stage: str, method: str, path: str) -> str:
    return f"arn:{P}:execute-api:{api.region}:{api.account}:{api.api_id}/{stage}/{method}/{path}"


def expand_policy(api: RestApi, doc: PolicyDocument) -> PolicyDocument:
    """API Gateway stores `execute-api:/stage/METHOD/path` as the API's own ARN."""
    prefix = f"arn:{P}:execute-api:{api.region}:{api.account}:{api.api_id}"

    def fix(values: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if values is None:
            return None
        return tuple(
            prefix + v.removeprefix("execute-api:") if v.startswith("execute-api:/") else v
            for v in values
        )

    statements: list[Statement] = []
    for st in doc.statements:
        statements.append(
            replace(st, resources=fix(st.resources), not_resources=fix(st.not_resources))
        )
    return replace(doc, statements=tuple(statements))


def stages_of(model: Model, api: RestApi) -> list[str]:
    """Stage names of the API known in the run (symbols allowed)."""
    names = [
        s.stage_name
        for s in model.api_stages
        if eq(s.api_id, api.api_id) is Tri.TRUE
        and isinstance(s.stage_name, str)
        and not s.sam_artifact
    ]
    return list(dict.fromkeys(names))


def api_for(model: Model, api_id: str | Unknown) -> RestApi | None:
    return next((a for a in model.rest_apis if eq(a.api_id, api_id) is Tri.TRUE), None)


# --- Lambda -----------------------------------------------------------------------------


def ref_of(value: str | Unknown) -> FunctionRef | None:
    return None if isinstance(value, Unknown) else function_ref(value)


def same_function(a: FunctionRef | None, b: FunctionRef | None) -> Tri:
    if a is None or b is None:
        return Tri.MAYBE
    result = eq(a.name, b.name)
    if not (a.exact and b.exact) and result is Tri.FALSE:
        return Tri.MAYBE
    return result


def qualifier_of(ref: FunctionRef | None, separate: str | Unknown | None) -> str | Unknown | None:
    """The qualifier: Terraform's separate argument, else the one inside the reference."""
    if separate is not None:
        return separate
    if ref is None or not ref.exact:
        return Unknown("the qualifier is not known")
    return ref.qualifier


def _principal(value: str) -> Any:
    if value == "*":
        return "*"
    if value.endswith(".amazonaws.com") or value.endswith(".amazonaws.com.cn"):
        return {"Service": value}
    return {"AWS": value}


def permission_statement(perm: LambdaPermission, resource: str) -> Any:
    """The statement Lambda adds to the function's policy for one permission (or an Unknown)."""
    if isinstance(perm.action, Unknown) or isinstance(perm.principal, Unknown):
        return Unknown(f"permission {perm.name} is not known before deploy", perm.ref)
    cond: dict[str, dict[str, Any]] = {}
    if perm.source_arn is not None:
        cond.setdefault("ArnLike", {})["AWS:SourceArn"] = _known(perm.source_arn)
    if perm.source_account is not None:
        cond.setdefault("StringEquals", {})["AWS:SourceAccount"] = _known(perm.source_account)
    if perm.function_url_auth_type is not None:
        auth = _known(perm.function_url_auth_type)
        cond.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = auth
    st: dict[str, Any] = {
        "Sid": perm.name,
        "Effect": "Allow",
        "Principal": _principal(perm.principal),
        "Action": perm.action,
        "Resource": resource,
    }
    if cond:
        st["Condition"] = cond
    return st


def _known(value: str | Unknown) -> str:
    return value if isinstance(value, str) else sym(f"unknown:{value.reason}")


def permission_policy(
    perms: list[tuple[LambdaPermission, Tri]], resource: str, name: str
) -> PolicyDocument | None:
    """The function's resource policy for `resource` from the permissions that (maybe) target
    it; a permission that only maybe targets it is an unknown statement."""
    from policylint.policy.parse import parse_policy

    statements: list[Any] = []
    for perm, match in perms:
        if match is Tri.FALSE:
            continue
        if match is Tri.MAYBE:
            statements.append(Unknown(f"permission {perm.name} may target this function"))
        else:
            statements.append(permission_statement(perm, resource))
    if not statements:
        return None
    doc = parse_policy({"Version": "2012-10-17", "Statement": statements}, at=perms[0][0].ref)
    return replace(doc, name=name)


def decide(
    principal: str,
    action: str,
    resource: str,
    policy: PolicyDocument | None,
    context: dict[str, str | tuple[str, ...]],
    account: str,
) -> Decision:
    """Evaluate a call against a resource policy alone (None: the function has none)."""
    from policylint.policy.evaluate import evaluate

    if policy is None:
        return Decision(outcome=Outcome.IMPLICIT_DENY, reasons=("no resource-based policy",))
    req = Request(
        principal=principal,
        action=action,
        resource=resource,
        resource_account=account,
        context=context,
    )
    return evaluate(req, PolicySet(resource=policy))
