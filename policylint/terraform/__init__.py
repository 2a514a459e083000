"""Terraform inputs (HCL, .tf.json, plan JSON) -> the shared model.

`load_module(files, variables)` reads one module directory (all its .tf / .tf.json files),
`load_plan(doc)` one `terraform show -json` plan. See docs/architecture.md for the formats
values resolve to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from policylint.errors import InputError
from policylint.findings import InputProblem
from policylint.model import LoadResult, Model
from policylint.source import FileKind, SourceRef

if TYPE_CHECKING:
    from policylint.source import Document, SourceFile

__all__ = ["load_module", "load_plan", "parse_var_option", "read_tfvars"]

_CONFIG_KINDS = (FileKind.TF_HCL, FileKind.TF_JSON)


def load_module(files: list[SourceFile], variables: Mapping[str, Any] | None = None) -> LoadResult:
    """One module: the directory of `files`; `variables` (from -var / -var-file) win over
    terraform.tfvars and *.auto.tfvars, which win over defaults."""
    from policylint.terraform.module import Module
    from policylint.terraform.normalize import build_model

    config = [f for f in files if f.kind in _CONFIG_KINDS or _is_config(f.path)]
    if not config:
        return LoadResult(Model())
    directory = os.path.dirname(config[0].path)
    unit = directory or "."
    problems: list[InputProblem] = []
    blocks = []
    for f in config:
        blocks.extend(_read_config(f.path, problems))
    values = _auto_variables(directory, files, problems)
    values.update(variables or {})

    read: dict[str, list[Any]] = {}

    def read_dir(path: str) -> list[Any]:
        if path not in read:
            read[path] = []
            for name in _config_names(path):
                read[path].extend(_read_config(os.path.join(path, name), problems))
        return read[path]

    root = Module(
        unit=unit,
        directory=directory or ".",
        blocks=blocks,
        inputs=values.__getitem__,
        input_names=frozenset(values),
        problems=problems,
        read_dir=read_dir,
    )
    try:
        instances = list(root.instances())
    except RecursionError:
        problems.append(InputProblem("configuration too deeply nested", SourceRef(unit)))
        return LoadResult(Model(), tuple(problems))
    return build_model(instances, problems)


def load_plan(doc: Document) -> LoadResult:
    """A `terraform show -json` plan (planned values; unknown-after-apply stays symbolic)."""
    from policylint.terraform.normalize import build_model
    from policylint.terraform.plan import plan_instances

    problems: list[InputProblem] = []
    try:
        instances = plan_instances(doc, problems)
    except RecursionError:
        problems.append(InputProblem("plan too deeply nested", doc.ref(())))
        return LoadResult(Model(), tuple(problems))
    return build_model(instances, problems)


def read_tfvars(path: str) -> dict[str, Any]:
    """Values of a -var-file (.tfvars or .tfvars.json)."""
    from policylint.terraform.tfvars import read_tfvars as _read

    return _read(path)


def parse_var_option(text: str) -> tuple[str, Any]:
    """`NAME=VALUE` of a -var option."""
    from policylint.terraform.tfvars import parse_var_option as _parse

    return _parse(text)


def _is_config(path: str) -> bool:
    return path.endswith((".tf", ".tf.json"))


def _config_names(path: str) -> list[str]:
    try:
        names = sorted(os.listdir(path or "."))
    except OSError:
        return []
    return [n for n in names if _is_config(n) and os.path.isfile(os.path.join(path, n))]


def _read_config(path: str, problems: list[InputProblem]) -> list[Any]:
    from policylint.terraform.hcl import parse_hcl
    from policylint.terraform.tfjson import parse_tf_json

    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(InputProblem(f"cannot read file: {exc}", SourceRef(path)))
        return []
    try:
        if path.endswith(".json"):
            return parse_tf_json(text, path)
        return parse_hcl(text, path)
    except InputError as exc:
        problems.append(InputProblem(exc.message, exc.ref or SourceRef(path)))
    except RecursionError:
        problems.append(InputProblem("file too deeply nested", SourceRef(path)))
    return []


def _auto_variables(
    directory: str, files: list[SourceFile], problems: list[InputProblem]
) -> dict[str, Any]:
    from policylint.terraform.tfvars import auto_tfvars
    from policylint.terraform.tfvars import read_tfvars as _read

    paths = auto_tfvars(directory)
    seen = {os.path.normpath(p) for p in paths}
    for f in files:
        name = os.path.basename(f.path)
        auto = name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
            (".auto.tfvars", ".auto.tfvars.json")
        )
        if auto and os.path.normpath(f.path) not in seen:
            paths.append(f.path)
    values: dict[str, Any] = {}
    for p in paths:
        try:
            values.update(_read(p))
        except InputError as exc:
            problems.append(InputProblem(exc.message, exc.ref or SourceRef(p)))
    return values
