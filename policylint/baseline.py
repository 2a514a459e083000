"""Baselines: accept today's findings, report only new ones. Keyed by line-independent
fingerprints (`policylint.engine.fingerprint`), so moving code does not resurrect them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from policylint.errors import UsageError
from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding

BASELINE_VERSION = 1


def baseline_text(findings: Iterable[Finding]) -> str:
    """The baseline file: sorted and deterministic; rule/file/resource/message for humans."""
    entries = {
        f.fingerprint: {
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "file": f.file.replace("\\", "/"),
            "resource": f.resource,
            "message": render(f.message),
        }
        for f in findings
    }
    ordered = sorted(
        entries.values(), key=lambda e: (e["file"], e["rule"], e["resource"], e["fingerprint"])
    )
    data = {"version": BASELINE_VERSION, "tool": "policylint", "findings": ordered}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_baseline(path: str, findings: Iterable[Finding]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(baseline_text(findings))
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc


def read_baseline(path: str) -> frozenset[str]:
    """The fingerprints of a baseline file; a missing or malformed file is a usage error."""
    try:
        with open(path, encoding="utf-8") as fh:
            data: Any = json.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(f"{path}: baseline is not valid JSON: {exc}") from exc
    entries = data.get("findings") if isinstance(data, dict) else None
    if (
        not isinstance(entries, list)
        or data.get("version") != BASELINE_VERSION
        or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries)
    ):
        raise UsageError(
            f"{path}: not a policylint baseline (write one with `check --write-baseline FILE`)"
        )
    return frozenset(e["fingerprint"] for e in entries)


def drop_baselined(findings: Sequence[Finding], fingerprints: frozenset[str]) -> list[Finding]:
    """The findings whose fingerprint the baseline does not hold."""
    return [f for f in findings if f.fingerprint not in fingerprints]
