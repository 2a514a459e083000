"""Lambda function references: the name and qualifier inside a name, partial ARN or ARN.

Symbols stay opaque: a symbol may hold ``:`` (``res:...``), so the split works on placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass

from policylint.values import is_resource_symbol, split_symbols, sym

_OPEN, _CLOSE = "\ue002", "\ue003"


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """`name` of the function, its `qualifier` (None: unqualified), and whether the form is
    known (False when the whole value is a parameter or import that may be a name or an ARN)."""

    name: str
    qualifier: str | None
    exact: bool = True


def function_ref(value: str) -> FunctionRef:
    names: list[str] = []
    flat = ""
    for is_sym, text in split_symbols(value):
        if is_sym:
            names.append(text)
            flat += f"{_OPEN}{len(names) - 1}{_CLOSE}"
        else:
            flat += text

    def restore(text: str) -> str:
        out = text
        for i, n in enumerate(names):
            out = out.replace(f"{_OPEN}{i}{_CLOSE}", sym(n))
        return out

    segs = flat.split(":")
    if len(segs) >= 7 and segs[0] == "arn" and segs[5] == "function":
        qual = restore(segs[7]) if len(segs) > 7 else None
        return FunctionRef(restore(segs[6]), qual)
    if len(segs) >= 3 and segs[1] == "function":  # 123456789012:function:name[:qualifier]
        return FunctionRef(restore(segs[2]), restore(segs[3]) if len(segs) > 3 else None)
    if len(segs) == 2 and segs[0]:  # name:qualifier
        return FunctionRef(restore(segs[0]), restore(segs[1]))
    lone = len(names) == 1 and flat == f"{_OPEN}0{_CLOSE}"
    exact = not lone or (is_resource_symbol(names[0]) and names[0].endswith(".FunctionName"))
    return FunctionRef(restore(flat), None, exact)


def function_arn(partition: str, region: str, account: str, ref: FunctionRef) -> str:
    base = f"arn:{partition}:lambda:{region}:{account}:function:{ref.name}"
    return base if ref.qualifier is None else f"{base}:{ref.qualifier}"
