"""Configuration: discovery, validation errors with lines (exit 2), schema, effective config."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from policylint.cli import _options, build_parser
from policylint.config import ConfigError, config_schema, find_config, load_config
from policylint.suppress import glob_match
from tests.workflow.conftest import ROOT, run

FULL = """\
select: [CF, S3]
ignore: [CF090]
fail-on: warning
include: ["templates/**", "infra/**/*.tf"]
exclude: ["**/generated/**"]
per-file-ignores:
  "legacy/*.yaml": [S3010]
parameters:
  "templates/site-*.yaml": {Env: prod, Port: 443, Zones: [a, b]}
terraform-vars:
  "infra/*": {region: eu-west-1}
public-buckets: [PublicAssets]
external-accounts: ["111122223333", "arn:aws:iam::444455556666:role/Reader"]
expected-countries: [DE, FR]
account-id: "123456789012"
organization-policies: [scp.json]
expect:
  - principal: arn:aws:iam::123456789012:role/App
    can: [s3:GetObject]
    on: arn:aws:s3:::site-bucket/*
  - principal: anonymous
    cannot: [s3:PutObject]
    on: SiteBucket
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_by_walking_up_from_the_working_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(repo / ".policylint.yaml", "select: [CF]\n")
    (repo / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(repo / "a" / "b")
    assert find_config() == str(config)
    loaded = load_config()
    assert loaded.select == ("CF",) and loaded.path == str(config)


def test_walk_stops_at_the_git_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".policylint.yaml", "select: [CF]\n")  # outside the repository
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "sub")
    assert find_config() is None
    assert load_config().select == ()


def test_pyproject_table_and_precedence(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.policylint]\nignore = ["S3"]\n')
    assert find_config() == str(repo / "pyproject.toml")
    assert load_config().ignore == ("S3",)
    write(repo / ".policylint.yaml", "ignore: [KMS]\n")  # the dedicated file wins
    assert load_config().ignore == ("KMS",)


def test_pyproject_without_the_table_is_skipped(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / ".policylint.yaml", "select: [CF]\n")
    write(repo / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    monkeypatch.chdir(repo / "pkg")
    assert find_config() == str(repo / ".policylint.yaml")


def test_pyproject_nested_tables(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[tool.policylint]\nselect = ["CF"]\n\n[tool.policylint.per-file-ignores]\n'
        '"legacy/*.yaml" = ["CF010"]\n',
    )
    config = load_config()
    assert config.per_file_ignores == (("legacy/*.yaml", ("CF010",)),)


def test_every_key_maps_to_options_and_intent(repo: Path) -> None:
    write(repo / ".policylint.yaml", FULL)
    write(repo / "scp.json", '{"Version": "2012-10-17", "Statement": []}')
    config = load_config()
    assert config.fail_on == "warning"
    assert config.include == ("templates/**", "infra/**/*.tf")
    assert dict(config.parameters)["templates/site-*.yaml"] == {
        "Env": "prod",
        "Port": "443",
        "Zones": "a,b",
    }
    intent = config.intent
    assert intent.public_buckets == ("PublicAssets",)
    assert intent.expected_countries == ("DE", "FR")
    assert intent.account_id == "123456789012"
    assert intent.organization_policies == ("scp.json",)
    can, cannot = intent.expect
    assert (can.allowed, can.actions, can.on) == (
        True,
        ("s3:GetObject",),
        "arn:aws:s3:::site-bucket/*",
    )
    assert (cannot.allowed, cannot.principal, cannot.on) == (False, "anonymous", "SiteBucket")
    assert cannot.ref.file.endswith(".policylint.yaml") and cannot.ref.line == 21
    options = _options(build_parser().parse_args(["check"]), config)
    assert options.select == ("CF", "S3") and options.ignore == ("CF090",)
    assert options.intent is intent and options.per_file_ignores == config.per_file_ignores


def test_command_line_flags_override_the_file(repo: Path) -> None:
    write(repo / ".policylint.yaml", "select: [CF]\nignore: [CF090]\n")
    args = build_parser().parse_args(["check", "--select", "S3", "--ignore", "S3010"])
    options = _options(args)
    assert options.select == ("S3",) and options.ignore == ("S3010",)
    assert _options(build_parser().parse_args(["check", "--no-config"])).select == ()


def test_on_key_is_not_read_as_a_boolean(repo: Path) -> None:
    # YAML 1.1 reads a bare `on` as True (the GitHub Actions trap); contracts use `on:`.
    write(
        repo / ".policylint.yaml",
        "expect:\n  - {principal: anonymous, cannot: [s3:GetObject], on: B}\n",
    )
    assert load_config().intent.expect[0].on == "B"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "select: [CF]\nselct: [S3]\n",
            ".policylint.yaml:2:1: unknown key 'selct' (did you mean 'select'?)",
        ),
        (
            "fail-on: fatal\n",
            ".policylint.yaml:1:10: fail-on: 'fatal' is not one of error, warning, info",
        ),
        ("select: CF010\n", ".policylint.yaml:1:9: select: expected array, got a string 'CF010'"),
        (
            "account-id: 123456789012\n",
            "account-id: expected string, got a number 123456789012 (quote it",
        ),
        (
            "per-file-ignores:\n  'a/*.yaml': CF010\n",
            ':2:15: per-file-ignores."a/*.yaml": expected array',
        ),
        (
            "expected-countries: [DE, Germany]\n",
            ":1:26: expected-countries[1]: 'Germany' is not an ISO",
        ),
        (
            "expect:\n  - principal: anonymous\n    on: B\n    frm: x\n",
            ":4:5: unknown key 'expect[0].frm'",
        ),
        (
            "expect:\n  - principal: anonymous\n    can: [s3:GetObject]\n"
            "    cannot: [s3:PutObject]\n    on: B\n",
            ":2:5: expect[0]: give exactly one of 'can' or 'cannot'",
        ),
        ("expect:\n  - can: [s3:GetObject]\n    on: B\n", ":2:5: expect[0]: missing 'principal'"),
        (
            "expect:\n  - principal: x\n    can: [GetObject]\n    on: B\n",
            "expect[0].can[0]: 'GetObject' is not an action",
        ),
        ("select: [CF]\nselect: [S3]\n", ":2:1: duplicate key 'select'"),
        ("select: [CF\n", "invalid YAML"),
        ("- select\n", ":1:1: (top level): expected object, got a list"),
    ],
)
def test_invalid_configuration_names_key_and_line_and_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    write(repo / ".policylint.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config()
    assert expected in str(info.value)
    for argv in (["config"], ["check"]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and expected in err, err


def test_several_errors_are_all_reported_in_line_order(repo: Path) -> None:
    write(repo / ".policylint.yaml", "fail-on: never\nselct: []\nexclude: x\n")
    with pytest.raises(ConfigError) as info:
        load_config()
    lines = str(info.value).splitlines()
    assert [line.split(":")[1] for line in lines] == ["1", "2", "3"]


def test_pyproject_errors_name_the_line(repo: Path) -> None:
    write(
        repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.policylint]\nfail_on = "error"\n'
    )
    with pytest.raises(ConfigError, match=r"pyproject.toml:5:1: unknown key 'fail_on'"):
        load_config()


def test_missing_organization_policy_file(repo: Path) -> None:
    write(repo / ".policylint.yaml", "organization-policies:\n  - scps/deny.json\n")
    with pytest.raises(ConfigError, match=r":2:5: organization-policies\[0\]: no such file"):
        load_config()


def test_explicit_config_file_overrides_discovery(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / ".policylint.yaml", "select: [CF]\n")
    other = write(repo / "ci" / "strict.yaml", "fail-on: info\nselect: [S3]\n")
    code, out, _ = run(capsys, "config", "--config", str(other))
    data = json.loads(out)
    assert code == 0 and data["select"] == ["S3"] and data["fail-on"] == "info"
    assert data["config-file"] == str(other)
    code, _, err = run(capsys, "config", "--config", "nope.yaml")
    assert code == 2 and "nope.yaml: cannot read configuration" in err


def test_config_prints_the_effective_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / ".policylint.yaml", FULL)
    write(repo / "scp.json", "{}")
    code, out, _ = run(capsys, "config")
    data = json.loads(out)
    assert code == 0
    assert data["expect"][1] == {
        "principal": "anonymous",
        "cannot": ["s3:PutObject"],
        "on": "SiteBucket",
    }
    assert data["parameters"]["templates/site-*.yaml"]["Port"] == "443"
    # the effective configuration is itself a valid configuration (without the file name)
    del data["config-file"]
    jsonschema.validate(data, config_schema())


def test_schema_is_printed_and_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "--schema")
    schema = json.loads(out)
    assert code == 0 and schema == config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(FULL.replace("    on:", "    'on':")), schema)


def test_documented_example_is_valid() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    from policylint.config import read_yaml, validate

    data, positions = read_yaml("docs/configuration.md", block)
    validate(data, positions, "docs/configuration.md")
    assert {"select", "per-file-ignores", "expect", "parameters"} <= set(data)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.yaml", "templates/site.yaml", True),
        ("templates/*.yaml", "templates/site.yaml", True),
        ("templates/*.yaml", "templates/a/site.yaml", False),
        ("templates/**/*.yaml", "templates/a/b/site.yaml", True),
        ("templates/**/*.yaml", "templates/site.yaml", True),
        ("**/generated/**", "x/generated/y/t.json", True),
        ("legacy", "legacy/old.yaml", True),
        ("infra/*", "infra/network", True),
        ("site-?.yaml", "site-a.yaml", True),
        ("site-[!a].yaml", "site-a.yaml", False),
        ("./templates/*.yaml", "templates/x.yaml", True),
    ],
)
def test_glob_match(pattern: str, path: str, matches: bool) -> None:
    assert glob_match(pattern, path) is matches
