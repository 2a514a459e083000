"""Property tests for the newer inputs: OpenAPI bodies, WAF rule groups, Terraform provider
regions and `accounts` entries. Whatever their shape, no loader or check raises: the run reports
(exit 0, 1 or 2) and every problem has a place. `POLICYLINT_LONG_TESTS=1` runs many more.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policylint.apigw_openapi import OpenApiBody, read_body
from policylint.parse.json_doc import load_json
from policylint.source import FileKind
from policylint.terraform import load_plan
from policylint.values import Unknown
from tests.reliability import strategies_inputs as gen
from tests.reliability.conftest import LONG, PROFILE, assert_clean_run, run_main
from tests.reliability.strategies import dump_json
from tests.reliability.test_properties import check_files

DEPLOYMENT = {
    "address": "aws_api_gateway_deployment.d",
    "mode": "managed",
    "type": "aws_api_gateway_deployment",
    "name": "d",
    "values": {"rest_api_id": "abc", "triggers": {"redeploy": "x"}},
}
EXPR = {"expressions": [1]}

# The whole pipeline per example: few in CI, many with POLICYLINT_LONG_TESTS=1.
FEW = settings(PROFILE, max_examples=1000 if LONG else 8)


@settings(PROFILE, max_examples=3000 if LONG else 100)
@given(gen.openapi_bodies())
def test_read_body_returns_a_body_or_unknown(body: Any) -> None:
    parsed = read_body(body, "Api")
    assert isinstance(parsed, (OpenApiBody, Unknown))
    if isinstance(parsed, OpenApiBody):
        assert isinstance(parsed.methods, (tuple, Unknown))


@FEW
@given(gen.openapi_bodies(), gen.rest_api_extras())
def test_cloudformation_rest_api_bodies(body: Any, extra: dict[str, Any]) -> None:
    check_files([("api.json", dump_json(gen.rest_api_template(body, extra)))], as_dir=False)


@FEW
@given(gen.openapi_bodies(), st.booleans())
def test_terraform_rest_api_bodies(body: Any, as_json_text: bool) -> None:
    if as_json_text or not isinstance(body, (dict, list)):
        arg = json.dumps(body if isinstance(body, str) else json.dumps(body))
        arg = arg.replace("${", "$${").replace("%{", "%%{")
    else:
        arg = f"jsonencode({gen.hcl(body)})"
    text = (
        f'resource "aws_api_gateway_rest_api" "api" {{\n  name = "a"\n  body = {arg}\n}}\n'
        'resource "aws_api_gateway_deployment" "d" {\n'
        "  rest_api_id = aws_api_gateway_rest_api.api.id\n"
        "  triggers = { b = sha1(aws_api_gateway_rest_api.api.body) }\n}\n"
    )
    check_files([("mod/main.tf", text)], as_dir=True)


@FEW
@given(gen.waf_templates())
def test_cloudformation_waf_rule_groups(template: dict[str, Any]) -> None:
    check_files([("waf.json", dump_json(template))], as_dir=False)


@FEW
@given(gen.tf_waf_configs())
def test_terraform_waf_rule_groups(config: dict[str, Any]) -> None:
    check_files([("mod/main.tf.json", dump_json(config))], as_dir=True)


@FEW
@given(gen.provider_modules())
def test_terraform_provider_blocks(files: dict[str, str]) -> None:
    check_files([(f"mod/{name}", text) for name, text in files.items()], as_dir=False)


@FEW
@given(gen.tf_json_providers())
def test_terraform_json_provider_blocks(config: dict[str, Any]) -> None:
    check_files([("mod/main.tf.json", dump_json(config))], as_dir=True)


@FEW
@given(gen.provider_plans())
def test_plan_provider_configurations(plan: dict[str, Any]) -> None:
    check_files([("plan.json", json.dumps(plan))], as_dir=False)


@FEW
@given(gen.accounts_entries())
@example([{"path": "[z-a]", "account-id": "123456789012"}])  # was re.error: bad range
@example([{"path": "[[:alpha:]]", "account-id": "123456789012"}])  # a nested set
def test_accounts_entries(entries: Any) -> None:
    """Any `accounts` value: refused by the configuration check, or used without a crash."""
    template = gen.rest_api_template({"paths": {}}, {})
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "stacks").mkdir()
        (Path(tmp) / "stacks" / "api.json").write_text(dump_json(template))
        config = Path(tmp) / "policylint.yaml"
        config.write_text(json.dumps({"accounts": entries}))
        argv = ["check", "--format", "json", "--jobs", "1", "--config", str(config)]
        run = run_main([*argv, str(Path(tmp) / "stacks")])
        if run.code == 2 and not run.out:  # a configuration error, said in one message
            assert "internal error" not in run.err and "Traceback" not in run.err, run.err
            assert "accounts" in run.err, run.err
            return
        assert_clean_run(run)


@FEW
@given(gen.apigw_plans())
def test_plan_rest_api_bodies_and_deployments(plan: dict[str, Any]) -> None:
    check_files([("plan.json", json.dumps(plan))], as_dir=False)


@pytest.mark.parametrize(
    "configuration",
    [
        [1],
        {"root_module": [1]},
        {"root_module": {"resources": 5}},
        {"root_module": {"resources": [1]}},
        {"root_module": {"resources": [{"address": "aws_api_gateway_deployment.d"} | EXPR]}},
    ],
)
def test_plan_deployment_with_odd_configuration(configuration: Any) -> None:
    """Regression: a plan's configuration of another shape made the deployment loader raise;
    what its triggers reference is then unknown, not 'does not follow the policy'."""
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [DEPLOYMENT]}},
        "configuration": configuration,
    }
    result = load_plan(load_json(json.dumps(plan), "p.json", FileKind.TF_PLAN))
    (deployment,) = result.model.api_deployments
    assert isinstance(deployment.redeploys_on_policy, Unknown)


@settings(PROFILE, max_examples=2000 if LONG else 100)
@given(gen.resource_types())
def test_create_actions_of_any_type_name(rtype: str) -> None:
    from policylint.deploy_actions import cfn_type, create_actions

    ctype = cfn_type(rtype)
    actions = create_actions(ctype) if ctype else ()
    assert all(isinstance(a, str) and ":" in a for a in actions)


@FEW
@given(gen.scp_templates())
def test_deploy_calls_of_any_resource_type(template: dict[str, Any]) -> None:
    check_files([("scp.json", dump_json(template))], as_dir=False)
