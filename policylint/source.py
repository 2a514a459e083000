"""Positions: where a value came from (file, line, column)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

# A path into a parsed document: keys (str) and list indexes (int).
DocPath = tuple[str | int, ...]


class FileKind(enum.Enum):
    CFN_YAML = "cfn-yaml"
    CFN_JSON = "cfn-json"
    TF_HCL = "tf-hcl"
    TF_JSON = "tf-json"
    TF_PLAN = "tf-plan"
    TF_VARS = "tf-vars"
    CDK_MANIFEST = "cdk-manifest"


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column of the start (and end) of a value."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A value's origin: the file as given on the command line, its path and span."""

    file: str
    path: DocPath = ()
    span: Span | None = None

    @property
    def line(self) -> int:
        return self.span.line if self.span else 1

    @property
    def column(self) -> int:
        return self.span.column if self.span else 1

    def display(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def child(self, doc: Document, *keys: str | int) -> SourceRef:
        """The ref of a value below this one, positioned through `doc`'s span table."""
        path = self.path + keys
        return SourceRef(self.file, path, doc.locate(path))


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str
    kind: FileKind


@dataclass(frozen=True, slots=True)
class Document:
    """Parsed data (plain dicts, lists, scalars) plus a side table of positions."""

    file: str
    kind: FileKind
    data: Any
    spans: dict[DocPath, Span] = field(default_factory=dict, hash=False, compare=False)

    def locate(self, path: DocPath) -> Span | None:
        """The span of `path`, or of its nearest ancestor that has one."""
        while True:
            span = self.spans.get(path)
            if span is not None or not path:
                return span
            path = path[:-1]

    def ref(self, path: DocPath) -> SourceRef:
        return SourceRef(self.file, path, self.locate(path))
