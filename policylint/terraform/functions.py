"""The Terraform functions the evaluator knows (pure ones, over known values)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from policylint.terraform.expressions import JsonEncoded, is_known, to_str
from policylint.values import Unknown, has_symbol


class _Unknowable(ValueError):
    """An argument is unknown: the result is unknown."""


def _s(v: Any) -> str:
    s = to_str(v)
    if s is None:
        raise _Unknowable
    return s


def _known(*vs: Any) -> None:
    for v in vs:
        if not is_known(v):
            raise _Unknowable


def _list(v: Any) -> list[Any]:
    if isinstance(v, list):
        return v
    raise _Unknowable


def _format(fmt: Any, *args: Any) -> str:
    text = _s(fmt)
    it = iter(args)

    def one(m: re.Match[str]) -> str:
        if m.group(0) == "%%":
            return "%"
        return _s(next(it))

    return re.sub(r"%%|%[-+ #0-9.]*[sdvqftbxXeEgGo]", one, text)


def _jsondecode(v: Any) -> Any:
    if isinstance(v, JsonEncoded):
        return v.data
    return json.loads(_s(v))


def _join(sep: Any, *lists: Any) -> str:
    return _s(sep).join(_s(x) for lst in lists for x in _list(lst))


_PSEUDO = ("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix")


def _id_like(symbol: str) -> bool:
    """A pseudo parameter or a generated id: its value holds no separator characters."""
    from policylint.values import is_resource_symbol

    return symbol in _PSEUDO or (
        is_resource_symbol(symbol) and re.fullmatch(r".*\.(id|\w*Id)", symbol) is not None
    )


def _split(sep: Any, text: Any) -> list[str]:
    """Split on the separators in the literal text; a symbol stays whole when its value is a
    generated id (which cannot hold the separator), otherwise the result is unknown."""
    from policylint.values import split_symbols, sym

    t, d = _s(text), _s(sep)
    if not has_symbol(t):
        return t.split(d)
    pieces = [""]
    for is_sym, part in split_symbols(t):
        if not is_sym:
            first, *rest = part.split(d)
            pieces[-1] += first
            pieces.extend(rest)
        elif _id_like(part) and d and not re.search(r"[\w-]", d):
            pieces[-1] += sym(part)
        else:
            raise _Unknowable
    return pieces


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise _Unknowable
        out.update(m)
    return out


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    if not isinstance(m, dict):
        raise _Unknowable
    k = _s(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise _Unknowable


def _element(lst: Any, i: Any) -> Any:
    items = _list(lst)
    if not isinstance(i, int) or not items:
        raise _Unknowable
    return items[i % len(items)]


def _coalesce(*vs: Any) -> Any:
    for v in vs:
        if isinstance(v, Unknown):
            raise _Unknowable
        if v is not None and v != "":
            return v
    raise _Unknowable


def _flatten(v: Any) -> list[Any]:
    out: list[Any] = []
    for x in _list(v):
        out.extend(_flatten(x) if isinstance(x, list) else [x])
    return out


def _distinct(v: Any) -> list[Any]:
    _known(v)
    out: list[Any] = []
    for x in _list(v):
        if x not in out:
            out.append(x)
    return out


def _toset(v: Any) -> list[Any]:
    return _distinct(v)


def _replace(text: Any, old: Any, new: Any) -> str:
    o = _s(old)
    if o.startswith("/") and o.endswith("/") and len(o) > 1:
        return re.sub(o[1:-1], _s(new).replace("$", "\\"), _plain_s(text))
    return _plain_s(text).replace(o, _s(new))


def _length(v: Any) -> int:
    if isinstance(v, (list, dict)):
        return len(v)
    s = _s(v)
    if has_symbol(s):
        raise _Unknowable
    return len(s)


def _keys(m: Any) -> list[str]:
    if not isinstance(m, dict):
        raise _Unknowable
    return sorted(m)


def _values(m: Any) -> list[Any]:
    if not isinstance(m, dict):
        raise _Unknowable
    return [m[k] for k in sorted(m)]


def _zipmap(k: Any, v: Any) -> dict[str, Any]:
    return {_s(a): b for a, b in zip(_list(k), _list(v), strict=True)}


def _contains(lst: Any, v: Any) -> bool:
    _known(lst, v)
    return v in _list(lst)


def _tostring(v: Any) -> Any:
    if isinstance(v, Unknown) or v is None:
        return v
    return _s(v)


def _tonumber(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    s = _s(v)
    return float(s) if "." in s else int(s)


def _tobool(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    return {"true": True, "false": False}[_s(v)]


def _concat(*lists: Any) -> list[Any]:
    return [x for lst in lists for x in _list(lst)]


def _compact(v: Any) -> list[Any]:
    return [x for x in _list(v) if x is not None and x != ""]


def _plain_s(v: Any) -> str:
    """A string without symbols (a function that rewrites text must not touch symbols)."""
    s = _s(v)
    if has_symbol(s):
        raise _Unknowable
    return s


def _str_fn(f: Callable[[str], str]) -> Callable[[Any], str]:
    return lambda v: f(_plain_s(v))


_TABLE: dict[str, Callable[..., Any]] = {
    "format": _format,
    "jsondecode": _jsondecode,
    "join": _join,
    "split": _split,
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "element": _element,
    "coalesce": _coalesce,
    "coalescelist": lambda *ls: next(x for x in ls if _list(x)),
    "compact": _compact,
    "flatten": _flatten,
    "distinct": _distinct,
    "toset": _toset,
    "tolist": lambda v: _list(v),
    "tomap": lambda v: v if isinstance(v, dict) else _list(None),
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "lower": _str_fn(str.lower),
    "upper": _str_fn(str.upper),
    "trimspace": _str_fn(str.strip),
    "title": _str_fn(str.title),
    "replace": _replace,
    "length": _length,
    "keys": _keys,
    "values": _values,
    "zipmap": _zipmap,
    "contains": _contains,
    "trimprefix": lambda s, p: _s(s).removeprefix(_s(p)),
    "trimsuffix": lambda s, p: _s(s).removesuffix(_s(p)),
    "substr": lambda s, o, n: _plain_s(s)[o : (o + n if n >= 0 else None)],
    "min": lambda *a: min(a),
    "max": lambda *a: max(a),
    "range": lambda *a: list(range(*a)) if len(a) < 4 and len(range(*a)) < 10_000 else [],
    "one": lambda v: (_list(v) or [None])[0] if len(_list(v)) <= 1 else _list(None),
}
FUNCTIONS: dict[str, Callable[..., Any]] = dict(_TABLE)
