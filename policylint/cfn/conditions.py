"""The template's Conditions, evaluated three-valued (symbols make some undecidable)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.cfn.template import scalar_text
from policylint.values import Tri, Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.cfn.intrinsics import Resolver
    from policylint.cfn.template import Template
    from policylint.source import DocPath

_MAX_DEPTH = 64


class Conditions:
    """Memoised truth of named conditions; cycles and bad shapes become MAYBE plus a problem."""

    def __init__(self, template: Template, resolver: Resolver) -> None:
        self.t = template
        self.resolver = resolver
        self._memo: dict[str, Tri] = {}
        self._active: set[str] = set()

    def truth(self, name: Any, path: DocPath) -> Tri:
        """The value of condition `name` (referenced at `path`)."""
        if not isinstance(name, str):
            self.t.problem("a condition name must be a string", path)
            return Tri.MAYBE
        if name in self._memo:
            return self._memo[name]
        if name not in self.t.conditions:
            self.t.problem(f"condition {name!r} is not defined in Conditions", path)
            self._memo[name] = Tri.MAYBE
            return Tri.MAYBE
        if name in self._active or len(self._active) >= _MAX_DEPTH:
            self.t.problem(f"condition {name!r} refers to itself", ("Conditions", name))
            return Tri.MAYBE
        self._active.add(name)
        try:
            result = self.expression(self.t.conditions[name], ("Conditions", name))
        finally:
            self._active.discard(name)
        self._memo[name] = result
        return result

    def expression(self, value: Any, path: DocPath) -> Tri:
        if not isinstance(value, dict) or len(value) != 1:
            self.t.problem("a condition must be one condition function", path)
            return Tri.MAYBE
        ((fn, arg),) = value.items()
        where: DocPath = (*path, fn)
        if fn == "Condition":
            return self.truth(arg, where)
        if fn == "Fn::Equals":
            return self.equals(arg, where)
        if fn in ("Fn::And", "Fn::Or", "Fn::Not"):
            if not isinstance(arg, list) or not arg or (fn == "Fn::Not" and len(arg) != 1):
                self.t.problem(f"{fn} needs a list of conditions", where)
                return Tri.MAYBE
            parts = [self.expression(x, (*where, i)) for i, x in enumerate(arg)]
            if fn == "Fn::Not":
                return ~parts[0]
            result = parts[0]
            for p in parts[1:]:
                result = (result & p) if fn == "Fn::And" else (result | p)
            return result
        if fn == "Fn::If":
            resolved = self.resolver.resolve(value, path)
            return Tri.of(resolved) if isinstance(resolved, bool) else Tri.MAYBE
        return Tri.MAYBE  # Fn::Contains and friends: not decided here

    def equals(self, arg: Any, path: DocPath) -> Tri:
        if not isinstance(arg, list) or len(arg) != 2:
            self.t.problem("Fn::Equals needs two values", path)
            return Tri.MAYBE
        a = self.resolver.resolve(arg[0], (*path, 0))
        b = self.resolver.resolve(arg[1], (*path, 1))
        return compare(a, b)


def compare(a: Any, b: Any) -> Tri:
    """Three-valued equality of two resolved values, compared as CloudFormation does (text)."""
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return Tri.MAYBE
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return Tri.of(a == b) if not _symbolic(a) and not _symbolic(b) else Tri.MAYBE
    sa, sb = scalar_text(a), scalar_text(b)
    if sa == sb:
        return Tri.TRUE
    if not has_symbol(sa) and not has_symbol(sb):
        return Tri.FALSE
    return Tri.MAYBE


def _symbolic(value: Any) -> bool:
    return "\ue000" in repr(value) or "Unknown(" in repr(value)
