"""The Terraform configuration syntax tree shared by the HCL and JSON readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Lit:
    value: Any  # str, int, float, bool or None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Template:
    """A string template: literal text and interpolated expressions."""

    parts: tuple[str | Expr, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class TupleExpr:
    items: tuple[Expr, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    items: tuple[tuple[Expr, Expr], ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Name:
    """A bare identifier: the root of a reference (var, local, aws_s3_bucket, each, ...)."""

    name: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class GetAttr:
    obj: Expr
    name: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Index:
    obj: Expr
    key: Expr
    line: int = 0


@dataclass(frozen=True, slots=True)
class Splat:
    """`obj[*].a.b` / `obj.*.a`: apply `ops` (attribute names or index expressions) to each."""

    obj: Expr
    ops: tuple[str | Expr, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    expand: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class Cond:
    test: Expr
    then: Expr
    other: Expr
    line: int = 0


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Expr
    right: Expr
    line: int = 0


@dataclass(frozen=True, slots=True)
class UnOp:
    op: str
    operand: Expr
    line: int = 0


@dataclass(frozen=True, slots=True)
class ForExpr:
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None: a tuple-producing for
    value: Expr
    cond: Expr | None = None
    group: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class Opaque:
    """A construct the evaluator does not model (template directives); always unknown."""

    text: str
    line: int = 0


Expr = (
    Lit
    | Template
    | TupleExpr
    | ObjectExpr
    | Name
    | GetAttr
    | Index
    | Splat
    | Call
    | Cond
    | BinOp
    | UnOp
    | ForExpr
    | Opaque
)


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    expr: Expr
    line: int


@dataclass(slots=True)
class Body:
    attrs: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    line: int
    file: str = ""


def walk(expr: Expr) -> list[Expr]:
    """`expr` and every expression below it (pre-order)."""
    out: list[Expr] = []
    stack: list[Expr] = [expr]
    while stack:
        e = stack.pop()
        out.append(e)
        stack.extend(children(e))
    return out


def children(e: Expr) -> list[Expr]:
    if isinstance(e, Template):
        return [p for p in e.parts if not isinstance(p, str)]
    if isinstance(e, TupleExpr):
        return list(e.items)
    if isinstance(e, ObjectExpr):
        return [x for kv in e.items for x in kv]
    if isinstance(e, (GetAttr,)):
        return [e.obj]
    if isinstance(e, Index):
        return [e.obj, e.key]
    if isinstance(e, Splat):
        return [e.obj, *(o for o in e.ops if not isinstance(o, str))]
    if isinstance(e, Call):
        return list(e.args)
    if isinstance(e, Cond):
        return [e.test, e.then, e.other]
    if isinstance(e, BinOp):
        return [e.left, e.right]
    if isinstance(e, UnOp):
        return [e.operand]
    if isinstance(e, ForExpr):
        return [x for x in (e.collection, e.key, e.value, e.cond) if x is not None]
    return []


def traversal(e: Expr) -> tuple[str, ...] | None:
    """`a.b["c"][0]` -> ("a", "b", "c", "0") for static traversals, else None."""
    parts: list[str] = []
    while True:
        if isinstance(e, Name):
            parts.append(e.name)
            return tuple(reversed(parts))
        if isinstance(e, GetAttr):
            parts.append(e.name)
            e = e.obj
        elif isinstance(e, Index) and isinstance(e.key, Lit):
            parts.append(str(e.key.value))
            e = e.obj
        elif isinstance(e, (Index, Splat)):
            parts.clear()
            e = e.obj
        else:
            return None


def references(e: Expr) -> list[tuple[str, ...]]:
    """Every reference traversal in `e` (outermost only), e.g. ("aws_s3_bucket", "b", "id")."""
    out: list[tuple[str, ...]] = []
    stack: list[Expr] = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, (Name, GetAttr, Index, Splat)):
            t = _root_traversal(x)
            if t:
                out.append(t)
            y: Expr = x
            while isinstance(y, (GetAttr, Index, Splat)):
                if isinstance(y, Index):
                    stack.append(y.key)
                elif isinstance(y, Splat):
                    stack.extend(o for o in y.ops if not isinstance(o, str))
                y = y.obj
            if not isinstance(y, Name):
                stack.append(y)
            continue
        stack.extend(children(x))
    return out


def _root_traversal(e: Expr) -> tuple[str, ...]:
    parts: list[str] = []
    while True:
        if isinstance(e, Name):
            parts.append(e.name)
            return tuple(reversed(parts))
        if isinstance(e, GetAttr):
            parts.append(e.name)
            e = e.obj
        elif isinstance(e, Index):
            parts.append(str(e.key.value) if isinstance(e.key, Lit) else "*")
            e = e.obj
        elif isinstance(e, Splat):
            parts.clear()
            e = e.obj
        else:
            return ()
