"""Three-valued wildcard matching of actions, ARNs and strings that may contain symbols.

Concrete strings take a fast path (one cached compiled regex). A string with symbols is
compared twice: a *definite* test (symbols are opaque tokens that only a ``*`` or the same
symbol can cover) gives TRUE, and a *possible* test (a glob intersection where symbols act like
``*``, except that two different resource symbols never meet) separates MAYBE from FALSE.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from policylint.values import RESOURCE_PREFIX, SYM_OPEN, Tri, split_symbols

# Placeholders for a literal "*" / "?" produced by the policy variables ${*} and ${?}.
LITERAL_STAR = "\ue010"
LITERAL_QMARK = "\ue011"
_LITERALS = {LITERAL_STAR: "*", LITERAL_QMARK: "?"}

# Token kinds.
_CHAR, _STAR, _ONE, _SYM, _RES1, _RESSTAR = range(6)
# A token: (kind, text, colon_ok). text = the char, or the symbol name.
_Token = tuple[int, str, bool]


def unescape(value: str) -> str:
    """The text of a value with the literal-wildcard placeholders turned back into * and ?."""
    if LITERAL_STAR in value or LITERAL_QMARK in value:
        return value.replace(LITERAL_STAR, "*").replace(LITERAL_QMARK, "?")
    return value


def escape_wildcards(value: str) -> str:
    """Make * and ? in a substituted value literal (they are not wildcards there)."""
    return value.replace("*", LITERAL_STAR).replace("?", LITERAL_QMARK)


def _colon_free(name: str) -> bool:
    # Pseudo parameters and AWS-generated ids never contain ":"; other symbols might.
    return name.startswith(("AWS::", RESOURCE_PREFIX))


@functools.lru_cache(maxsize=8192)
def _regex(pattern: str, arn: bool, wild: bool, ignore_case: bool) -> re.Pattern[str]:
    """Compile a concrete glob; for ARNs wildcards stay inside the first five segments."""
    limit = _colon_limit(pattern) if arn else -1
    out: list[str] = []
    colons = 0
    for ch in pattern:
        span = limit < 0 or colons >= limit
        if wild and ch == "*":
            out.append(".*" if span else "[^:]*")
        elif wild and ch == "?":
            out.append("." if span else "[^:]")
        else:
            out.append(re.escape(_LITERALS.get(ch, ch)))
            colons += ch == ":"
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(out), flags)


def _colon_limit(pattern: str) -> int:
    # Wildcards after the 5th colon (the resource part) may span ":" and "/"; a pattern with
    # fewer segments lets its last segment span the rest.
    count = pattern.count(":")
    return 5 if count >= 5 else count


@functools.lru_cache(maxsize=16384)
def _tokens(value: str, *, pattern: bool, arn: bool, wild: bool, ic: bool) -> tuple[_Token, ...]:
    # Cached: the same ARNs meet many patterns (every role grant against every bucket).
    limit = _colon_limit("".join(t for s, t in split_symbols(value) if not s)) if arn else -1
    toks: list[_Token] = []
    colons = 0
    for is_sym, text in split_symbols(value):
        if is_sym:
            toks.append((_SYM, text, not _colon_free(text)))
            continue
        for ch in text.lower() if ic else text:
            span = limit < 0 or colons >= limit
            if pattern and wild and ch == "*":
                toks.append((_STAR, "", span))
            elif pattern and wild and ch == "?":
                toks.append((_ONE, "", span))
            else:
                toks.append((_CHAR, _LITERALS.get(ch, ch), False))
                colons += ch == ":"
    return tuple(toks)


def _definite(p: Sequence[_Token], v: Sequence[_Token]) -> bool:
    """Match for every substitution: a value symbol is covered only by * or the same symbol."""
    n, m = len(p), len(v)
    reach = [[False] * (m + 1) for _ in range(n + 1)]
    reach[0][0] = True
    for i in range(n + 1):
        for j in range(m + 1):
            if not reach[i][j] or i == n:
                continue
            kind, text, colon_ok = p[i]
            if kind == _STAR:
                reach[i + 1][j] = True
                if j < m and _star_covers(colon_ok, v[j]):
                    reach[i][j + 1] = True
            elif j < m:
                vk, vt, _ = v[j]
                one = kind == _ONE and vk == _CHAR and (vt != ":" or colon_ok)
                if one or (kind == vk and text == vt and kind in (_CHAR, _SYM)):
                    reach[i + 1][j + 1] = True
    return reach[n][m]


def _star_covers(colon_ok: bool, tok: _Token) -> bool:
    kind, text, sym_colon = tok
    if kind == _CHAR:
        return text != ":" or colon_ok
    return colon_ok or not sym_colon


def _expand(toks: Sequence[_Token]) -> list[_Token]:
    # A resource symbol is a non-empty, colon-free id: one unknown char then a star.
    out: list[_Token] = []
    for kind, text, colon_ok in toks:
        if kind == _SYM and text.startswith(RESOURCE_PREFIX):
            out.append((_RES1, text, False))
            out.append((_RESSTAR, text, False))
        else:
            out.append((kind, text, colon_ok))
    return out


def _starlike(kind: int) -> bool:
    return kind in (_STAR, _SYM, _RESSTAR)


def _compatible(a: _Token, b: _Token) -> bool:
    """Can token `a` (star-like or unit) produce the same text as unit/star `b` at this place?"""
    ak, at, a_colon = a
    bk, bt, b_colon = b
    a_res = ak in (_RES1, _RESSTAR)
    b_res = bk in (_RES1, _RESSTAR)
    if a_res and b_res:
        return at == bt
    if ak == _CHAR and bk == _CHAR:
        return at == bt
    if ak == _CHAR and at == ":":
        return b_colon  # b must be able to produce a colon
    if bk == _CHAR and bt == ":":
        return a_colon
    return True


def _possible(p: Sequence[_Token], v: Sequence[_Token]) -> bool:
    """Some substitution of the symbols makes `p` match `v` (glob intersection)."""
    p, v = _expand(p), _expand(v)
    n, m = len(p), len(v)
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        if i == n and j == m:
            return True
        pi = p[i] if i < n else None
        vj = v[j] if j < m else None
        if pi is not None and _starlike(pi[0]):
            stack.append((i + 1, j))  # p's star is empty here
            if vj is not None and _compatible(pi, vj):
                stack.append((i, j + 1))  # p's star absorbs v[j]
        if vj is not None and _starlike(vj[0]):
            stack.append((i, j + 1))
            if pi is not None and _compatible(vj, pi):
                stack.append((i + 1, j))
        units = pi is not None and vj is not None and not _starlike(pi[0]) and not _starlike(vj[0])
        if units and pi is not None and vj is not None and _unit_pair(pi, vj):
            stack.append((i + 1, j + 1))
    return False


def _unit_pair(a: _Token, b: _Token) -> bool:
    if a[0] == _ONE or b[0] == _ONE:
        other = b if a[0] == _ONE else a
        one = a if a[0] == _ONE else b
        return not (other[0] == _CHAR and other[1] == ":" and not one[2])
    return _compatible(a, b)


@functools.lru_cache(maxsize=65536)
def _symbolic(pattern: str, value: str, arn: bool, wild: bool, ic: bool) -> Tri:
    p, v = _strip_common_ends(
        _tokens(pattern, pattern=True, arn=arn, wild=wild, ic=ic),
        _tokens(value, pattern=False, arn=arn, wild=wild, ic=ic),
    )
    # Stripping identical fixed ends is exact for both tests (a literal pattern token must meet
    # its value token in lockstep); two different literals left at either end then decide.
    if p and v and (_differ(p[0], v[0]) or _differ(p[-1], v[-1])):
        return Tri.FALSE
    if _definite(p, v):
        return Tri.TRUE
    return Tri.MAYBE if _possible(p, v) else Tri.FALSE


def _differ(a: _Token, b: _Token) -> bool:
    return a[0] == _CHAR and b[0] == _CHAR and a[1] != b[1]


def _fixed(tok: _Token) -> bool:
    # A literal, a resource symbol (a generated id) or a pseudo parameter (AWS::Partition,
    # AWS::AccountId, ...): none can hold a wildcard, so each is one text, equal to itself.
    return tok[0] == _CHAR or (tok[0] == _SYM and tok[1].startswith((RESOURCE_PREFIX, "AWS::")))


def _strip_common_ends(
    p: Sequence[_Token], v: Sequence[_Token]
) -> tuple[Sequence[_Token], Sequence[_Token]]:
    """Drop the identical fixed tokens both start (and end) with: the same resource symbol on
    both sides stands for the same string, so only what differs after it can decide."""
    # Equal tokens have the same kind, so only the pattern's non-fixed tokens can stop a run;
    # the runs themselves are found by comparing slices (in C), not token by token.
    unfixed = _unfixed(tuple(p))
    head = _common_len(p, v)
    i = min(head, unfixed[0]) if unfixed else head
    p, v = p[i:], v[i:]
    j = _common_len(p[::-1], v[::-1])
    if unfixed:
        j = min(j, len(p) - 1 - (unfixed[-1] - i))
    return (p[: len(p) - j], v[: len(v) - j]) if j else (p, v)


@functools.lru_cache(maxsize=16384)
def _unfixed(toks: tuple[_Token, ...]) -> tuple[int, ...]:
    return tuple(k for k, t in enumerate(toks) if not _fixed(t))


def _common_len(a: Sequence[_Token], b: Sequence[_Token]) -> int:
    """Length of the longest common prefix of `a` and `b` (binary search on slices)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _match(pattern: str, value: str, arn: bool, wild: bool, ic: bool) -> Tri:
    if SYM_OPEN not in pattern and SYM_OPEN not in value:
        if not wild and not ic:
            return Tri.TRUE if unescape(pattern) == unescape(value) else Tri.FALSE
        hit = _regex(pattern, arn, wild, ic).fullmatch(unescape(value))
        return Tri.TRUE if hit else Tri.FALSE
    return _symbolic(pattern, value, arn, wild, ic)


def match_arn(pattern: str, value: str) -> Tri:
    """ARN pattern (``*``/``?``, per segment, case-sensitive) against an ARN value."""
    if pattern == "*":
        return Tri.TRUE
    return _match(pattern, value, True, True, False)


def match_action(pattern: str, action: str) -> Tri:
    """Action pattern such as ``s3:Get*`` against an action; case-insensitive."""
    if pattern == "*":
        return Tri.TRUE
    return _match(pattern, action, False, True, True)


def match_like(pattern: str, value: str, *, ignore_case: bool = False) -> Tri:
    """StringLike: ``*`` and ``?`` span any characters."""
    return _match(pattern, value, False, True, ignore_case)


def equals(a: str, b: str, *, ignore_case: bool = False) -> Tri:
    """Exact string equality over symbols (no wildcards)."""
    return _match(a, b, False, False, ignore_case)


def compile_globs(patterns: tuple[str, ...], *, arn: bool, ignore_case: bool) -> re.Pattern[str]:
    """One regex for several concrete patterns (an OR), for the evaluator's fast path."""
    parts = [_regex(p, arn, True, ignore_case).pattern for p in patterns]
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("|".join(f"(?:{p})" for p in parts), flags)
