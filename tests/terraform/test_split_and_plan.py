"""Split S3 resources, other families, plans, malformed inputs, parity with CloudFormation."""

from __future__ import annotations

import json
from pathlib import Path

from policylint.parse.json_doc import load_json
from policylint.source import FileKind
from policylint.terraform import load_plan
from policylint.values import resource_sym, sym
from tests.terraform.helpers import load

P, A, R = sym("AWS::Partition"), sym("AWS::AccountId"), sym("AWS::Region")

SPLIT = """
resource "aws_s3_bucket" "b" { bucket = "split" }
resource "aws_s3_bucket_public_access_block" "b" {
  bucket = aws_s3_bucket.b.id
  block_public_acls = true
  block_public_policy = false
}
resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule { object_ownership = "BucketOwnerPreferred" }
}
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.bucket
  acl = "public-read"
  depends_on = [aws_s3_bucket_ownership_controls.b]
}
resource "aws_s3_bucket_website_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  index_document { suffix = "index.html" }
  error_document { key = "error.html" }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
      kms_master_key_id = aws_kms_key.k.arn
    }
    bucket_key_enabled = true
  }
}
resource "aws_s3_bucket_request_payment_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  payer = "Requester"
}
resource "aws_kms_key" "k" {}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "s3:GetObject",
    Resource = "${aws_s3_bucket.b.arn}/*"}]})
  depends_on = [aws_s3_bucket_acl.b]
}
output "site" { value = aws_s3_bucket_website_configuration.b.website_endpoint }
"""


def test_split_resources_attach_to_their_bucket(tmp_path: Path) -> None:
    result = load(tmp_path, {"main.tf": SPLIT})
    assert result.problems == ()
    (bucket,) = result.model.buckets
    pab = bucket.public_access_block
    assert pab.block_public_acls is True and pab.block_public_policy is False
    assert pab.ref.line == 3
    assert bucket.ownership == "BucketOwnerPreferred"
    assert bucket.acl == "public-read"
    assert bucket.acl_depends_on_ownership is True
    assert bucket.website.index_document == "index.html"
    assert bucket.website.error_document == "error.html"
    assert bucket.encryption.algorithm == "aws:kms"
    assert bucket.encryption.kms_key == result.model.keys[0].arn
    assert bucket.encryption.bucket_key_enabled is True
    assert bucket.request_payer == "Requester"
    (policy,) = result.model.bucket_policies
    assert policy.bucket == "split"
    # depends on the ACL, which does not depend on the public access block
    assert policy.depends_on_public_access_block is False


def test_policy_depending_on_pab_transitively(tmp_path: Path) -> None:
    tf = """
resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_public_access_block" "b" { bucket = aws_s3_bucket.b.id }
resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule { object_ownership = "BucketOwnerEnforced" }
  depends_on = [aws_s3_bucket_public_access_block.b]
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = "{\\"Statement\\": []}"
  depends_on = [aws_s3_bucket_ownership_controls.b]
}
resource "aws_s3_bucket" "nopab" { bucket = "y" }
resource "aws_s3_bucket_policy" "nopab" {
  bucket = aws_s3_bucket.nopab.id
  policy = "{\\"Statement\\": []}"
}
"""
    policies = {p.name: p for p in load(tmp_path, {"main.tf": tf}).model.bucket_policies}
    assert policies["aws_s3_bucket_policy.b"].depends_on_public_access_block is True
    assert policies["aws_s3_bucket_policy.nopab"].depends_on_public_access_block is None


def test_legacy_inline_arguments(tmp_path: Path) -> None:
    tf = """
resource "aws_s3_bucket" "b" {
  bucket = "legacy"
  acl = "private"
  website {
    index_document = "index.html"
  }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    }
  }
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::legacy/*"}]}
EOT
}
"""
    model = load(tmp_path, {"main.tf": tf}).model
    (bucket,) = model.buckets
    assert bucket.acl == "private"
    assert bucket.website.index_document == "index.html"
    assert bucket.encryption.algorithm == "AES256"
    (policy,) = model.bucket_policies
    assert policy.bucket == "legacy"
    assert policy.document.statements[0].resources == ("arn:aws:s3:::legacy/*",)


def test_waf_iam_kms_scp(tmp_path: Path) -> None:
    tf = """
resource "aws_wafv2_ip_set" "ips" {
  name = "ips"
  scope = "CLOUDFRONT"
  ip_address_version = "IPV4"
  addresses = ["192.0.2.0/24"]
}
resource "aws_wafv2_web_acl" "w" {
  name = "acl"
  scope = "CLOUDFRONT"
  default_action {
    block {}
  }
  rule {
    name = "allow-office"
    priority = 1
    action {
      allow {}
    }
    statement {
      ip_set_reference_statement { arn = aws_wafv2_ip_set.ips.arn }
    }
    visibility_config {
      cloudwatch_metrics_enabled = false
      metric_name = "m"
      sampled_requests_enabled = false
    }
  }
  rule {
    name = "geo"
    priority = 2
    action {
      block {}
    }
    statement {
      and_statement {
        statement {
          geo_match_statement { country_codes = ["CN"] }
        }
        statement {
          rate_based_statement {
            limit = 100
            aggregate_key_type = "IP"
          }
        }
      }
    }
  }
  rule {
    name = "managed"
    priority = 3
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
  }
}
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  web_acl_id = aws_wafv2_web_acl.w.arn
  origin {
    origin_id = "o"
    domain_name = "example.com"
    custom_origin_config { origin_protocol_policy = "https-only" }
  }
  default_cache_behavior { target_origin_id = "o" }
}
resource "aws_iam_role" "r" {
  name = "app"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {Service = "lambda.amazonaws.com"}, Action = "sts:AssumeRole"}]})
  inline_policy {
    name = "inline"
    policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:*", Resource = "*"}]})
  }
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
}
resource "aws_iam_policy" "p" {
  name = "pol"
  policy = jsonencode({Statement = [{Effect = "Allow", Action = "kms:Decrypt", Resource = "*"}]})
}
resource "aws_iam_role_policy_attachment" "a" {
  role = aws_iam_role.r.name
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_role_policy" "rp" {
  role = aws_iam_role.r.id
  policy = jsonencode({Statement = [{Effect = "Deny", Action = "s3:DeleteObject", Resource = "*"}]})
}
resource "aws_kms_key" "k" {}
resource "aws_kms_key_policy" "k" {
  key_id = aws_kms_key.k.id
  policy = jsonencode({Statement = [{Effect = "Allow", Principal = {AWS = "*"}, Action = "kms:*",
    Resource = "*"}]})
}
resource "aws_kms_alias" "a" {
  name = "alias/app"
  target_key_id = aws_kms_key.k.key_id
}
resource "aws_organizations_policy" "scp" {
  name = "deny"
  content = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Deny", Action = "s3:*",
    Resource = "*"}]})
}
resource "aws_organizations_policy_attachment" "scp" {
  policy_id = aws_organizations_policy.scp.id
  target_id = "123456789012"
}
"""
    result = load(tmp_path, {"main.tf": tf})
    assert result.problems == ()
    m = result.model
    (acl,) = m.web_acls
    assert acl.default_action == "BLOCK"
    office, geo, managed = acl.rules
    assert office.action == "ALLOW"
    assert office.statement == {"IPSetReferenceStatement": {"Arn": m.ip_sets[0].arn}}
    stmts = geo.statement["AndStatement"]["Statements"]
    assert stmts[0] == {"GeoMatchStatement": {"CountryCodes": ["CN"]}}
    assert stmts[1] == {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "IP"}}
    assert managed.override_action == "NONE"
    assert managed.statement["ManagedRuleGroupStatement"]["VendorName"] == "AWS"
    assert m.distributions[0].web_acl_id == acl.arn
    assert acl.arn.startswith(f"arn:{P}:wafv2:us-east-1:{A}:global/webacl/acl/")
    (role,) = m.roles
    assert role.arn == f"arn:{P}:iam::{A}:role/app"
    assert role.trust_policy.statements[0].principals.service == ("lambda.amazonaws.com",)
    assert len(role.inline_policies) == 1
    assert role.managed_policy_arns == (f"arn:{P}:iam::{A}:policy/pol",)
    assert role.boundary_arn == "arn:aws:iam::aws:policy/PowerUserAccess"
    pol = next(p for p in m.managed_policies if p.name == "aws_iam_policy.p")
    assert pol.roles == ("app",)
    rp = next(p for p in m.managed_policies if p.name == "aws_iam_role_policy.rp")
    assert rp.arn is None and rp.roles == ("app",)
    (key,) = m.keys
    assert key.policy.statements[0].actions == ("kms:*",)
    assert m.key_aliases[0].target_key == key.key_id
    (scp,) = m.scps
    assert scp.targets == ("123456789012",)


def test_malformed_hcl_is_one_problem_and_other_files_load(tmp_path: Path) -> None:
    files = {
        "good.tf": 'resource "aws_s3_bucket" "ok" { bucket = "ok" }\n',
        "bad.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = {\n}\n',
        "bad2.tf.json": '{"resource": {"aws_s3_bucket": {"j": {"bucket": "x",}}}}',
    }
    result = load(tmp_path, files)
    assert [b.name for b in result.model.buckets] == ["aws_s3_bucket.ok"]
    problems = {p.ref.file: p for p in result.problems if p.ref is not None}
    assert len(result.problems) == 2
    bad = problems[str(tmp_path / "bad.tf")]
    assert "invalid HCL" in bad.message
    assert bad.ref is not None and bad.ref.line >= 3
    bad_json = problems[str(tmp_path / "bad2.tf.json")]
    assert bad_json.ref is not None and bad_json.ref.line == 1


def test_invalid_policy_is_reported_at_its_position(tmp_path: Path) -> None:
    tf = """
resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({Statement = [{Effect = "Alow", Action = "s3:*", Resource = "*",
    Principal = "*"}]})
}
"""
    result = load(tmp_path, {"main.tf": tf})
    (problem,) = result.problems
    assert problem.ref is not None and problem.ref.line in (4, 5)
    assert len(result.model.buckets) == 1
    assert len(result.model.bucket_policies) == 1


PLAN = {
    "format_version": "1.2",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "aws_s3_bucket.b",
                    "mode": "managed",
                    "type": "aws_s3_bucket",
                    "name": "b",
                    "values": {"bucket": "plan-bucket"},
                },
                {
                    "address": "aws_s3_bucket_policy.p",
                    "mode": "managed",
                    "type": "aws_s3_bucket_policy",
                    "name": "p",
                    "values": {},
                },
            ],
            "child_modules": [
                {
                    "address": "module.cdn",
                    "resources": [
                        {
                            "address": "module.cdn.aws_cloudfront_distribution.this",
                            "mode": "managed",
                            "type": "aws_cloudfront_distribution",
                            "name": "this",
                            "values": {
                                "enabled": True,
                                "origin": [{"origin_id": "o"}],
                                "default_cache_behavior": [{"target_origin_id": "o"}],
                            },
                        }
                    ],
                }
            ],
        }
    },
    "resource_changes": [
        {
            "address": "aws_s3_bucket_policy.p",
            "change": {"after_unknown": {"bucket": True, "policy": True}},
        },
        {
            "address": "module.cdn.aws_cloudfront_distribution.this",
            "change": {"after_unknown": {"arn": True, "origin": [{"domain_name": True}]}},
        },
    ],
    "configuration": {
        "root_module": {
            "resources": [
                {"address": "aws_s3_bucket.b", "expressions": {"bucket": {"constant_value": "x"}}},
                {
                    "address": "aws_s3_bucket_policy.p",
                    "expressions": {
                        "bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]},
                        "policy": {"references": ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]},
                    },
                },
            ],
            "module_calls": {"cdn": {"source": "./cdn", "module": {"resources": []}}},
        }
    },
}


def test_plan_child_modules_after_unknown_and_links() -> None:
    text = json.dumps(PLAN, indent=2)
    doc = load_json(text, "plan.json", FileKind.TF_PLAN)
    result = load_plan(doc)
    assert result.problems == ()
    m = result.model
    (bucket,) = m.buckets
    assert bucket.id == "plan.json#aws_s3_bucket.b"
    assert bucket.bucket_name == "plan-bucket"
    assert bucket.ref.file == "plan.json" and bucket.ref.line > 1
    (policy,) = m.bucket_policies
    # `bucket` is unknown after apply: linked through the configuration's references
    assert policy.bucket == "plan-bucket"
    assert not hasattr(policy.document, "statements")  # unknown after apply
    (dist,) = m.distributions
    assert dist.name == "module.cdn.aws_cloudfront_distribution.this"
    assert dist.origins[0].domain_name == sym(
        "after-apply:module.cdn.aws_cloudfront_distribution.this.origin[0].domain_name"
    )
    assert dist.arn == (
        f"arn:{P}:cloudfront::{A}:distribution/"
        f"{resource_sym('plan.json#module.cdn.aws_cloudfront_distribution.this', 'Id')}"
    )


def test_malformed_plan_json_raises_input_error() -> None:
    import pytest

    from policylint.errors import InputError

    with pytest.raises(InputError) as exc:
        load_json('{"planned_values": {', "plan.json", FileKind.TF_PLAN)
    assert exc.value.ref is not None and exc.value.ref.line == 1


def test_identical_strings_to_cloudformation(tmp_path: Path) -> None:
    from policylint.cfn import load_template
    from policylint.parse.yaml_doc import load_yaml

    cfn = """
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: same-name
Outputs:
  Arn:
    Value: !GetAtt Site.Arn
"""
    cfn_model = load_template(load_yaml(cfn, "t.yaml"), {}).model
    tf_model = load(
        tmp_path, {"main.tf": 'resource "aws_s3_bucket" "s" { bucket = "same-name" }'}
    ).model
    assert cfn_model.buckets[0].arn == tf_model.buckets[0].arn
    assert cfn_model.buckets[0].bucket_name == tf_model.buckets[0].bucket_name
