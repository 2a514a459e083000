"""What every normalizer needs: one resource's resolved properties, with typed getters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.cfn.intrinsics import NOVALUE
from policylint.cfn.template import scalar_text
from policylint.errors import PolicyError
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.cfn.intrinsics import Resolver
    from policylint.policy.document import PolicyDocument
    from policylint.source import DocPath, SourceRef

MaybeStr = str | Unknown


class BrokenResource(Exception):
    """Properties that cannot be read: the resource is reported and skipped."""

    def __init__(self, message: str, path: DocPath) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class Res:
    """One resource being normalized."""

    def __init__(self, resolver: Resolver, logical: str) -> None:
        t = resolver.t
        self.r = resolver
        self.t = t
        self.logical = logical
        self.type: str = t.resources[logical]["Type"]
        self.id = t.owner(logical)
        self.name = logical
        self.ref = t.ref(("Resources", logical))
        self.base: DocPath = ("Resources", logical, "Properties")
        raw = t.resources[logical].get("Properties", {})
        props = resolver.resolve(raw, self.base) if raw is not None else {}
        if isinstance(props, Unknown):
            raise BrokenResource(f"the properties of {logical} cannot be resolved", self.base)
        if not isinstance(props, dict):
            raise BrokenResource(f"the Properties of {logical} must be a mapping", self.base)
        self.props: dict[str, Any] = props
        self.env = resolver.env

    def at(self, *keys: str | int) -> SourceRef:
        return self.t.ref((*self.base, *keys))

    def own_ref(self) -> str:
        """What `Ref` of this resource returns, as text (symbolic where AWS generates it)."""
        return self.r.text(self.r.resolve({"Ref": self.logical}, self.ref.path))

    def own_getatt(self, attr: str) -> str:
        """What `Fn::GetAtt` of this resource's `attr` returns, as text."""
        return self.r.text(self.r.resolve({"Fn::GetAtt": [self.logical, attr]}, self.ref.path))

    def get(self, *keys: str | int) -> Any:
        """The resolved value at `keys` below Properties, or None (Unknown stays Unknown)."""
        value: Any = self.props
        for key in keys:
            if isinstance(value, Unknown):
                return value
            if isinstance(key, int):
                if not isinstance(value, list) or key >= len(value):
                    return None
            elif not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    def mapping(self, *keys: str | int) -> dict[str, Any] | Unknown | None:
        value = self.get(*keys)
        if value is None or isinstance(value, (dict, Unknown)):
            return value
        raise BrokenResource(f"{_dotted(keys)} must be a mapping", (*self.base, *keys))

    def items(self, *keys: str | int) -> list[Any] | Unknown:
        """A list property ([] when absent)."""
        value = self.get(*keys)
        if value is None:
            return []
        if isinstance(value, (list, Unknown)):
            return value
        raise BrokenResource(f"{_dotted(keys)} must be a list", (*self.base, *keys))

    def string(self, *keys: str | int) -> MaybeStr | None:
        value = self.get(*keys)
        if value is None or isinstance(value, (str, Unknown)):
            return value
        if isinstance(value, (dict, list)):
            raise BrokenResource(f"{_dotted(keys)} must be a string", (*self.base, *keys))
        return scalar_text(value)

    def text(self, *keys: str | int) -> str | None:
        """A string where the model needs a plain string: Unknown becomes a symbol."""
        value = self.string(*keys)
        return self.r.text(value) if isinstance(value, Unknown) else value

    def boolean(self, *keys: str | int) -> bool | Unknown | None:
        value = self.get(*keys)
        if value is None or isinstance(value, (bool, Unknown)):
            return value
        if isinstance(value, str):
            if value.lower() in ("true", "false"):
                return value.lower() == "true"
            if "\ue000" in value:
                return Unknown(f"{_dotted(keys)} is not known before deploy", self.at(*keys))
        raise BrokenResource(f"{_dotted(keys)} must be a boolean", (*self.base, *keys))

    def integer(self, *keys: str | int) -> int | Unknown | None:
        value = self.get(*keys)
        if value is None or isinstance(value, Unknown):
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            if isinstance(value, str) and "\ue000" in value:
                return Unknown(f"{_dotted(keys)} is not known before deploy", self.at(*keys))
            raise BrokenResource(f"{_dotted(keys)} must be a number", (*self.base, *keys)) from None

    def strings(self, *keys: str | int) -> tuple[str, ...] | Unknown:
        """A list of strings (absent: empty); Unknown items become symbols."""
        value = self.items(*keys)
        if isinstance(value, Unknown):
            return value
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                raise BrokenResource(f"{_dotted(keys)} must hold strings", (*self.base, *keys, i))
            out.append(self.r.text(item))
        return tuple(out)

    def policy(self, *keys: str | int, name: str | None = None) -> PolicyDocument | Unknown:
        """A policy document (mapping or JSON string); a bad one is reported, then Unknown."""
        value = self.get(*keys)
        at = self.at(*keys)
        if isinstance(value, Unknown):
            return value
        try:
            doc = parse_policy_value(value, at, self.r)
        except PolicyError as exc:
            where = exc.ref or at
            self.t.problems.append(_problem(f"{self.logical}: {exc.message}", where))
            return Unknown(f"invalid policy: {exc.message}", where)
        if name is not None:
            return _with_name(doc, name)
        return doc


def parse_policy_value(value: Any, at: SourceRef, resolver: Resolver) -> PolicyDocument:
    """Parse a resolved policy value; numbers in it become strings as in the JSON AWS sees."""
    from policylint.policy.parse import parse_policy

    if value is None or value is NOVALUE:
        raise PolicyError("the policy document is missing", "$", at)
    return parse_policy(_stringify(value), at=at, doc=resolver.t.doc)


def _stringify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return scalar_text(value)
    return value


def _with_name(doc: PolicyDocument, name: str) -> PolicyDocument:
    from dataclasses import replace

    return replace(doc, name=name)


def _problem(message: str, ref: SourceRef) -> Any:
    from policylint.findings import InputProblem

    return InputProblem(message, ref)


def _dotted(keys: tuple[str | int, ...]) -> str:
    return ".".join(str(k) for k in keys) or "Properties"
