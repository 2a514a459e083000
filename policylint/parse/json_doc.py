"""JSON with a position for every value, duplicate keys refused, no recursion."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from policylint.errors import InputError
from policylint.parse import MAX_DEPTH
from policylint.source import Document, SourceRef, Span

if TYPE_CHECKING:
    from policylint.source import DocPath, FileKind

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}


class _Lines:
    """Offset -> (line, column), both 1-based."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def span(self, start: int, end: int) -> Span:
        starts = self.starts
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, end, line - 1)
        return Span(line, start - starts[line - 1] + 1, end_line, end - starts[end_line - 1] + 1)

    def point(self, offset: int) -> Span:
        line = bisect_right(self.starts, offset)
        return Span(line, offset - self.starts[line - 1] + 1)


def load_json(text: str, file: str, kind: FileKind) -> Document:
    """Parse JSON `text` into a Document whose spans cover every value."""
    data, offsets = _scan(text, file)
    lines = _Lines(text)
    spans = {path: lines.span(start, end) for path, (start, end) in offsets.items()}
    return Document(file, kind, data, spans)


def _error(text: str, file: str, pos: int, message: str) -> InputError:
    span = _Lines(text).point(min(pos, len(text)))
    return InputError(f"invalid JSON: {message}", SourceRef(file, (), span))


def _describe(text: str, pos: int) -> str:
    if pos >= len(text):
        return "unexpected end of file"
    return f"unexpected character {text[pos]!r}"


def _scan(text: str, file: str) -> tuple[Any, dict[DocPath, tuple[int, int]]]:
    """Iterative scanner: (data, {path: (start offset, end offset)})."""
    if "\x00" in text:
        raise _error(text, file, text.index("\x00"), "binary content (NUL byte)")
    scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]
    ws: Any = _WS.match  # always matches (possibly empty)
    number = _NUMBER.match
    n = len(text)
    pos = ws(text, 1 if text.startswith("\ufeff") else 0).end()
    if pos >= n:
        raise _error(text, file, pos, "empty document")
    offsets: dict[DocPath, tuple[int, int]] = {}
    # Frames: [container, path, start offset of the member/item, current key]
    stack: list[list[Any]] = []
    path: DocPath = ()
    start = pos
    root: Any = None
    while True:
        # --- a value is expected at `pos` for `path` (member span starts at `start`).
        if pos >= n:
            raise _error(text, file, pos, "unexpected end of file")
        c = text[pos]
        value: Any
        if c == "{" or c == "[":
            container: Any = {} if c == "{" else []
            _attach(stack, container)
            if not stack:
                root = container
            stack.append([container, path, start, None])
            if len(stack) > MAX_DEPTH:
                raise _error(text, file, pos, f"nesting deeper than {MAX_DEPTH} levels")
            pos = ws(text, pos + 1).end()
            close = "}" if c == "{" else "]"
            if pos < n and text[pos] == close:
                pos += 1
                stack.pop()
                offsets[path] = (start, pos)
            elif c == "{":
                pos, path, start = _member(text, file, pos, stack, path)
                continue
            else:
                start = pos
                path = (*path, 0)
                continue
        else:
            if c == '"':
                try:
                    value, pos = scanstring(text, pos + 1, True)
                except json.JSONDecodeError as exc:
                    raise _error(text, file, exc.pos, exc.msg.removesuffix(" at").lower()) from None
            elif c in _LITERALS:
                word, value = _LITERALS[c]
                if not text.startswith(word, pos):
                    raise _error(text, file, pos, _describe(text, pos))
                pos += len(word)
            else:
                m = number(text, pos)
                if m is None:
                    raise _error(text, file, pos, _describe(text, pos))
                s = m.group()
                value = float(s) if m.group(1) or m.group(2) else int(s)
                pos = m.end()
            offsets[path] = (start, pos)
            if not stack:
                root = value
            else:
                _attach(stack, value)
        # --- after a value: a comma, a closing bracket, or the end of the document.
        while True:
            pos = ws(text, pos).end()
            if not stack:
                if pos < n:
                    raise _error(text, file, pos, f"extra data after the document: {text[pos]!r}")
                return root, offsets
            frame = stack[-1]
            container, cpath = frame[0], frame[1]
            c = text[pos] if pos < n else ""
            if c == ",":
                pos = ws(text, pos + 1).end()
                if isinstance(container, dict):
                    pos, path, start = _member(text, file, pos, stack, cpath)
                else:
                    start = pos
                    path = (*cpath, len(container))
                break
            if c == ("}" if isinstance(container, dict) else "]"):
                pos += 1
                stack.pop()
                offsets[cpath] = (frame[2], pos)
                continue
            expected = "',' or '}'" if isinstance(container, dict) else "',' or ']'"
            raise _error(text, file, pos, f"expected {expected}, {_describe(text, pos)}")


def _attach(stack: list[list[Any]], value: Any) -> None:
    if stack:
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, dict):
            container[frame[3]] = value
        else:
            container.append(value)


def _member(
    text: str, file: str, pos: int, stack: list[list[Any]], cpath: DocPath
) -> tuple[int, DocPath, int]:
    """Read `"key" :` at `pos`; returns (value position, value path, member start)."""
    if pos >= len(text) or text[pos] != '"':
        raise _error(text, file, pos, f"expected a quoted key, {_describe(text, pos)}")
    start = pos
    try:
        key, pos = json.decoder.scanstring(text, pos + 1, True)  # type: ignore[attr-defined]
    except json.JSONDecodeError as exc:
        raise _error(text, file, exc.pos, exc.msg.removesuffix(" at").lower()) from None
    frame = stack[-1]
    ws: Any = _WS.match
    if key in frame[0]:
        raise _error(text, file, start, f"duplicate key {key!r}")
    frame[3] = key
    pos = ws(text, pos).end()
    if pos >= len(text) or text[pos] != ":":
        raise _error(text, file, pos, f"expected ':' after key {key!r}, {_describe(text, pos)}")
    pos = ws(text, pos + 1).end()
    return pos, (*cpath, key), start
