"""IAM020's resources: the resources of the run that carry a resource-based policy (bucket, key,
queue, topic, Lambda function, REST API), each with its account and its policy as AWS
evaluates it, and the fix that adds the missing grant in the resource's own file format."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.accounts import scope_of
from policylint.checks.apigw_support import (
    eq,
    execute_api_arn,
    expand_policy,
    permission_policy,
    ref_of,
    same_function,
    stages_of,
)
from policylint.checks.fixes import Fmt, V, fmt_of, render
from policylint.checks.iam_push import target_policies
from policylint.lambda_refs import FunctionRef
from policylint.model import DataKind, Function
from policylint.policy.document import PolicyDocument
from policylint.values import Tri, has_symbol, split_symbols, sym

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.fixes import Node
    from policylint.model import LambdaPermission, Model, RestApi
    from policylint.policy.document import Statement
    from policylint.source import SourceRef

_OTHER = "policylint-other-resource"  # a name no policy of the run is about


class TargetKind(enum.Enum):
    BUCKET = "bucket policy"
    KEY = "key policy"
    QUEUE = "queue policy"
    TOPIC = "topic policy"
    FUNCTION = "resource-based policy"
    API = "API resource policy"


_SERVICE = {
    TargetKind.BUCKET: "s3",
    TargetKind.KEY: "kms",
    TargetKind.QUEUE: "sqs",
    TargetKind.TOPIC: "sns",
    TargetKind.FUNCTION: "lambda",
    TargetKind.API: "execute-api",
}


@dataclass(frozen=True, slots=True)
class Target:
    """A resource with its resource-based policy (None: it has none, so it grants other
    accounts nothing). `arns` are the ARNs requests name; `siblings` the same ARNs for another
    resource of that type, to tell a grant of this resource from a grant of all of them."""

    name: str
    kind: TargetKind
    arns: tuple[str, ...]
    siblings: tuple[str, ...]
    doc: PolicyDocument | None
    account: str
    ref: SourceRef
    element: object = None
    # Lambda: the permission each statement (Sid) comes from, where the finding points.
    sources: tuple[tuple[str, SourceRef], ...] = ()
    origin: int = 0  # id() of the document as loaded, when `doc` is a rewritten copy of it

    @property
    def service(self) -> str:
        return _SERVICE[self.kind]

    @property
    def whole(self) -> bool:
        """Does `Resource: "*"` in its own policy name it (every kind but a bucket)?"""
        return self.kind is not TargetKind.BUCKET

    def where(self, st: Statement) -> SourceRef:
        found = dict(self.sources).get(st.sid or "")
        return found or st.ref or self.ref


def account_of(ctx: CheckContext, ref: SourceRef) -> str | None:
    scope = scope_of(ctx.intent, ref.file)
    return scope.account_id if scope else ctx.intent.account_id


def _swap(arn: str, name: str) -> str:
    i = arn.rfind(name)
    return arn if i < 0 or not name else arn[:i] + _OTHER + arn[i + len(name) :]


def targets(ctx: CheckContext) -> list[Target]:
    out: list[Target] = []
    model = ctx.model
    policies = {bp.bucket: bp for bp in model.bucket_policies if isinstance(bp.bucket, str)}
    for b in model.buckets:
        account = account_of(ctx, b.ref)
        if account is None:
            continue
        bp = policies.get(b.bucket_name)
        if bp is not None and not isinstance(bp.document, PolicyDocument):
            continue  # a policy that cannot be read: its grants are unknown
        doc = bp.document if bp is not None and isinstance(bp.document, PolicyDocument) else None
        arns = (b.arn, f"{b.arn}/{sym('object-key')}")
        sib = tuple(_swap(a, b.bucket_name) for a in arns)
        out.append(Target(b.name, TargetKind.BUCKET, arns, sib, doc, account, b.ref, b))
    for k in model.keys:
        account = account_of(ctx, k.ref)
        if account is not None and isinstance(k.policy, PolicyDocument):
            sib = (_swap(k.arn, k.arn.rsplit("/", 1)[-1]),)
            out.append(Target(k.name, TargetKind.KEY, (k.arn,), sib, k.policy, account, k.ref, k))
    out.extend(_data_targets(ctx))
    out.extend(_function_targets(ctx))
    out.extend(_api_targets(ctx))
    return out


def _data_targets(ctx: CheckContext) -> list[Target]:
    out: list[Target] = []
    for d in ctx.model.data_resources:
        if d.kind not in (DataKind.QUEUE, DataKind.TOPIC) or not d.arn:
            continue
        account = account_of(ctx, d.ref)
        docs = target_policies(ctx.model, d)
        if account is None or docs is None or len(docs) > 1:
            continue  # unknown, or several policies of which the last applied wins
        kind = TargetKind.QUEUE if d.kind is DataKind.QUEUE else TargetKind.TOPIC
        sib = (_swap(d.arn, d.resource_name),)
        doc = docs[0] if docs else None
        out.append(Target(d.name, kind, (d.arn,), sib, doc, account, d.ref, d))
    return out


def _covers(ctx: CheckContext, perm: LambdaPermission, fn: Function, account: str) -> Tri:
    """Does the permission (maybe) apply to the unqualified function? Only permissions created
    in the function's account can; a qualified one (alias, version) is a maybe."""
    own = account_of(ctx, perm.ref)
    if own is not None and own != account:
        return Tri.FALSE
    pref = ref_of(perm.function)
    same = same_function(pref, FunctionRef(fn.function_name, None))
    if same is Tri.FALSE:
        return same
    written = (perm.principal, perm.action)
    if own is None or any(isinstance(v, str) and has_symbol(v) for v in written):
        return Tri.MAYBE
    qualifier = perm.qualifier if perm.qualifier is not None else pref.qualifier if pref else None
    return Tri.MAYBE if qualifier is not None else same


def _function_targets(ctx: CheckContext) -> list[Target]:
    out: list[Target] = []
    for fn in ctx.model.functions:
        account = account_of(ctx, fn.ref)
        if account is None:
            continue
        perms = [(p, _covers(ctx, p, fn, account)) for p in ctx.model.lambda_permissions]
        doc = permission_policy(perms, fn.arn, f"resource-based policy of {fn.name}")
        sources = tuple((p.name, p.ref) for p, m in perms if m is Tri.TRUE)
        sib = (_swap(fn.arn, fn.function_name),)
        out.append(
            Target(fn.name, TargetKind.FUNCTION, (fn.arn,), sib, doc, account, fn.ref, fn, sources)
        )
    return out


def _api_targets(ctx: CheckContext) -> list[Target]:
    """REST APIs with a resource policy, at their IAM-authorized methods: only there does API
    Gateway evaluate the caller's identity policies with the resource policy."""
    out: list[Target] = []
    model = ctx.model
    for api in model.rest_apis:
        account = account_of(ctx, api.ref)
        if account is None or not isinstance(api.policy, PolicyDocument):
            continue  # without a resource policy (or an unknown one) it is left alone
        arns = tuple(_iam_methods(model, api))
        if not arns:
            continue
        doc = expand_policy(api, api.policy)
        sib = tuple(_swap(a, api.api_id) for a in arns)
        ref = api.policy_ref or api.ref
        origin = id(api.policy)
        out.append(Target(api.name, TargetKind.API, arns, sib, doc, account, ref, api, (), origin))
    return out


def _iam_methods(model: Model, api: RestApi) -> list[str]:
    stages = stages_of(model, api) or [sym(f"stage:{api.name}")]
    out: list[str] = []
    for m in model.api_methods:
        auth = m.authorization_type
        if not isinstance(auth, str) or auth.upper() != "AWS_IAM":
            continue
        if eq(m.api_id, api.api_id) is not Tri.TRUE:
            continue
        verb = m.http_method
        verb = verb.upper() if isinstance(verb, str) and verb.upper() != "ANY" else sym("verb")
        path = m.path[1:] if m.path and m.path.startswith("/") and "{" not in m.path else None
        for stage in stages:
            out.append(execute_api_arn(api, stage, verb, path or sym(f"path:{m.name}")))
    return out


# --- fixes --------------------------------------------------------------------------------


def fix_value(value: str) -> Node:
    """A value for a fix in the other account's file: the partition stays a pseudo parameter
    (both accounts are in the same partition); an id generated in the other stack is "*"."""
    cfn, tf, pseudo = "", "", False
    for is_sym, text in split_symbols(value):
        if not is_sym:
            cfn, tf = cfn + text, tf + text
        elif text == "AWS::Partition":
            cfn, tf = cfn + "${AWS::Partition}", tf + "${data.aws_partition.current.partition}"
            pseudo = True
        else:
            cfn, tf = cfn + "*", tf + "*"
    return V(cfn, json.dumps(tf)) if pseudo else cfn


def fix_text(head: str, node: Node, fmt: Fmt) -> str:
    text = f"{head}:\n" + render(node, fmt)
    if fmt is Fmt.HCL and "data.aws_partition" in text:
        text += '\n(with data "aws_partition" "current" {} in the module)'
    return text


def resource_fix(t: Target, principal: str, action: str, resource: str) -> str:
    """The grant to add on the resource's side, in the resource's file format."""
    fmt = fmt_of(t.ref)
    if t.kind is TargetKind.FUNCTION and isinstance(t.element, Function):
        return "Add a permission:\n" + _permission(t.element, principal, action, fmt)
    where: Node = fix_value(resource)
    if t.kind is TargetKind.API:
        where = "execute-api:/*"  # the API's own shorthand, as its policy writes it
    elif t.kind is TargetKind.KEY:
        where = "*"  # a key policy's Resource is the key itself
    statement: dict[str, Node] = {
        "Effect": "Allow",
        "Principal": {"AWS": fix_value(principal)},
        "Action": action,
        "Resource": where,
    }
    which = f"Add to the {t.kind.value} of {t.name}"
    if t.doc is None:
        which += " (it has none yet: create one holding it)"
    text = fix_text(which, statement, fmt)
    return text + ("\nRedeploy the API after a change." if t.kind is TargetKind.API else "")


def _permission(fn: Function, principal: str, action: str, fmt: Fmt) -> str:
    local = "cross_account"
    if fmt is Fmt.HCL:
        return "\n".join(
            [
                f'resource "aws_lambda_permission" "{local}" {{',
                f"  function_name = {fn.name}.function_name",
                f"  action        = {json.dumps(action)}",
                f"  principal     = {_hcl_text(fix_value(principal))}",
                "}",
            ]
        )
    props: dict[str, Node] = {
        "FunctionName": V(f"${{{fn.name}.Arn}}", ""),
        "Action": action,
        "Principal": principal,
    }
    node: Node = {
        "CrossAccountPermission": {"Type": "AWS::Lambda::Permission", "Properties": props}
    }
    return render(node, fmt, item=False)


def _hcl_text(value: Node) -> str:
    return value.tf if isinstance(value, V) else json.dumps(value)
