"""What both Terraform readers (configuration and plan) hand to the normalizers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policylint.source import SourceRef
from policylint.terraform.expressions import JsonEncoded
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import DocPath, Document, Span


@dataclass(slots=True)
class Instance:
    """One resource or data source instance, with its evaluated arguments.

    `values` holds arguments as plain data; nested blocks are lists of dicts (or a dict, in
    JSON syntax); unresolved values are `Unknown` or strings with symbols. `spans` gives the
    line of each argument and block (paths relative to the resource body). `depends` lists the
    addresses (without instance keys) the resource references or depends on.
    """

    id: str
    address: str
    mode: str  # "managed" or "data"
    type: str
    values: dict[str, Any]
    ref: SourceRef
    spans: dict[DocPath, Span] = field(default_factory=dict)
    depends: frozenset[str] = frozenset()
    base: str = ""  # the address without instance key: module.x.aws_s3_bucket.b
    module: str = ""  # the module path prefix, e.g. "module.cdn."
    doc: Document | None = None  # plans: positions come from the plan document
    doc_path: DocPath = ()
    region: str = ""  # the region its provider configuration certainly names ("" unknown)
    region_ref: SourceRef | None = None  # where that region is set
    assumes_role: bool = False  # its provider configuration may act in another account

    def at(self, *path: str | int) -> SourceRef:
        """The position of an argument or nested block (its nearest ancestor with a line)."""
        p: DocPath = tuple(path)
        if self.doc is not None:
            return self.doc.ref((*self.doc_path, *p))
        while True:
            span = self.spans.get(p)
            if span is not None:
                return SourceRef(self.ref.file, (self.address, *p), span)
            if not p:
                return self.ref
            p = p[:-1]


def known(inst: Instance, key: str) -> str | None:
    """A computed attribute a plan already knows (an existing resource's id or ARN), else None.

    Configuration never holds computed attributes, so only plan instances have them."""
    v = inst.values.get(key) if inst.doc is not None else None
    return v if isinstance(v, str) and v else None


def blocks(values: Any, key: str) -> list[dict[str, Any]] | Unknown:
    """Nested blocks `key` of `values` as a list of dicts (absent: [])."""
    v = values.get(key) if isinstance(values, dict) else None
    if v is None:
        return []
    if isinstance(v, Unknown):
        return v
    if isinstance(v, dict):
        return [v]
    if isinstance(v, list):
        if any(isinstance(x, Unknown) for x in v):
            return Unknown(f"dynamic {key} blocks")
        return [x for x in v if isinstance(x, dict)]
    return Unknown(f"{key} is not a block")


def block(values: Any, key: str) -> dict[str, Any] | Unknown | None:
    """The single nested block `key` (None if absent)."""
    bs = blocks(values, key)
    if isinstance(bs, Unknown):
        return bs
    return bs[0] if bs else None


def json_value(v: Any) -> Any:
    """The data behind a JSON value: jsonencode()'s argument, else the value as given."""
    return v.data if isinstance(v, JsonEncoded) else v
