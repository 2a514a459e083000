"""`aws_api_gateway_deployment` -> ApiDeployment: do its triggers follow the resource policy?

Evaluated triggers are hashes (unknown before apply), so the answer comes from the references
the arguments are written with: the source text of `triggers` / `stage_description` /
`variables` / `description` (HCL and .tf.json), or the plan's configuration references.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from policylint.model.apigw import ApiDeployment
from policylint.terraform.common import s_req
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.instances import Instance

_REDEPLOY_ARGS = ("triggers", "stage_description", "variables", "description")
# A reference to any of these makes a policy change produce a new deployment.
_POLICY_MARKS = (
    ".policy",
    "aws_api_gateway_rest_api_policy.",
    "aws_iam_policy_document.",
    "timestamp()",
)

# A resource policy inside the OpenAPI body changes with the body.
_BODY_MARKS = (".body", "timestamp()")
# A value from one of these may hash anything, the policy included.
_OPAQUE = ("var.", "local.", "module.", "data.", "file(", "filesha")


def deployment(i: Instance) -> ApiDeployment:
    api = s_req(i.values.get("rest_api_id"), resource_sym(i.id, "rest_api_id"))
    return ApiDeployment(
        id=i.id,
        name=i.address,
        ref=i.ref,
        api_id=api,
        redeploys_on_policy=_follows(i, _POLICY_MARKS),
        redeploys_on_body=_follows(i, _BODY_MARKS),
    )


def _follows(i: Instance, marks: tuple[str, ...]) -> bool | Unknown:
    present = [a for a in _REDEPLOY_ARGS if i.values.get(a) not in (None, "", {}, [])]
    if not present:
        return False
    texts = _plan_references(i, present) if i.doc is not None else _source(i, present)
    if texts is None:
        return Unknown("deployment arguments not readable", i.ref)
    if any(m in t for t in texts for m in marks):
        return True
    if any(m in t for t in texts for m in _OPAQUE):
        return Unknown("deployment triggers come from a variable, local or module", i.ref)
    return False


def _source(i: Instance, args: list[str]) -> list[str] | None:
    try:
        lines = Path(i.ref.file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    out: list[str] = []
    for a in args:
        span = i.spans.get((a,))
        if span is None:
            return None
        out.append(_expression_text(lines, span.line - 1))
    return out


def _expression_text(lines: list[str], start: int) -> str:
    """The argument starting at line `start` (0-based), up to where its brackets close."""
    depth, out = 0, []
    for line in lines[start:]:
        out.append(line)
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        if depth <= 0:
            break
    return "\n".join(out)


def _plan_references(i: Instance, args: list[str]) -> list[str] | None:
    assert i.doc is not None
    if i.module:
        return None
    root = _obj(_obj(_obj(i.doc.data).get("configuration")).get("root_module"))
    found = root.get("resources")
    listed = found if isinstance(found, list) else []
    res = next((r for r in listed if isinstance(r, dict) and r.get("address") == i.base), None)
    if res is None:
        return None
    exprs = _obj(res.get("expressions"))
    out: list[str] = []
    for a in args:
        if not isinstance(exprs.get(a), (dict, list)):
            return None  # set, but the configuration does not say how
        out.extend(_references(exprs[a]))
    return out


def _obj(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one (a plan of an odd shape)."""
    return value if isinstance(value, dict) else {}


def _references(expr: Any) -> list[str]:
    if isinstance(expr, dict):
        found = expr.get("references")
        refs = [str(r) for r in found] if isinstance(found, list) else []
        for v in expr.values():
            if isinstance(v, (dict, list)):
                refs.extend(_references(v))
        return refs
    if isinstance(expr, list):
        return [r for x in expr for r in _references(x)]
    return []
