"""`data "aws_iam_policy_document"` -> a policy dict (as the AWS provider renders it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.terraform.expressions import JsonEncoded, to_str
from policylint.terraform.instances import blocks
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import DocPath, Span

_STATEMENT_KEYS = (
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def build_policy(values: dict[str, Any], spans: dict[DocPath, Span], address: str) -> Any:
    """The document as a JsonEncoded dict (with statement lines), or Unknown."""
    statements: list[Any] = []
    out_spans: dict[DocPath, Span] = {}
    if () in spans:
        out_spans[()] = spans[()]
    for key in ("source_policy_documents", "source_json"):
        for doc in _documents(values.get(key), address):
            statements = _merge(statements, doc)
    own = blocks(values, "statement")
    mine: list[Any] = []
    if isinstance(own, Unknown):
        mine.append(Unknown(f"{address}.statement"))
    else:
        for i, st in enumerate(own):
            mine.append(_statement(st, address))
            if ("statement", i) in spans:
                out_spans[("Statement", -1 - i)] = spans[("statement", i)]
    statements = _merge(statements, mine)
    for key in ("override_policy_documents", "override_json"):
        for doc in _documents(values.get(key), address):
            statements = _merge(statements, doc)
    final_spans: dict[DocPath, Span] = {k: v for k, v in out_spans.items() if k == ()}
    for i, st in enumerate(statements):
        for j, m in enumerate(mine):
            if st is m and ("Statement", -1 - j) in out_spans:
                final_spans[("Statement", i)] = out_spans[("Statement", -1 - j)]
    policy: dict[str, Any] = {"Version": values.get("version") or "2012-10-17"}
    if values.get("policy_id") is not None:
        policy["Id"] = values["policy_id"]
    policy["Statement"] = statements
    return JsonEncoded(policy, final_spans)


def _documents(value: Any, address: str) -> list[list[Any]]:
    """Statement lists of the source / override documents."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[list[Any]] = []
    for item in items:
        data = item.data if isinstance(item, JsonEncoded) else item
        if isinstance(data, str):
            import json

            try:
                data = json.loads(data)
            except ValueError:
                data = Unknown(f"{address}: source document is not JSON")
        if isinstance(data, dict):
            st = data.get("Statement", [])
            out.append(st if isinstance(st, list) else [st])
        elif item is not None:
            reason = data.reason if isinstance(data, Unknown) else f"{address}: source document"
            out.append([Unknown(reason)])
    return out


def _merge(base: list[Any], newer: list[Any]) -> list[Any]:
    """Statements of `newer` replace those of `base` with the same non-empty Sid."""
    out = list(base)
    for st in newer:
        sid = st.get("Sid") if isinstance(st, dict) else None
        if isinstance(sid, str) and sid:
            for i, old in enumerate(out):
                if isinstance(old, dict) and old.get("Sid") == sid:
                    out[i] = st
                    break
            else:
                out.append(st)
        else:
            out.append(st)
    return out


def _statement(st: dict[str, Any], address: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for src, dst in _STATEMENT_KEYS:
        v = st.get(src)
        if v is not None:
            out[dst] = v
    out.setdefault("Effect", "Allow")
    for src, dst in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        p = _principals(st, src)
        if p is not None:
            out[dst] = p
    cond = _conditions(st)
    if cond is not None:
        out["Condition"] = cond
    return out


def _principals(st: dict[str, Any], key: str) -> Any:
    bs = blocks(st, key)
    if isinstance(bs, Unknown):
        return bs
    if not bs:
        return None
    out: dict[str, list[Any]] = {}
    for b in bs:
        ptype = to_str(b.get("type"))
        ids = b.get("identifiers")
        if ptype is None:
            return Unknown("principal type")
        if ptype == "*" and isinstance(ids, list) and ids == ["*"] and len(bs) == 1:
            return "*"
        bucket = out.setdefault(ptype, [])
        if isinstance(ids, list):
            bucket.extend(ids)
        elif ids is not None:
            bucket.append(ids)
    return out


def _conditions(st: dict[str, Any]) -> Any:
    bs = blocks(st, "condition")
    if isinstance(bs, Unknown):
        return bs
    if not bs:
        return None
    out: dict[str, dict[str, list[Any]]] = {}
    for b in bs:
        test, var = to_str(b.get("test")), to_str(b.get("variable"))
        if test is None or var is None:
            return Unknown("condition")
        vals = b.get("values")
        target = out.setdefault(test, {}).setdefault(var, [])
        if isinstance(vals, list):
            target.extend(vals)
        elif vals is not None:
            target.append(vals)
    return out
