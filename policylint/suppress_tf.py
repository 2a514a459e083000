"""Terraform in-source suppressions: `# policylint:ignore=ID reason` comments in `.tf` files
and `"//"` comment keys in `.tf.json` files (see `policylint.suppress.tf_suppressions`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from policylint.errors import InputError
from policylint.findings import InputProblem, Suppression
from policylint.source import FileKind, SourceRef, Span
from policylint.suppress import HOWTO, MARKER, reason_of

_LABEL = r'(?:"([^"\n]+)"|([A-Za-z_][\w-]*))'
_HEADER = re.compile(rf"(?:^|\s)(resource|data|module)\s+{_LABEL}(?:\s+{_LABEL})?\s*\Z")
_HEREDOC = re.compile(r"<<-?([A-Za-z_]\w*)[ \t]*\r?\n")


def _scan_hcl(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, int]], str]:
    """(comments as (offset, text), top-level blocks as (open brace, end), text with comments
    blanked). Strings with `${}` interpolations and heredocs are skipped."""
    comments: list[tuple[int, str]] = []
    blocks: list[tuple[int, int]] = []
    code = list(text)
    modes: list[int] = []  # -1: in a string; n >= 0: in an interpolation with n open braces
    i, n, depth, opened = 0, len(text), 0, 0
    while i < n:
        c = text[i]
        if modes and modes[-1] < 0:  # inside "..."
            if c == "\\":
                i += 2
                continue
            if c == '"' or c == "\n":
                modes.pop()
            elif text.startswith(("$${", "%%{"), i):
                i += 3
                continue
            elif text.startswith(("${", "%{"), i):
                modes.append(0)
                i += 2
                continue
            i += 1
            continue
        if c == '"':
            modes.append(-1)
        elif c == "#" or text.startswith(("//", "/*"), i):
            block = text.startswith("/*", i)
            end = text.find("*/", i + 2) + 2 if block else text.find("\n", i)
            end = n if end < (2 if block else 0) else end
            if not block:
                comments.append((i, text[i:end]))
            code[i:end] = [ch if ch == "\n" else " " for ch in text[i:end]]
            i = end
            continue
        elif text.startswith("<<", i) and (m := _HEREDOC.match(text, i)):
            term = re.compile(rf"^[ \t]*{re.escape(m.group(1))}[ \t]*$", re.M).search(text, m.end())
            i = term.end() if term else n
            continue
        elif c == "{":
            if modes:
                modes[-1] += 1
            else:
                opened = i if depth == 0 else opened
                depth += 1
        elif c == "}":
            if modes:
                if modes[-1] == 0:
                    modes.pop()
                else:
                    modes[-1] -= 1
            elif depth > 0:
                depth -= 1
                if depth == 0:
                    blocks.append((opened, i + 1))
        i += 1
    return comments, blocks, "".join(code)


def _address(m: re.Match[str]) -> str:
    labels = [m.group(2) or m.group(3), m.group(4) or m.group(5)]
    if m.group(1) == "module":
        return f"module.{labels[0]}"
    address = f"{labels[0]}.{labels[1]}"
    return f"data.{address}" if m.group(1) == "data" else address


def _line_of(text: str, offset: int) -> Span:
    start = text.rfind("\n", 0, offset) + 1
    return Span(text.count("\n", 0, offset) + 1, offset - start + 1)


def hcl_suppressions(text: str, file: str, problems: list[InputProblem]) -> list[Suppression]:
    comments, blocks, code = _scan_hcl(text)
    lines = text.splitlines()
    owners: list[tuple[int, int, int, str]] = []  # (first line, start offset, end, address)
    previous = 0
    for opened, end in blocks:
        m = _HEADER.search(code, previous, opened)
        previous = end
        if m is None:
            continue
        start = m.start(1)
        first = _line_of(text, start).line
        while first > 1 and lines[first - 2].lstrip().startswith(("#", "//")):
            first -= 1  # a run of comment lines right above the header belongs to it
        if m.group(1) != "module" and not (m.group(4) or m.group(5)):
            continue
        owners.append((first, start, end, _address(m)))
    found: list[Suppression] = []
    for offset, comment in comments:
        marker = MARKER.search(comment)
        if marker is None:
            continue
        span = _line_of(text, offset)
        ref = SourceRef(file, (), span)
        owner = next(
            (
                a
                for first, s, e, a in owners
                if s <= offset < e or first <= span.line < _line_of(text, s).line
            ),
            None,
        )
        ids = [r.strip().upper() for r in marker.group(1).split(",")]
        reason = reason_of(marker.group(2))
        if owner is None:
            problems.append(InputProblem("policylint:ignore is not on a resource block", ref))
        elif not reason:
            problems.append(
                InputProblem(f"policylint:ignore={','.join(ids)} needs a reason; {HOWTO}", ref)
            )
        else:
            found.extend(
                Suppression(rule=r, resource=owner, file=file, reason=reason, ref=ref) for r in ids
            )
    return found


def tfjson_suppressions(text: str, file: str, problems: list[InputProblem]) -> list[Suppression]:
    from policylint.parse.json_doc import load_json

    if "policylint:" not in text and "\\u" not in text:
        return []  # no marker can be spelt (not even with \u escapes): skip a second parse
    try:
        doc = load_json(text, file, FileKind.TF_JSON)
    except InputError:
        return []  # the loader reports the syntax error
    found: list[Suppression] = []

    def items(
        value: Any, path: tuple[str | int, ...]
    ) -> Iterable[tuple[str, Any, tuple[str | int, ...]]]:
        for i, part in enumerate(value if isinstance(value, list) else [value]):
            p = (*path, i) if isinstance(value, list) else path
            if isinstance(part, dict):
                for key, sub in part.items():
                    yield str(key), sub, (*p, key)

    def scan(body: Any, path: tuple[str | int, ...], address: str) -> None:
        for key, comment, p in items(body, path):
            if key != "//":
                continue
            for j, text_ in enumerate(comment if isinstance(comment, list) else [comment]):
                marker = MARKER.search(text_) if isinstance(text_, str) else None
                if marker is None:
                    continue
                ref = doc.ref((*p, j) if isinstance(comment, list) else p)
                ids = [r.strip().upper() for r in marker.group(1).split(",")]
                reason = reason_of(marker.group(2))
                if not reason:
                    problems.append(
                        InputProblem(
                            f"policylint:ignore={','.join(ids)} needs a reason; {HOWTO}", ref
                        )
                    )
                    continue
                found.extend(
                    Suppression(rule=r, resource=address, file=file, reason=reason, ref=ref)
                    for r in ids
                )

    for kind, section, path in items(doc.data, ()):
        if kind == "module":
            for name, body, p in items(section, path):
                scan(body, p, f"module.{name}")
        elif kind in ("resource", "data"):
            for type_, named, p in items(section, path):
                for name, body, q in items(named, p):
                    prefix = "data." if kind == "data" else ""
                    scan(body, q, f"{prefix}{type_}.{name}")
    return found
