"""What compute is handed besides plain values: the run's resources that an EC2 instance's
user data script references (CloudFormation Ref / GetAtt / ${X}, Terraform interpolations),
and the bucket of an S3 `bucket/key` location (CodeBuild source).

Never guess: a value counts only when the loader saw the reference, and it must appear in the
resolved script as a whole token (a bucket named `data` is not found in `metadata`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.values import SYM_CLOSE, SYM_OPEN, has_symbol

# characters that may continue a bucket, queue or table name, or an ARN
_WORD = r"A-Za-z0-9._\-"


def mentions(script: str, value: str) -> bool:
    """Does `script` hold `value` as a whole token? A value with a symbol is unique, so any
    occurrence counts; a literal needs word boundaries on both sides."""
    if not value or value not in script:
        return False
    if has_symbol(value):
        return True
    pattern = f"(?<![{_WORD}]){re.escape(value)}(?![{_WORD}])"
    return re.search(pattern, script) is not None


def handed(script: str, values: Iterable[str]) -> list[str]:
    """The `values` the script mentions, then the script lines that mention them (calls such as
    `curl https://${Api}.execute-api...` are matched by host, not by value), in order."""
    found = list(dict.fromkeys(v for v in values if mentions(script, v)))
    lines = [
        line.strip()
        for line in script.splitlines()
        if line.strip() not in found and any(mentions(line, v) for v in found)
    ]
    return found + list(dict.fromkeys(lines))


def bucket_of(location: str) -> str | None:
    """The bucket of `bucket/key` (slashes inside symbols do not count); ARNs are left out."""
    if location.startswith("arn:"):
        return None
    depth = 0
    for i, ch in enumerate(location):
        if ch == SYM_OPEN:
            depth += 1
        elif ch == SYM_CLOSE:
            depth -= 1
        elif ch == "/" and depth == 0:
            return location[:i] or None
    return None
