"""Find the inputs: templates, Terraform modules and plans, told apart by content."""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from policylint.findings import InputProblem
from policylint.source import FileKind, SourceFile, SourceRef

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".terraform",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".aws-sam",
        ".serverless",
    }
)
_CANDIDATE_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf", ".tfvars", ".tf.json")
_SNIFF_BYTES = 64 * 1024
_CFN_YAML = re.compile(rb"^(AWSTemplateFormatVersion|Resources)\s*:", re.M)
_CFN_JSON = re.compile(rb'"(AWSTemplateFormatVersion|Resources)"\s*:')
_PLAN_JSON = re.compile(rb'"(planned_values|resource_changes)"\s*:')
_TF_JSON = re.compile(
    rb'^\s*\{\s*"(resource|data|module|provider|variable|output|locals|terraform)"\s*:'
)


class UnitKind(enum.Enum):
    CFN_TEMPLATE = "cfn-template"
    TF_MODULE = "tf-module"
    TF_PLAN = "tf-plan"


@dataclass(frozen=True, slots=True)
class InputUnit:
    """What one loader call reads: a template, a Terraform module directory, or a plan."""

    kind: UnitKind
    path: str
    files: tuple[SourceFile, ...]


@dataclass(slots=True)
class Discovery:
    units: list[InputUnit] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def sniff(path: str, head: bytes) -> FileKind | None:
    """The kind of a file from its name and first bytes; None if it is none of ours."""
    name = os.path.basename(path)
    if name.endswith(".tf"):
        return FileKind.TF_HCL
    if name.endswith(".tfvars"):
        return FileKind.TF_VARS
    if name.endswith(".tf.json"):
        return FileKind.TF_JSON
    if name.endswith(".tfvars.json"):
        return FileKind.TF_VARS
    stripped = head.lstrip()
    if stripped.startswith((b"{", b"[")):
        if _PLAN_JSON.search(head) and b'"format_version"' in head:
            return FileKind.TF_PLAN
        if _CFN_JSON.search(head):
            return FileKind.CFN_JSON
        if _TF_JSON.search(head):
            return FileKind.TF_JSON
        return None
    if _CFN_YAML.search(head):
        return FileKind.CFN_YAML
    return None


def _is_candidate(name: str) -> bool:
    return name.endswith(_CANDIDATE_SUFFIXES)


def _walk(root: str) -> Iterable[str]:
    """Files below `root`, sorted, not following symlinked directories (no loops)."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not (d.startswith("asset.") and os.path.basename(dirpath) == "cdk.out")
        )
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            # A symlink that loops or dangles is no input: skip it quietly while scanning.
            if _is_candidate(name) and (not os.path.islink(path) or os.path.exists(path)):
                yield path


def _read_head(path: str, max_bytes: int) -> tuple[bytes | None, InputProblem | None]:
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            return None, InputProblem(
                f"file is {size} bytes, over the limit of {max_bytes} (see --max-file-size)",
                SourceRef(path),
            )
        with open(path, "rb") as fh:
            return fh.read(_SNIFF_BYTES), None
    except OSError as exc:
        return None, InputProblem(f"cannot read: {exc.strerror or exc}", SourceRef(path))


def discover(paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Discovery:
    """Units to load from command-line paths; explicit files that are none of ours are skipped."""
    found = Discovery()
    files: list[SourceFile] = []
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            candidates, explicit = list(_walk(given)), False
        elif os.path.exists(given):
            candidates, explicit = [given], True
        else:
            found.problems.append(InputProblem("no such file or directory", SourceRef(given)))
            continue
        for path in candidates:
            norm = os.path.normpath(path)
            if norm in seen:
                continue
            seen.add(norm)
            head, problem = _read_head(path, max_bytes)
            if problem is not None:
                found.problems.append(problem)
                continue
            assert head is not None
            if b"\x00" in head[:8192]:
                if explicit:
                    found.problems.append(InputProblem("binary file", SourceRef(path)))
                continue
            kind = sniff(path, head)
            if kind is not None:
                files.append(SourceFile(os.path.normpath(path), kind))
    found.units = group_units(files)
    return found


def group_units(files: Sequence[SourceFile]) -> list[InputUnit]:
    """Templates and plans stand alone; Terraform files group by directory into modules."""
    units: list[InputUnit] = []
    modules: dict[str, list[SourceFile]] = {}
    for f in files:
        if f.kind in (FileKind.CFN_YAML, FileKind.CFN_JSON):
            units.append(InputUnit(UnitKind.CFN_TEMPLATE, f.path, (f,)))
        elif f.kind is FileKind.TF_PLAN:
            units.append(InputUnit(UnitKind.TF_PLAN, f.path, (f,)))
        elif f.kind in (FileKind.TF_HCL, FileKind.TF_JSON, FileKind.TF_VARS):
            modules.setdefault(os.path.dirname(f.path) or ".", []).append(f)
    for directory, members in modules.items():
        if any(m.kind is not FileKind.TF_VARS for m in members):
            units.append(
                InputUnit(UnitKind.TF_MODULE, directory, _module_files(directory, members))
            )
    units.sort(key=lambda u: u.path)
    return units


def _module_files(directory: str, given: list[SourceFile]) -> tuple[SourceFile, ...]:
    """All Terraform files of the module directory: one changed file needs its siblings."""
    by_path = {f.path: f for f in given}
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        names = []
    for name in names:
        path = os.path.normpath(os.path.join(directory, name))
        if path not in by_path and os.path.isfile(path):
            kind = sniff(path, b"")
            if kind in (FileKind.TF_HCL, FileKind.TF_JSON, FileKind.TF_VARS):
                by_path[path] = SourceFile(path, kind)
    return tuple(sorted(by_path.values(), key=lambda f: f.path))
