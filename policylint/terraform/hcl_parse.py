"""python-hcl2 parsing with syntax errors turned into InputError at their line and column."""

from __future__ import annotations

from typing import Any

from policylint.errors import InputError
from policylint.source import SourceRef, Span


def parse_tree(text: str, file: str) -> Any:
    """python-hcl2's Lark tree of `text`; a syntax error raises InputError with its position."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 1), getattr(exc, "column", 1)
        detail = _describe(exc)
        raise InputError(f"invalid HCL: {detail}", SourceRef(file, (), _span(line, col))) from None
    except (LarkError, RecursionError, ValueError, RuntimeError) as exc:
        raise InputError(f"invalid HCL: {type(exc).__name__}", SourceRef(file, (), None)) from None


def _span(line: Any, col: Any) -> Span:
    ln = line if isinstance(line, int) and line > 0 else 1
    cl = col if isinstance(col, int) and col > 0 else 1
    return Span(ln, cl)


def _describe(exc: Any) -> str:
    token = getattr(exc, "token", None)
    if token is not None:
        if getattr(token, "type", "") == "$END":
            return "unexpected end of file"
        return f"unexpected {str(token).strip()[:40]!r}"
    char = getattr(exc, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return "syntax error"
