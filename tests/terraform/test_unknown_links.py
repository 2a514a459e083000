"""Unknown never errors: a distribution linked to its bucket only through a variable without a
value, a remote module, or a value known only after apply yields no error finding."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from policylint.findings import Finding, Severity
from policylint.pipeline import check_paths
from tests.terraform.helpers import write

OAC = """
resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "siteoac"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}
"""


def distribution(domain: str, name: str = "site") -> str:
    return f"""
resource "aws_cloudfront_distribution" "{name}" {{
  enabled             = true
  default_root_object = "index.html"
  origin {{
    origin_id                = "s3"
    domain_name              = {domain}
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }}
  default_cache_behavior {{
    target_origin_id       = "s3"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }}
  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
    cloudfront_default_certificate = true
  }}
}}
"""


# A bucket with no policy at all: any distribution proven to read it through the OAC is a
# CF010 error, so a silent run shows the link stayed unknown.
BUCKET = 'resource "aws_s3_bucket" "site" {\n  bucket = "example-site-content"\n}\n'


def findings(paths: list[str]) -> list[Finding]:
    report = check_paths(paths)
    assert not report.problems, [p.display() for p in report.problems]
    return report.findings


def errors(found: list[Finding]) -> list[str]:
    return [f"{f.rule} {f.message}" for f in found if f.severity is Severity.ERROR]


def test_the_control_case_errors(tmp_path: Path) -> None:
    """The same module with a resolvable link does yield CF010."""
    write(
        tmp_path,
        {"main.tf": BUCKET + OAC + distribution("aws_s3_bucket.site.bucket_regional_domain_name")},
    )
    assert any(f.rule == "CF010" for f in findings([str(tmp_path)]))


@pytest.mark.parametrize(
    "domain",
    [
        "var.origin_domain",
        '"${var.bucket_name}.s3.us-east-1.amazonaws.com"',
        "local.origin_domain",
    ],
)
def test_variable_without_value(tmp_path: Path, domain: str) -> None:
    variables = """
variable "origin_domain" { type = string }
variable "bucket_name" { type = string }
locals { origin_domain = var.origin_domain }
"""
    write(tmp_path, {"main.tf": BUCKET + OAC + distribution(domain) + variables})
    assert errors(findings([str(tmp_path)])) == []


@pytest.mark.parametrize(
    "source",
    [
        "terraform-aws-modules/s3-bucket/aws",
        "git::https://example.com/infra/modules.git//s3?ref=v1.2.0",
        "github.com/example/terraform-aws-static-site",
    ],
)
def test_remote_module_output(tmp_path: Path, source: str) -> None:
    remote = f"""
module "assets" {{
  source = "{source}"
  bucket = "example-site-content"
}}

module "cdn" {{
  source        = "{source}"
  origin_domain = aws_s3_bucket.site.bucket_regional_domain_name
}}
"""
    main = BUCKET + OAC + distribution("module.assets.s3_bucket_bucket_regional_domain_name")
    write(tmp_path, {"main.tf": main + remote})
    assert errors(findings([str(tmp_path)])) == []


def _plan_with_unknown_origin(references: list[str] | None) -> dict[str, Any]:
    """A create plan: bucket without policy, OAC, distribution whose origin domain is unknown."""
    plan: dict[str, Any] = json.loads(
        (Path(__file__).parents[1] / "rules/CF010/tf_bad_no_policy_plan.json").read_text()
    )
    conf = plan["configuration"]["root_module"]["resources"]
    dist = next(c for c in conf if c["address"] == "aws_cloudfront_distribution.site")
    if references is None:
        del plan["configuration"]
    else:
        dist["expressions"]["origin"][0]["domain_name"] = {"references": references}
    return plan


@pytest.mark.parametrize(
    "references",
    [
        ["random_pet.origin.id", "random_pet.origin"],
        ["module.assets.s3_bucket_bucket_regional_domain_name", "module.assets"],
        ["var.origin_domain"],
        [
            "aws_s3_bucket.site.bucket",
            "aws_s3_bucket.site",
            "aws_s3_bucket.logs.bucket",
            "aws_s3_bucket.logs",
        ],
        None,
    ],
    ids=["other-resource", "module-output", "variable", "two-buckets", "no-configuration"],
)
def test_unknown_after_apply_in_a_plan(tmp_path: Path, references: list[str] | None) -> None:
    plan = _plan_with_unknown_origin(references)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    assert errors(findings([str(path)])) == []


def test_plan_control_case_errors(tmp_path: Path) -> None:
    plan = _plan_with_unknown_origin(
        ["aws_s3_bucket.site.bucket_regional_domain_name", "aws_s3_bucket.site"]
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    assert any(f.rule == "CF010" for f in findings([str(path)]))


def test_policy_unknown_after_apply_does_not_error(tmp_path: Path) -> None:
    """The bucket policy itself is only known after apply: nothing to prove a deny with."""
    plan = json.loads(
        (Path(__file__).parents[1] / "rules/CF010/tf_bad_no_policy_plan.json").read_text()
    )
    policy = {
        "address": "aws_s3_bucket_policy.site",
        "mode": "managed",
        "type": "aws_s3_bucket_policy",
        "name": "site",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": {},
        "sensitive_values": {},
    }
    plan["planned_values"]["root_module"]["resources"].append(policy)
    change = copy.deepcopy(policy)
    for key in ("values", "sensitive_values", "schema_version"):
        del change[key]
    change["change"] = {
        "actions": ["create"],
        "before": None,
        "after": {},
        "after_unknown": {"bucket": True, "id": True, "policy": True},
    }
    plan["resource_changes"].append(change)
    plan["configuration"]["root_module"]["resources"].append(
        {
            "address": "aws_s3_bucket_policy.site",
            "mode": "managed",
            "type": "aws_s3_bucket_policy",
            "name": "site",
            "provider_config_key": "aws",
            "expressions": {
                "bucket": {"references": ["aws_s3_bucket.site.id", "aws_s3_bucket.site"]},
                "policy": {
                    "references": [
                        "aws_s3_bucket.site.arn",
                        "aws_s3_bucket.site",
                        "aws_cloudfront_distribution.site.arn",
                        "aws_cloudfront_distribution.site",
                    ]
                },
            },
            "schema_version": 0,
        }
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    assert errors(findings([str(path)])) == []


def test_index_into_unknown_count_is_the_template_instance(tmp_path: Path) -> None:
    """`b[0]` of a resource whose count is unknown is its one placeholder instance."""
    from policylint.source import FileKind, SourceFile
    from policylint.terraform import load_module

    tf = """
variable "enabled" { type = bool }
resource "aws_s3_bucket" "logs" {
  count  = var.enabled ? 1 : 0
  bucket = "example-logs"
}
resource "aws_s3_bucket_policy" "logs" {
  count  = var.enabled ? 1 : 0
  bucket = aws_s3_bucket.logs[0].id
  policy = jsonencode({Statement = [{Effect = "Deny", Principal = "*", Action = "s3:*",
    Resource = "${aws_s3_bucket.logs[0].arn}/*",
    Condition = { Bool = { "aws:SecureTransport" = "false" } }}]})
}
"""
    write(tmp_path, {"main.tf": tf})
    m = load_module([SourceFile(str(tmp_path / "main.tf"), FileKind.TF_HCL)], {}).model
    (bucket,) = m.buckets
    assert bucket.name == "aws_s3_bucket.logs[*]"
    (policy,) = m.bucket_policies
    assert policy.name == "aws_s3_bucket_policy.logs[*]"
    assert policy.bucket == "example-logs"
    assert policy.document.statements[0].resources == (f"{bucket.arn}/*",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "expression",
    ["var.policy", '"${var.policy}"', "data.external.policy.result.json"],
)
def test_policy_without_a_value_is_unknown_not_an_input_error(
    tmp_path: Path, expression: str
) -> None:
    text = (
        'variable "policy" {\n  type = string\n}\n\n'
        f'resource "aws_kms_key" "k" {{\n  policy = {expression}\n}}\n\n'
        f'resource "aws_s3_bucket_policy" "p" {{\n  bucket = "b"\n  policy = {expression}\n}}\n'
    )
    write(tmp_path, {"main.tf": text})
    report = check_paths([str(tmp_path)])
    assert report.problems == []
    assert not [f for f in report.findings if f.severity is Severity.ERROR]


def test_a_malformed_literal_policy_is_still_an_input_error(tmp_path: Path) -> None:
    text = 'resource "aws_s3_bucket_policy" "p" {\n  bucket = "b"\n  policy = "{"\n}\n'
    write(tmp_path, {"main.tf": text})
    report = check_paths([str(tmp_path)])
    assert [p.message for p in report.problems if "invalid policy" in p.message]
