"""Reference resolution: every kind resolves to the formats in docs/architecture.md."""
# ruff: noqa: E501  (Terraform fixtures are kept as written)

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policylint.terraform.expressions import to_str
from policylint.values import Unknown, has_symbol, resource_sym, sym
from tests.terraform.helpers import load

P, A, R = sym("AWS::Partition"), sym("AWS::AccountId"), sym("AWS::Region")

SITE = """
data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}
data "aws_region" "r" {}

resource "aws_s3_bucket" "site" {
  bucket = "site-bucket"
}

resource "aws_cloudfront_origin_access_identity" "oai" {}
resource "aws_cloudfront_origin_access_control" "oac" {
  name = "oac"
  origin_access_control_origin_type = "s3"
  signing_behavior = "always"
  signing_protocol = "sigv4"
}
resource "aws_kms_key" "k" {}

resource "aws_cloudfront_distribution" "d" {
  enabled = true
  origin {
    origin_id = "s3"
    domain_name = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.oac.id
  }
  origin {
    origin_id = "legacy"
    domain_name = aws_s3_bucket.site.bucket_domain_name
    s3_origin_config {
      origin_access_identity = aws_cloudfront_origin_access_identity.oai.cloudfront_access_identity_path
    }
  }
  default_cache_behavior {
    target_origin_id = "s3"
    viewer_protocol_policy = "redirect-to-https"
  }
  restrictions {
    geo_restriction {
      restriction_type = "whitelist"
      locations = ["DE", "FR"]
    }
  }
  viewer_certificate { cloudfront_default_certificate = true }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid = "OAC"
        Effect = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action = "s3:GetObject"
        Resource = "${aws_s3_bucket.site.arn}/*"
        Condition = {
          StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.d.arn }
        }
      },
      {
        Sid = "OAI"
        Effect = "Allow"
        Principal = { AWS = aws_cloudfront_origin_access_identity.oai.iam_arn }
        Action = "s3:GetObject"
        Resource = "arn:${data.aws_partition.p.partition}:s3:::${aws_s3_bucket.site.bucket}/*"
      },
      {
        Sid = "Canonical"
        Effect = "Allow"
        Principal = { CanonicalUser = aws_cloudfront_origin_access_identity.oai.s3_canonical_user_id }
        Action = "s3:GetObject"
        Resource = "arn:aws:s3:::x/*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.me.account_id
            "aws:RequestedRegion" = data.aws_region.r.name
            "kms:ViaService" = aws_kms_key.k.arn
          }
        }
      },
    ]
  })
}
"""


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Any]:
    result = load(tmp_path, {"main.tf": SITE})
    assert result.problems == ()
    return tmp_path, result.model


def test_bucket_and_distribution_formats(site: tuple[Path, Any]) -> None:
    root, model = site
    unit = str(root)
    (bucket,) = model.buckets
    assert bucket.id == f"{unit}#aws_s3_bucket.site"
    assert bucket.name == "aws_s3_bucket.site"
    assert bucket.arn == f"arn:{P}:s3:::site-bucket"
    assert bucket.ref.file == str(root / "main.tf")
    assert bucket.ref.line == 6
    (dist,) = model.distributions
    dist_id = resource_sym(f"{unit}#aws_cloudfront_distribution.d", "Id")
    assert dist.distribution_id == dist_id
    assert dist.arn == f"arn:{P}:cloudfront::{A}:distribution/{dist_id}"
    s3, legacy = dist.origins
    assert s3.domain_name == f"site-bucket.s3.{R}.amazonaws.com"
    assert legacy.domain_name == "site-bucket.s3.amazonaws.com"
    oac = model.oacs[0]
    oac_sym = resource_sym(f"{unit}#aws_cloudfront_origin_access_control.oac", "Id")
    assert s3.oac_id == oac.oac_id == oac_sym
    oai = model.oais[0]
    assert legacy.oai == f"origin-access-identity/cloudfront/{oai.oai_id}"
    assert dist.geo_restriction.locations == ("DE", "FR")
    assert dist.default_behavior.target_origin_id == "s3"


def test_policy_references(site: tuple[Path, Any]) -> None:
    _, model = site
    (policy,) = model.bucket_policies
    assert policy.bucket == "site-bucket"
    oac_st, oai_st, canon_st = policy.document.statements
    dist = model.distributions[0]
    assert oac_st.resources == (f"arn:{P}:s3:::site-bucket/*",)
    assert oac_st.conditions[0].values == (dist.arn,)
    oai = model.oais[0]
    assert oai_st.principals.aws == (oai.iam_arn,)
    expected = f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai.oai_id}"
    assert oai.iam_arn == expected
    assert oai_st.resources == (f"arn:{P}:s3:::site-bucket/*",)
    assert canon_st.principals.canonical_user == (oai.canonical_user_id,)
    values = {c.key.lower(): c.values for c in canon_st.conditions}
    assert values["aws:sourceaccount"] == (A,)
    assert values["aws:requestedregion"] == (R,)
    key = model.keys[0]
    assert values["kms:viaservice"] == (key.arn,)
    assert key.arn == f"arn:{P}:kms:{R}:{A}:key/{resource_sym(key.id, 'KeyId')}"
    # statements are positioned at their line inside the jsonencode() literal
    assert oac_st.ref is not None
    assert oac_st.ref.line == 51


def test_generated_bucket_name_and_prefix(tmp_path: Path) -> None:
    tf = """
resource "aws_s3_bucket" "a" {}
resource "aws_s3_bucket" "b" { bucket_prefix = "logs-" }
"""
    model = load(tmp_path, {"main.tf": tf}).model
    a, b = model.buckets
    assert a.bucket_name == resource_sym(a.id, "BucketName")
    assert b.bucket_name == resource_sym(b.id, "BucketName")
    assert a.bucket_name != b.bucket_name


def test_variables_locals_interpolation(tmp_path: Path) -> None:
    tf = """
variable "env" { default = "dev" }
variable "app" {}
variable "typed" { type = string }
locals {
  name = "${var.app}-${var.env}"
  upper = upper(var.env)
  joined = join("-", [var.env, "x"])
}
resource "aws_s3_bucket" "a" { bucket = local.name }
resource "aws_s3_bucket" "b" { bucket = var.typed }
resource "aws_s3_bucket" "c" { bucket = "${local.upper}-${local.joined}" }
"""
    model = load(tmp_path, {"main.tf": tf}).model
    a, b, c = model.buckets
    assert a.bucket_name == f"{sym('var.app')}-dev"
    assert b.bucket_name == sym("var.typed")
    assert c.bucket_name == "DEV-dev-x"


def test_variables_from_tfvars_and_cli(tmp_path: Path) -> None:
    tf = """
variable "a" { default = "default-a" }
variable "b" { default = "default-b" }
variable "c" {}
resource "aws_s3_bucket" "a" { bucket = var.a }
resource "aws_s3_bucket" "b" { bucket = var.b }
resource "aws_s3_bucket" "c" { bucket = var.c }
"""
    files = {
        "main.tf": tf,
        "terraform.tfvars": 'a = "from-tfvars"\nb = "from-tfvars"\n',
        "x.auto.tfvars": 'b = "from-auto"\n',
    }
    model = load(tmp_path, files, {"c": "from-cli"}).model
    assert [x.bucket_name for x in model.buckets] == ["from-tfvars", "from-auto", "from-cli"]


POLICY_DOCS = """
resource "aws_s3_bucket" "b" { bucket = "b1" }
data "aws_iam_policy_document" "base" {
  statement {
    sid = "Keep"
    actions = ["s3:ListBucket"]
    resources = [aws_s3_bucket.b.arn]
    principals {
      type = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
  statement {
    sid = "Replace"
    actions = ["s3:PutObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "final" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [<<EOT
{"Statement": [{"Sid": "Replace", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
EOT
  ]
  statement {
    sid = "Mine"
    effect = "Allow"
    actions = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
    not_principals {
      type = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test = "StringLike"
      variable = "aws:SourceArn"
      values = ["arn:aws:cloudfront::111122223333:distribution/*"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.bucket
  policy = data.aws_iam_policy_document.final.json
}
resource "aws_kms_key" "k" {
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*",
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:CallerAccount": "${data.aws_caller_identity.c.account_id}"}}}]
    }
  POLICY
}
data "aws_caller_identity" "c" {}
"""


def test_heredoc_policy_and_policy_document(tmp_path: Path) -> None:
    result = load(tmp_path, {"main.tf": POLICY_DOCS})
    assert result.problems == ()
    (policy,) = result.model.bucket_policies
    assert [s.sid for s in policy.document.statements] == ["Keep", "Replace", "Mine"]
    keep, replace, mine = policy.document.statements
    assert keep.resources == (f"arn:{P}:s3:::b1",)
    assert replace.effect.value == "Deny"
    assert mine.not_principals.service == ("cloudfront.amazonaws.com",)
    assert mine.conditions[0].operator == "StringLike"
    assert mine.ref.line == 25
    key = result.model.keys[0]
    assert key.policy.statements[0].conditions[0].values == (A,)


def test_count_and_for_each(tmp_path: Path) -> None:
    tf = """
variable "names" { default = ["a", "b"] }
resource "aws_s3_bucket" "c" {
  count = 2
  bucket = "c-${count.index}"
}
resource "aws_s3_bucket" "e" {
  for_each = toset(var.names)
  bucket = "e-${each.key}"
}
resource "aws_s3_bucket" "m" {
  for_each = { logs = "l", site = "s" }
  bucket = each.value
}
resource "aws_s3_bucket" "u" {
  count = var.unknown_count
  bucket = "u-${count.index}"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.m["logs"].id
  policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject",
    Resource = "${aws_s3_bucket.c[1].arn}/*", Principal = "*"}]})
}
"""
    result = load(tmp_path, {"main.tf": tf})
    names = {b.name: b.bucket_name for b in result.model.buckets}
    assert names["aws_s3_bucket.c[0]"] == "c-0"
    assert names["aws_s3_bucket.c[1]"] == "c-1"
    assert names['aws_s3_bucket.e["a"]'] == "e-a"
    assert names['aws_s3_bucket.m["logs"]'] == "l"
    # an unknown count stays unknown: one placeholder instance, symbolic values
    assert names["aws_s3_bucket.u[*]"] == f"u-{sym('count.index')}"
    (policy,) = result.model.bucket_policies
    assert policy.bucket == "l"
    assert policy.document.statements[0].resources == (f"arn:{P}:s3:::c-1/*",)


def test_local_and_remote_modules(tmp_path: Path) -> None:
    root_tf = """
resource "aws_s3_bucket" "site" { bucket = "site" }
module "cdn" {
  source = "./modules/cdn"
  origin_domain = aws_s3_bucket.site.bucket_regional_domain_name
}
module "remote" {
  source = "terraform-aws-modules/s3-bucket/aws"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject",
    Resource = "${aws_s3_bucket.site.arn}/*", Principal = {Service = "cloudfront.amazonaws.com"},
    Condition = {StringEquals = {"AWS:SourceArn" = [module.cdn.arn, module.remote.s3_bucket_arn]}}}]})
}
"""
    cdn_tf = """
variable "origin_domain" {}
resource "aws_cloudfront_distribution" "this" {
  enabled = true
  origin {
    origin_id = "o"
    domain_name = var.origin_domain
  }
  default_cache_behavior { target_origin_id = "o" }
}
output "arn" { value = aws_cloudfront_distribution.this.arn }
"""
    result = load(tmp_path, {"main.tf": root_tf, "modules/cdn/main.tf": cdn_tf})
    assert result.problems == ()
    (dist,) = result.model.distributions
    assert dist.name == "module.cdn.aws_cloudfront_distribution.this"
    assert dist.id == f"{tmp_path}#module.cdn.aws_cloudfront_distribution.this"
    assert dist.ref.file == str(tmp_path / "modules" / "cdn" / "main.tf")
    assert dist.origins[0].domain_name == f"site.s3.{R}.amazonaws.com"
    cond = result.model.bucket_policies[0].document.statements[0].conditions[0]
    assert cond.values[0] == dist.arn
    # a registry module is never read: its outputs stay symbolic
    assert has_symbol(cond.values[1])
    assert "module.remote.s3_bucket_arn" in cond.values[1]


TF_JSON = """{
  "variable": {"name": {"default": "jb"}},
  "resource": {
    "aws_s3_bucket": {"b": {"bucket": "${var.name}-x"}},
    "aws_s3_bucket_policy": {"p": {
      "bucket": "${aws_s3_bucket.b.id}",
      "policy": "${jsonencode({Statement = [{Effect = \\"Allow\\", Action = \\"s3:*\\", Principal = \\"*\\", Resource = aws_s3_bucket.b.arn}]})}"
    }},
    "aws_s3_bucket_public_access_block": {"pab": {
      "bucket": "${aws_s3_bucket.b.id}", "block_public_policy": true
    }}
  }
}
"""


def test_tf_json(tmp_path: Path) -> None:
    result = load(tmp_path, {"main.tf.json": TF_JSON})
    assert result.problems == ()
    (bucket,) = result.model.buckets
    assert bucket.bucket_name == "jb-x"
    assert bucket.ref.line == 4
    assert bucket.public_access_block.block_public_policy is True
    (policy,) = result.model.bucket_policies
    assert policy.document.statements[0].resources == (f"arn:{P}:s3:::jb-x",)


def test_unknown_becomes_symbol_where_a_string_is_expected() -> None:
    assert to_str(Unknown("var.x")) == sym("var.x")
