"""Configuration: `.policylint.yaml` or `[tool.policylint]`, found by walking up, validated."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policylint.checks.context import (
    OAI_UNSUPPORTED_REGIONS,
    AccountScope,
    Expectation,
    Intent,
)
from policylint.errors import UsageError
from policylint.source import SourceRef, Span

CONFIG_NAMES = (".policylint.yaml", ".policylint.yml")
PYPROJECT = "pyproject.toml"


class ConfigError(UsageError):
    """An invalid configuration file: every message names the key and its line (exit 2)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The effective configuration; globs and file paths are relative to `base_dir`."""

    path: str | None = None
    base_dir: str = "."
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parameters: tuple[tuple[str, Mapping[str, str]], ...] = ()
    terraform_vars: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    intent: Intent = field(default_factory=Intent)

    def to_json(self) -> dict[str, Any]:
        """The effective configuration as printed by `policylint config`."""
        intent = self.intent
        return {
            "config-file": self.path,
            "select": list(self.select),
            "ignore": list(self.ignore),
            "fail-on": self.fail_on or "error",
            "include": list(self.include),
            "exclude": list(self.exclude),
            "per-file-ignores": {g: list(ids) for g, ids in self.per_file_ignores},
            "parameters": {g: dict(p) for g, p in self.parameters},
            "terraform-vars": {g: dict(v) for g, v in self.terraform_vars},
            "public-buckets": list(intent.public_buckets),
            "external-accounts": list(intent.external_accounts),
            "expected-countries": list(intent.expected_countries),
            "account-id": intent.account_id,
            "organization-policies": list(intent.organization_policies),
            "accounts": [
                {"path": a.path, "account-id": a.account_id}
                | ({"region": a.region} if a.region else {})
                for a in intent.accounts
            ],
            "oai-unsupported-regions": list(intent.oai_unsupported_regions),
            "lambda-url-invoke-function": intent.lambda_url_invoke_function,
            "expect": [
                {
                    "principal": e.principal,
                    "can" if e.allowed else "cannot": list(e.actions),
                    "on": e.on,
                }
                for e in intent.expect
            ],
        }


# --- discovery --------------------------------------------------------------------------


def _pyproject_has_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as fh:
            return "[tool.policylint" in fh.read()
    except OSError:
        return False


def find_config(start: str | None = None) -> str | None:
    """The nearest `.policylint.yaml` or `pyproject.toml` with `[tool.policylint]`, walking up
    from `start` (default: the working directory) and stopping at a `.git` root."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        candidate = os.path.join(directory, PYPROJECT)
        if os.path.isfile(candidate) and _pyproject_has_table(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if os.path.exists(os.path.join(directory, ".git")) or parent == directory:
            return None
        directory = parent


# --- reading ----------------------------------------------------------------------------


def config_schema() -> dict[str, Any]:
    # Beside this module; importlib.resources would cost ~15 ms of every start-up.
    path = os.path.join(os.path.dirname(__file__), "config_schema.json")
    with open(path, encoding="utf-8") as schema:
        data: dict[str, Any] = json.load(schema)
    return data


Positions = dict[tuple[str | int, ...], Span]


def _yaml_loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        """YAML 1.2 booleans: `on:` (as in access contracts) stays a string."""

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return Loader


def _positions(node: Any, path: tuple[str | int, ...], out: Positions, file: str) -> None:
    import yaml

    mark = node.start_mark
    out[path] = Span(mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise ConfigError(
                    f"{file}:{key.start_mark.line + 1}:{key.start_mark.column + 1}: "
                    f"duplicate key {'.'.join(map(str, (*path, name)))!r}"
                )
            seen.add(name)
            _positions(value, (*path, name), out, file)
            # the key's own position, used for "unknown key" errors
            out[(*path, name, "")] = Span(key.start_mark.line + 1, key.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*path, i), out, file)


def read_yaml(path: str, text: str) -> tuple[Any, Positions]:
    import yaml

    loader_cls = _yaml_loader()
    positions: Positions = {}
    try:
        loader = loader_cls(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise ConfigError(f"{where}: invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if node is not None:
        _positions(node, (), positions, path)
    return ({} if data is None else data), positions


def read_pyproject(path: str, text: str) -> tuple[Any, Positions]:
    import tomllib

    try:
        data = tomllib.loads(text).get("tool", {}).get("policylint", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return data, _toml_positions(text)


def _toml_positions(text: str) -> Positions:
    """Approximate lines for `[tool.policylint]` keys (tomllib keeps no positions)."""
    positions: Positions = {}
    table: tuple[str | int, ...] | None = None
    key_re = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[\s*tool\.policylint(?:\.([^\]]+))?\s*\]", line)
        if header:
            sub = header.group(1)
            table = tuple(p.strip().strip("\"'") for p in sub.split(".")) if sub else ()
            positions.setdefault(table, Span(number, 1))
            continue
        if line.lstrip().startswith("["):
            table = None
            continue
        m = key_re.match(line)
        if table is not None and m:
            key = m.group(1).strip("\"'")
            column = line.index(m.group(1)) + 1
            positions.setdefault((*table, key), Span(number, column))
            positions.setdefault((*table, key, ""), Span(number, column))
    return positions


# --- validation -------------------------------------------------------------------------

_HINTS = {
    "select": "a rule id or prefix such as CF010 or CF",
    "ignore": "a rule id or prefix such as CF010 or CF",
    "per-file-ignores": "a rule id or prefix such as CF010 or CF",
    "external-accounts": "a 12-digit account id or an ARN",
    "expected-countries": 'an ISO 3166-1 alpha-2 code such as "DE"',
    "account-id": 'a 12-digit account id, quoted ("123456789012")',
    "accounts": 'a 12-digit account id, quoted ("123456789012"), or a Region code',
    "oai-unsupported-regions": 'a Region code such as "ca-west-1"',
    "expect": "an action such as s3:GetObject",
}
_JSON_TYPES = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean"}
_JSON_TYPES.update({int: "a number", float: "a number", type(None): "null"})


def _locate(positions: Positions, path: tuple[str | int, ...]) -> Span | None:
    while True:
        span = positions.get(path)
        if span is not None or not path:
            return span
        path = path[:-1]


def key_name(path: Iterable[str | int]) -> str:
    """`expect[0].can`, `per-file-ignores."cfn/*.yaml"`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", part):
            out += f".{part}" if out else part
        else:
            out += f".{json.dumps(part)}" if out else json.dumps(part)
    return out or "(top level)"


def _where(file: str, span: Span | None) -> str:
    return f"{file}:{span.line}:{span.column}" if span else file


def _describe(err: Any, positions: Positions, file: str) -> list[tuple[Span | None, str]]:
    path = tuple(err.absolute_path)
    span = _locate(positions, path)
    name, kind, value = key_name(path), err.validator, err.instance
    if kind == "additionalProperties" and isinstance(value, dict):
        import difflib

        known = list(err.schema.get("properties", {}))
        out = []
        for key in sorted(k for k in value if k not in known):
            close = difflib.get_close_matches(str(key), known, n=1)
            text = f"unknown key {key_name((*path, key))!r}"
            text += f" (did you mean {close[0]!r}?)" if close else ""
            out.append((_locate(positions, (*path, key, "")), text))
        return out
    if kind == "type":
        raw = err.validator_value
        expected: list[str] = raw if isinstance(raw, list) else [raw]
        got = _JSON_TYPES.get(type(value), type(value).__name__)
        text = f"{name}: expected {' or '.join(expected)}, got {got} {value!r}"
        if path[-1:] == ("account-id",) and isinstance(value, int):
            text += ' (quote it: "123456789012")'
        return [(span, text)]
    if kind == "oneOf" and isinstance(value, dict) and "principal" in value:
        return [(span, f"{name}: give exactly one of 'can' or 'cannot'")]
    if kind == "required":
        missing = [k for k in err.validator_value if k not in value]
        return [(span, f"{name}: missing {', '.join(map(repr, missing))}")]
    if kind in ("minItems", "minLength"):
        return [(span, f"{name}: must not be empty")]
    if kind == "enum":
        options = ", ".join(map(str, err.validator_value))
        return [(span, f"{name}: {value!r} is not one of {options}")]
    if kind == "pattern":
        hint = _HINTS.get(str(path[0]), "") if path else ""
        return [(span, f"{name}: {value!r} is not {hint}" if hint else f"{name}: {err.message}")]
    return [(span, f"{name}: {err.message}")]


def validate(data: Any, positions: Positions, file: str) -> None:
    """Raise ConfigError naming every invalid key with its line."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(config_schema())
    problems: list[tuple[Span | None, str]] = []
    for err in validator.iter_errors(data):
        problems.extend(_describe(err, positions, file))
    if problems:
        problems.sort(key=lambda p: (p[0].line, p[0].column) if p[0] else (0, 0))
        raise ConfigError("\n".join(f"{_where(file, s)}: {m}" for s, m in problems))


# --- building ---------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_scalar(v) for v in value)
    return str(value)


def _display_path(base_dir: str, given: str) -> str:
    if os.path.isabs(given):
        return os.path.normpath(given)
    full = os.path.normpath(os.path.join(base_dir, given))
    rel = os.path.relpath(full)
    return full if rel.startswith("..") else rel


def _build(data: dict[str, Any], positions: Positions, path: str) -> Config:
    base_dir = os.path.dirname(os.path.abspath(path))
    policies = []
    for i, given in enumerate(data.get("organization-policies", ())):
        resolved = _display_path(base_dir, given)
        if not os.path.isfile(resolved):
            span = _locate(positions, ("organization-policies", i))
            raise ConfigError(
                f"{_where(path, span)}: organization-policies[{i}]: no such file {given!r}"
            )
        policies.append(resolved)
    expect = tuple(
        Expectation(
            principal=e["principal"],
            actions=tuple(e.get("can", e.get("cannot", ()))),
            allowed="can" in e,
            on=e["on"],
            ref=SourceRef(path, ("expect", i), _locate(positions, ("expect", i))),
        )
        for i, e in enumerate(data.get("expect", ()))
    )
    intent = Intent(
        public_buckets=tuple(data.get("public-buckets", ())),
        external_accounts=tuple(data.get("external-accounts", ())),
        expected_countries=tuple(data.get("expected-countries", ())),
        account_id=data.get("account-id"),
        organization_policies=tuple(policies),
        expect=expect,
        oai_unsupported_regions=tuple(data.get("oai-unsupported-regions", OAI_UNSUPPORTED_REGIONS)),
        lambda_url_invoke_function=data.get("lambda-url-invoke-function", True),
        accounts=tuple(
            AccountScope(path=a["path"], account_id=a["account-id"], region=a.get("region"))
            for a in data.get("accounts", ())
        ),
        accounts_root=_display_path(base_dir, "."),
    )
    return Config(
        path=path,
        base_dir=_display_path(base_dir, "."),
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        fail_on=data.get("fail-on"),
        include=tuple(data.get("include", ())),
        exclude=tuple(data.get("exclude", ())),
        per_file_ignores=tuple(
            (glob, tuple(ids)) for glob, ids in data.get("per-file-ignores", {}).items()
        ),
        parameters=tuple(
            (glob, {str(k): _scalar(v) for k, v in values.items()})
            for glob, values in data.get("parameters", {}).items()
        ),
        terraform_vars=tuple(
            (glob, dict(values)) for glob, values in data.get("terraform-vars", {}).items()
        ),
        intent=intent,
    )


def load_config(path: str | None = None, *, start: str | None = None) -> Config:
    """The configuration from `path`, or the one found from `start`; none found: defaults."""
    if path is None:
        found = find_config(start)
        if found is None:
            return Config()
        relative = os.path.relpath(found)
        path = found if relative.startswith("..") else relative
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: configuration is not valid UTF-8") from exc
    if path.endswith(".toml"):
        data, positions = read_pyproject(path, text)
    else:
        data, positions = read_yaml(path, text)
    validate(data, positions, path)
    return _build(data, positions, path)
