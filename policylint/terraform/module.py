"""A Terraform module: its blocks, lazily evaluated, expanded into resource instances."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from policylint.terraform import ast as A
from policylint.terraform.expressions import AnyInstance, Evaluator, to_str
from policylint.terraform.functions import FUNCTIONS
from policylint.terraform.resource import META, ResourceObject, key_suffix
from policylint.terraform.scopes import (
    DataScope,
    LocalScope,
    ModuleOutputs,
    ModuleScope,
    TypeScope,
    VarScope,
)
from policylint.values import Unknown, has_symbol, sym

if TYPE_CHECKING:
    from policylint.findings import InputProblem
    from policylint.terraform.instances import Instance
    from policylint.terraform.resource import Env, Key

MAX_DEPTH = 8
MAX_INSTANCES = 1000
Inputs = Callable[[str], Any]


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
        parent: Module | None = None,
        call: A.Block | None = None,
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
        self.parent = parent  # the calling module and its module block (providers.py)
        self.call = call
        self.provider_blocks: list[A.Block] = []
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
        elif b.type == "provider" and b.labels:
            self.provider_blocks.append(b)

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
                return AnyInstance(objs[0], f"{base}[*]")
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
            parent=self,
            call=block,
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
            elif isinstance(value, AnyInstance) and isinstance(value.instance, ResourceObject):
                yield value.instance.instance()
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
