"""HCL (.tf) text -> `Block`s, through python-hcl2's Lark parse tree (with line numbers)."""

from __future__ import annotations

import json
import re
from typing import Any

from policylint.errors import InputError
from policylint.terraform import ast as A
from policylint.terraform.hcl_fast import simple_template
from policylint.terraform.hcl_parse import parse_tree

_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_HEREDOC = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n(.*?)\r?\n?[ \t]*\2\r?\n?\Z", re.S)
_BINOPS = {"==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "&&", "||"}


def parse_hcl(text: str, file: str) -> list[A.Block]:
    """Parse one .tf file; a syntax error raises InputError with its line and column."""
    tree = parse_tree(_heredoc_ends_trimmed(text), file)
    body = tree.children[0] if tree.children else None
    if body is None:
        return []
    return [b for b in _body(body, file).blocks]


_HEREDOC_START = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*$")


def _heredoc_ends_trimmed(text: str) -> str:
    """Terraform ends a heredoc at a line whose *trimmed* text is the marker (HCL's scanner
    compares bytes.TrimSpace(line)); python-hcl2 wants no trailing blanks, so drop them there.
    Lines are kept, so positions do not move."""
    if "<<" not in text:
        return text
    lines = text.split("\n")
    marker: str | None = None
    for i, line in enumerate(lines):
        if marker is None:
            found = _HEREDOC_START.search(line)
            marker = found.group(1) if found else None
        elif line.strip() == marker:
            lines[i] = line.rstrip()
            marker = None
    return "\n".join(lines)


def parse_template(
    text: str, line: int, file: str = "", memo: dict[str, A.Expr] | None = None
) -> A.Expr:
    """A string that may hold `${...}` interpolations (from .tf.json or a heredoc). `memo`
    (one per file read) keeps each distinct string's parse: many strings repeat."""
    if "${" not in text and "%{" not in text:
        return A.Lit(text.replace("$${", "${").replace("%%{", "%{"), line)
    simple = simple_template(text, line)  # literal text and "${a.b.c}": no parser needed
    if simple is not None:
        return simple
    if memo is None:
        return _parse_template(text, line, file)
    if text not in memo:
        memo[text] = _parse_template(text, 1, file)
    return _relined(memo[text], line)


def _parse_template(text: str, line: int, file: str) -> A.Expr:
    sources = ["x = " + json.dumps(text, ensure_ascii=False) + "\n"]
    if text.startswith("${") and text.endswith("}"):
        # One whole interpolation, e.g. "${jsonencode({...})}": parse the bare expression it
        # stands for (quoting it would escape its inner strings and newlines). "${a}-${b}" is
        # no expression once unwrapped and falls back to the quoted template.
        sources.insert(0, "x = " + text[2:-1].strip() + "\n")
    for source in sources:
        try:
            tree = parse_tree(source, file)
            attr = _body(tree.children[0], file).attrs["x"]
        except (InputError, KeyError, IndexError):
            continue
        return _relined(attr.expr, line)
    return A.Opaque(text, line)


def _relined(e: A.Expr, line: int) -> A.Expr:
    return _Builder("", line - 1).rebase(e) if line > 1 else e


def _line(node: Any) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return int(meta.line)
    return int(getattr(node, "line", 0) or 0)


def _body(tree: Any, file: str) -> A.Body:
    return _Builder(file, 0).body(tree)


class _Builder:
    """Lark tree -> syntax tree. `offset` is added to every line (templates re-parsed)."""

    def __init__(self, file: str, offset: int) -> None:
        self.file = file
        self.offset = offset

    def rebase(self, e: A.Expr) -> A.Expr:
        import dataclasses

        changes: dict[str, Any] = {"line": e.line + self.offset}
        for f in dataclasses.fields(e):
            v = getattr(e, f.name)
            if isinstance(v, tuple):
                changes[f.name] = tuple(self._rebase_any(x) for x in v)
            elif f.name != "line":
                changes[f.name] = self._rebase_any(v)
        return dataclasses.replace(e, **changes)

    def _rebase_any(self, v: Any) -> Any:
        if isinstance(v, tuple):
            return tuple(self._rebase_any(x) for x in v)
        if dataclasses_is_expr(v):
            return self.rebase(v)
        return v

    def body(self, tree: Any) -> A.Body:
        out = A.Body(line=_line(tree) + self.offset)
        for child in _trees(tree):
            if child.data == "attribute":
                name = self.name(child.children[0])
                expr = self.expr(_trees(child)[-1])
                out.attrs[name] = A.Attribute(name, expr, _line(child) + self.offset)
            elif child.data == "block":
                out.blocks.append(self.block(child))
        return out

    def block(self, tree: Any) -> A.Block:
        kids = _trees(tree)
        body = self.body(kids[-1])
        heads = kids[:-1]
        btype = self.name(heads[0])
        labels = tuple(self.label(h) for h in heads[1:] if h.data != "new_line_or_comment")
        return A.Block(btype, labels, body, _line(tree) + self.offset, self.file)

    def name(self, tree: Any) -> str:
        if _is_tree(tree):
            if tree.data == "string":
                return self.label(tree)
            return "".join(str(t) for t in tree.children if not _is_tree(t))
        return str(tree)

    def label(self, tree: Any) -> str:
        if tree.data == "string":
            parts = []
            for sp in _trees(tree):
                for t in sp.children:
                    parts.append(_unescape(str(t)) if not _is_tree(t) else "")
            return "".join(parts)
        return self.name(tree)

    def expr(self, t: Any) -> A.Expr:
        line = _line(t) + self.offset
        d = t.data
        kids = _trees(t)
        if d == "expr_term":
            if not kids:
                return A.Opaque("()", line)
            return self.expr(kids[0])
        if d == "int_lit":
            return A.Lit(int(str(t.children[0])), line)
        if d == "float_lit":
            return A.Lit(float(str(t.children[0])), line)
        if d == "literal_value":
            return A.Lit({"true": True, "false": False}.get(str(t.children[0])), line)
        if d in ("identifier", "keyword"):
            return A.Name(self.name(t), line)
        if d == "string":
            return self.string(t, line)
        if d == "template_string":
            raw = str(t.children[0])[2:-2]
            return A.Lit(_unescape(raw), line)
        if d in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(str(t.children[0]), line)
        if d == "tuple":
            return A.TupleExpr(tuple(self.expr(k) for k in kids if _is_expr(k)), line)
        if d == "object":
            items = []
            for el in kids:
                if el.data != "object_elem":
                    continue
                ek = _trees(el)
                key_tree = _trees(ek[0])[0] if _trees(ek[0]) else ek[0]
                key = self.object_key(key_tree)
                items.append((key, self.expr(ek[-1])))
            return A.ObjectExpr(tuple(items), line)
        if d == "function_call":
            ids = [k for k in kids if k.data == "identifier"]
            name = "::".join(self.name(i) for i in ids)
            args_t = [k for k in kids if k.data == "arguments"]
            args: tuple[A.Expr, ...] = ()
            expand = False
            if args_t:
                args = tuple(self.expr(a) for a in _trees(args_t[0]) if _is_expr(a))
                expand = any(not _is_tree(c) and str(c) == "..." for c in args_t[0].children)
            return A.Call(name, args, expand, line)
        if d == "get_attr_expr_term":
            return A.GetAttr(self.expr(kids[0]), self.attr_name(kids[1]), line)
        if d == "index_expr_term":
            return A.Index(self.expr(kids[0]), self.index_key(kids[1]), line)
        if d in ("attr_splat_expr_term", "full_splat_expr_term"):
            ops: list[str | A.Expr] = []
            for op in _trees(kids[1]):
                if op.data == "get_attr":
                    ops.append(self.attr_name(op))
                else:
                    ops.append(self.index_key(op))
            return A.Splat(self.expr(kids[0]), tuple(ops), line)
        if d == "conditional":
            ex = [k for k in kids if _is_expr(k)]
            return A.Cond(self.expr(ex[0]), self.expr(ex[1]), self.expr(ex[2]), line)
        if d == "binary_op":
            left = self.expr(kids[0])
            term = kids[1]
            op_t = _trees(term)[0]
            op = str(op_t.children[0])
            right = self.expr(next(k for k in _trees(term) if k is not op_t and _is_expr(k)))
            return A.BinOp(op, left, right, line)
        if d == "unary_op":
            return A.UnOp(str(t.children[0]), self.expr(kids[0]), line)
        if d in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(t, line)
        return A.Opaque(d, line)

    def object_key(self, t: Any) -> A.Expr:
        if t.data == "expr_term" and _trees(t) and _trees(t)[0].data == "identifier":
            return A.Lit(self.name(_trees(t)[0]), _line(t) + self.offset)
        if t.data in ("identifier", "keyword"):
            return A.Lit(self.name(t), _line(t) + self.offset)
        return self.expr(t)

    def attr_name(self, t: Any) -> str:
        kid = _trees(t)[0]
        return self.name(kid) if kid.data != "literal_value" else str(kid.children[0])

    def index_key(self, t: Any) -> A.Expr:
        if t.data == "short_index":
            return A.Lit(int(str(t.children[-1])), _line(t) + self.offset)
        return self.expr(next(k for k in _trees(t) if _is_expr(k)))

    def string(self, t: Any, line: int) -> A.Expr:
        parts: list[str | A.Expr] = []
        for sp in _trees(t):
            for c in sp.children:
                if not _is_tree(c):
                    text = str(c)
                    text = text[1:] if text.startswith(("$${", "%%{")) else _unescape(text)
                    _append_text(parts, text)
                elif c.data == "interpolation":
                    parts.append(self.expr(_trees(c)[0]))
                else:
                    parts.append(A.Opaque("template directive", line))
        if not parts:
            return A.Lit("", line)
        if len(parts) == 1 and isinstance(parts[0], str):
            return A.Lit(parts[0], line)
        return A.Template(tuple(parts), line)

    def heredoc(self, raw: str, line: int) -> A.Expr:
        m = _HEREDOC.match(raw.rstrip("\n") + "\n") or _HEREDOC.match(raw)
        if m is None:
            return A.Opaque("heredoc", line)
        body = m.group(3) + "\n"
        if m.group(1):
            lines = body.split("\n")
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
            cut = min(indents) if indents else 0
            body = "\n".join(ln[cut:] for ln in lines)
        return parse_template(body, line + 1, self.file)

    def for_expr(self, t: Any, line: int) -> A.Expr:
        kids = _trees(t)
        intro = next(k for k in kids if k.data == "for_intro")
        names = [self.name(k) for k in _trees(intro)[:-1] if k.data == "identifier"]
        coll = self.expr([k for k in _trees(intro) if _is_expr(k)][-1])
        exprs = [self.expr(k) for k in kids if _is_expr(k)]
        cond_t = [k for k in kids if k.data == "for_cond"]
        cond = self.expr(next(k for k in _trees(cond_t[0]) if _is_expr(k))) if cond_t else None
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        group = any(not _is_tree(c) and str(c) == "..." for c in t.children)
        if t.data == "for_object_expr":
            return A.ForExpr(key_var, value_var, coll, exprs[0], exprs[1], cond, group, line)
        return A.ForExpr(key_var, value_var, coll, None, exprs[0], cond, False, line)


def _append_text(parts: list[str | A.Expr], text: str) -> None:
    if parts and isinstance(parts[-1], str):
        parts[-1] += text
    else:
        parts.append(text)


_EXPR_RULES = {
    "expr_term",
    "conditional",
    "binary_op",
    "unary_op",
    "int_lit",
    "float_lit",
    "string",
    "tuple",
    "object",
    "identifier",
    "literal_value",
    "function_call",
    "heredoc_template",
    "heredoc_template_trim",
    "index_expr_term",
    "get_attr_expr_term",
    "attr_splat_expr_term",
    "full_splat_expr_term",
    "for_tuple_expr",
    "for_object_expr",
    "template_string",
    "keyword",
}


def _is_tree(x: Any) -> bool:
    return hasattr(x, "data")


def _is_expr(x: Any) -> bool:
    return _is_tree(x) and x.data in _EXPR_RULES


def _trees(t: Any) -> list[Any]:
    return [c for c in t.children if _is_tree(c) and c.data != "new_line_or_comment"]


def dataclasses_is_expr(v: Any) -> bool:
    return isinstance(
        v,
        (
            A.Lit,
            A.Template,
            A.TupleExpr,
            A.ObjectExpr,
            A.Name,
            A.GetAttr,
            A.Index,
            A.Splat,
            A.Call,
            A.Cond,
            A.BinOp,
            A.UnOp,
            A.ForExpr,
            A.Opaque,
        ),
    )


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            m = text[i + 1]
            if m in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[m])
                i += 2
                continue
            width = {"u": 4, "U": 8}.get(m)
            digits = text[i + 2 : i + 2 + width] if width else ""
            if (
                width
                and len(digits) == width
                and all(x in "0123456789abcdefABCDEF" for x in digits)
            ):
                code = int(digits, 16)
                if code <= 0x10FFFF and not 0xD800 <= code < 0xE000:
                    out.append(chr(code))
                    i += 2 + width
                    continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_body(text: str, file: str) -> A.Body:
    """The top-level body (attributes and blocks) of an HCL file such as a .tfvars."""
    tree = parse_tree(text, file)
    return _body(tree.children[0], file) if tree.children else A.Body()
