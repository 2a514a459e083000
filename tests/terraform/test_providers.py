"""The region of a Terraform resource comes from its provider configuration, never guessed.

Terraform: a resource uses the configuration its `provider` argument names, else its type's
default one; child modules inherit only default configurations, or exactly those passed in
`providers` (https://developer.hashicorp.com/terraform/language/meta-arguments/module-providers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policylint.model import Certificate
from policylint.parse.json_doc import load_json
from policylint.source import FileKind
from policylint.terraform import load_plan
from policylint.terraform.attributes import R
from policylint.values import has_symbol
from tests.terraform.helpers import load

DATA = Path(__file__).parent / "providers_data"
CERT = """
resource "aws_acm_certificate" "site" {
  %s
  domain_name       = "example.com"
  validation_method = "DNS"
}
"""
MODULE = {"certificate/main.tf": CERT % ""}
# Unknown, and not necessarily the region of the root default configuration (AWS::Region,
# which the `accounts` setting may give): a symbol of its own.
OTHER = "other"


def _assert_region(cert: Certificate, expected: str | None) -> None:
    if expected == OTHER:
        assert isinstance(cert.region, str) and has_symbol(cert.region) and cert.region != R
    else:
        assert cert.region == (expected or R)


def _cert(
    tmp_path: Path, files: dict[str, str], variables: dict[str, Any] | None = None
) -> Certificate:
    result = load(tmp_path, files, variables)
    (cert,) = result.model.certificates
    return cert


CASES = {
    "alias": (
        'provider "aws" {\n region = "eu-west-1"\n}\n'
        'provider "aws" {\n alias = "virginia"\n region = "us-east-1"\n}\n'
        + CERT
        % "provider = aws.virginia",
        "us-east-1",
    ),
    "default configuration": (
        'provider "aws" {\n region = "eu-west-1"\n}\n' + CERT % "",
        "eu-west-1",
    ),
    "variable default": (
        'variable "r" {\n default = "ap-south-1"\n}\nprovider "aws" {\n region = var.r\n}\n'
        + CERT % "",
        "ap-south-1",
    ),
    "resource region argument (AWS provider 6) wins": (
        'provider "aws" {\n region = "eu-west-1"\n}\n' + CERT % 'region = "us-east-1"',
        "us-east-1",
    ),
    "variable without value": (
        'variable "r" {\n type = string\n}\nprovider "aws" {\n region = var.r\n}\n' + CERT % "",
        None,
    ),
    "no provider block (environment)": (CERT % "", None),
    "provider block without region": ('provider "aws" {\n profile = "x"\n}\n' + CERT % "", None),
    "alias not declared": (
        'provider "aws" {\n region = "us-east-1"\n}\n' + CERT % "provider = aws.x",
        OTHER,
    ),
    "alias whose region is a variable without value": (
        'variable "r" {\n type = string\n}\n'
        'provider "aws" {\n alias = "x"\n region = var.r\n}\n' + CERT % "provider = aws.x",
        OTHER,
    ),
    "region built from a variable without value": (
        'variable "n" {\n type = string\n}\n'
        'provider "aws" {\n region = "us-east-${var.n}"\n}\n' + CERT % "",
        None,
    ),
    "duplicate configurations": (
        'provider "aws" {\n region = "us-east-1"\n}\nprovider "aws" {\n region = "eu-west-1"\n}\n'
        + CERT % "",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_region_of_a_root_resource(tmp_path: Path, name: str) -> None:
    text, expected = CASES[name]
    cert = _cert(tmp_path, {"main.tf": text})
    _assert_region(cert, expected)
    assert (cert.region_ref is not None) is (expected not in (None, OTHER))


def test_region_from_tfvars_and_var_option(tmp_path: Path) -> None:
    text = 'variable "r" {\n type = string\n}\nprovider "aws" {\n region = var.r\n}\n' + CERT % ""
    files = {"main.tf": text, "terraform.tfvars": 'r = "eu-central-1"\n'}
    assert _cert(tmp_path / "a", files).region == "eu-central-1"
    assert _cert(tmp_path / "b", {"main.tf": text}, {"r": "us-east-1"}).region == "us-east-1"


def test_region_ref_points_at_the_region_setting(tmp_path: Path) -> None:
    text = (
        'provider "aws" {\n  alias  = "x"\n  region = "eu-west-1"\n}\n' + CERT % "provider = aws.x"
    )
    cert = _cert(tmp_path, {"main.tf": text})
    assert cert.region_ref is not None
    assert cert.region_ref.span is not None and cert.region_ref.span.line == 3
    assert cert.region_ref.path == ("provider.aws.x", "region")


ROOT = (
    'provider "aws" {\n region = "eu-west-1"\n}\n'
    'provider "aws" {\n alias = "virginia"\n region = "us-east-1"\n}\n'
)
MODULE_CASES = {
    "inherits the default configuration": (
        'module "c" {\n source = "./certificate"\n}\n',
        MODULE,
        "eu-west-1",
    ),
    "providers map": (
        'module "c" {\n source = "./certificate"\n providers = {\n aws = aws.virginia\n }\n}\n',
        MODULE,
        "us-east-1",
    ),
    "providers map to an alias the module names (configuration_aliases)": (
        'module "c" {\n source = "./certificate"\n providers = {\n aws.cdn = aws.virginia\n }\n}\n',
        {"certificate/main.tf": CERT % "provider = aws.cdn"},
        "us-east-1",
    ),
    "proxy block passed through": (
        'module "c" {\n source = "./certificate"\n providers = {\n aws.cdn = aws.virginia\n }\n}\n',
        {
            "certificate/main.tf": 'provider "aws" {\n alias = "cdn"\n}\n'
            + CERT % "provider = aws.cdn"
        },
        "us-east-1",
    ),
    "aliases are not inherited": (
        'module "c" {\n source = "./certificate"\n}\n',
        {"certificate/main.tf": CERT % "provider = aws.virginia"},
        OTHER,
    ),
    "a providers map without the default": (
        'module "c" {\n source = "./certificate"\n providers = {\n aws.cdn = aws.virginia\n }\n}\n',
        MODULE,
        OTHER,
    ),
    "a providers map that is not a literal map": (
        'locals {\n p = {}\n}\nmodule "c" {\n source = "./certificate"\n providers = local.p\n}\n',
        MODULE,
        OTHER,
    ),
    "a legacy module with its own configuration": (
        'module "c" {\n source = "./certificate"\n r = "sa-east-1"\n}\n',
        {
            "certificate/main.tf": 'variable "r" {}\nprovider "aws" {\n region = var.r\n}\n'
            + CERT % ""
        },
        "sa-east-1",
    ),
    "a grandchild through two maps": (
        'module "c" {\n source = "./outer"\n providers = {\n aws = aws.virginia\n }\n}\n',
        {
            "outer/main.tf": 'module "inner" {\n source = "../certificate"\n}\n',
            "certificate/main.tf": CERT % "",
        },
        "us-east-1",
    ),
}


@pytest.mark.parametrize("name", sorted(MODULE_CASES))
def test_region_in_a_child_module(tmp_path: Path, name: str) -> None:
    call, module, expected = MODULE_CASES[name]
    cert = _cert(tmp_path, {"main.tf": ROOT + call, **module})
    _assert_region(cert, expected)


def test_tf_json_provider_blocks_and_reference(tmp_path: Path) -> None:
    config = {
        "provider": {"aws": [{"region": "us-east-1"}, {"alias": "eu", "region": "eu-west-1"}]},
        "resource": {"aws_acm_certificate": {"site": {"provider": "aws.eu", "domain_name": "a.b"}}},
    }
    assert _cert(tmp_path, {"main.tf.json": json.dumps(config)}).region == "eu-west-1"


def _plan_cert(data: dict[str, Any], path: str = "p.json") -> Certificate:
    result = load_plan(load_json(json.dumps(data), path, FileKind.TF_PLAN))
    (cert,) = result.model.certificates
    return cert


def _plan(
    region_expr: dict[str, Any], *, variables: Any = None, key: str = "aws", **pc: Any
) -> dict[str, Any]:
    res = {"address": "aws_acm_certificate.c", "mode": "managed", "type": "aws_acm_certificate"}
    data: dict[str, Any] = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{**res, "name": "c", "values": {}}]}},
        "configuration": {
            "provider_config": {key: {"name": "aws", "expressions": {"region": region_expr}, **pc}},
            "root_module": {"resources": [{**res, "name": "c", "provider_config_key": key}]},
        },
    }
    if variables is not None:
        data["variables"] = variables
    return data


@pytest.mark.parametrize(
    ("expr", "variables", "extra", "expected"),
    [
        ({"constant_value": "eu-west-1"}, None, {}, "eu-west-1"),
        ({"references": ["var.r"]}, {"r": {"value": "us-east-1"}}, {}, "us-east-1"),
        ({"references": ["var.r"]}, {}, {}, None),
        ({"references": ["var.m", "var.r"]}, {"r": {"value": "us-east-1"}}, {}, None),
        ({"references": ["local.r"]}, None, {}, None),
        (
            {"references": ["var.r"]},
            {"r": {"value": "eu-west-1"}},
            {"module_address": "module.m"},
            None,
        ),
        ({"constant_value": "not a region"}, None, {}, None),
    ],
)
def test_plan_provider_config_region(
    expr: dict[str, Any], variables: Any, extra: dict[str, Any], expected: str | None
) -> None:
    cert = _plan_cert(_plan(expr, variables=variables, **extra))
    assert cert.region == (expected or R)


def test_resource_region_argument_without_value_is_its_own(tmp_path: Path) -> None:
    text = 'variable "r" {\n type = string\n}\n' + CERT % "region = var.r"
    cert = _cert(tmp_path, {"main.tf": text})
    _assert_region(cert, OTHER)
    assert cert.region_ref is not None


def test_plan_alias_without_a_known_region_is_its_own() -> None:
    cert = _plan_cert(_plan({"references": ["var.r"]}, key="aws.virginia"))
    _assert_region(cert, OTHER)


def test_plan_resource_without_a_known_provider_config_key() -> None:
    data = _plan({"constant_value": "eu-west-1"}, key="aws.other")
    data["configuration"]["root_module"]["resources"][0]["provider_config_key"] = "aws"
    assert _plan_cert(data).region == R


def test_plan_module_resource_uses_the_resolved_key() -> None:
    for name, expected in (("ireland", "eu-west-1"), ("virginia", "us-east-1")):
        path = DATA / f"module_provider_{name}_plan.json"
        result = load_plan(load_json(path.read_text(), str(path), FileKind.TF_PLAN))
        (cert,) = result.model.certificates
        assert cert.name == "module.certificate.aws_acm_certificate.site"
        assert cert.region == expected
