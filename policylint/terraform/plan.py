"""`terraform show -json` plans -> instances. Unknown-after-apply values stay symbolic."""

from __future__ import annotations

import re
from typing import Any

from policylint.findings import InputProblem
from policylint.source import DocPath, Document
from policylint.terraform import attributes
from policylint.terraform.instances import Instance, known
from policylint.values import Unknown

_MODULE = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?')
# Attributes whose value is, in practice, the referenced attribute itself (used to link
# resources when a plan only says "known after apply").
_LINKABLE = frozenset(
    {
        "id",
        "bucket",
        "arn",
        "bucket_regional_domain_name",
        "bucket_domain_name",
        "website_endpoint",
        "iam_arn",
        "cloudfront_access_identity_path",
        "key_id",
        "name",
    }
)
# Arguments that name another resource (only these are linked, never policies or free text).
_LINK_ARGS = frozenset(
    {
        "bucket",
        "web_acl_id",
        "key_id",
        "target_key_id",
        "role",
        "policy_arn",
        "resource_arn",
        "web_acl_arn",
        "policy_id",
        "target_id",
    }
)
# Nested blocks whose link arguments are linked too (origins, their OAI, SSE rules).
_LINK_BLOCKS = frozenset(
    {"origin", "s3_origin_config", "rule", "apply_server_side_encryption_by_default"}
)
_NESTED_LINK_ARGS = frozenset(
    {"domain_name", "origin_access_control_id", "origin_access_identity", "kms_master_key_id"}
)
# Computed attributes of aws_s3_bucket that a plan marks unknown even when not configured.
_COMPUTED_ONLY = frozenset(
    {
        "acl",
        "policy",
        "website",
        "grant",
        "server_side_encryption_configuration",
        "request_payer",
        "cors_rule",
        "lifecycle_rule",
        "logging",
        "versioning",
        "replication_configuration",
        "object_lock_configuration",
        "acceleration_status",
    }
)


def plan_instances(doc: Document, problems: list[InputProblem]) -> list[Instance]:
    data = doc.data if isinstance(doc.data, dict) else {}
    root = (data.get("planned_values") or {}).get("root_module")
    if not isinstance(root, dict):
        problems.append(InputProblem("plan has no planned_values.root_module", doc.ref(())))
        return []
    unknowns = {
        rc.get("address"): (rc.get("change") or {}).get("after_unknown") or {}
        for rc in data.get("resource_changes") or []
        if isinstance(rc, dict)
    }
    config = (data.get("configuration") or {}).get("root_module") or {}
    out: list[Instance] = []
    stack: list[tuple[dict[str, Any], DocPath, str]] = [
        (root, ("planned_values", "root_module"), "")
    ]
    while stack:
        module, path, prefix = stack.pop()
        cfg = _config_module(config, prefix)
        for j, r in enumerate(module.get("resources") or []):
            if isinstance(r, dict) and isinstance(r.get("address"), str):
                out.append(_instance(doc, r, (*path, "resources", j), prefix, cfg, unknowns))
        for k, child in enumerate(module.get("child_modules") or []):
            if isinstance(child, dict):
                addr = child.get("address")
                child_prefix = f"{addr}." if isinstance(addr, str) else prefix
                stack.append((child, (*path, "child_modules", k), child_prefix))
    _link(out, config)
    return out


def _config_module(config: dict[str, Any], prefix: str) -> dict[str, Any]:
    cur = config
    for m in _MODULE.finditer(prefix):
        call = (cur.get("module_calls") or {}).get(m.group(1)) or {}
        cur = call.get("module") or {}
    return cur


def _config_resource(cfg: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    mode = "data." if r.get("mode") == "data" else ""
    want = f"{mode}{r.get('type')}.{r.get('name')}"
    for c in cfg.get("resources") or []:
        if isinstance(c, dict) and c.get("address") == want:
            return c
    return {}


def _instance(
    doc: Document,
    r: dict[str, Any],
    path: DocPath,
    prefix: str,
    cfg: dict[str, Any],
    unknowns: dict[Any, Any],
) -> Instance:
    address = r["address"]
    mode = "data" if r.get("mode") == "data" else "managed"
    rtype = str(r.get("type", ""))
    base = prefix + ("data." if mode == "data" else "") + f"{rtype}.{r.get('name')}"
    raw = r.get("values")
    values: dict[str, Any] = raw if isinstance(raw, dict) else {}
    conf = _config_resource(cfg, r)
    exprs = conf.get("expressions") or {}
    merged = _with_unknowns(values, unknowns.get(address) or {}, f"after-apply:{address}")
    if rtype == "aws_s3_bucket":
        for key in _COMPUTED_ONLY:
            if key in merged and (key not in exprs if conf else key == "grant"):
                del merged[key]
    for key in list(merged):
        if (
            key not in values
            and key not in exprs
            and (
                (not conf and rtype == "aws_s3_bucket" and key in _COMPUTED_ONLY)
                or conf
                or key in ("id", "arn", "tags_all")
            )
        ):
            del merged[key]
    return Instance(
        id=f"{doc.file}#{address}",
        address=address,
        mode=mode,
        type=rtype,
        values=merged,
        ref=doc.ref(path),
        depends=_depends(conf, prefix),
        base=base,
        module=prefix,
        doc=doc,
        doc_path=(*path, "values"),
    )


def _with_unknowns(values: Any, unknown: Any, label: str) -> Any:
    if unknown is True:
        return Unknown(label)
    if isinstance(values, dict) or (isinstance(unknown, dict) and values is None):
        out = dict(values or {})
        if isinstance(unknown, dict):
            for k, u in unknown.items():
                if u is True or k in out:
                    out[k] = _with_unknowns(out.get(k), u, f"{label}.{k}")
                elif isinstance(u, (dict, list)) and _any_true(u):
                    out[k] = _with_unknowns(None, u, f"{label}.{k}")
        return out
    if isinstance(values, list) or (isinstance(unknown, list) and values is None):
        items = list(values or [])
        if isinstance(unknown, list):
            for n, u in enumerate(unknown):
                if n < len(items):
                    items[n] = _with_unknowns(items[n], u, f"{label}[{n}]")
                elif _any_true(u):
                    items.append(_with_unknowns(None, u, f"{label}[{n}]"))
        return items
    return values


def _any_true(u: Any) -> bool:
    if u is True:
        return True
    if isinstance(u, dict):
        return any(_any_true(x) for x in u.values())
    if isinstance(u, list):
        return any(_any_true(x) for x in u)
    return False


def _refs(expr: Any) -> list[str]:
    out: list[str] = []
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, dict):
            refs = e.get("references")
            if isinstance(refs, list):
                out.extend(x for x in refs if isinstance(x, str))
            stack.extend(v for k, v in e.items() if k != "references")
        elif isinstance(e, list):
            stack.extend(e)
    return out


def _depends(conf: dict[str, Any], prefix: str) -> frozenset[str]:
    refs = _refs(conf.get("expressions") or {})
    refs.extend(x for x in conf.get("depends_on") or [] if isinstance(x, str))
    out = set()
    for ref in refs:
        base = _base_of(ref)
        if base:
            out.add(prefix + base)
    return frozenset(out)


def _base_of(ref: str) -> str | None:
    """`aws_s3_bucket.b[0].id` -> `aws_s3_bucket.b`; None for var./local./module. refs."""
    parts = re.split(r"[.\[]", ref)
    if len(parts) < 2 or parts[0] in ("var", "local", "each", "count", "path", "self", "module"):
        return None
    if parts[0] == "data":
        return f"data.{parts[1]}.{parts[2]}" if len(parts) > 2 else None
    return f"{parts[0]}.{parts[1]}"


def _link(instances: list[Instance], config: dict[str, Any]) -> None:
    """Replace unknown-after-apply top-level values that are a single reference."""
    by_base: dict[str, list[Instance]] = {}
    for inst in instances:
        by_base.setdefault(inst.base, []).append(inst)
    for inst in instances:
        cfg = _config_module(config, inst.module)
        conf = next(
            (
                c
                for c in cfg.get("resources") or []
                if isinstance(c, dict) and inst.module + str(c.get("address")) == inst.base
            ),
            {},
        )
        _link_body(inst.values, conf.get("expressions") or {}, inst, by_base, top=True)


def _link_body(
    values: dict[str, Any],
    exprs: dict[str, Any],
    inst: Instance,
    by_base: dict[str, list[Instance]],
    *,
    top: bool,
) -> None:
    """Link `values` (top-level arguments, or one nested block) through their expressions."""
    for key, expr in exprs.items():
        value = values.get(key)
        args = _LINK_ARGS if top else _NESTED_LINK_ARGS
        if key in args and isinstance(value, Unknown) and isinstance(expr, dict):
            linked = _linked(expr.get("references"), inst, by_base)
            if linked is not None:
                values[key] = linked
        elif key in _LINK_BLOCKS and isinstance(expr, list) and isinstance(value, list):
            for v, e in zip(value, expr, strict=False):
                if isinstance(v, dict) and isinstance(e, dict):
                    _link_body(v, e, inst, by_base, top=False)


def _linked(refs: Any, inst: Instance, by_base: dict[str, list[Instance]]) -> Any:
    if not isinstance(refs, list) or not refs:
        return None
    attrs = {
        r
        for r in refs
        if isinstance(r, str)
        and r.count(".") >= 2
        and not r.startswith(("var.", "local.", "count.", "each.", "module.", "data."))
    }
    bases = {_base_of(r) for r in refs if isinstance(r, str)} - {None}
    if len(attrs) != 1 or len(bases) != 1:
        return None
    ref = attrs.pop()
    attr = ref.rsplit(".", 1)[-1]
    if attr not in _LINKABLE:
        return None
    targets = by_base.get(inst.module + str(bases.pop()), [])
    if len(targets) != 1:
        return None
    t = targets[0]
    value = known(t, attr) or attributes.managed(t.type, t.id, attr, t.values.get)
    return value if isinstance(value, str) else None
