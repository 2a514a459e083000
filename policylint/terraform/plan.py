"""`terraform show -json` plans -> instances. Unknown-after-apply values stay symbolic."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from policylint.findings import InputProblem
from policylint.terraform.instances import Instance
from policylint.terraform.plan_links import config_index, config_module, link, obj, seq
from policylint.terraform.providers import (
    plan_assumed,
    plan_regions,
    plan_resource_assumes,
    plan_resource_region,
)
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import DocPath, Document

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
    root = obj(data.get("planned_values")).get("root_module")
    if not isinstance(root, dict):
        problems.append(InputProblem("plan has no planned_values.root_module", doc.ref(())))
        return []
    unknowns = {
        rc.get("address"): obj(obj(rc.get("change")).get("after_unknown"))
        for rc in seq(data.get("resource_changes"))
        if isinstance(rc, dict) and isinstance(rc.get("address"), str)
    }
    config = obj(obj(data.get("configuration")).get("root_module"))
    regions = plan_regions(doc)
    assumed = plan_assumed(doc)
    out: list[Instance] = []
    stack: list[tuple[dict[str, Any], DocPath, str]] = [
        (root, ("planned_values", "root_module"), "")
    ]
    while stack:
        module, path, prefix = stack.pop()
        cfg = config_index(config_module(config, prefix))
        for j, r in enumerate(seq(module.get("resources"))):
            if isinstance(r, dict) and isinstance(r.get("address"), str):
                inst = _instance(doc, r, (*path, "resources", j), prefix, cfg, unknowns)
                conf = _config_resource(cfg, r)
                inst.region, inst.region_ref = plan_resource_region(
                    doc, r, (*path, "resources", j), conf, regions
                )
                inst.assumes_role = plan_resource_assumes(conf, assumed)
                out.append(inst)
        for k, child in enumerate(seq(module.get("child_modules"))):
            if isinstance(child, dict):
                addr = child.get("address")
                child_prefix = f"{addr}." if isinstance(addr, str) else prefix
                stack.append((child, (*path, "child_modules", k), child_prefix))
    link(out, config)
    return out


def _config_resource(index: dict[str, dict[str, Any]], r: dict[str, Any]) -> dict[str, Any]:
    mode = "data." if r.get("mode") == "data" else ""
    return index.get(f"{mode}{r.get('type')}.{r.get('name')}", {})


def _instance(
    doc: Document,
    r: dict[str, Any],
    path: DocPath,
    prefix: str,
    cfg: dict[str, dict[str, Any]],
    unknowns: dict[Any, Any],
) -> Instance:
    address = r["address"]
    mode = "data" if r.get("mode") == "data" else "managed"
    rtype = str(r.get("type", ""))
    base = prefix + ("data." if mode == "data" else "") + f"{rtype}.{r.get('name')}"
    raw = r.get("values")
    values: dict[str, Any] = raw if isinstance(raw, dict) else {}
    conf = _config_resource(cfg, r)
    exprs = obj(conf.get("expressions"))
    merged = _with_unknowns(values, unknowns.get(address) or {}, f"after-apply:{address}")
    if not isinstance(merged, dict):  # a malformed after_unknown: keep the known values
        merged = dict(values)
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
    refs = _refs(obj(conf.get("expressions")))
    refs.extend(x for x in seq(conf.get("depends_on")) if isinstance(x, str))
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
