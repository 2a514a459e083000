"""Plans: values "known after apply" recovered from the configuration's references.

A plan marks an argument unknown when it references a resource the same run creates. The
plan's `configuration` keeps every expression's `references`, so an argument that names
another resource (a bucket, a key, a certificate ARN) and references exactly one attribute is
linked to the value policylint computes for that attribute. A reference may pass through
module outputs (`module.m.out`, followed into `outputs[out].expression`) and module inputs
(`var.x` in a module, followed into the calling block's `module_calls[m].expressions`).
Everything else stays unknown: several references, locals, data sources, `count`/`for_each`
module calls, root variables (a plan knows their values already).

The plan format keeps references, not the expression text, so `"${x.id}"` and `x.id` read
the same; this is why only arguments whose value is in practice the referenced attribute
itself are linked (`_LINK_ARGS`, `_NESTED_LINK_ARGS`), never policies or free text.
Format: https://developer.hashicorp.com/terraform/internals/json-format
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from policylint.terraform import attributes
from policylint.terraform.instances import known
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.terraform.instances import Instance

MODULE = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?')
# Attributes whose value is, in practice, the referenced attribute itself.
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
        "stage_name",
        "url",
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
        "rest_api_id",
        "usage_plan_id",
        "arn",  # an EventBridge target
        "source_arn",
        "function_name",
        "endpoint",  # an SNS subscription's queue or function
        "topic_arn",
        "event_source_arn",
        "queue_url",
    }
)
# Nested blocks whose link arguments are linked too (origins, their OAI, SSE rules, the
# certificate, a usage plan's API stages, WAF rule statements and their IP sets).
_LINK_BLOCKS = frozenset(
    {
        "origin",
        "s3_origin_config",
        "rule",
        "apply_server_side_encryption_by_default",
        "viewer_certificate",
        "api_stages",
        "statement",
        "and_statement",
        "or_statement",
        "not_statement",
        "ip_set_reference_statement",
        "rule_group_reference_statement",
    }
)
_NESTED_LINK_ARGS = frozenset(
    {
        "domain_name",
        "origin_access_control_id",
        "origin_access_identity",
        "kms_master_key_id",
        "acm_certificate_arn",
        "api_id",
        "stage",
        "arn",
    }
)
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_RESOURCE_REF = re.compile(rf"({_NAME})\.({_NAME})(\[[^\]]*\])?\.({_NAME})")
_OUTPUT_REF = re.compile(rf"module\.({_NAME})\.({_NAME})")
_VAR_REF = re.compile(rf"var\.({_NAME})")
# A module prefix split into its parent prefix and the last call's name.
_LAST_CALL = re.compile(rf'(.*?)module\.({_NAME})(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?\.')
_NOT_RESOURCES = frozenset(
    {"var", "local", "each", "count", "path", "self", "module", "data", "terraform"}
)
_MAX_HOPS = 16  # module outputs and inputs followed for one argument (guards cycles)
_MAX_PASSES = 4  # a linked value may feed another (a website endpoint from its bucket)


def obj(value: Any) -> dict[str, Any]:
    """A JSON object of the plan, or {} where the plan has anything else (never trust shape)."""
    return value if isinstance(value, dict) else {}


def seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def config_module(config: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The configuration of the module at `prefix` ("" root, "module.a.module.b." nested)."""
    cur = config
    for m in MODULE.finditer(prefix):
        call = obj(obj(cur.get("module_calls")).get(m.group(1)))
        cur = obj(call.get("module"))
    return cur


def config_index(cfg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A module's configured resources by address (built once per module, not per resource)."""
    index: dict[str, dict[str, Any]] = {}
    for c in seq(cfg.get("resources")):
        if isinstance(c, dict) and isinstance(c.get("address"), str):
            index.setdefault(c["address"], c)
    return index


def link(instances: list[Instance], config: dict[str, Any]) -> None:
    """Replace unknown-after-apply link arguments whose expression is a single reference."""
    by_base: dict[str, list[Instance]] = {}
    for inst in instances:
        by_base.setdefault(inst.base, []).append(inst)
        if inst.address != inst.base:  # aws_s3_bucket.b[0]: referenced with its key too
            by_base.setdefault(inst.address, []).append(inst)
    indexes: dict[str, dict[str, dict[str, Any]]] = {}
    exprs: dict[str, dict[str, Any]] = {}
    for inst in instances:
        if inst.module not in indexes:
            indexes[inst.module] = config_index(config_module(config, inst.module))
        conf = indexes[inst.module].get(inst.base[len(inst.module) :], {})
        exprs[inst.id] = obj(conf.get("expressions"))
    for _ in range(_MAX_PASSES):
        linked = 0
        for inst in instances:
            linker = _Linker(inst, by_base, exprs, config)
            linker.body(inst.values, exprs[inst.id], top=True)
            linked += linker.count
        if not linked:
            return


class _Linker:
    """Links one instance's values; counts what it linked (another pass may link more)."""

    __slots__ = ("by_base", "config", "count", "exprs", "inst")

    def __init__(
        self,
        inst: Instance,
        by_base: dict[str, list[Instance]],
        exprs: dict[str, dict[str, Any]],
        config: dict[str, Any],
    ) -> None:
        self.inst, self.by_base, self.exprs, self.config = inst, by_base, exprs, config
        self.count = 0

    def body(self, values: dict[str, Any], exprs: dict[str, Any], *, top: bool) -> None:
        """Link `values` (top-level arguments, or one nested block) through their expressions."""
        args = _LINK_ARGS if top else _NESTED_LINK_ARGS
        for key, expr in exprs.items():
            value = values.get(key)
            if key in args and isinstance(value, Unknown) and isinstance(expr, dict):
                linked = self.target_value(expr.get("references"))
                if linked is not None:
                    values[key] = linked
                    self.count += 1
            elif key in _LINK_BLOCKS and isinstance(expr, list) and isinstance(value, list):
                for v, e in zip(value, expr, strict=False):
                    if isinstance(v, dict) and isinstance(e, dict):
                        self.body(v, e, top=False)

    def target_value(self, refs: Any) -> str | None:
        ref = single_reference(refs)
        target = resolve(ref, self.inst.module, self.config) if ref else None
        if target is None:
            return None
        base, attr = target
        targets = self.by_base.get(base, [])
        if attr not in _LINKABLE or len(targets) != 1:
            return None
        t = targets[0]
        value = known(t, attr) or attributes.managed(t.type, t.id, attr, t.values.get)
        computed = t.values.get(attr) is None or isinstance(t.values.get(attr), Unknown)
        if value is None and t.mode == "managed" and attr not in self.exprs[t.id] and computed:
            # known after apply: the HCL evaluator's own fallback (resource.py), which the
            # normalizers use for the resource itself (a load balancer's or a rule's ARN)
            value = resource_sym(t.id, attr)
        return value if isinstance(value, str) else None


def single_reference(refs: Any) -> str | None:
    """The one reference of an expression: Terraform lists `a.b.c` with its prefix `a.b`
    (and `a.b[0]`); any other second reference (a variable, a local, `count.index`) makes
    the expression something else than that one value."""
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
        return None
    tips = {r for r in refs if not any(o.startswith((f"{r}.", f"{r}[")) for o in refs)}
    return tips.pop() if len(tips) == 1 else None


def resolve(ref: str, prefix: str, config: dict[str, Any], hops: int = 0) -> tuple[str, str] | None:
    """The resource (its address, with the key `ref` gives) and attribute `ref` stands for,
    in the module at `prefix`, following module outputs and inputs; None when not one
    resource attribute."""
    if hops > _MAX_HOPS:
        return None
    m = _OUTPUT_REF.fullmatch(ref)
    if m:
        call = obj(obj(config_module(config, prefix).get("module_calls")).get(m.group(1)))
        if "count_expression" in call or "for_each_expression" in call:
            return None  # one instance's output is written module.m[key].out
        output = obj(obj(obj(call.get("module")).get("outputs")).get(m.group(2)))
        inner = single_reference(obj(output.get("expression")).get("references"))
        child = f"{prefix}module.{m.group(1)}."
        return resolve(inner, child, config, hops + 1) if inner else None
    m = _VAR_REF.fullmatch(ref)
    if m:
        parent = _LAST_CALL.fullmatch(prefix)
        if parent is None:
            return None  # a root variable: the plan already holds its value
        calls = obj(config_module(config, parent.group(1)).get("module_calls"))
        given = obj(obj(obj(calls.get(parent.group(2))).get("expressions")).get(m.group(1)))
        inner = single_reference(given.get("references"))
        return resolve(inner, parent.group(1), config, hops + 1) if inner else None
    m = _RESOURCE_REF.fullmatch(ref)
    if m is None or m.group(1) in _NOT_RESOURCES:
        return None
    return f"{prefix}{m.group(1)}.{m.group(2)}{m.group(3) or ''}", m.group(4)
