"""Values that are not known before deploy: symbols inside strings, and opaque unknowns.

Never guess: a value we cannot resolve stays symbolic. A *symbol* is an opaque token embedded
in a string. It equals itself and nothing is assumed about what else it may equal, except that
two different *resource* symbols (values AWS generates for two resources of the template, such
as two distribution IDs) are known to differ. Strings with symbols compare three-valued
(see `policylint.policy.matching`).

Examples: the pseudo parameter AWS::AccountId becomes ``sym("AWS::AccountId")`` so that
``!Sub arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Dist}`` and the
distribution's own ARN are the same string; ``!Ref Dist`` is ``resource_sym("t.yaml#Dist", "Id")``;
``!ImportValue X`` is ``sym("ImportValue:X")``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.source import SourceRef

SYM_OPEN = "\ue000"
SYM_CLOSE = "\ue001"
RESOURCE_PREFIX = "res:"
_SYM_RE = re.compile(f"{SYM_OPEN}([^{SYM_CLOSE}]*){SYM_CLOSE}")


def sym(name: str) -> str:
    """A symbol for a value that is consistent with itself but otherwise unknown."""
    return f"{SYM_OPEN}{name}{SYM_CLOSE}"


def resource_sym(owner: str, attribute: str) -> str:
    """A symbol for a value AWS generates for one resource; distinct from other resources'.

    `owner` is the model id of the resource (``file#LogicalId`` or ``dir#tf.address``), so
    that equal logical ids in two files never alias.
    """
    return sym(f"{RESOURCE_PREFIX}{owner}.{attribute}")


def has_symbol(value: str) -> bool:
    return SYM_OPEN in value


def symbols(value: str) -> list[str]:
    return _SYM_RE.findall(value)


def is_resource_symbol(name: str) -> bool:
    return name.startswith(RESOURCE_PREFIX)


def split_symbols(value: str) -> list[tuple[bool, str]]:
    """Split into (is_symbol, text) parts; symbol parts carry the symbol's name."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for m in _SYM_RE.finditer(value):
        if m.start() > pos:
            parts.append((False, value[pos : m.start()]))
        parts.append((True, m.group(1)))
        pos = m.end()
    if pos < len(value):
        parts.append((False, value[pos:]))
    return parts


def render(value: str) -> str:
    """Human form of a string with symbols: ``${AWS::AccountId}``."""
    return _SYM_RE.sub(lambda m: "${" + _display_name(m.group(1)) + "}", value)


def _display_name(name: str) -> str:
    if is_resource_symbol(name):
        return name.removeprefix(RESOURCE_PREFIX).rsplit("#", 1)[-1]
    return name


@dataclass(frozen=True, slots=True)
class Unknown:
    """A whole value (not a string) that cannot be resolved: a list, map or policy document."""

    reason: str
    ref: SourceRef | None = None

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


class Tri(enum.Enum):
    """Three-valued truth for comparisons over symbolic values."""

    TRUE = "true"
    FALSE = "false"
    MAYBE = "maybe"

    def __and__(self, other: Tri) -> Tri:
        if self is Tri.FALSE or other is Tri.FALSE:
            return Tri.FALSE
        if self is Tri.TRUE and other is Tri.TRUE:
            return Tri.TRUE
        return Tri.MAYBE

    def __or__(self, other: Tri) -> Tri:
        if self is Tri.TRUE or other is Tri.TRUE:
            return Tri.TRUE
        if self is Tri.FALSE and other is Tri.FALSE:
            return Tri.FALSE
        return Tri.MAYBE

    def __invert__(self) -> Tri:
        if self is Tri.MAYBE:
            return Tri.MAYBE
        return Tri.FALSE if self is Tri.TRUE else Tri.TRUE

    @staticmethod
    def of(value: bool) -> Tri:
        return Tri.TRUE if value else Tri.FALSE
