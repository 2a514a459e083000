"""What rules produce: hits, and the findings the engine stamps from them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.source import SourceRef


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One hop of a finding's trace: caller -> hop -> ... -> the denying statement."""

    text: str
    ref: SourceRef | None = None
    denies: bool = False  # the hop that denies


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """What a check yields. The engine adds rule id, severity (unless overridden) and the
    fingerprint. `key` identifies the problem independent of line numbers (for baselines),
    e.g. "SiteBucket|Site|OriginA"."""

    ref: SourceRef
    resource: str
    message: str
    fix: str
    key: str
    trace: tuple[TraceStep, ...] = ()
    severity: Severity | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    fix: str
    ref: SourceRef
    resource: str
    trace: tuple[TraceStep, ...]
    fingerprint: str

    @property
    def file(self) -> str:
        return self.ref.file

    @property
    def line(self) -> int:
        return self.ref.line

    @property
    def column(self) -> int:
        return self.ref.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input that could not be read or understood: reported, exit code 2."""

    message: str
    ref: SourceRef | None = None

    def display(self) -> str:
        return f"{self.ref.display()}: {self.message}" if self.ref else self.message


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppression:
    """An in-source ignore: CloudFormation resource Metadata or a Terraform comment."""

    rule: str
    resource: str  # logical id or Terraform address, as in Finding.resource
    file: str
    reason: str
    ref: SourceRef
