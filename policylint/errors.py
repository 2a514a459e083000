"""Errors that carry their exit code; only the CLI prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.source import SourceRef


class PolicylintError(Exception):
    """Base class: every error policylint raises on purpose has an exit code."""

    exit_code = 2


class UsageError(PolicylintError):
    """Bad command-line arguments or configuration."""


class InputError(PolicylintError):
    """An input file that cannot be read, parsed or understood, with its position."""

    def __init__(self, message: str, ref: SourceRef | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ref = ref

    def __str__(self) -> str:
        if self.ref is None:
            return self.message
        return f"{self.ref.display()}: {self.message}"


class PolicyError(InputError):
    """A malformed policy document; `path` is the JSON path of the fault inside it."""

    def __init__(self, message: str, path: str = "$", ref: SourceRef | None = None) -> None:
        super().__init__(message, ref)
        self.path = path
