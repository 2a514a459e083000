"""In-source suppressions: CloudFormation Metadata, Terraform comments, `.tf.json` "//" keys;
reasons required; unused suppressions reported as PL001."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from policylint.catalog import load_catalog
from policylint.errors import InputError
from policylint.findings import InputProblem, Severity, Suppression
from policylint.parse.yaml_doc import load_yaml
from policylint.source import SourceRef, Span
from policylint.suppress import (
    ENGINE_RULES,
    apply_suppressions,
    cfn_suppressions,
    drop_per_file,
    tf_suppressions,
)
from tests.workflow.conftest import ROOT, finding

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SiteBucket:
    Type: AWS::S3::Bucket
    Metadata:
      policylint:
        ignore:
          - rule: cf010
            reason: granted by the org-wide stack set
          - {rule: S3020, reason: "public by design"}
  Other:
    Type: AWS::S3::Bucket
    Metadata: {cfn-lint: {config: {ignore_checks: [W1]}}}
"""


def test_cfn_metadata() -> None:
    found = cfn_suppressions(load_yaml(CFN, "t.yaml"))
    assert [(s.rule, s.resource, s.file, s.reason) for s in found] == [
        ("CF010", "SiteBucket", "t.yaml", "granted by the org-wide stack set"),
        ("S3020", "SiteBucket", "t.yaml", "public by design"),
    ]
    assert found[0].ref.line == 8


@pytest.mark.parametrize(
    ("entry", "message", "line"),
    [
        ("- rule: CF010", "ignore of CF010 needs a `reason`", 8),
        ("- {rule: CF010, reason: '  '}", "ignore of CF010 needs a `reason`", 8),
        ("- CF010", "needs a `reason`", 8),
        ("- reason: why", "needs `rule: <rule id>`", 8),
    ],
)
def test_cfn_metadata_without_reason_is_an_input_problem(
    entry: str, message: str, line: int
) -> None:
    text = CFN.replace(
        "          - rule: cf010\n            reason: granted by the org-wide stack set\n",
        f"          {entry}\n",
    )
    problems: list[InputProblem] = []
    found = cfn_suppressions(load_yaml(text, "t.yaml"), problems)
    assert [s.rule for s in found] == ["S3020"]
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].ref is not None and problems[0].ref.line == line
    with pytest.raises(InputError):
        cfn_suppressions(load_yaml(text, "t.yaml"))


def test_cfn_metadata_of_the_wrong_shape() -> None:
    text = CFN.replace("        ignore:\n", "        ignored:\n")
    problems: list[InputProblem] = []
    assert cfn_suppressions(load_yaml(text, "t.yaml"), problems) == []
    assert "needs `ignore:" in problems[0].message and problems[0].ref
    assert problems[0].ref.line == 6


HCL = """\
variable "x" {
  default = "}"  # policylint:ignore=CF999 in a variable, not on a resource
}

# The policy is attached by the platform team.
# policylint:ignore=CF010 policy attached by platform stack
resource "aws_cloudfront_distribution" "site" {
  comment = "braces { in strings } and ${var.x} and ${ {a = 1}["a"] }"
  // policylint:ignore=CF020,cf030 - logging bucket is shared
  tags = {
    Name = "# policylint:ignore=CF040 not a comment"
  }
  policy = <<EOF
{"Statement": [{"Sid": "} # policylint:ignore=CF050 heredoc"}]}
EOF
}

resource aws_s3_bucket logs { # policylint:ignore=S3010 access logs bucket
  bucket = "logs"
}

data "aws_iam_policy_document" "p" {
  /* policylint:ignore=CF060 block comments are not read */
  # policylint:ignore=IAM010 built for another account
}

module "cdn" {
  source = "./cdn" # policylint:ignore=CF070 module-wide
}
"""


def test_terraform_comments() -> None:
    problems: list[InputProblem] = []
    found = tf_suppressions(HCL, "main.tf", problems)
    got = [(s.rule, s.resource, s.reason, s.ref.line) for s in found]
    assert got == [
        ("CF010", "aws_cloudfront_distribution.site", "policy attached by platform stack", 6),
        ("CF020", "aws_cloudfront_distribution.site", "logging bucket is shared", 9),
        ("CF030", "aws_cloudfront_distribution.site", "logging bucket is shared", 9),
        ("S3010", "aws_s3_bucket.logs", "access logs bucket", 18),
        ("IAM010", "data.aws_iam_policy_document.p", "built for another account", 24),
        ("CF070", "module.cdn", "module-wide", 28),
    ]
    # the comment inside the variable block is not on a resource: an input problem
    assert [(p.message, p.ref.line if p.ref else 0) for p in problems] == [
        ("policylint:ignore is not on a resource block", 2)
    ]


def test_terraform_comment_without_reason() -> None:
    text = 'resource "aws_s3_bucket" "b" {\n  # policylint:ignore=S3010\n}\n'
    problems: list[InputProblem] = []
    assert tf_suppressions(text, "main.tf", problems) == []
    assert problems and "needs a reason" in problems[0].message
    assert problems[0].ref == SourceRef("main.tf", (), Span(2, 3))
    with pytest.raises(InputError, match="needs a reason"):
        tf_suppressions(text, "main.tf")


def test_comment_above_unrelated_code_does_not_attach() -> None:
    text = '# policylint:ignore=S3010 stray\n\nresource "aws_s3_bucket" "b" {\n}\n'
    problems: list[InputProblem] = []
    assert tf_suppressions(text, "main.tf", problems) == []
    assert problems and problems[0].ref and problems[0].ref.line == 1


def test_terraform_json_comment_keys() -> None:
    doc = {
        "resource": {
            "aws_s3_bucket": {
                "logs": {"//": "policylint:ignore=S3010 access logs bucket", "bucket": "logs"},
                "site": {"//": ["built by terraform-cdk", "policylint:ignore=S3020,S3030 cdn"]},
            }
        },
        "data": [{"aws_iam_policy_document": {"p": {"//": "policylint:ignore=IAM010"}}}],
    }
    text = json.dumps(doc, indent=2)
    problems: list[InputProblem] = []
    found = tf_suppressions(text, "main.tf.json", problems)
    assert [(s.rule, s.resource, s.reason, s.ref.line) for s in found] == [
        ("S3010", "aws_s3_bucket.logs", "access logs bucket", 5),
        ("S3020", "aws_s3_bucket.site", "cdn", 11),
        ("S3030", "aws_s3_bucket.site", "cdn", 11),
    ]
    assert len(problems) == 1 and "IAM010 needs a reason" in problems[0].message
    assert tf_suppressions("{not json", "x.tf.json", []) == []  # the loader reports it


def _suppression(rule: str, resource: str = "Site", file: str = "t.yaml") -> Suppression:
    return Suppression(
        rule=rule, resource=resource, file=file, reason="because", ref=SourceRef(file, (), Span(9))
    )


def test_matching_needs_rule_resource_and_file() -> None:
    catalog = load_catalog()
    findings = [
        finding("CF010"),
        finding("CF010", resource="Other"),
        finding("CF010", file="u.yaml"),
    ]
    sups = [_suppression("CF010"), _suppression("CF010", file="./t.yaml")]
    kept, unused = apply_suppressions(findings, sups, ran={"CF010"}, catalog=catalog)
    assert [(f.resource, f.file) for f in kept] == [("Other", "t.yaml"), ("Site", "u.yaml")]
    assert unused == []


def test_unused_suppressions_become_pl001_warnings() -> None:
    catalog = {**load_catalog(), "CF010": load_catalog()["PL001"]}  # CF010 may not exist yet
    assert "KMS999" not in catalog
    catalog["S3999"] = catalog["PL001"]
    sups = [_suppression("CF010"), _suppression("ZZ999"), _suppression("S3999")]
    kept, unused = apply_suppressions([], sups, ran={"CF010"}, catalog=catalog)
    assert kept == []
    # CF010 ran and found nothing: reported; ZZ999 does not exist: reported;
    # S3999 exists but did not run (not selected): not reported.
    assert [u.rule for u in unused] == ["PL001", "PL001"]
    first, second = unused
    assert first.severity is Severity.WARNING and first.ref.line == 9
    assert "no CF010 finding on `Site`" in first.message and "because" in first.message
    assert "unknown rule ZZ999" in second.message
    assert first.fingerprint != second.fingerprint


def test_per_file_ignores() -> None:
    findings = [
        finding("CF010", file="legacy/a.yaml"),
        finding("S3010", file="legacy/a.yaml"),
        finding("CF010", file="new/a.yaml"),
    ]
    kept = drop_per_file(findings, [("legacy/*.yaml", ("CF",))], ".")
    assert [(f.rule, f.file) for f in kept] == [
        ("S3010", "legacy/a.yaml"),
        ("CF010", "new/a.yaml"),
    ]
    # globs are relative to the configuration file's directory
    kept = drop_per_file(findings, [("a.yaml", ("ALL",))], "legacy")
    assert [f.file for f in kept] == ["new/a.yaml"]


def test_engine_rules_are_in_the_catalog_and_valid() -> None:
    schema = json.loads((ROOT / "rules" / "schema.json").read_text())
    for rule_id in ENGINE_RULES:
        raw = yaml.safe_load((ROOT / "rules" / f"{rule_id}.yaml").read_text())
        jsonschema.validate(raw, schema)
        assert rule_id in load_catalog()
