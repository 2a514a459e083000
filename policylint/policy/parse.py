"""Parse and validate a policy document (dict or JSON text) into `PolicyDocument`."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from policylint.errors import PolicyError
from policylint.policy.conditions import canonical_operator
from policylint.policy.document import (
    ConditionClause,
    Effect,
    PolicyDocument,
    Principals,
    Statement,
)
from policylint.values import Unknown, has_symbol, sym

if TYPE_CHECKING:
    from policylint.source import DocPath, Document, SourceRef

VERSIONS = ("2012-10-17", "2008-10-17")
_TOP_KEYS = frozenset({"Version", "Id", "Statement"})
_STMT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_KEYS = ("AWS", "Service", "Federated", "CanonicalUser")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(path: DocPath) -> str:
    """``("Statement", 1, "Effect")`` -> ``$.Statement[1].Effect``."""
    out = ["$"]
    for key in path:
        if isinstance(key, int):
            out.append(f"[{key}]")
        elif _IDENT.match(key):
            out.append(f".{key}")
        else:
            out.append(f"[{json.dumps(key)}]")
    return "".join(out)


_UNRESOLVED_TEXT = "the policy text holds values unknown before deploy"


def _unknown_sym(u: Unknown) -> str:
    return sym(f"unknown:{u.reason}")


class _Parser:
    def __init__(self, at: SourceRef | None, doc: Document | None) -> None:
        self.at = at
        self.doc = doc

    def ref(self, *path: str | int) -> SourceRef | None:
        if self.at is None:
            return None
        if self.doc is None:
            return self.at
        return self.at.child(self.doc, *path)

    def fail(self, message: str, *path: str | int) -> PolicyError:
        return PolicyError(message, json_path(path), self.ref(*path))

    def strings(self, value: Any, *path: str | int) -> tuple[str, ...]:
        """A string or a list of strings; Unknown becomes a symbol."""
        if isinstance(value, Unknown):
            return (_unknown_sym(value),)
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list):
            out: list[str] = []
            for i, item in enumerate(value):
                if isinstance(item, Unknown):
                    out.append(_unknown_sym(item))
                elif isinstance(item, str):
                    out.append(item)
                else:
                    raise self.fail(f"expected a string, got {_kind(item)}", *path, i)
            return tuple(out)
        raise self.fail(f"expected a string or a list of strings, got {_kind(value)}", *path)

    def document(self, data: Any) -> PolicyDocument:
        if isinstance(data, Unknown):
            return PolicyDocument(statements=(), ref=self.at, unknown=(data.reason,))
        if not isinstance(data, Mapping):
            raise self.fail(f"a policy must be a JSON object, got {_kind(data)}")
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(f"unknown policy element {key!r}", key)
        version = data.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.fail(f"Version must be one of {', '.join(VERSIONS)}", "Version")
        if "Statement" not in data:
            raise self.fail("a policy needs a Statement")
        raw = data["Statement"]
        unknown: list[str] = []
        statements: list[Statement] = []
        if isinstance(raw, Unknown):
            unknown.append(raw.reason)
        elif isinstance(raw, Mapping):
            statements.append(self.statement(raw, 0, ("Statement",)))
        elif isinstance(raw, list):
            for i, item in enumerate(raw):
                if isinstance(item, Unknown):
                    unknown.append(item.reason)
                else:
                    statements.append(self.statement(item, i, ("Statement", i)))
        else:
            raise self.fail(f"Statement must be an object or a list, got {_kind(raw)}", "Statement")
        return PolicyDocument(
            statements=tuple(statements),
            version=version if isinstance(version, str) else None,
            ref=self.at,
            unknown=tuple(unknown),
        )

    def statement(self, raw: Any, index: int, path: tuple[str | int, ...]) -> Statement:
        if not isinstance(raw, Mapping):
            raise self.fail(f"a statement must be an object, got {_kind(raw)}", *path)
        for key in raw:
            if key not in _STMT_KEYS:
                raise self.fail(f"unknown statement element {key!r}", *path, key)
        for a, b in (("Action", "NotAction"), ("Resource", "NotResource")):
            if a in raw and b in raw:
                raise self.fail(f"a statement cannot have both {a} and {b}", *path, b)
        if "Principal" in raw and "NotPrincipal" in raw:
            raise self.fail("a statement cannot have both Principal and NotPrincipal", *path)
        if "Action" not in raw and "NotAction" not in raw:
            raise self.fail("a statement needs Action or NotAction", *path)
        unknown: list[str] = []
        effect = raw.get("Effect")
        if isinstance(effect, Unknown):
            raise self.fail("Effect cannot be unresolved", *path, "Effect")
        if effect not in ("Allow", "Deny"):
            shown = effect if isinstance(effect, str) else _kind(effect)
            raise self.fail(f'Effect must be "Allow" or "Deny", got {shown!r}', *path, "Effect")
        sid = raw.get("Sid")
        if sid is not None and not isinstance(sid, str):
            raise self.fail(f"Sid must be a string, got {_kind(sid)}", *path, "Sid")
        opt = {k: self.strings(raw[k], *path, k) if k in raw else None for k in _LISTS}
        conditions: tuple[ConditionClause, ...] = ()
        if "Condition" in raw:
            cond = raw["Condition"]
            if isinstance(cond, Unknown):
                unknown.append(cond.reason)
            else:
                conditions = self.conditions(cond, (*path, "Condition"))
        return Statement(
            effect=Effect(effect),
            sid=sid,
            actions=opt["Action"],
            not_actions=opt["NotAction"],
            resources=opt["Resource"],
            not_resources=opt["NotResource"],
            principals=self.principals(raw["Principal"], (*path, "Principal"))
            if "Principal" in raw
            else None,
            not_principals=self.principals(raw["NotPrincipal"], (*path, "NotPrincipal"))
            if "NotPrincipal" in raw
            else None,
            conditions=conditions,
            ref=self.ref(*path),
            index=index,
            unknown=tuple(unknown),
        )

    def principals(self, raw: Any, path: tuple[str | int, ...]) -> Principals:
        if isinstance(raw, Unknown):
            s = (_unknown_sym(raw),)
            return Principals(aws=s, service=s, federated=s, canonical_user=s)
        if raw == "*":
            return Principals(wildcard=True)
        if not isinstance(raw, Mapping):
            raise self.fail('Principal must be "*" or an object', *path)
        for key in raw:
            if key not in _PRINCIPAL_KEYS:
                raise self.fail(f"unknown principal type {key!r}", *path, key)
        got = {k: self.strings(raw[k], *path, k) if k in raw else () for k in _PRINCIPAL_KEYS}
        aws = got["AWS"]
        return Principals(
            wildcard="*" in aws,
            aws=tuple(a for a in aws if a != "*"),
            service=got["Service"],
            federated=got["Federated"],
            canonical_user=got["CanonicalUser"],
        )

    def conditions(self, raw: Any, path: tuple[str | int, ...]) -> tuple[ConditionClause, ...]:
        if not isinstance(raw, Mapping):
            raise self.fail(f"Condition must be an object, got {_kind(raw)}", *path)
        out: list[ConditionClause] = []
        for op, block in raw.items():
            canonical = canonical_operator(op)
            if canonical is None:
                raise self.fail(f"unknown condition operator {op!r}", *path, op)
            if isinstance(block, Unknown):
                # The keys are unknown: keep a clause whose key matches nothing known.
                out.append(ConditionClause(canonical, _unknown_sym(block), (), self.ref(*path, op)))
                continue
            if not isinstance(block, Mapping):
                raise self.fail(f"{op} must map condition keys to values", *path, op)
            for key, value in block.items():
                values = self.condition_values(value, (*path, op, key))
                out.append(ConditionClause(canonical, key, values, self.ref(*path, op, key)))
        return tuple(out)

    def condition_values(self, value: Any, path: tuple[str | int, ...]) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for i, item in enumerate(items):
            where = (*path, i) if isinstance(value, list) else path
            if isinstance(item, Unknown):
                out.append(_unknown_sym(item))
            elif isinstance(item, bool):
                out.append("true" if item else "false")  # AWS compares JSON booleans as text
            elif isinstance(item, int):
                out.append(str(item))
            elif isinstance(item, float) and math.isfinite(item):
                out.append(repr(item))
            elif isinstance(item, str):
                out.append(item)
            else:
                raise self.fail(f"condition values must be strings, got {_kind(item)}", *where)
        return tuple(out)


_LISTS = ("Action", "NotAction", "Resource", "NotResource")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def parse_policy(
    data: Any, *, at: SourceRef | None = None, doc: Document | None = None
) -> PolicyDocument:
    """Validate a policy (dict or JSON text) and return it; raises `PolicyError` with a path."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            if isinstance(data, str) and has_symbol(data):
                # Built from a value unknown before deploy (a parameter or variable without
                # value, a value known after apply): unknown, not invalid. Never guess.
                return PolicyDocument(statements=(), ref=at, unknown=(_UNRESOLVED_TEXT,))
            raise PolicyError(f"policy is not valid JSON: {exc}", "$", at) from None
    return _Parser(at, doc).document(data)
