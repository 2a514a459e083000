"""Command line: `policylint check|rules|rule|graph|simulate`. Imports stay cheap here."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from policylint import __version__
from policylint.errors import PolicylintError, UsageError

if TYPE_CHECKING:
    from policylint.config import Config
    from policylint.findings import Finding
    from policylint.pipeline import CheckOptions

COMMANDS = ("check", "rules", "rule", "graph", "simulate", "config")


def _split_list(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for raw in values or () for v in raw.split(",") if v.strip())


def _key_values(pairs: Sequence[str] | None, flag: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{flag} expects KEY=VALUE, got {pair!r}")
        result[key] = value
    return result


def _tf_vars(pairs: Sequence[str] | None) -> dict[str, Any]:
    """`--var NAME=VALUE` values, with Terraform's literal syntax for lists and maps."""
    if not pairs:
        return {}
    from policylint.terraform import parse_var_option

    _key_values(pairs, "--var")  # the same usage error for a missing `=`
    return dict(parse_var_option(pair) for pair in pairs)


def load_parameter_file(path: str) -> dict[str, str]:
    """The CloudFormation CLI's parameter file (a list of ParameterKey/ParameterValue), or a
    plain JSON object of names to values."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data: Any = json.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read parameter file: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(f"{path}: parameter file is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        data = data["Parameters"]
    if isinstance(data, dict):
        return {str(k): str(v) for k, v in data.items()}
    if isinstance(data, list) and all(
        isinstance(d, dict) and "ParameterKey" in d and "ParameterValue" in d for d in data
    ):
        return {str(d["ParameterKey"]): str(d["ParameterValue"]) for d in data}
    raise UsageError(
        f"{path}: expected a list of {{ParameterKey, ParameterValue}} objects or a JSON object"
    )


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    p.add_argument(
        "--parameter",
        action="append",
        metavar="KEY=VALUE",
        help="CloudFormation parameter value (repeatable)",
    )
    p.add_argument("--parameters", metavar="FILE", help="CloudFormation parameter file (JSON)")
    p.add_argument(
        "--var", action="append", metavar="NAME=VALUE", help="Terraform variable value (repeatable)"
    )
    p.add_argument("--var-file", action="append", metavar="FILE", help="Terraform .tfvars file")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="parallel workers for loading (default: number of cores)",
    )
    p.add_argument(
        "--max-file-size",
        type=int,
        default=None,
        metavar="BYTES",
        help="skip larger files with an error (default: 20 MiB)",
    )
    _add_config_options(p)


def _add_config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: nearest .policylint.yaml or pyproject.toml)",
    )
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, minus its `import shutil` (with bz2 and lzma: ~7 ms of start-up)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24) -> None:
        super().__init__(prog, indent_increment, max_help_position, width=_terminal_width())


def _terminal_width() -> int:
    """What shutil.get_terminal_size() reports: $COLUMNS, else the terminal, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, or not a terminal
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policylint",
        description="Find AWS 403 / AccessDenied causes in CloudFormation and Terraform.",
    )
    parser.add_argument("--version", action="version", version=f"policylint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint templates and Terraform for 403 causes")
    _add_input_options(check)
    check.add_argument(
        "--format",
        "-f",
        action="append",
        metavar="FORMAT[:FILE]",
        help="text (default), json, sarif, github, junit; repeatable",
    )
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    check.add_argument("--select", action="append", metavar="IDS", help="rule ids or prefixes")
    check.add_argument("--ignore", action="append", metavar="IDS", help="rule ids or prefixes")
    check.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        default=None,
        help="lowest severity that fails the run (default: error)",
    )
    check.add_argument("--quiet", "-q", action="store_true", help="one line per finding")
    check.add_argument(
        "--scp", action="append", metavar="FILE", help="organization SCP (JSON; repeatable)"
    )
    check.add_argument("--no-color", action="store_true", help="never colour the output")
    check.add_argument(
        "--baseline", metavar="FILE", help="report only findings not in this baseline"
    )
    check.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="write the current findings to FILE as the baseline and exit 0",
    )

    config = sub.add_parser("config", help="print the effective configuration (JSON)")
    config.add_argument("--schema", action="store_true", help="print the JSON Schema instead")
    _add_config_options(config)

    sub.add_parser("rules", help="list every rule")
    rule = sub.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("rule_id", metavar="ID")

    graph = sub.add_parser("graph", help="print the access graph")
    _add_input_options(graph)
    graph.add_argument("--format", "-f", choices=["dot", "mermaid", "json", "html"], default="dot")
    graph.add_argument("--output", "-o", metavar="FILE")

    access = sub.add_parser("access", help="can a principal do an action on a resource?")
    _add_input_options(access)
    if "--config" not in access._option_string_actions:
        _add_config_options(access)
    access.add_argument(
        "--from",
        dest="principal",
        required=True,
        help="role:NAME, an ARN, a service, cloudfront:DISTRIBUTION or anonymous",
    )
    access.add_argument(
        "--to",
        dest="resource",
        required=True,
        help="a bucket or key (name, logical id, address or ARN; BUCKET/KEY)",
    )
    access.add_argument("--action", action="append", required=True, help="repeatable")

    sub.add_parser(
        "simulate", help="evaluate IAM requests offline (see `simulate --help`)", add_help=False
    )
    return parser


def _config(args: argparse.Namespace) -> Config:
    from policylint.config import Config, load_config

    if getattr(args, "no_config", False):
        return Config()
    return load_config(getattr(args, "config", None))


def _options(args: argparse.Namespace, config: Config | None = None) -> CheckOptions:
    """Command-line flags over the configuration file's values."""
    from policylint.pipeline import CheckOptions, default_jobs

    config = config or _config(args)

    parameters: dict[str, str] = {}
    if args.parameters:
        parameters.update(load_parameter_file(args.parameters))
    parameters.update(_key_values(args.parameter, "--parameter"))
    kwargs: dict[str, Any] = {
        "parameters": parameters,
        "variables": _tf_vars(args.var),
        "var_files": tuple(args.var_file or ()),
        "jobs": args.jobs if args.jobs is not None else default_jobs(),
        "select": _split_list(getattr(args, "select", None)) or config.select,
        "ignore": _split_list(getattr(args, "ignore", None)) or config.ignore,
        "intent": config.intent,
        "config_dir": config.base_dir,
        "template_parameters": config.parameters,
        "module_variables": config.terraform_vars,
        "include": config.include,
        "exclude": config.exclude,
        "per_file_ignores": config.per_file_ignores,
    }
    if getattr(args, "scp", None):  # --scp FILE: added to the configuration's SCPs (IAM050)
        import os
        from dataclasses import replace

        for path in args.scp:
            if not os.path.isfile(path):
                raise UsageError(f"--scp: cannot read {path}")
        scps = (*config.intent.organization_policies, *args.scp)
        kwargs["intent"] = replace(config.intent, organization_policies=scps)
    if getattr(args, "baseline", None) and not getattr(args, "write_baseline", None):
        from policylint.baseline import read_baseline

        kwargs["baseline"] = read_baseline(args.baseline)
    if args.max_file_size is not None:
        kwargs["max_bytes"] = args.max_file_size
    if kwargs["jobs"] < 1:
        raise UsageError("--jobs must be at least 1")
    return CheckOptions(**kwargs)


def _write(text: str, path: str | None) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    specs = args.format or ["text"]
    outputs: list[tuple[str, str | None]] = []
    for spec in specs:
        name, _, path = spec.partition(":")
        if name not in ("text", "json", "sarif", "github", "junit"):
            raise UsageError(f"unknown format {name!r} (text, json, sarif, github, junit)")
        outputs.append((name, path or None))
    if args.output:
        if sum(1 for _, p in outputs if p is None) > 1:
            raise UsageError("--output with several formats: give each its file as FORMAT:FILE")
        outputs = [(n, p or args.output) for n, p in outputs]
    return outputs


def cmd_check(args: argparse.Namespace) -> int:
    from policylint.findings import Severity
    from policylint.pipeline import check_paths
    from policylint.report import Format, render

    config = _config(args)
    report = check_paths(args.paths, _options(args, config))
    if args.write_baseline:
        return _write_baseline(args.write_baseline, report)
    for name, path in _outputs(args):
        color = (
            path is None
            and not args.no_color
            and "NO_COLOR" not in os.environ
            and sys.stdout.isatty()
        )
        _write(render(report, Format(name), color=color, quiet=args.quiet), path)
    if report.problems:
        return 2
    fail_on = Severity(args.fail_on or config.fail_on or "error")
    return 1 if any(f.severity.at_least(fail_on) for f in report.findings) else 0


def _write_baseline(path: str, report: Any) -> int:
    from policylint.baseline import write_baseline

    if report.problems:
        for p in report.problems:
            print(f"policylint: error: {p.display()}", file=sys.stderr)
        print(f"policylint: input errors: baseline {path} not written", file=sys.stderr)
        return 2
    write_baseline(path, report.findings)
    count = len(report.findings)
    print(f"policylint: wrote {count} finding{'s' * (count != 1)} to {path}", file=sys.stderr)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    import json

    if args.schema:
        from policylint.config import config_schema

        data = config_schema()
    else:
        data = _config(args).to_json()
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_rules() -> int:
    from policylint.catalog import load_catalog

    catalog = load_catalog()
    width = max((len(d.name) for d in catalog.values()), default=4)
    print(f"{'ID':<7} {'SEVERITY':<8} {'NAME':<{width}}  SUMMARY")
    for doc in catalog.values():
        print(f"{doc.id:<7} {doc.severity.value:<8} {doc.name:<{width}}  {doc.summary}")
    return 0


def cmd_rule(rule_id: str) -> int:
    from policylint.catalog import load_catalog
    from policylint.docs import rule_text

    doc = load_catalog().get(rule_id.upper())
    if doc is None:
        raise UsageError(f"unknown rule {rule_id!r} (see `policylint rules`)")
    sys.stdout.write(rule_text(doc))
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    from policylint.graph import build_graph
    from policylint.pipeline import check_paths, load_paths

    findings: list[Finding] = []
    if args.format == "html":  # the picture marks denied hops, so it needs the findings
        report = check_paths(args.paths, _options(args))
        model, problems, findings = report.model, report.problems, report.findings
    else:
        model, problems, _ = load_paths(args.paths, _options(args))
    for p in problems:
        where = f"{p.ref.display()}: " if p.ref else ""
        print(f"{where}error: {p.message}", file=sys.stderr)
    graph = build_graph(model)
    if args.format == "html":
        from policylint.graph_html import render_html

        _write(render_html(graph, findings), args.output)
    else:
        exporters = {"dot": graph.to_dot, "mermaid": graph.to_mermaid, "json": graph.to_json}
        _write(exporters[args.format](), args.output)
    return 2 if problems else 0


def cmd_access(args: argparse.Namespace) -> int:
    """Decide one contract on the command line; 0 allowed, 1 denied or unproven."""
    from policylint.checks.context import CheckContext, Expectation
    from policylint.contracts import ContractError, Verdict, check_contract, describe, trace
    from policylint.graph import build_graph
    from policylint.pipeline import load_paths
    from policylint.source import SourceRef
    from policylint.values import render

    options = _options(args)
    model, problems, _ = load_paths(args.paths, options)
    for p in problems:
        where = f"{p.ref.display()}: " if p.ref else ""
        print(f"{where}error: {p.message}", file=sys.stderr)
    ctx = CheckContext(graph=build_graph(model), model=model, intent=options.intent)
    actions = _split_list(args.action)
    exp = Expectation(
        principal=args.principal,
        actions=actions,
        allowed=True,
        on=args.resource,
        ref=SourceRef("<command line>"),
    )
    try:
        results = check_contract(ctx, exp)
    except ContractError as exc:
        raise UsageError(str(exc)) from exc
    for result in results:
        print(
            f"{result.decision.outcome.value.upper()}: {args.principal} -> {result.action} "
            f"on {args.resource} ({describe(result)})"
        )
        for step in trace(exp, result)[1:]:
            where = f"  ({step.ref.display()})" if step.ref else ""
            print(f"    {'x' if step.denies else '|'} {render(step.text)}{where}")
    if problems:
        return 2
    return 0 if all(r.verdict is Verdict.HOLDS for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 clean, 1 findings, 2 errors)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        if (argv and argv[0] == "simulate") or argv[:2] == ["--debug", "simulate"]:
            from policylint.simulate import run

            return run(argv[argv.index("simulate") + 1 :])
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rules":
            return cmd_rules()
        if args.command == "rule":
            return cmd_rule(args.rule_id)
        if args.command == "config":
            return cmd_config(args)
        if args.command == "access":
            return cmd_access(args)
        return cmd_graph(args)
    except PolicylintError as exc:
        if debug:
            raise
        print(f"policylint: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`policylint rules | head`): stop quietly, as Python's docs advise.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        if debug:
            raise
        print(
            f"policylint: internal error: {exc!r} (run with --debug for a traceback)",
            file=sys.stderr,
        )
        return 2


def entry() -> NoReturn:
    # A run allocates many long-lived objects (imported modules, documents, model, graph) and
    # frees few; each full collection rescans them all (a fifth of the time on 5,000 resources
    # even at 50,000/20/20). Young cycles are still collected; full collections become rare.
    # Peak memory: 5,000 resources ~170 MB instead of ~140 MB (bench/README.md).
    gc.set_threshold(100_000, 50, 1000)
    _exit_now(main())


def _exit_now(code: int) -> NoReturn:
    """Exit without tearing the interpreter down: freeing every module and object (networkx
    alone brings ~450 modules) took a fifth of a small run. mypy exits the same way. Reports
    are written through context managers, so only the standard streams need flushing."""
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # reader gone, or stream closed
            stream.flush()
    os._exit(code)
