"""CF050's `oai-unsupported-regions`, LMB010's `lambda-url-invoke-function` and the
`expected-countries` intent (CF100, owned by the edge rules) from a configuration file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policylint.checks.context import OAI_UNSUPPORTED_REGIONS
from policylint.cli import main
from policylint.config import load_config
from tests.intent.conftest import RULES, copy_fixture, findings, rules_of, write

CF050_CFN = "CF050/bad_oai_new_region.yaml"
CF050_TF = "CF050/tf_bad_oai_new_region"


def _region_hits(found: list[dict[str, object]]) -> list[str]:
    return [str(f["message"]) for f in found if "launched after December 2022" in str(f["message"])]


def _move_to(repo: Path, rel: str, region: str) -> str:
    """The CF050 new-Region fixture, with its bucket moved to `region`."""
    src = RULES / rel
    target = src / "main.tf" if src.is_dir() else src
    text = target.read_text(encoding="utf-8").replace("ap-southeast-4", region)
    name = "mod/main.tf" if src.is_dir() else "t.yaml"
    write(repo / name, text)
    return name.split("/")[0]


@pytest.mark.parametrize("rel", [CF050_CFN, CF050_TF])
def test_cf050_region_list_comes_from_the_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str], rel: str
) -> None:
    path = copy_fixture(repo, rel)
    assert _region_hits(findings(capsys, path, select="CF050"))  # default list: ap-southeast-4
    write(repo / ".policylint.yaml", "oai-unsupported-regions: [eu-west-1]\n")
    assert not _region_hits(findings(capsys, path, select="CF050"))  # the list is replaced


@pytest.mark.parametrize("rel", [CF050_CFN, CF050_TF])
def test_cf050_configured_region_is_reported(
    repo: Path, capsys: pytest.CaptureFixture[str], rel: str
) -> None:
    path = _move_to(repo, rel, "eu-west-1")
    assert not _region_hits(findings(capsys, path, select="CF050"))
    write(repo / ".policylint.yaml", "oai-unsupported-regions: [eu-west-1]\n")
    hits = _region_hits(findings(capsys, path, select="CF050"))
    assert len(hits) == 1 and "eu-west-1" in hits[0]


LMB010_TF_URL_ONLY = """\
resource "aws_lambda_function" "fn" {
  function_name = "hello"
  runtime       = "python3.12"
  handler       = "index.handler"
  role          = "arn:aws:iam::123456789012:role/fn"
  filename      = "hello.zip"
}

resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "url" {
  function_name          = aws_lambda_function.fn.function_name
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
}
"""


@pytest.mark.parametrize("fmt", ["cfn", "tf"])
def test_lmb010_dual_permission_switch(
    repo: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    if fmt == "cfn":
        path = copy_fixture(repo, "LMB010/near_url_permission_only.yaml")
    else:
        write(repo / "mod" / "main.tf", LMB010_TF_URL_ONLY)
        path = "mod"
    found = findings(capsys, path, select="LMB010")
    assert rules_of(found) == ["LMB010"]  # default on: lambda:InvokeFunction is missing
    assert "lambda:InvokeFunction " in str(found[0]["message"])
    write(repo / ".policylint.yaml", "lambda-url-invoke-function: false\n")
    assert rules_of(findings(capsys, path, select="LMB010")) == []
    write(repo / ".policylint.yaml", "lambda-url-invoke-function: true\n")
    assert rules_of(findings(capsys, path, select="LMB010")) == ["LMB010"]


def test_lmb010_url_permission_missing_is_reported_either_way(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_fixture(repo, "LMB010/bad_none_without_permission.yaml")
    write(repo / ".policylint.yaml", "lambda-url-invoke-function: false\n")
    assert rules_of(findings(capsys, path, select="LMB010"), "error") == ["LMB010"]


def test_expected_countries_reach_the_edge_rules(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_fixture(repo, "CF100/declared_bad_whitelist_misses_market.yaml")
    before = [f for f in findings(capsys, path, select="CF100") if f["severity"] != "info"]
    assert before == []  # without declared markets CF100 stays at info or silent
    write(repo / ".policylint.yaml", "expected-countries: [DE, FR]\n")
    assert load_config().intent.expected_countries == ("DE", "FR")
    after = findings(capsys, path, select="CF100")
    assert any(f["severity"] == "warning" for f in after), after


def test_defaults_and_effective_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    intent = load_config().intent
    assert intent.oai_unsupported_regions == OAI_UNSUPPORTED_REGIONS
    assert intent.lambda_url_invoke_function is True
    write(
        repo / ".policylint.yaml",
        "oai-unsupported-regions: []\nlambda-url-invoke-function: false\n",
    )
    assert main(["config"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["oai-unsupported-regions"] == [] and data["lambda-url-invoke-function"] is False
    assert main(["config", "--schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"oai-unsupported-regions", "lambda-url-invoke-function", "public-buckets"} <= set(
        schema["properties"]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "oai-unsupported-regions: [Melbourne]\n",
            "oai-unsupported-regions[0]: 'Melbourne' is not",
        ),
        ("oai-unsupported-regions: ca-west-1\n", "oai-unsupported-regions: expected array"),
        ("lambda-url-invoke-function: yes\n", "lambda-url-invoke-function: expected boolean"),
    ],
)
def test_invalid_values_name_the_key(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    write(repo / ".policylint.yaml", text)
    assert main(["config"]) == 2
    assert re.search(r"\.policylint\.yaml:1:\d+: ", capsys.readouterr().err)
    write(repo / ".policylint.yaml", text)
    main(["config"])
    assert expected in capsys.readouterr().err
