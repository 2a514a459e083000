"""A small evaluator for Terraform expressions. What cannot be known stays symbolic."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from policylint.source import Span
from policylint.terraform import ast as A
from policylint.values import Unknown, has_symbol, sym

if TYPE_CHECKING:
    from policylint.source import DocPath

MAX_ITEMS = 10_000


class Lazy:
    """An object whose attributes are computed on demand (a resource, `var`, `local`, ...)."""

    label = "object"

    def get(self, key: str) -> Any:
        raise NotImplementedError


class AnyInstance(Lazy):
    """A resource whose count / for_each is unknown: any index names its one template instance
    (`aws_s3_bucket.b[0].id` is the id of `aws_s3_bucket.b[*]`); anything else is unknown."""

    def __init__(self, instance: Lazy, label: str) -> None:
        self.instance = instance
        self.label = label

    def get(self, key: str) -> Any:
        return Unknown(f"{self.label}.{key}")


class JsonEncoded:
    """The result of `jsonencode(x)`: a string, which also remembers `x` (and its lines)."""

    __slots__ = ("data", "spans")

    def __init__(self, data: Any, spans: dict[DocPath, Span] | None = None) -> None:
        self.data = data
        self.spans = spans or {}

    def text(self) -> str:
        return json.dumps(self.data, default=_json_default, ensure_ascii=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonEncoded) and self.text() == other.text()

    def __hash__(self) -> int:
        return hash(self.text())


def _json_default(o: Any) -> Any:
    if isinstance(o, JsonEncoded):
        return o.text()
    if isinstance(o, Unknown):
        return sym(o.reason)
    if isinstance(o, Lazy):
        return sym(o.label)
    raise TypeError(type(o).__name__)


def unknown(reason: str) -> Unknown:
    return Unknown(reason)


def to_str(v: Any) -> str | None:
    """String conversion as in Terraform; unknown values become symbols, None stays None."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, Unknown):
        return sym(v.reason)
    if isinstance(v, JsonEncoded):
        return v.text()
    if isinstance(v, Lazy):
        return sym(v.label)
    return None


def is_known(v: Any) -> bool:
    """True if `v` holds no Unknown anywhere (symbols inside strings are fine)."""
    if isinstance(v, (Unknown, Lazy)):
        return False
    if isinstance(v, list):
        return all(is_known(x) for x in v)
    if isinstance(v, dict):
        return all(is_known(x) for x in v.values())
    return True


def plain(v: Any) -> Any:
    """Deep copy with JsonEncoded turned into its text and Lazy objects into unknowns."""
    if isinstance(v, JsonEncoded):
        return v.text()
    if isinstance(v, Lazy):
        return Unknown(v.label)
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def literal_spans(e: A.Expr, base: DocPath = ()) -> dict[DocPath, Span]:
    """Lines of the literal objects and tuples inside `e`, keyed by their path."""
    out: dict[DocPath, Span] = {base: Span(e.line)} if e.line else {}
    if isinstance(e, A.ObjectExpr):
        for k, v in e.items:
            if isinstance(k, A.Lit) and isinstance(k.value, str):
                out.update(literal_spans(v, (*base, k.value)))
    elif isinstance(e, A.TupleExpr):
        for i, v in enumerate(e.items):
            out.update(literal_spans(v, (*base, i)))
    return out


Roots = Callable[[str, int], Any]


class Evaluator:
    """Evaluates expressions; `roots(name, line)` gives the value of a top-level name."""

    def __init__(
        self, roots: Roots, functions: Mapping[str, Callable[..., Any]], origin: str = ""
    ) -> None:
        self.roots = roots
        self.functions = functions
        self.origin = origin  # the file, so that unknowns from different places differ

    def _u(self, what: str, line: int) -> Unknown:
        return Unknown(f"{what} at {self.origin}:{line}")

    def eval(self, e: A.Expr, env: Mapping[str, Any] | None = None) -> Any:
        env = env or {}
        if isinstance(e, A.Lit):
            return e.value
        if isinstance(e, A.Template):
            return self.template(e, env)
        if isinstance(e, A.TupleExpr):
            return [self.eval(x, env) for x in e.items]
        if isinstance(e, A.ObjectExpr):
            obj: dict[str, Any] = {}
            for k, v in e.items:
                key = to_str(self.eval(k, env))
                if key is None or has_symbol(key):
                    return self._u("object key", e.line)
                obj[key] = self.eval(v, env)
            return obj
        if isinstance(e, A.Name):
            if e.name in env:
                return env[e.name]
            return self.roots(e.name, e.line)
        if isinstance(e, A.GetAttr):
            return get_attr(self.eval(e.obj, env), e.name, self._where(e.line))
        if isinstance(e, A.Index):
            return get_index(self.eval(e.obj, env), self.eval(e.key, env), self._where(e.line))
        if isinstance(e, A.Splat):
            return self.splat(e, env)
        if isinstance(e, A.Call):
            return self.call(e, env)
        if isinstance(e, A.Cond):
            test = self.eval(e.test, env)
            if isinstance(test, bool):
                return self.eval(e.then if test else e.other, env)
            a, b = self.eval(e.then, env), self.eval(e.other, env)
            return a if _same(a, b) else self._u("condition", e.line)
        if isinstance(e, A.BinOp):
            return binop(e.op, self.eval(e.left, env), self.eval(e.right, env), self._where(e.line))
        if isinstance(e, A.UnOp):
            v = self.eval(e.operand, env)
            if e.op == "!" and isinstance(v, bool):
                return not v
            if e.op == "-" and isinstance(v, (int, float)) and not isinstance(v, bool):
                return -v
            return self._u("expression", e.line)
        if isinstance(e, A.ForExpr):
            return self.for_expr(e, env)
        return self._u("unsupported expression", e.line)

    def _where(self, line: int) -> str:
        return f"{self.origin}:{line}"

    def template(self, e: A.Template, env: Mapping[str, Any]) -> Any:
        if len(e.parts) == 1 and not isinstance(e.parts[0], str):
            return self.eval(e.parts[0], env)
        out: list[str] = []
        for p in e.parts:
            if isinstance(p, str):
                out.append(p)
                continue
            v = self.eval(p, env)
            s = to_str(v) if v is not None else ""
            out.append(s if s is not None else sym(f"value at {self.origin}:{e.line}"))
        return "".join(out)

    def splat(self, e: A.Splat, env: Mapping[str, Any]) -> Any:
        base = self.eval(e.obj, env)
        if isinstance(base, (Unknown, Lazy)):
            return self._u("splat", e.line)
        items = base if isinstance(base, list) else ([] if base is None else [base])
        out = []
        for item in items:
            v = item
            for op in e.ops:
                w = self._where(e.line)
                v = (
                    get_attr(v, op, w)
                    if isinstance(op, str)
                    else get_index(v, self.eval(op, env), w)
                )
            out.append(v)
        return out

    def call(self, e: A.Call, env: Mapping[str, Any]) -> Any:
        name = e.name.rsplit("::", 1)[-1]
        if name == "jsonencode" and len(e.args) == 1:
            return JsonEncoded(self.eval(e.args[0], env), literal_spans(e.args[0]))
        if name in ("try", "can"):
            return self.try_call(name, e, env)
        args = [self.eval(a, env) for a in e.args]
        if e.expand and args:
            last = args.pop()
            if not isinstance(last, list):
                return self._u(f"{name}(...)", e.line)
            args.extend(last)
        fn = self.functions.get(name)
        if fn is None:
            return self._u(f"{name}()", e.line)
        try:
            return fn(*args)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError):
            return self._u(f"{name}()", e.line)

    def try_call(self, name: str, e: A.Call, env: Mapping[str, Any]) -> Any:
        for a in e.args:
            v = self.eval(a, env)
            if isinstance(v, Unknown) and v.reason.startswith("error:"):
                continue
            if not is_known(v):
                return self._u(f"{name}()", e.line)
            return True if name == "can" else v
        return False if name == "can" else self._u(f"{name}()", e.line)

    def for_expr(self, e: A.ForExpr, env: Mapping[str, Any]) -> Any:
        coll = self.eval(e.collection, env)
        pairs: list[tuple[Any, Any]]
        if isinstance(coll, list):
            pairs = list(enumerate(coll))
        elif isinstance(coll, dict):
            pairs = list(coll.items())
        else:
            return self._u("for expression", e.line)
        tuple_out: list[Any] = []
        obj_out: dict[str, Any] = {}
        for k, v in pairs[:MAX_ITEMS]:
            scope = dict(env)
            scope[e.value_var] = v
            if e.key_var:
                scope[e.key_var] = k
            if e.cond is not None:
                c = self.eval(e.cond, scope)
                if not isinstance(c, bool):
                    return self._u("for expression", e.line)
                if not c:
                    continue
            val = self.eval(e.value, scope)
            if e.key is None:
                tuple_out.append(val)
                continue
            key = to_str(self.eval(e.key, scope))
            if key is None or has_symbol(key):
                return self._u("for expression", e.line)
            if e.group:
                obj_out.setdefault(key, []).append(val)
            else:
                obj_out[key] = val
        return tuple_out if e.key is None else obj_out


def _same(a: Any, b: Any) -> bool:
    return is_known(a) and is_known(b) and type(a) is type(b) and a == b


def get_attr(obj: Any, name: str, where: str = "") -> Any:
    if isinstance(obj, Lazy):
        return obj.get(name)
    if isinstance(obj, dict) and name in obj:
        return obj[name]
    if isinstance(obj, Unknown) and not obj.reason.startswith("error:"):
        return Unknown(f"{obj.reason}.{name}")
    return Unknown(f"error: no attribute {name} at {where}")


def get_index(obj: Any, key: Any, where: str = "") -> Any:
    if isinstance(obj, AnyInstance):
        return obj.instance
    if isinstance(obj, Unknown) and not obj.reason.startswith("error:"):
        k = to_str(key)
        return Unknown(f"{obj.reason}[{json.dumps(k) if isinstance(key, str) else k}]")
    if isinstance(key, Unknown):
        return Unknown(f"index {key.reason} at {where}")
    if isinstance(obj, list):
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(obj):
            return obj[key]
    elif isinstance(obj, (dict, Lazy)):
        k = to_str(key)
        if isinstance(obj, Lazy) and k is not None:
            return obj.get(k)
        if isinstance(obj, dict) and k in obj:
            return obj[k]
    return Unknown(f"error: no index {key!r} at {where}")


def binop(op: str, a: Any, b: Any, where: str) -> Any:
    unknown_result = Unknown(f"expression at {where}")
    if op in ("&&", "||"):
        if isinstance(a, bool) and isinstance(b, bool):
            return (a and b) if op == "&&" else (a or b)
        if op == "&&" and (a is False or b is False):
            return False
        if op == "||" and (a is True or b is True):
            return True
        return unknown_result
    if op in ("==", "!="):
        if not (is_known(a) and is_known(b)):
            return unknown_result
        ea, eb = _cmp_form(a), _cmp_form(b)
        symbolic = (
            isinstance(ea, str) and isinstance(eb, str) and (has_symbol(ea) or has_symbol(eb))
        )
        if symbolic and ea != eb:
            return unknown_result
        eq = ea == eb
        return eq if op == "==" else not eq
    na, nb = _number(a), _number(b)
    if na is None or nb is None:
        return unknown_result
    try:
        if op == "+":
            return na + nb
        if op == "-":
            return na - nb
        if op == "*":
            return na * nb
        if op == "/":
            r = na / nb
            return int(r) if r.is_integer() else r
        if op == "%":
            return na % nb
        return {"<": na < nb, ">": na > nb, "<=": na <= nb, ">=": na >= nb}[op]
    except (ZeroDivisionError, KeyError):
        return unknown_result


def _cmp_form(v: Any) -> Any:
    if isinstance(v, JsonEncoded):
        return v.text()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v


def _number(v: Any) -> int | float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str) and not has_symbol(v):
        try:
            return int(v)
        except ValueError:
            try:
                return float(v)
            except ValueError:
                return None
    return None
