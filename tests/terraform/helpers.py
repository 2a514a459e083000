"""Helpers for the Terraform loader tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policylint.model import LoadResult
from policylint.source import FileKind, SourceFile
from policylint.terraform import load_module


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def load(root: Path, files: dict[str, str], variables: dict[str, Any] | None = None) -> LoadResult:
    """Write `files` under `root` and load the module made of its top-level .tf files."""
    write(root, files)
    sources = [
        SourceFile(str(root / n), FileKind.TF_JSON if n.endswith(".json") else FileKind.TF_HCL)
        for n in sorted(files)
        if "/" not in n and n.endswith((".tf", ".tf.json"))
    ]
    return load_module(sources, variables or {})
