"""The whole run: discover -> parse -> normalize -> graph -> check -> report data."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from policylint.checks.context import Intent
from policylint.discover import DEFAULT_MAX_BYTES, InputUnit, UnitKind, discover
from policylint.errors import InputError
from policylint.findings import Finding, InputProblem
from policylint.model import LoadResult, Model
from policylint.source import Document, FileKind, SourceFile, SourceRef, Span


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOptions:
    parameters: Mapping[str, str] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    var_files: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    intent: Intent = field(default_factory=Intent)
    jobs: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(slots=True)
class Report:
    findings: list[Finding] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    units: list[InputUnit] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    model: Model = field(default_factory=Model)


def read_text(path: str) -> str:
    """The file's text; undecodable bytes are an input error."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", SourceRef(path)) from exc
    if b"\x00" in raw:
        raise InputError("binary file", SourceRef(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        ref = SourceRef(path, (), Span(line, column))
        raise InputError("file is not valid UTF-8", ref) from exc


def parse_file(source: SourceFile) -> Document:
    """Read and parse one file with positions."""
    text = read_text(source.path)
    if source.kind is FileKind.CFN_YAML:
        from policylint.parse.yaml_doc import load_yaml

        return load_yaml(text, source.path)
    from policylint.parse.json_doc import load_json

    return load_json(text, source.path, source.kind)


def load_unit(unit: InputUnit, options: CheckOptions) -> LoadResult:
    """Load one unit; input errors become problems, never exceptions."""
    try:
        if unit.kind is UnitKind.CFN_TEMPLATE:
            from policylint.cfn import load_template

            return load_template(parse_file(unit.files[0]), options.parameters)
        if unit.kind is UnitKind.TF_PLAN:
            from policylint.terraform import load_plan

            return load_plan(parse_file(unit.files[0]))
        from policylint.terraform import load_module

        return load_module(list(unit.files), _tf_variables(options))
    except InputError as exc:
        return LoadResult(Model(), (InputProblem(exc.message, exc.ref or SourceRef(unit.path)),))
    except RecursionError:
        return LoadResult(Model(), (InputProblem("nesting too deep", SourceRef(unit.path)),))


def _tf_variables(options: CheckOptions) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    if options.var_files:
        from policylint.terraform import load_var_file

        for path in options.var_files:
            variables.update(load_var_file(path))
    variables.update(options.variables)
    return variables


def _load_all(units: Sequence[InputUnit], options: CheckOptions) -> list[LoadResult]:
    if options.jobs <= 1 or len(units) < 4:
        return [load_unit(u, options) for u in units]
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        return list(pool.map(load_unit, units, [options] * len(units), chunksize=4))


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def load_paths(
    paths: Sequence[str], options: CheckOptions
) -> tuple[Model, list[InputProblem], list[InputUnit]]:
    """Discover and load every unit: one merged model and every input problem, sorted."""
    found = discover(paths, max_bytes=options.max_bytes)
    results = _load_all(found.units, options)
    problems = list(found.problems)
    for result in results:
        problems.extend(result.problems)
    model = Model.merge([r.model for r in results]) if results else Model()
    return model, problems, found.units


def _problem_key(p: InputProblem) -> tuple[str, int, int, str]:
    return (
        p.ref.file if p.ref else "",
        p.ref.line if p.ref else 0,
        p.ref.column if p.ref else 0,
        p.message,
    )


def check_paths(paths: Sequence[str], options: CheckOptions | None = None) -> Report:
    """Run every selected rule over the inputs below `paths`."""
    from policylint.catalog import load_catalog
    from policylint.checks import all_checks
    from policylint.checks.context import CheckContext
    from policylint.engine import run_checks
    from policylint.graph import build_graph
    from policylint.selection import select_rules

    options = options or CheckOptions()
    catalog = load_catalog()
    checks = all_checks()
    selected = select_rules(sorted(set(catalog) & set(checks)), options.select, options.ignore)
    model, problems, units = load_paths(paths, options)
    ctx = CheckContext(graph=build_graph(model), model=model, intent=options.intent)
    findings, rule_problems = run_checks(ctx, checks, catalog, selected)
    problems.extend(rule_problems)
    problems.sort(key=_problem_key)
    return Report(
        findings=findings, problems=problems, units=units, rules=sorted(selected), model=model
    )
