"""Policy variables: ``${aws:username}``, ``${aws:PrincipalTag/team, 'default'}``, ``${*}``.

Only Version 2012-10-17 has variables; in 2008-10-17 (and when Version is absent, which
defaults to 2008-10-17) the text ``${...}`` is literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from policylint.policy.matching import LITERAL_QMARK, LITERAL_STAR, escape_wildcards

# ${key} or ${key, 'default'}; '' inside the default is one quote.
_VAR = re.compile(r"\$\{\s*([^}',]*?)\s*(?:,\s*'((?:[^']|'')*)'\s*)?\}")
_SPECIAL = {"*": LITERAL_STAR, "?": LITERAL_QMARK, "$": "$"}

ContextMap = Mapping[str, tuple[str, ...]]


def has_variables(value: str) -> bool:
    return "${" in value


class Unresolved(Exception):
    """A variable whose key is absent (or multivalued) and that has no default."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def substitute(value: str, context: ContextMap) -> str:
    """Replace variables from `context` (keys lower-cased); raises `Unresolved`.

    Substituted text is literal: a ``*`` in a user name is not a wildcard.
    """

    def one(m: re.Match[str]) -> str:
        key, default = m.group(1), m.group(2)
        if key in _SPECIAL and default is None:
            return _SPECIAL[key]
        got = context.get(key.lower())
        if got is not None and len(got) == 1:
            return escape_wildcards(got[0])
        if default is not None:
            return escape_wildcards(default.replace("''", "'"))
        raise Unresolved(key)

    return _VAR.sub(one, value)
