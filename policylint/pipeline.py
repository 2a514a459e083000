"""The whole run: discover -> parse -> normalize -> graph -> check -> report data."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policylint.checks.context import Intent
from policylint.discover import DEFAULT_MAX_BYTES, UnitKind, discover
from policylint.errors import InputError
from policylint.findings import Finding, InputProblem
from policylint.model import LoadResult, Model
from policylint.source import FileKind, SourceRef, Span

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.discover import InputUnit
    from policylint.findings import Suppression
    from policylint.source import Document, SourceFile


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
    # From the configuration file (policylint.config); globs are relative to config_dir.
    config_dir: str = "."
    template_parameters: tuple[tuple[str, Mapping[str, str]], ...] = ()  # glob -> values
    module_variables: tuple[tuple[str, Mapping[str, Any]], ...] = ()  # module dir glob -> vars
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # glob -> rule patterns
    baseline: frozenset[str] = frozenset()  # fingerprints to drop (policylint.baseline)


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
            from policylint.suppress import cfn_suppressions

            doc = parse_file(unit.files[0])
            notes: list[InputProblem] = []
            found = cfn_suppressions(doc, notes)
            result = load_template(doc, _template_parameters(unit, options))
            return _with_suppressions(result, found, notes)
        if unit.kind is UnitKind.TF_PLAN:
            from policylint.terraform import load_plan

            return load_plan(parse_file(unit.files[0]))
        from policylint.terraform import load_module

        result = load_module(list(unit.files), _tf_variables(options, unit))
        tf_notes: list[InputProblem] = []
        return _with_suppressions(result, _tf_unit_suppressions(unit, tf_notes), tf_notes)
    except InputError as exc:
        return LoadResult(Model(), (InputProblem(exc.message, exc.ref or SourceRef(unit.path)),))
    except RecursionError:
        return LoadResult(Model(), (InputProblem("nesting too deep", SourceRef(unit.path)),))


def _with_suppressions(
    result: LoadResult, found: list[Suppression], notes: list[InputProblem]
) -> LoadResult:
    merged = tuple(dict.fromkeys((*result.suppressions, *found)))
    return dataclasses.replace(result, problems=(*result.problems, *notes), suppressions=merged)


def _tf_unit_suppressions(unit: InputUnit, notes: list[InputProblem]) -> list[Suppression]:
    from policylint.suppress import tf_suppressions

    found: list[Suppression] = []
    for f in unit.files:
        if f.kind in (FileKind.TF_HCL, FileKind.TF_JSON):
            try:
                text = read_text(f.path)
            except InputError:
                continue  # the loader reported it
            found.extend(tf_suppressions(text, f.path, notes))
    return found


def _template_parameters(unit: InputUnit, options: CheckOptions) -> Mapping[str, str]:
    if not options.template_parameters:
        return options.parameters
    from policylint.suppress import matching

    parameters: dict[str, str] = {}
    for values in matching(options.template_parameters, options.config_dir, unit.path):
        parameters.update(values)
    parameters.update(options.parameters)
    return parameters


def _tf_variables(options: CheckOptions, unit: InputUnit | None = None) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    if unit is not None and options.module_variables:
        from policylint.suppress import matching

        for values in matching(options.module_variables, options.config_dir, unit.path):
            variables.update(values)
    if options.var_files:
        from policylint.terraform import read_tfvars

        for path in options.var_files:
            variables.update(read_tfvars(path))
    variables.update(options.variables)
    return variables


def _load_all(units: Sequence[InputUnit], options: CheckOptions) -> list[LoadResult]:
    if options.jobs <= 1 or len(units) < 4:
        return [load_unit(u, options) for u in units]
    from concurrent.futures import ProcessPoolExecutor  # ~10 ms: only for a parallel load

    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        return list(pool.map(load_unit, units, [options] * len(units), chunksize=4))


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def load_paths(
    paths: Sequence[str], options: CheckOptions
) -> tuple[Model, list[InputProblem], list[InputUnit]]:
    """Discover and load every unit: one merged model and every input problem, sorted."""
    model, problems, units, _ = _load(paths, options)
    return model, problems, units


def _load(
    paths: Sequence[str], options: CheckOptions
) -> tuple[Model, list[InputProblem], list[InputUnit], list[Suppression]]:
    found = discover(paths, max_bytes=options.max_bytes)
    units, problems = _filter_units(found.units, found.problems, options)
    results = _load_all(units, options)
    if options.intent.accounts:  # multi-account run: each input's AWS::AccountId
        from policylint.accounts import localize

        files = [u.files[0].path if u.files else u.path for u in units]  # globs match files
        results = localize(files, results, options.intent)
    suppressions: list[Suppression] = []
    for result in results:
        problems.extend(result.problems)
        suppressions.extend(result.suppressions)
    model = Model.merge([r.model for r in results]) if results else Model()
    return model, problems, units, suppressions


def _filter_units(
    units: list[InputUnit], problems: list[InputProblem], options: CheckOptions
) -> tuple[list[InputUnit], list[InputProblem]]:
    """The configuration's include/exclude globs (tfvars files are never left out by include)."""
    if not options.include and not options.exclude:
        return units, list(problems)
    from policylint.suppress import glob_match, relative_to

    def wanted(path: str, kind: FileKind | None = None) -> bool:
        rel = relative_to(options.config_dir, path)
        if any(glob_match(g, rel) for g in options.exclude):
            return False
        return (
            not options.include
            or kind is FileKind.TF_VARS
            or any(glob_match(g, rel) for g in options.include)
        )

    kept: list[InputUnit] = []
    for unit in units:
        files = tuple(f for f in unit.files if wanted(f.path, f.kind))
        if any(f.kind is not FileKind.TF_VARS for f in files):
            kept.append(dataclasses.replace(unit, files=files))
    return kept, [p for p in problems if p.ref is None or wanted(p.ref.file)]


def _problem_key(p: InputProblem) -> tuple[str, int, int, str]:
    return (
        p.ref.file if p.ref else "",
        p.ref.line if p.ref else 0,
        p.ref.column if p.ref else 0,
        p.message,
    )


def _contract_problems(ctx: CheckContext) -> list[InputProblem]:
    """Access contracts that name a principal or resource the run does not have."""
    from policylint.contracts import ContractError, resolve_principal, resolve_target

    problems = []
    for exp in ctx.intent.expect:
        try:
            resolve_principal(ctx, exp.principal)
            for action in exp.actions:
                resolve_target(ctx, exp.on, action)
        except ContractError as exc:
            problems.append(InputProblem(f"expect: {exc}", exp.ref))
    return problems


def check_paths(paths: Sequence[str], options: CheckOptions | None = None) -> Report:
    """Run every selected rule over the inputs below `paths`."""
    from policylint.catalog import load_catalog
    from policylint.checks import all_checks
    from policylint.checks.context import CheckContext
    from policylint.engine import run_checks
    from policylint.graph import build_graph
    from policylint.selection import select_rules
    from policylint.suppress import (
        ENGINE_RULES,
        UNUSED_SUPPRESSION,
        apply_suppressions,
        drop_per_file,
    )

    options = options or CheckOptions()
    catalog = load_catalog()
    checks = all_checks()
    known = set(catalog) & (set(checks) | ENGINE_RULES)
    selected = select_rules(sorted(known), options.select, options.ignore)
    model, problems, units, suppressions = _load(paths, options)
    ctx = CheckContext(graph=build_graph(model), model=model, intent=options.intent)
    findings, rule_problems = run_checks(ctx, checks, catalog, selected)
    problems.extend(rule_problems)
    problems.extend(_contract_problems(ctx))
    ran = {r for r in selected if r in checks}
    from policylint.cfn.sam import widen_suppressions  # SAM: cover generated resources

    suppressions = widen_suppressions(suppressions, findings)
    findings, unused = apply_suppressions(findings, suppressions, ran=ran, catalog=catalog)
    if UNUSED_SUPPRESSION in selected:
        findings.extend(unused)
    findings = drop_per_file(findings, options.per_file_ignores, options.config_dir)
    findings = [f for f in findings if f.fingerprint not in options.baseline]
    from policylint.cfn.cdk import label_construct_paths  # CDK: findings name the construct

    findings = label_construct_paths(findings)
    findings.sort(key=Finding.sort_key)
    problems.sort(key=_problem_key)
    return Report(
        findings=findings, problems=problems, units=units, rules=sorted(selected), model=model
    )
