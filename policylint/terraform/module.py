"""A Terraform module: its blocks, lazily evaluated, expanded into resource instances."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from policylint.findings import InputProblem
from policylint.source import DocPath, SourceRef, Span
from policylint.terraform import ast as A
from policylint.terraform import attributes
from policylint.terraform.expressions import Evaluator, Lazy, to_str
from policylint.terraform.functions import FUNCTIONS
from policylint.terraform.instances import Instance
from policylint.terraform.scopes import (
    DataScope,
    LocalScope,
    ModuleOutputs,
    ModuleScope,
    TypeScope,
    VarScope,
)
from policylint.values import Unknown, has_symbol, resource_sym, sym

META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle", "providers"})
SKIP_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "timeouts"})
MAX_DEPTH = 8
MAX_INSTANCES = 1000
Env = dict[str, Any]
Key = int | str | None
Inputs = Callable[[str], Any]


def key_suffix(key: Key) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    if key == "*":
        return "[*]"
    return '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'


class Module:
    """One module instance (the root, or `module.cdn` / `module.cdn["a"]` below it)."""

    def __init__(
        self,
        *,
        unit: str,
        directory: str,
        blocks: list[A.Block],
        prefix: str = "",
        inputs: Inputs | None = None,
        input_names: frozenset[str] = frozenset(),
        root_dir: str = "",
        problems: list[InputProblem],
        stack: tuple[str, ...] = (),
        read_dir: Callable[[str], list[A.Block]] | None = None,
    ) -> None:
        self.unit = unit
        self.dir = directory
        self.prefix = prefix
        self.inputs = inputs
        self.input_names = input_names
        self.root_dir = root_dir or directory
        self.problems = problems
        self.stack = stack
        self.read_dir = read_dir
        self.variables: dict[str, A.Block] = {}
        self.locals: dict[str, A.Attribute] = {}
        self.outputs: dict[str, A.Block] = {}
        self.resources: dict[tuple[str, str, str], A.Block] = {}
        self.modules: dict[str, A.Block] = {}
        self.types: set[str] = set()
        self.local_files: dict[str, str] = {}
        self.cache: dict[str, Any] = {}
        self.active: set[str] = set()
        self.evaluators: dict[str, Evaluator] = {}
        for b in blocks:
            self._index(b)

    def _index(self, b: A.Block) -> None:
        if b.type == "variable" and b.labels:
            self.variables[b.labels[0]] = b
        elif b.type == "locals":
            for name, attr in b.body.attrs.items():
                self.locals[name] = attr
                self.local_files[name] = b.file
        elif b.type == "output" and b.labels:
            self.outputs[b.labels[0]] = b
        elif b.type in ("resource", "data") and len(b.labels) >= 2:
            mode = "managed" if b.type == "resource" else "data"
            self.resources[(mode, b.labels[0], b.labels[1])] = b
            if mode == "managed":
                self.types.add(b.labels[0])
        elif b.type == "module" and b.labels:
            self.modules[b.labels[0]] = b

    # --- evaluation ------------------------------------------------------------------------
    def _evaluator(self, file: str) -> Evaluator:
        ev = self.evaluators.get(file)
        if ev is None:
            ev = Evaluator(self.root, FUNCTIONS, origin=f"{self.prefix}{file}")
            self.evaluators[file] = ev
        return ev

    def eval(self, expr: A.Expr, file: str, env: Env | None = None) -> Any:
        return self._evaluator(file).eval(expr, env)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self.cache:
            return self.cache[key]
        if key in self.active:
            return Unknown(f"cycle: {self.prefix}{key}")
        self.active.add(key)
        try:
            value = compute()
        finally:
            self.active.discard(key)
        self.cache[key] = value
        return value

    def root(self, name: str, line: int) -> Any:
        if name == "var":
            return VarScope(self)
        if name == "local":
            return LocalScope(self)
        if name == "data":
            return DataScope(self)
        if name == "module":
            return ModuleScope(self)
        if name == "path":
            return {"module": self.dir, "root": self.root_dir, "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name in self.types:
            return TypeScope(self, "managed", name)
        return Unknown(f"{self.prefix}{name}")

    def variable(self, name: str) -> Any:
        def compute() -> Any:
            label = f"{self.prefix}var.{name}"
            if self.inputs is not None and name in self.input_names:
                return self.inputs(name)
            block = self.variables.get(name)
            if block is None:
                return Unknown(label)
            default = block.body.attrs.get("default")
            if default is not None:
                return self.eval(default.expr, block.file)
            vtype = block.body.attrs.get("type")
            scalar = vtype is not None and isinstance(vtype.expr, A.Name)
            if scalar and vtype is not None and vtype.expr.name in ("string", "number", "bool"):  # type: ignore[union-attr]
                return sym(label)
            return Unknown(label)

        return self.memo(f"var.{name}", compute)

    def local(self, name: str) -> Any:
        attr = self.locals.get(name)
        if attr is None:
            return Unknown(f"{self.prefix}local.{name}")
        file = self.local_files.get(name, "")
        return self.memo(f"local.{name}", lambda: self.eval(attr.expr, file))

    def output(self, name: str) -> Any:
        block = self.outputs.get(name)
        if block is None or "value" not in block.body.attrs:
            return Unknown(f"{self.prefix}output.{name}")
        expr = block.body.attrs["value"].expr
        return self.memo(f"output.{name}", lambda: self.eval(expr, block.file))

    # --- resources -------------------------------------------------------------------------
    def expansion(self, block: A.Block) -> list[tuple[Key, Env]]:
        """The instance keys of a resource or module block (count / for_each)."""
        attrs = block.body.attrs
        if "count" in attrs:
            n = self.eval(attrs["count"].expr, block.file)
            if isinstance(n, float) and n.is_integer():
                n = int(n)
            if isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_INSTANCES:
                return [(i, {"count": {"index": i}}) for i in range(n)]
            return [("*", {"count": {"index": Unknown("count.index")}})]
        if "for_each" in attrs:
            coll = self.eval(attrs["for_each"].expr, block.file)
            if isinstance(coll, dict) and len(coll) <= MAX_INSTANCES:
                return [(k, {"each": {"key": k, "value": v}}) for k, v in coll.items()]
            if isinstance(coll, list) and all(
                isinstance(x, str) and not has_symbol(x) for x in coll
            ):
                return [(k, {"each": {"key": k, "value": k}}) for k in dict.fromkeys(coll)]
            each = {"key": Unknown("each.key"), "value": Unknown("each.value")}
            return [("*", {"each": each})]
        return [(None, {})]

    def resource_value(self, mode: str, rtype: str, name: str) -> Any:
        block = self.resources.get((mode, rtype, name))
        base = self.base_address(mode, rtype, name)
        if block is None:
            return Unknown(base)

        def compute() -> Any:
            keys = self.expansion(block)
            objs = [ResourceObject(self, block, mode, k, env) for k, env in keys]
            if keys == [(None, {})]:
                return objs[0]
            if any(k == "*" for k, _ in keys):
                return Unknown(f"{base}[*]")
            if "count" in block.body.attrs:
                return objs
            return {str(o.key): o for o in objs}

        return self.memo(f"resource:{base}", compute)

    def base_address(self, mode: str, rtype: str, name: str) -> str:
        return f"{self.prefix}{'data.' if mode == 'data' else ''}{rtype}.{name}"

    # --- modules ---------------------------------------------------------------------------
    def module_value(self, name: str) -> Any:
        return self.memo(f"module:{name}", lambda: self._module_value(name))

    def _module_value(self, name: str) -> Any:
        children = self.children(name)
        if isinstance(children, Unknown):
            return children
        block = self.modules[name]
        if "count" in block.body.attrs:
            return [ModuleOutputs(c) for _, c in children]
        if "for_each" in block.body.attrs:
            return {str(k): ModuleOutputs(c) for k, c in children}
        return ModuleOutputs(children[0][1])

    def children(self, name: str) -> list[tuple[Key, Module]] | Unknown:
        key = f"children:{name}"
        if key not in self.cache:
            self.cache[key] = self._children(name)
        result: list[tuple[Key, Module]] | Unknown = self.cache[key]
        return result

    def _children(self, name: str) -> list[tuple[Key, Module]] | Unknown:
        label = f"{self.prefix}module.{name}"
        block = self.modules.get(name)
        if block is None or "source" not in block.body.attrs:
            return Unknown(label)
        source = to_str(self.eval(block.body.attrs["source"].expr, block.file))
        if source is None or not source.startswith(("./", "../")) or self.read_dir is None:
            return Unknown(label)
        directory = os.path.normpath(os.path.join(self.dir, source))
        if directory in self.stack or len(self.stack) >= MAX_DEPTH:
            return Unknown(label)
        blocks = self.read_dir(directory)
        out: list[tuple[Key, Module]] = []
        for k, env in self.expansion(block):
            if k == "*":
                return Unknown(f"{label}[*]")
            out.append((k, self._child(block, directory, blocks, f"{label}{key_suffix(k)}.", env)))
        return out

    def _child(
        self, block: A.Block, directory: str, blocks: list[A.Block], prefix: str, env: Env
    ) -> Module:
        names = frozenset(
            n for n in block.body.attrs if n not in META and n not in ("source", "version")
        )

        def inputs(var: str) -> Any:
            return self.eval(block.body.attrs[var].expr, block.file, env)

        return Module(
            unit=self.unit,
            directory=directory,
            blocks=blocks,
            prefix=prefix,
            inputs=inputs,
            input_names=names,
            root_dir=self.root_dir,
            problems=self.problems,
            stack=(*self.stack, self.dir),
            read_dir=self.read_dir,
        )

    # --- instances -------------------------------------------------------------------------
    def instances(self) -> Iterator[Instance]:
        for (mode, rtype, name), _block in self.resources.items():
            value = self.resource_value(mode, rtype, name)
            if isinstance(value, ResourceObject):
                yield value.instance()
            elif isinstance(value, list):
                yield from (o.instance() for o in value)
            elif isinstance(value, dict):
                yield from (o.instance() for o in value.values())
            elif isinstance(value, Unknown):
                block = self.resources[(mode, rtype, name)]
                keys = self.expansion(block)
                yield ResourceObject(self, block, mode, keys[0][0], keys[0][1]).instance()
        for name in self.modules:
            children = self.children(name)
            if not isinstance(children, Unknown):
                for _, child in children:
                    yield from child.instances()

    def dependencies(self, block: A.Block) -> frozenset[str]:
        out: set[str] = set()
        seen: set[str] = set()
        exprs = list(_body_exprs(block.body))
        while exprs:
            e = exprs.pop()
            for ref in A.references(e):
                if ref[0] == "local" and len(ref) > 1 and ref[1] not in seen:
                    seen.add(ref[1])
                    if ref[1] in self.locals:
                        exprs.append(self.locals[ref[1]].expr)
                elif ref[0] == "data" and len(ref) > 2:
                    out.add(self.base_address("data", ref[1], ref[2]))
                elif ref[0] == "module" and len(ref) > 1:
                    out.add(f"{self.prefix}module.{ref[1]}")
                elif ref[0] in self.types and len(ref) > 1:
                    out.add(self.base_address("managed", ref[0], ref[1]))
        return frozenset(out)


def _body_exprs(body: A.Body) -> Iterator[A.Expr]:
    for attr in body.attrs.values():
        yield attr.expr
    for b in body.blocks:
        yield from _body_exprs(b.body)


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
        values, spans = self.values()
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
