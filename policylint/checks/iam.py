"""IAM rules: statements that match nothing (IAM010), unknown actions and condition keys
(IAM090), cross-account one-sidedness (IAM020), denies that catch the legitimate principal
(IAM030). Role rules (IAM040-IAM080) live in `iam_roles`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint import iam_actions as ia
from policylint.checks.iam_eval import role_policies
from policylint.checks.iam_policies import DocKind, documents, siblings
from policylint.findings import Hit, Severity, TraceStep
from policylint.policy.document import Effect
from policylint.policy.matching import match_action
from policylint.values import has_symbol, render, split_symbols

if TYPE_CHECKING:
    from policylint.checks import CheckFn
    from policylint.checks.context import CheckContext
    from policylint.checks.iam_policies import OwnedDoc
    from policylint.model import Model
    from policylint.policy.document import PolicyDocument, Statement
    from policylint.source import SourceRef

_ACCOUNT = re.compile(r"^(?:arn:[^:]+:(?:iam|sts)::)?(\d{12})(?::|$)")


def _where(owned: OwnedDoc, st: Statement) -> SourceRef:
    return st.ref or owned.doc.ref or owned.ref


def _label(owned: OwnedDoc, st: Statement) -> str:
    name = owned.doc.name or owned.owner
    return f"{st.label()} of {owned.kind.value} {name}"


def _takes(action: str, resources: tuple[str, ...]) -> bool:
    """Can `action` (a pattern) act on any of `resources`? True when unsure."""
    expanded = ia.actions_matching(action) if ia.action_known(action) else ()
    if not expanded:
        return True
    for a in expanded:
        patterns = ia.resource_patterns(a)
        if not patterns or any(ia.may_match_type(r, p) for r in resources for p in patterns):
            return True
    return False


class _Coverage:
    """Which Allow statements of a set of documents grant an action on a resource of a type it
    takes; memoised per (documents, action) so a long policy is scanned once per action."""

    def __init__(self) -> None:
        self._memo: dict[tuple[tuple[int, ...], str], list[Statement]] = {}

    def covered(self, action: str, docs: tuple[PolicyDocument, ...], skip: Statement) -> bool:
        """Does another Allow statement grant `action` on a resource of a type it takes?"""
        key = (tuple(id(d) for d in docs), action)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = [
                st for d in docs for st in d.statements if _grants(st, action)
            ]
        return any(st is not skip for st in found)


def _grants(st: Statement, action: str) -> bool:
    if st.effect is not Effect.ALLOW or st.actions is None or st.resources is None:
        return False
    if not any(match_action(p, action).value != "false" for p in st.actions):
        return False
    return _takes(action, st.resources)


_RESOURCE_SERVICE = {DocKind.BUCKET: "s3", DocKind.KEY: "kms", DocKind.QUEUE: "sqs"}


def _service(text: str) -> str:
    """The service of an action (`s3:GetObject`) or of a literal ARN (`arn:aws:s3:::b`)."""
    if text.startswith("arn:"):
        flat = "".join("\x00" if is_sym else t for is_sym, t in split_symbols(text))
        parts = flat.split(":")
        return parts[2].lower() if len(parts) > 2 and "\x00" not in parts[2] else ""
    return text.split(":", 1)[0].lower()


def _likely_intended(
    owned: OwnedDoc, action: str, resources: tuple[str, ...], model: Model
) -> bool:
    """Error only for the classic mistake: the right service, the wrong resource type, and
    every policy of the role(s) readable (an AWS managed policy may grant it otherwise)."""
    if not any(_service(r) == _service(action) for r in resources):
        return False
    return all(role_policies(model, role).complete for role in owned.roles)


def _wired(ctx: CheckContext, owned: OwnedDoc, resources: tuple[str, ...]) -> bool:
    """Is a workload of the statement's role handed one of the statement's resources?"""
    roles = {role.id for role in owned.roles}
    for bucket in ctx.model.buckets:
        named = any(r == bucket.arn or r.startswith(bucket.arn + "/") for r in resources)
        if named and any(role.id in roles for role, _ in ctx.graph.roles_wired_to(bucket.id)):
            return True
    for key in ctx.model.keys:
        if key.arn in resources and any(
            role.id in roles for role, _ in ctx.graph.roles_wired_to(key.id)
        ):
            return True
    return False


def check_iam010(ctx: CheckContext) -> Iterator[Hit]:
    """An Allow statement names an action only with resources of a type it does not take."""
    coverage = _Coverage()
    for owned in documents(ctx.model):
        if owned.kind in (DocKind.TRUST, DocKind.SCP):
            continue
        for st in owned.doc.statements:
            if st.effect is not Effect.ALLOW or st.unknown or not st.actions:
                continue
            resources = st.resources
            if not resources or "*" in resources:
                continue
            if any(r.startswith("execute-api:") for r in resources):
                continue  # API Gateway's documented shorthand, expanded by the service
            for action in st.actions:
                if has_symbol(action) or action == "*" or _takes(action, resources):
                    continue
                if _RESOURCE_SERVICE.get(owned.kind, _service(action)) != _service(action):
                    continue  # a resource policy can only grant its own service's actions
                yield _iam010_hit(ctx, owned, st, action, resources, coverage)


def _iam010_hit(
    ctx: CheckContext,
    owned: OwnedDoc,
    st: Statement,
    action: str,
    resources: tuple[str, ...],
    coverage: _Coverage,
) -> Hit:
    names = ia.actions_matching(action)
    patterns = sorted({p for a in names for p in ia.resource_patterns(a)})
    shown = ", ".join(render(r) for r in resources)
    takes = " or ".join(patterns[:3])
    other = coverage.covered(action, siblings(owned, ctx.model), st)
    intended = _likely_intended(owned, action, resources, ctx.model)
    severity = Severity.INFO if other or not intended else None
    if severity is None and not _wired(ctx, owned, resources):
        # A dead grant is a certain mistake, but a 403 only once a caller needs it: error when
        # a workload of the role is handed the resource (the edge under test), else warning.
        severity = Severity.WARNING
    tail = (
        "another statement grants it" if other else "no other statement grants it (implicit deny)"
    )
    fix = f"Name resources of the type {action} takes ({takes}) in this statement"
    if any(p.endswith("/${ObjectName}") for p in patterns):
        fix = f"Add the object ARN {render(resources[0])}/* to the statement's Resource"
    elif action.lower().startswith("s3:") and all(r.endswith("/*") for r in resources):
        fix = f"Use the bucket ARN {render(resources[0])[:-2]} for {action}"
    msg = (
        f"{_label(owned, st)} allows {action} only on {shown}; {action} takes {takes}, so the "
        f"statement grants nothing for it; {tail}"
    )
    return Hit(
        ref=_where(owned, st),
        resource=owned.owner,
        message=msg,
        fix=fix,
        key=f"{owned.owner}|{owned.doc.name}|{st.index}|{action}",
        trace=(TraceStep(f"{_label(owned, st)}: {action} on {shown}", _where(owned, st), True),),
        severity=severity,
    )


def check_iam090(ctx: CheckContext) -> Iterator[Hit]:
    """Actions, service prefixes and condition keys that AWS does not define."""
    for owned in documents(ctx.model):
        for st in owned.doc.statements:
            for action in (*(st.actions or ()), *(st.not_actions or ())):
                problem = _action_problem(action)
                if problem is not None:
                    yield _iam090_hit(owned, st, action, problem)
            for clause in st.conditions:
                if has_symbol(clause.key) or ia.condition_key_known(clause.key) is not False:
                    continue
                service = clause.key.split(":", 1)[0]
                problem = f"condition key {clause.key} is not defined by {service}"
                where = clause.ref or _where(owned, st)
                yield _iam090_hit(owned, st, clause.key, problem, where)


def _action_problem(action: str) -> str | None:
    if has_symbol(action) or action == "*":
        return None
    known = ia.action_known(action)
    if known:
        return None
    if known is None:
        if action.count(":") != 1:
            return f"{action} is not of the form service:action"
        return f"{action.split(':')[0]} is not an AWS service prefix"
    hint = ia.suggest_action(action)
    wild = "*" in action or "?" in action
    what = "matches no action of" if wild else "is not an action of"
    msg = f"{action} {what} {action.split(':')[0]}"
    return f"{msg} (did you mean {hint}?)" if hint else msg


def _iam090_hit(
    owned: OwnedDoc, st: Statement, item: str, problem: str, where: SourceRef | None = None
) -> Hit:
    ref = where or _where(owned, st)
    effect = "grants nothing" if st.effect is Effect.ALLOW else "denies nothing"
    return Hit(
        ref=ref,
        resource=owned.owner,
        message=f"{_label(owned, st)}: {problem}; the statement {effect} through it",
        fix="Use the spelling of the Service Authorization Reference",
        key=f"{owned.owner}|{owned.doc.name}|{st.index}|{item}",
        trace=(TraceStep(problem, ref, True),),
    )


def check_iam030(ctx: CheckContext) -> Iterator[Hit]:
    """Deny + NotPrincipal naming a role but not its sessions: the role itself is denied."""
    for owned in documents(ctx.model):
        if owned.kind in (DocKind.IDENTITY, DocKind.SCP):
            continue
        for st in owned.doc.statements:
            np = st.not_principals
            if st.effect is not Effect.DENY or np is None or np.wildcard:
                continue
            roles = [p for p in np.aws if ":role/" in p]
            sessions = [p for p in np.aws if ":assumed-role/" in p]
            if not roles or sessions:
                continue
            shown = ", ".join(render(r) for r in roles)
            msg = (
                f"{_label(owned, st)} denies everyone not in NotPrincipal, which lists {shown} "
                "but not its assumed-role session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/*) "
                "or account: requests by the role's sessions are denied"
            )
            yield Hit(
                ref=_where(owned, st),
                resource=owned.owner,
                message=msg,
                fix=(
                    "Replace NotPrincipal with Principal '*' and a Condition "
                    "ArnNotEquals/ArnNotLike aws:PrincipalArn listing the roles to exempt"
                ),
                key=f"{owned.owner}|{owned.doc.name}|{st.index}",
                trace=(TraceStep(msg, _where(owned, st), True),),
            )
    from policylint.checks.iam_roles import resource_denies

    yield from resource_denies(ctx)


def _checks() -> dict[str, CheckFn]:
    from policylint.checks import iam_roles
    from policylint.checks.iam_org import check_iam020

    return {
        "IAM010": check_iam010,
        "IAM020": check_iam020,
        "IAM030": check_iam030,
        **iam_roles.CHECKS,
        "IAM090": check_iam090,
    }


CHECKS: dict[str, CheckFn] = _checks()
