"""Terraform JSON configuration syntax (.tf.json) -> `Block`s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.errors import InputError
from policylint.source import FileKind, SourceRef
from policylint.terraform import ast as A
from policylint.terraform.hcl import parse_template

if TYPE_CHECKING:
    from policylint.source import DocPath, Document

_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}


def parse_tf_json(text: str, file: str) -> list[A.Block]:
    """Parse one .tf.json file; malformed JSON raises InputError with its position."""
    from policylint.parse.json_doc import load_json

    doc = load_json(text, file, FileKind.TF_JSON)
    if not isinstance(doc.data, dict):
        raise InputError("Terraform JSON must be an object", doc.ref(()))
    return _Reader(doc).top()


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.memo: dict[str, A.Expr] = {}  # parse_template's, for this file

    def line(self, path: DocPath) -> int:
        span = self.doc.locate(path)
        return span.line if span else 1

    def top(self) -> list[A.Block]:
        out: list[A.Block] = []
        for key, value in self.doc.data.items():
            path: DocPath = (key,)
            if key == "locals":
                for v, p in _items(value, path):
                    if isinstance(v, dict):
                        out.append(
                            A.Block("locals", (), self.body(v, p), self.line(p), self.doc.file)
                        )
            elif key in _LABELS:
                self.labelled(key, value, path, (), _LABELS[key], out)
        return out

    def labelled(
        self,
        btype: str,
        value: Any,
        path: DocPath,
        labels: tuple[str, ...],
        depth: int,
        out: list[A.Block],
    ) -> None:
        for v, p in _items(value, path):
            if not isinstance(v, dict):
                continue
            if depth == 0:
                out.append(A.Block(btype, labels, self.body(v, p), self.line(p), self.doc.file))
                continue
            for k, sub in v.items():
                self.labelled(btype, sub, (*p, k), (*labels, k), depth - 1, out)

    def body(self, data: dict[str, Any], path: DocPath) -> A.Body:
        out = A.Body(line=self.line(path))
        for k, v in data.items():
            if k == "//":
                continue
            p = (*path, k)
            if k == "depends_on" and isinstance(v, list):
                expr: A.Expr = A.TupleExpr(
                    tuple(_bare_ref(x, self.line((*p, i))) for i, x in enumerate(v)), self.line(p)
                )
            else:
                expr = self.expr(v, p)
            out.attrs[k] = A.Attribute(k, expr, self.line(p))
        return out

    def expr(self, v: Any, path: DocPath) -> A.Expr:
        line = self.line(path)
        if isinstance(v, str):
            return parse_template(v, line, self.doc.file, self.memo)
        if isinstance(v, list):
            return A.TupleExpr(tuple(self.expr(x, (*path, i)) for i, x in enumerate(v)), line)
        if isinstance(v, dict):
            items = tuple(
                (parse_template(k, line, self.doc.file, self.memo), self.expr(x, (*path, k)))
                for k, x in v.items()
                if k != "//"
            )
            return A.ObjectExpr(items, line)
        return A.Lit(v, line)


def _items(value: Any, path: DocPath) -> list[tuple[Any, DocPath]]:
    if isinstance(value, list):
        return [(v, (*path, i)) for i, v in enumerate(value)]
    return [(value, path)]


def _bare_ref(text: Any, line: int) -> A.Expr:
    if not isinstance(text, str):
        return A.Lit(text, line)
    text = text.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    e: A.Expr | None = None
    for part in text.split("."):
        e = A.Name(part, line) if e is None else A.GetAttr(e, part, line)
    return e if e is not None else A.Lit(None, line)


def source_ref(file: str, line: int) -> SourceRef:
    from policylint.source import Span

    return SourceRef(file, (), Span(line))
