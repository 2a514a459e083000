"""The AWS region a Terraform resource is created in, from its provider configuration.

A resource uses the provider configuration its `provider` meta-argument names (`aws.virginia`),
else the default configuration of its type's provider (`aws`). A child module sees its parent's
default configurations, or only those its module call passes in `providers = {...}`. The region
is the configuration's `region` argument when it evaluates to a literal region; a region from the
environment (AWS_REGION, a profile) is never read, so everything else stays unknown. Unknown is
"" (the region the symbol AWS::Region stands for) only for the root module's default configuration;
any other configuration, or a per-resource `region` (AWS provider 6, it wins over the provider's),
may name another region, so it gets a symbol of its own: the `accounts` setting's Region, which
replaces AWS::Region, must not reach it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from policylint.source import SourceRef, Span
from policylint.terraform import ast as A
from policylint.values import has_symbol, sym

if TYPE_CHECKING:
    from policylint.model import Declared
    from policylint.source import DocPath, Document
    from policylint.terraform.instances import Instance
    from policylint.terraform.module import Module

_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)?$")
# A block with only these arguments configures nothing: a proxy for a configuration passed in.
_PROXY_ARGS = frozenset({"alias", "version"})
# The region and the setting it comes from; ("", None): AWS::Region's, not known.
Placement = tuple[str, SourceRef | None]
_UNKNOWN: Placement = ("", None)


def _unknown(key: str, root_default: bool) -> Placement:
    """An unknown region: AWS::Region's for the root default configuration, else its own."""
    return _UNKNOWN if root_default else (sym(f"provider-region:{key}"), None)


def literal_region(value: Any) -> str:
    """`value` when it is certainly one region name, else ""."""
    if isinstance(value, str) and not has_symbol(value) and _REGION.match(value):
        return value
    return ""


def ref_name(e: A.Expr) -> str | None:
    """`aws` / `aws.virginia` from a provider reference (HCL, or a .tf.json string)."""
    if isinstance(e, A.Name):
        return e.name
    if isinstance(e, A.GetAttr) and isinstance(e.obj, A.Name):
        return f"{e.obj.name}.{e.name}"
    if isinstance(e, A.Lit) and isinstance(e.value, str) and _KEY.match(e.value):
        return e.value
    return None


def provider_key(block: A.Block) -> str | None:
    """The provider configuration a resource block uses, as named in its own module."""
    attr = block.body.attrs.get("provider")
    if attr is None:
        return block.labels[0].split("_", 1)[0] if block.labels else None
    return ref_name(attr.expr)


def resource_region(module: Module, block: A.Block, values: dict[str, Any]) -> Placement:
    """The region a resource block's instance is certainly created in, and where it is set."""
    attr = block.body.attrs.get("region")
    if attr is not None and _has_region_argument(block):
        owner = module.base_address("managed", *block.labels[:2])
        region = literal_region(values.get("region")) or sym(f"region:{owner}")
        return (region, _ref(block, attr, owner))
    key = provider_key(block)
    return config_region(module, key) if key else _unknown(f"{module.prefix}?", False)


def _ref(block: A.Block, attr: A.Attribute, owner: str) -> SourceRef:
    return SourceRef(block.file, (owner, "region"), Span(attr.line or block.line))


def _has_region_argument(block: A.Block) -> bool:
    # only aws_* resources read `region` as the AWS provider 6 override
    return bool(block.labels) and block.labels[0].startswith("aws_")


def config_region(module: Module, key: str) -> Placement:
    """The region of provider configuration `key` as module `module` names it."""
    value = module.memo(f"provider-region:{key}", lambda: _config_region(module, key))
    return value if isinstance(value, tuple) else _UNKNOWN


def _config_region(module: Module, key: str) -> Placement:
    parent, call = module.parent, module.call
    unknown = _unknown(f"{module.prefix}{key}", parent is None and "." not in key)
    own = [b for b in module.provider_blocks if _block_key(module, b) == key]
    if len(own) > 1:
        return unknown  # duplicate configurations: Terraform rejects them
    if own and not set(own[0].body.attrs) <= _PROXY_ARGS:
        attr = own[0].body.attrs.get("region")
        if attr is None:
            return unknown  # the region comes from the environment
        region = literal_region(module.eval(attr.expr, own[0].file))
        return (region, _ref(own[0], attr, f"{module.prefix}provider.{key}")) if region else unknown
    if parent is None or call is None:
        return unknown  # the root without a configuration: the region comes from the environment
    passed = call.body.attrs.get("providers")
    if passed is None:
        # without `providers`, a child inherits only the default (unaliased) configurations
        return config_region(parent, key) if "." not in key and not own else unknown
    mapping = _mapping(passed.expr)
    target = mapping.get(key) if mapping is not None else None
    return config_region(parent, target) if target else unknown


def _block_key(module: Module, block: A.Block) -> str | None:
    name = block.labels[0] if block.labels else ""
    attr = block.body.attrs.get("alias")
    if attr is None:
        return name
    alias = module.eval(attr.expr, block.file)
    return f"{name}.{alias}" if isinstance(alias, str) and _KEY.match(alias) else None


def _mapping(e: A.Expr) -> dict[str, str] | None:
    """A module call's `providers` map, child name -> parent name (None: not readable)."""
    if not isinstance(e, A.ObjectExpr):
        return None
    out: dict[str, str] = {}
    for k, v in e.items:
        child, parent = ref_name(k), ref_name(v)
        if child is None or parent is None:
            return None
        out[child] = parent
    return out


# -- plans -------------------------------------------------------------------------------------


def plan_regions(doc: Document) -> dict[str, Placement]:
    """Each `configuration.provider_config` key of a plan -> its literal region.

    A region is read from a constant, or from a root variable the plan gives a value (the plan
    records only the references of other expressions, so those stay unknown)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    config = data.get("configuration")
    configs = config.get("provider_config") if isinstance(config, dict) else None
    variables = data.get("variables")
    out: dict[str, Placement] = {}
    if not isinstance(configs, dict):
        return out
    for key, pc in configs.items():
        exprs = pc.get("expressions") if isinstance(pc, dict) else None
        expr = exprs.get("region") if isinstance(exprs, dict) else None
        if not isinstance(expr, dict):
            continue
        region = literal_region(expr.get("constant_value"))
        refs = expr.get("references")
        if not region and refs and isinstance(refs, list) and not pc.get("module_address"):
            region = _root_variable(refs, variables)
        if region:
            out[str(key)] = (
                region,
                doc.ref(("configuration", "provider_config", key, "expressions", "region")),
            )
    return out


def _root_variable(refs: list[Any], variables: Any) -> str:
    """The value of `var.X` when the expression references exactly that variable."""
    names = {r for r in refs if isinstance(r, str)}
    if len(names) != 1 or len(refs) != 1:
        return ""
    name = names.pop()
    if not name.startswith("var.") or not _KEY.match(name[4:]) or "." in name[4:]:
        return ""
    var = variables.get(name[4:]) if isinstance(variables, dict) else None
    return literal_region(var.get("value")) if isinstance(var, dict) else ""


def plan_resource_region(
    doc: Document,
    r: dict[str, Any],
    path: DocPath,
    conf: dict[str, Any],
    regions: dict[str, Placement],
) -> Placement:
    """A planned resource's region: its own planned `region` (AWS provider 6), else its
    provider configuration's (`provider_config_key` of its configuration)."""
    values = r.get("values")
    address = str(r.get("address"))
    if (
        str(r.get("type", "")).startswith("aws_")
        and isinstance(values, dict)
        and "region" in values
    ):
        region = literal_region(values.get("region")) or sym(f"region:{address}")
        return (region, doc.ref((*path, "values", "region")))
    key = conf.get("provider_config_key")
    if not isinstance(key, str):
        return _unknown(f"{address}?", False)
    # "aws" is the root default configuration; "aws.x" an alias, "module.m:aws" a module's own
    return regions.get(key) or _unknown(key, "." not in key and ":" not in key)


# -- accounts ----------------------------------------------------------------------------------

# Blocks that make a provider configuration act in an account the credentials choose.
_ASSUME = ("assume_role", "assume_role_with_web_identity")


def _has_assume(block: A.Block) -> bool:
    return any(k in block.body.attrs for k in _ASSUME) or any(
        b.type in _ASSUME for b in block.body.blocks
    )


def resource_assumes_role(module: Module, block: A.Block) -> bool:
    """Whether a resource block's provider configuration may act in another account (it
    assumes a role, or is not resolved)."""
    key = provider_key(block)
    return config_assumes_role(module, key) if key else True


def config_assumes_role(module: Module, key: str) -> bool:
    """Whether provider configuration `key` of `module` assumes a role (True when not known)."""
    value = module.memo(f"provider-assumes:{key}", lambda: _config_assumes(module, key))
    return value if isinstance(value, bool) else True


def _config_assumes(module: Module, key: str) -> bool:
    parent, call = module.parent, module.call
    own = [b for b in module.provider_blocks if _block_key(module, b) == key]
    if len(own) > 1:
        return True
    if own and _has_assume(own[0]):
        return True
    if own and (own[0].body.blocks or not set(own[0].body.attrs) <= _PROXY_ARGS):
        return False
    if parent is None or call is None:
        return False  # no configuration: the run's own credentials
    passed = call.body.attrs.get("providers")
    if passed is None:
        return config_assumes_role(parent, key) if "." not in key and not own else True
    mapping = _mapping(passed.expr)
    target = mapping.get(key) if mapping is not None else None
    return config_assumes_role(parent, target) if target else True


def plan_assumed(doc: Document) -> frozenset[str]:
    """The `configuration.provider_config` keys of a plan that assume a role."""
    data = doc.data if isinstance(doc.data, dict) else {}
    config = data.get("configuration")
    configs = config.get("provider_config") if isinstance(config, dict) else None
    if not isinstance(configs, dict):
        return frozenset()
    return frozenset(
        str(key)
        for key, pc in configs.items()
        if isinstance(pc, dict)
        and isinstance(pc.get("expressions"), dict)
        and any(k in pc["expressions"] for k in _ASSUME)
    )


def plan_resource_assumes(conf: dict[str, Any], assumed: frozenset[str]) -> bool:
    """Whether a planned resource's provider configuration assumes a role (True: not known)."""
    key = conf.get("provider_config_key")
    return key in assumed if isinstance(key, str) else True


def declared(instances: list[Instance]) -> tuple[Declared, ...]:
    """The managed instances as `Declared`, with the Region and account of their create calls
    and what AWS::Region / AWS::AccountId in their values may stand for (see accounts.py)."""
    from policylint.model import Declared

    regions = {i.region for i in instances}
    assumed = any(i.assumes_role for i in instances)
    origins = _origins(instances) if len(regions) > 1 or assumed else {}
    out: list[Declared] = []
    for i in instances:
        if i.mode != "managed":
            continue
        seen, own_assumed = origins.get(i.id, (frozenset({i.region}) - {""}, i.assumes_role))
        out.append(
            Declared(
                id=i.id,
                name=i.address,
                type=i.type,
                ref=i.ref,
                region=i.region or None,
                account=sym(f"provider-account:{i.address}") if i.assumes_role else None,
                value_regions=seen,
                value_account_unknown=own_assumed,
            )
        )
    return tuple(out)


def _origins(instances: list[Instance]) -> dict[str, tuple[frozenset[str], bool]]:
    """Per instance: the provider regions ("" left out) and whether a role is assumed, over it
    and everything it references, transitively."""
    by_base: dict[str, list[Instance]] = {}
    for i in instances:
        by_base.setdefault(i.base or i.address, []).append(i)
    mixed = len({i.region for i in instances}) > 1
    assumed = any(i.assumes_role for i in instances)
    out: dict[str, tuple[frozenset[str], bool]] = {}
    for i in instances:
        if i.mode != "managed":
            continue
        regions: set[str] = set()
        role = False
        seen = {i.id}
        stack = [i]
        while stack:
            j = stack.pop()
            if j.region:
                regions.add(j.region)
            role = role or j.assumes_role
            for dep in j.depends:
                for k in _matching(dep, by_base):
                    if k.id not in seen:
                        seen.add(k.id)
                        stack.append(k)
        if i.module or i.doc is not None:
            # a child module's variables (and a plan's locals) carry references not followed
            if mixed:
                regions.add(sym(f"caller-region:{i.address}"))
            role = role or assumed
        out[i.id] = (frozenset(regions), role)
    return out


def _matching(dep: str, by_base: dict[str, list[Instance]]) -> list[Instance]:
    found = by_base.get(dep)
    if found is not None:
        return found
    if not dep.startswith("module.") and ".module." not in dep:
        return []
    return [i for b, xs in by_base.items() if b.startswith((f"{dep}.", f"{dep}[")) for i in xs]
