"""Resolve intrinsic functions to plain values with symbols; never guess.

Resolved values are plain data: strings (possibly holding symbols), numbers, booleans, lists,
dicts, and `Unknown` for whole values that cannot be known. ``Ref AWS::NoValue`` removes the
key or list item (`NOVALUE` while resolving). ``Fn::If`` on a condition that cannot be decided
(it depends on a parameter without value or a pseudo parameter) keeps both branches in the
sense that it yields a value only when both branches resolve to the same value; otherwise the
value is an `Unknown` naming the condition, so that nothing downstream guesses a branch.
"""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING, Any

from policylint.cfn import returns
from policylint.cfn.conditions import Conditions
from policylint.cfn.template import NO_VALUE, scalar_text
from policylint.values import Unknown, has_symbol, render, split_symbols, sym

if TYPE_CHECKING:
    from policylint.cfn.template import Template
    from policylint.source import DocPath

NOVALUE: Any = object()
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_MAX_CHAIN = 64  # nested Ref/GetAtt evaluations through resource properties
# Characters each kind of symbol can hold (for Fn::Split); others may hold anything.
_SAFE_SYMBOLS = re.compile(
    r"AWS::(AccountId|Region|Partition|URLSuffix|StackName)"
    r"|res:.*\.(Id|KeyId|BucketName|RoleName|Name|FunctionName|S3CanonicalUserId|DomainName"
    r"|UrlId|RestApiId)"
)
_SYMBOL_ALPHABET = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")


def unknown_text(value: Unknown) -> str:
    """An Unknown where a string is needed: a symbol carrying its reason."""
    return sym(f"unknown:{value.reason}")


class Resolver:
    """Evaluates intrinsic functions against one template."""

    def __init__(self, template: Template) -> None:
        self.t = template
        self.conditions = Conditions(template, self)
        self.env = returns.Env(
            partition=self.text(template.pseudo["AWS::Partition"]),
            account=self.text(template.pseudo["AWS::AccountId"]),
            region=self.text(template.pseudo["AWS::Region"]),
            prop=self.property_text,
        )
        self._attr_cache: dict[tuple[str, str], Any] = {}
        self._prop_cache: dict[tuple[str, str], Any] = {}
        self._active: set[tuple[str, str]] = set()

    # --- helpers

    def text(self, value: Any) -> str:
        """A resolved scalar as a string (Unknown becomes a symbol)."""
        if isinstance(value, str):
            return value
        if isinstance(value, Unknown):
            return unknown_text(value)
        if isinstance(value, (dict, list)) or value is NOVALUE:
            return sym("unknown:a list or mapping where a string is expected")
        return scalar_text(value)

    def unknown(self, reason: str, path: DocPath) -> Unknown:
        ref = self.t.ref(path)
        return Unknown(f"{reason} ({ref.display()})", ref)

    def fail(self, message: str, path: DocPath) -> Unknown:
        """Report a problem in the template and return an Unknown in place of the value."""
        self.t.problem(message, path)
        return self.unknown(message, path)

    def property_text(self, logical: str, name: str) -> str | None:
        """A resource property resolved to a string (for names in ARNs), or None."""
        key = (logical, name)
        if key in self._prop_cache:
            return self._prop_cache[key]  # type: ignore[no-any-return]
        props = self.t.resources[logical].get("Properties")
        result: str | None = None
        if isinstance(props, dict) and name in props:
            value = self.guarded(key, lambda: self.resolve(props[name], self._prop_path(key)))
            if value is not NOVALUE and not isinstance(value, (dict, list)):
                result = self.text(value)
        self._prop_cache[key] = result
        return result

    @staticmethod
    def _prop_path(key: tuple[str, str]) -> DocPath:
        return ("Resources", key[0], "Properties", key[1])

    def guarded(self, key: tuple[str, str], compute: Any) -> Any:
        """Evaluate with cycle and depth protection: a cycle yields an Unknown."""
        if key in self._active:
            return self.unknown(
                f"circular reference through {key[0]}.{key[1]}", self._prop_path(key)
            )
        if len(self._active) >= _MAX_CHAIN:
            return self.unknown("reference chain too long", self._prop_path(key))
        self._active.add(key)
        try:
            return compute()
        finally:
            self._active.discard(key)

    # --- the walk

    def resolve(self, value: Any, path: DocPath) -> Any:
        """Resolve every intrinsic function inside `value` (found at `path` in the document)."""
        if isinstance(value, dict):
            if len(value) == 1:
                ((key, arg),) = value.items()
                if key == "Ref" or (key.startswith("Fn::") and not key.startswith("Fn::ForEach")):
                    return self.function(key, arg, (*path, key))
            out = {}
            for k, v in value.items():
                r = self.resolve(v, (*path, k))
                if r is not NOVALUE:
                    out[k] = r
            return out
        if isinstance(value, list):
            items = [self.resolve(v, (*path, i)) for i, v in enumerate(value)]
            return [v for v in items if v is not NOVALUE]
        return value

    def function(self, name: str, arg: Any, path: DocPath) -> Any:
        handler = _HANDLERS.get(name)
        if handler is None:
            return self.unknown(f"{name} is not evaluated before deploy", path)
        return handler(self, arg, path)

    # --- Ref and GetAtt

    def ref(self, arg: Any, path: DocPath) -> Any:
        if not isinstance(arg, str):
            return self.fail("Ref needs the name of a parameter or resource", path)
        return self.ref_name(arg, path)

    def ref_name(self, name: str, path: DocPath) -> Any:
        t = self.t
        if name == NO_VALUE:
            return NOVALUE
        if name in t.pseudo:
            return t.pseudo[name]
        if name == "AWS::NotificationARNs":
            return self.unknown("AWS::NotificationARNs", path)
        if name in t.parameters:
            return t.parameters[name]
        if name in t.resources:
            rtype = t.resources[name]["Type"]
            return self.cached(
                (name, "Ref"), lambda: returns.ref_value(self.env, rtype, name, t.owner(name))
            )
        return self.fail(f"Ref to {name!r}, which is not a parameter or resource", path)

    def cached(self, key: tuple[str, str], compute: Any) -> Any:
        if key not in self._attr_cache:
            self._attr_cache[key] = self.guarded(key, compute)
        return self._attr_cache[key]

    def getatt(self, arg: Any, path: DocPath) -> Any:
        if isinstance(arg, str):
            logical, _, attr_raw = arg.partition(".")
            attr: Any = attr_raw
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            logical = arg[0]
            attr = self.resolve(arg[1], (*path, 1))
        else:
            return self.fail("Fn::GetAtt needs [resource, attribute]", path)
        if not isinstance(attr, str) or not attr:
            return self.fail("Fn::GetAtt needs an attribute name", path)
        return self.getatt_name(logical, attr, path)

    def getatt_name(self, logical: str, attr: str, path: DocPath) -> Any:
        t = self.t
        if logical not in t.resources:
            return self.fail(f"Fn::GetAtt of {logical!r}, which is not a resource", path)
        rtype = t.resources[logical]["Type"]
        allowed = returns.attribute_allowed(rtype, attr)
        if allowed is False:
            return self.fail(
                f"{rtype} has no attribute {attr!r} (Fn::GetAtt {logical}.{attr})", path
            )
        return self.cached(
            (logical, attr),
            lambda: returns.getatt_value(self.env, rtype, logical, t.owner(logical), attr),
        )

    # --- string functions

    def sub(self, arg: Any, path: DocPath) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, raw_vars = arg[0], arg[1]
            for k, v in raw_vars.items():
                variables[k] = self.resolve(v, (*path, 1, k))
            where: DocPath = (*path, 0)
        else:
            template, where = arg, path
        if not isinstance(template, str):
            return self.fail("Fn::Sub needs a string", where)

        def replace(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            if name.startswith("!"):
                return "${" + m.group(1)[1:] + "}"
            if name in variables:
                value = variables[name]
            elif "." in name and name.split(".", 1)[0] in self.t.resources:
                logical, attr = name.split(".", 1)
                value = self.getatt_name(logical, attr, where)
            else:
                value = self.ref_name(name, where)
            if isinstance(value, (list, dict)) or value is NOVALUE:
                return self.text(self.fail(f"Fn::Sub variable {name} is not a string", where))
            return self.text(value)

        return _SUB_VAR.sub(replace, template)

    def join(self, arg: Any, path: DocPath) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return self.fail("Fn::Join needs [delimiter, list]", path)
        delimiter = self.resolve(arg[0], (*path, 0))
        items = self.resolve(arg[1], (*path, 1))
        if isinstance(items, Unknown):
            return sym(f"unknown:Fn::Join of {items.reason}")
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return self.fail("Fn::Join needs a string delimiter and a list", path)
        return delimiter.join(self.text(x) for x in items)

    def select(self, arg: Any, path: DocPath) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return self.fail("Fn::Select needs [index, list]", path)
        index = self.resolve(arg[0], (*path, 0))
        items = self.resolve(arg[1], (*path, 1))
        try:
            i = int(index)
        except (TypeError, ValueError):
            return self.unknown("Fn::Select with an unresolved index", path)
        if isinstance(items, Unknown):
            return self.unknown(f"item {i} of {items.reason}", path)
        if isinstance(items, str) and has_symbol(items):
            # A list-valued attribute we only know symbolically (e.g. GetAtt X.DnsEntries).
            return self.unknown(f"item {i} of {render(items)}", path)
        if not isinstance(items, list):
            return self.fail("Fn::Select needs a list", (*path, 1))
        if not 0 <= i < len(items):
            return self.fail(f"Fn::Select index {i} is out of range", (*path, 0))
        return items[i]

    def split(self, arg: Any, path: DocPath) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return self.fail("Fn::Split needs [delimiter, string]", path)
        delimiter = self.resolve(arg[0], (*path, 0))
        source = self.resolve(arg[1], (*path, 1))
        if not isinstance(delimiter, str) or not delimiter:
            return self.fail("Fn::Split needs a non-empty string delimiter", (*path, 0))
        if isinstance(source, Unknown) or not isinstance(source, str):
            return self.unknown("Fn::Split of an unresolved value", path)
        pieces = [""]
        for is_symbol, part in split_symbols(source):
            if is_symbol:
                if _may_contain(part, delimiter):
                    return self.unknown("Fn::Split of a value that may contain the delimiter", path)
                pieces[-1] += sym(part)
            else:
                first, *rest = part.split(delimiter)
                pieces[-1] += first
                pieces.extend(rest)
        return pieces

    def find_in_map(self, arg: Any, path: DocPath) -> Any:
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            return self.fail("Fn::FindInMap needs [map, key, key]", path)
        keys = [self.resolve(arg[i], (*path, i)) for i in range(3)]
        default = arg[3] if len(arg) == 4 and isinstance(arg[3], dict) else None
        level: Any = self.t.mappings
        for depth, key in enumerate(keys):
            if not isinstance(level, dict):
                return self.fail("Fn::FindInMap: not a mapping", path)
            if not isinstance(key, (str, int)) or (isinstance(key, str) and "\ue000" in key):
                candidates = list(level.values())
                if depth > 0 and candidates and all(c == candidates[0] for c in candidates):
                    level = candidates[0]  # every entry has the same value
                    continue
                return self.unknown("Fn::FindInMap with an unresolved key", path)
            skey = scalar_text(key)
            if skey not in level:
                if default is not None and "DefaultValue" in default:
                    return self.resolve(default["DefaultValue"], (*path, 3, "DefaultValue"))
                return self.fail(f"Fn::FindInMap: no key {skey!r}", (*path, depth))
            level = level[skey]
        where: DocPath = ("Mappings", *(scalar_text(k) for k in keys))
        return self.resolve(level, where)

    def if_(self, arg: Any, path: DocPath) -> Any:
        if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
            return self.fail("Fn::If needs [condition, value if true, value if false]", path)
        truth = self.conditions.truth(arg[0], (*path, 0))
        if truth.value == "true":
            return self.resolve(arg[1], (*path, 1))
        if truth.value == "false":
            return self.resolve(arg[2], (*path, 2))
        yes = self.resolve(arg[1], (*path, 1))
        no = self.resolve(arg[2], (*path, 2))
        if yes == no:
            return yes
        return self.unknown(f"depends on condition {arg[0]}, which is not decidable", path)

    def import_value(self, arg: Any, path: DocPath) -> Any:
        name = self.resolve(arg, path)
        if isinstance(name, (list, dict)) or name is NOVALUE:
            return self.fail("Fn::ImportValue needs a name", path)
        return sym(f"ImportValue:{self.text(name)}")

    def base64(self, arg: Any, path: DocPath) -> Any:
        value = self.resolve(arg, path)
        if isinstance(value, str) and "\ue000" not in value:
            return base64.b64encode(value.encode()).decode()
        return self.unknown("Fn::Base64 of an unresolved value", path)

    def to_json(self, arg: Any, path: DocPath) -> Any:
        value = self.resolve(arg, path)
        try:
            return json.dumps(value, separators=(",", ":"))
        except TypeError:
            return self.unknown("Fn::ToJsonString of an unresolved value", path)

    def length(self, arg: Any, path: DocPath) -> Any:
        value = self.resolve(arg, path)
        return len(value) if isinstance(value, list) else self.unknown("Fn::Length", path)


def _may_contain(symbol: str, delimiter: str) -> bool:
    """Whether the value behind `symbol` could contain `delimiter`."""
    if _SAFE_SYMBOLS.fullmatch(symbol):
        return all(c in _SYMBOL_ALPHABET for c in delimiter)
    return True


_HANDLERS: dict[str, Any] = {
    "Ref": Resolver.ref,
    "Fn::GetAtt": Resolver.getatt,
    "Fn::Sub": Resolver.sub,
    "Fn::Join": Resolver.join,
    "Fn::Select": Resolver.select,
    "Fn::Split": Resolver.split,
    "Fn::FindInMap": Resolver.find_in_map,
    "Fn::If": Resolver.if_,
    "Fn::ImportValue": Resolver.import_value,
    "Fn::Base64": Resolver.base64,
    "Fn::ToJsonString": Resolver.to_json,
    "Fn::Length": Resolver.length,
}
