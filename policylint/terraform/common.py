"""Helpers the per-family normalizers share: coercions, policies, dependency closure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policylint.errors import PolicyError
from policylint.findings import InputProblem
from policylint.source import Document, FileKind, SourceRef
from policylint.terraform.expressions import JsonEncoded, to_str
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.terraform.instances import Instance


@dataclass(slots=True)
class Ctx:
    """What one normalization run shares."""

    instances: list[Instance]
    problems: list[InputProblem] = field(default_factory=list)
    deps: dict[str, frozenset[str]] = field(default_factory=dict)
    # (type, mode) -> positions in `instances`: `of` is asked ~800 times per module
    _positions: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        merged: dict[str, set[str]] = {}
        for pos, inst in enumerate(self.instances):
            merged.setdefault(inst.base, set()).update(inst.depends)
            self._positions.setdefault((inst.type, inst.mode), []).append(pos)
        self.deps = {k: frozenset(v) for k, v in merged.items()}

    def of(self, *types: str, mode: str = "managed") -> list[Instance]:
        """The instances of these types, in the order of `instances`."""
        found = (self._positions.get((t, mode), []) for t in dict.fromkeys(types))
        return [self.instances[pos] for pos in sorted(p for ps in found for p in ps)]

    def depends_on(self, source: str, target: str) -> bool:
        """Does base address `source` (transitively) reference or depend on `target`?"""
        seen: set[str] = set()
        stack = [source]
        while stack:
            cur = stack.pop()
            for nxt in self.deps.get(cur, ()):
                if nxt == target:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    def policy(self, value: Any, ref: SourceRef) -> PolicyDocument | Unknown | None:
        """A policy argument (JSON string, jsonencode() result, dict) parsed; problems noted."""
        from policylint.policy.parse import parse_policy

        if value is None or value == "":
            return None
        if isinstance(value, Unknown):
            return value
        try:
            if isinstance(value, JsonEncoded):
                spans = {(*ref.path, *k): v for k, v in value.spans.items()}
                doc = Document(ref.file, FileKind.TF_HCL, value.data, spans)
                at = SourceRef(ref.file, ref.path, spans.get(ref.path, ref.span))
                return parse_policy(value.data, at=at, doc=doc)
            if isinstance(value, (str, dict)):
                return parse_policy(value, at=ref)
        except PolicyError as exc:
            self.problems.append(InputProblem(f"invalid policy: {exc.message}", exc.ref or ref))
            return Unknown(f"invalid policy at {ref.display()}")
        except (ValueError, TypeError, RecursionError) as exc:
            self.problems.append(InputProblem(f"invalid policy: {exc}", ref))
            return Unknown(f"invalid policy at {ref.display()}")
        return Unknown(f"policy at {ref.display()}")


def s(value: Any) -> str | Unknown | None:
    """A string argument: None if absent; an unknown string becomes its symbol."""
    if value is None:
        return None
    out = to_str(value)
    return out if out is not None else Unknown("not a string")


def s_req(value: Any, fallback: str = "") -> str | Unknown:
    v = s(value)
    return fallback if v is None else v


def sym_s(value: Any, fallback: str) -> str:
    """A string where only a string will do: unknowns become their symbol."""
    if value is None:
        return fallback
    out = to_str(value)
    return out if out is not None else fallback


def b(value: Any, default: bool | None = None) -> bool | Unknown | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return value if isinstance(value, Unknown) else Unknown("not a boolean")


def i(value: Any) -> int | Unknown:
    if isinstance(value, bool):
        return Unknown("not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value if isinstance(value, Unknown) else Unknown("not a number")


def strs(value: Any) -> tuple[str, ...] | Unknown:
    """A list of strings (a single string counts as one)."""
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    out: list[str] = []
    for x in items:
        t = to_str(x)
        if t is None:
            return Unknown("not a list of strings")
        out.append(t)
    return tuple(out)


def strs_sym(value: Any) -> tuple[str, ...]:
    """A list of strings where only that will do: unknown items become symbols."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(t for t in (to_str(x) for x in items) if t is not None)
