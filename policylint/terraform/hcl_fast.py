"""Templates simple enough to need no parser: literal text and `${a.b.c}` references.

`.tf.json` configurations are mostly such strings (``"${aws_s3_bucket.b.arn}/*"``, policy JSON
with references in it); python-hcl2's Lark parser costs about a millisecond for each. The
result is the one `hcl.parse_template` builds through the parser, node for node.
"""

from __future__ import annotations

import re

from policylint.terraform import ast as A

_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_TRAVERSAL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*)*)")
_KEYWORDS = {"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"}


def simple_template(text: str, line: int) -> A.Expr | None:
    """The expression for `text` when it is literal text (no escapes, no directives, one line)
    and bare traversals only; None for anything else."""
    parts: list[str | A.Expr] = []
    pos = 0
    for m in _INTERPOLATION.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        ref = _TRAVERSAL.fullmatch(m.group(1))
        if ref is None or ref.group(1) in _KEYWORDS:
            return None
        expr: A.Expr = A.Name(ref.group(1), line)
        for name in ref.group(2).split(".")[1:]:
            expr = A.GetAttr(expr, name, line)
        parts.append(expr)
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    literal = "".join(p for p in parts if isinstance(p, str))
    if not parts or any(c in "$%\\" or c < " " or c == "\x7f" for c in literal):
        return None
    if len(parts) == 1:
        return parts[0] if not isinstance(parts[0], str) else None
    return A.Template(tuple(parts), line)
