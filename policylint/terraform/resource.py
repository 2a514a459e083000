"""One resource block instance: attributes evaluated lazily, and its full argument values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.source import SourceRef, Span
from policylint.terraform import ast as A
from policylint.terraform import attributes
from policylint.terraform.expressions import Lazy
from policylint.terraform.instances import Instance
from policylint.values import Unknown, resource_sym

if TYPE_CHECKING:
    from policylint.source import DocPath
    from policylint.terraform.module import Module

META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle", "providers"})
SKIP_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "timeouts"})
Env = dict[str, Any]
Key = int | str | None


def key_suffix(key: Key) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    if key == "*":
        return "[*]"
    return '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'


class ResourceObject(Lazy):
    """One instance of a resource block; attributes are evaluated on first use."""

    def __init__(self, module: Module, block: A.Block, mode: str, key: Key, env: Env) -> None:
        self.module = module
        self.block = block
        self.mode = mode
        self.key = key
        self.env = env
        self.type, self.name = block.labels[0], block.labels[1]
        self.base = module.base_address(mode, self.type, self.name)
        self.address = self.base + key_suffix(key)
        self.label = self.address
        self.id = f"{module.unit}#{self.address}"

    def arg(self, name: str) -> Any:
        attr = self.block.body.attrs.get(name)
        if attr is None or name in META:
            return None
        return self.module.memo(
            f"arg:{self.address}.{name}",
            lambda: self.module.eval(attr.expr, self.block.file, self.env),
        )

    def get(self, key: str) -> Any:
        return self.attr(key)

    def attr(self, name: str) -> Any:
        if self.mode == "managed":
            v = attributes.managed(self.type, self.id, name, self.arg)
        else:
            v = attributes.data(self.type, self.id, name, self.arg, self.policy_json)
        if v is not None:
            return v
        if name in self.block.body.attrs and name not in META:
            return self.arg(name)
        if any(b.type == name for b in self.block.body.blocks):
            return Unknown(f"{self.address}.{name}")
        if self.mode == "managed":
            return resource_sym(self.id, name)
        return Unknown(f"{self.id}.{name}")

    def policy_json(self) -> Any:
        from policylint.terraform.policy_document import build_policy

        def compute() -> Any:
            values, spans = self.values()
            return build_policy(values, spans, self.address)

        return self.module.memo(f"policy:{self.address}", compute)

    def values(self) -> tuple[dict[str, Any], dict[DocPath, Span]]:
        result: tuple[dict[str, Any], dict[DocPath, Span]] = self.module.memo(
            f"values:{self.address}", lambda: _body_values(self, self.block.body, self.env, ())
        )
        return result

    def instance(self) -> Instance:
        from policylint.terraform.providers import resource_assumes_role, resource_region

        values, spans = self.values()
        region, region_ref = resource_region(self.module, self.block, values)
        ref = SourceRef(self.block.file, (self.address,), Span(self.block.line))
        return Instance(
            id=self.id,
            address=self.address,
            mode=self.mode,
            type=self.type,
            values=values,
            ref=ref,
            spans=spans,
            depends=self.module.dependencies(self.block),
            base=self.base,
            module=self.module.prefix,
            region=region,
            region_ref=region_ref,
            assumes_role=resource_assumes_role(self.module, self.block),
        )


def _body_values(
    obj: ResourceObject, body: A.Body, env: Env, path: DocPath
) -> tuple[dict[str, Any], dict[DocPath, Span]]:
    values: dict[str, Any] = {}
    spans: dict[DocPath, Span] = {path: Span(body.line or obj.block.line)}
    module, file = obj.module, obj.block.file
    for name, attr in body.attrs.items():
        if not path and name in META:
            continue
        values[name] = obj.arg(name) if not path else module.eval(attr.expr, file, env)
        spans[(*path, name)] = Span(attr.line)
    for b in body.blocks:
        if b.type in SKIP_BLOCKS:
            continue
        if b.type == "dynamic" and b.labels:
            _dynamic(obj, b, env, path, values, spans)
            continue
        lst = values.setdefault(b.type, [])
        if isinstance(lst, list):
            sub_path = (*path, b.type, len(lst))
            sub, sub_spans = _body_values(obj, b.body, env, sub_path)
            lst.append(sub)
            spans.update(sub_spans)
    return values, spans


def _dynamic(
    obj: ResourceObject,
    b: A.Block,
    env: Env,
    path: DocPath,
    values: dict[str, Any],
    spans: dict[DocPath, Span],
) -> None:
    label = b.labels[0]
    content = next((c for c in b.body.blocks if c.type == "content"), None)
    fe = b.body.attrs.get("for_each")
    it = b.body.attrs.get("iterator")
    iterator = it.expr.name if it is not None and isinstance(it.expr, A.Name) else label
    coll = obj.module.eval(fe.expr, obj.block.file, env) if fe is not None else None
    pairs = (
        list(coll.items())
        if isinstance(coll, dict)
        else (list(enumerate(coll)) if isinstance(coll, list) else None)
    )
    if content is None or pairs is None:
        values[label] = Unknown(f"{obj.address}.{label} (dynamic)")
        return
    lst = values.setdefault(label, [])
    if not isinstance(lst, list):
        return
    for k, v in pairs:
        sub_env = {**env, iterator: {"key": k, "value": v}}
        sub, sub_spans = _body_values(obj, content.body, sub_env, (*path, label, len(lst)))
        lst.append(sub)
        spans.update(sub_spans)
