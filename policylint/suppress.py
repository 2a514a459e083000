"""Suppressions: in-source ignores (CloudFormation Metadata, Terraform comments), per-file
ignores, and the report of suppressions that match nothing (PL001)."""

from __future__ import annotations

import functools
import os
import re
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policylint.errors import InputError
from policylint.findings import Hit, InputProblem, Suppression

if TYPE_CHECKING:
    from policylint.findings import Finding
    from policylint.source import Document

# Rules the engine itself produces (no check function in the checks table). The meta-test that
# compares rules/*.yaml with `policylint.checks.all_checks()` must allow exactly these extra ids.
ENGINE_RULES = frozenset({"PL001"})
UNUSED_SUPPRESSION = "PL001"

MARKER = re.compile(
    r"policylint:\s*ignore\s*=\s*([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)(.*)", re.S
)
_RULE_ID = re.compile(r"^[A-Za-z]+[0-9]+$")
HOWTO = "write the reason after the rule id: `policylint:ignore=CF010 the bucket is public`"


# --- globs ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                cls = _char_class(pattern[i + 1 : end])
                out.append(cls or re.escape(c))
                i = end if cls else i
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + "/?\\Z")


def _char_class(body: str) -> str | None:
    """`[body]` as a regex class; None when it is not one (`[z-a]`, `[]`): then `[` is literal."""
    body = body.replace("\\", "\\\\")
    cls = "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nested sets and set operations warn
        try:
            re.compile(cls)
        except (re.error, FutureWarning):
            return None
    return cls


def glob_match(pattern: str, path: str) -> bool:
    """gitignore-like: `**` spans directories; a pattern without `/` also matches the basename;
    a pattern matching a directory matches everything below it."""
    path = path.replace(os.sep, "/").removeprefix("./")
    if path == ".." or path.startswith("../"):
        return False  # outside the configuration's directory
    pattern = pattern.removeprefix("./").rstrip("/")
    regex = _glob_regex(pattern)
    if regex.match(path):
        return True
    if "/" not in pattern and regex.match(path.rsplit("/", 1)[-1]):
        return True
    parts = path.split("/")
    return any(regex.match("/".join(parts[:n])) for n in range(1, len(parts)))


def relative_to(base_dir: str, path: str) -> str:
    """`path` (relative to the working directory) as seen from `base_dir`."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))
    return rel.replace(os.sep, "/")


def matching(items: Iterable[tuple[str, Any]], base_dir: str, path: str) -> list[Any]:
    """The values of the (glob, value) items whose glob matches `path`, in order."""
    rel = relative_to(base_dir, path)
    return [value for glob, value in items if glob_match(glob, rel)]


# --- CloudFormation ---------------------------------------------------------------------


def reason_of(raw: str) -> str:
    return raw.strip().lstrip("-:\u2013\u2014 ").strip()


def cfn_suppressions(
    doc: Document, problems: list[InputProblem] | None = None
) -> list[Suppression]:
    """`Metadata: {policylint: {ignore: [{rule, reason}]}}` of each resource. A malformed entry
    raises InputError, or is appended to `problems` when given (and scanning goes on)."""
    found: list[Suppression] = []
    resources = doc.data.get("Resources") if isinstance(doc.data, dict) else None
    if not isinstance(resources, dict):
        return found

    def bad(message: str, path: tuple[str | int, ...]) -> None:
        error = InputProblem(message, doc.ref(path))
        if problems is None:
            raise InputError(error.message, error.ref)
        problems.append(error)

    for logical_id, resource in resources.items():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        if not isinstance(metadata, dict) or "policylint" not in metadata:
            continue
        base: tuple[str | int, ...] = ("Resources", logical_id, "Metadata", "policylint")
        block = metadata["policylint"]
        entries = block.get("ignore") if isinstance(block, dict) else None
        if not isinstance(entries, list):
            bad("Metadata.policylint needs `ignore: [{rule: CF010, reason: ...}]`", base)
            continue
        for i, entry in enumerate(entries):
            path = (*base, "ignore", i)
            rule = entry.get("rule") if isinstance(entry, dict) else entry
            reason = entry.get("reason") if isinstance(entry, dict) else None
            if not isinstance(rule, str) or not _RULE_ID.match(rule):
                bad(f"policylint ignore entry needs `rule: <rule id>`, got {rule!r}", path)
            elif not isinstance(reason, str) or not reason.strip():
                bad(f"policylint ignore of {rule} needs a `reason`", path)
            else:
                found.append(
                    Suppression(
                        rule=rule.upper(),
                        resource=str(logical_id),
                        file=doc.file,
                        reason=reason.strip(),
                        ref=doc.ref(path),
                    )
                )
    return found


# --- Terraform ---------------------------------------------------------------------------


def tf_suppressions(
    text: str, file: str, problems: list[InputProblem] | None = None
) -> list[Suppression]:
    """`# policylint:ignore=CF010 reason` comments of a `.tf` file (on the block's header line,
    the lines right above it, or inside it), or `"//"` keys of a `.tf.json` resource."""
    from policylint.suppress_tf import hcl_suppressions, tfjson_suppressions

    collected: list[InputProblem] = []
    if file.endswith(".json"):
        found = tfjson_suppressions(text, file, collected)
    else:
        found = hcl_suppressions(text, file, collected)
    if problems is not None:
        problems.extend(collected)
    elif collected:
        raise InputError(collected[0].message, collected[0].ref)
    return found


# --- applying ---------------------------------------------------------------------------


def rule_matches(rule: str, patterns: Iterable[str]) -> bool:
    """As in `--select`: a rule id, a prefix, or ALL."""
    return any(p.upper() == "ALL" or rule.startswith(p.upper()) for p in patterns)


def drop_per_file(
    findings: Sequence[Finding], per_file: Sequence[tuple[str, Sequence[str]]], base_dir: str
) -> list[Finding]:
    """Findings minus those a `per-file-ignores` glob silences for their file."""
    if not per_file:
        return list(findings)
    kept: list[Finding] = []
    for f in findings:
        rel = relative_to(base_dir, f.file)
        if not any(glob_match(g, rel) and rule_matches(f.rule, ids) for g, ids in per_file):
            kept.append(f)
    return kept


def _same_file(a: str, b: str) -> bool:
    return os.path.normpath(a) == os.path.normpath(b)


def apply_suppressions(
    findings: Sequence[Finding],
    suppressions: Sequence[Suppression],
    *,
    ran: Collection[str],
    catalog: Mapping[str, Any],
) -> tuple[list[Finding], list[Finding]]:
    """(findings no suppression matches, PL001 findings for the suppressions that matched
    nothing). A suppression of a rule that did not run is not reported; one of an unknown rule
    is."""
    from policylint.engine import stamp

    used: set[int] = set()
    kept: list[Finding] = []
    for f in findings:
        hits = [
            i
            for i, s in enumerate(suppressions)
            if s.rule == f.rule and s.resource == f.resource and _same_file(s.file, f.file)
        ]
        used.update(hits)
        if not hits:
            kept.append(f)
    doc = catalog.get(UNUSED_SUPPRESSION)
    unused: list[Finding] = []
    for i, s in enumerate(suppressions):
        if i in used or doc is None or (s.rule in catalog and s.rule not in ran):
            continue
        if s.rule in catalog:
            message = f"unused suppression: no {s.rule} finding on `{s.resource}` to ignore"
        else:
            message = f"suppression names unknown rule {s.rule} (see `policylint rules`)"
        hit = Hit(
            ref=s.ref,
            resource=s.resource,
            message=f"{message} (reason given: {s.reason})",
            fix=f"remove the policylint ignore of {s.rule} from `{s.resource}`",
            key=f"{s.rule}|{s.resource}",
        )
        unused.append(stamp(doc, hit))
    return kept, unused
