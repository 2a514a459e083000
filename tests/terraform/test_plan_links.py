"""Plans: known ids and ARNs are used as given; origins link through configuration references.
.tf.json: a multi-line "${jsonencode(...)}" is the expression it wraps."""

from __future__ import annotations

import json
from pathlib import Path

from policylint.model import LoadResult
from policylint.parse.json_doc import load_json
from policylint.source import FileKind
from policylint.terraform import load_plan
from policylint.values import Unknown, resource_sym, sym
from tests.terraform.helpers import load

RULES = Path(__file__).parents[1] / "rules"


def _plan(rel: str) -> LoadResult:
    path = RULES / rel
    return load_plan(load_json(path.read_text(), str(path), FileKind.TF_PLAN))


def test_existing_resources_keep_their_known_ids() -> None:
    result = _plan("CF090/tf_good_migration_grants_both_plan.json")
    assert result.problems == ()
    m = result.model
    (dist,) = m.distributions
    assert not isinstance(dist.origins, Unknown)
    assert dist.distribution_id == "E2QWRUHAPOMQZL"
    assert dist.arn == "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL"
    (oac,) = m.oacs
    assert oac.oac_id == "E2OACEXAMPLE01" == dist.origins[0].oac_id
    (oai,) = m.oais
    assert oai.iam_arn.endswith("Origin Access Identity E74FTE3EXAMPLE")
    (bucket,) = m.buckets
    assert bucket.arn == "arn:aws:s3:::terraform-20261128site0001"
    assert bucket.region == "us-east-1"


def test_existing_key_keeps_its_arn() -> None:
    m = _plan("KMS010/tf_good_key_policy_grants_cloudfront_plan.json").model
    (key,) = m.keys
    assert key.arn == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_new_resources_link_origins_through_references() -> None:
    path = RULES / "CF010/tf_bad_no_policy_plan.json"
    m = _plan("CF010/tf_bad_no_policy_plan.json").model
    (dist,) = m.distributions
    assert not isinstance(dist.origins, Unknown)
    (origin,) = dist.origins
    owner = f"{path}#aws_s3_bucket.site"
    assert origin.domain_name == (
        f"{resource_sym(owner, 'BucketName')}.s3.{sym('AWS::Region')}.amazonaws.com"
    )
    assert origin.oac_id == resource_sym(f"{path}#aws_cloudfront_origin_access_control.site", "Id")
    assert dist.distribution_id == resource_sym(f"{path}#aws_cloudfront_distribution.site", "Id")


def test_new_sse_rule_links_its_key() -> None:
    plan = json.loads((RULES / "KMS010/tf_bad_key_policy_without_cloudfront_plan.json").read_text())
    sse_unknown = {
        "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}]
    }
    for rc in plan["resource_changes"]:
        rc["change"]["after_unknown"] = {"id": True, "arn": True, "key_id": True}
        if rc["type"] == "aws_s3_bucket_server_side_encryption_configuration":
            rc["change"]["after_unknown"].update(sse_unknown)
    for r in plan["planned_values"]["root_module"]["resources"]:
        for attr in ("id", "arn", "key_id"):
            r["values"].pop(attr, None)
        if r["type"] == "aws_s3_bucket_server_side_encryption_configuration":
            rule = r["values"]["rule"][0]["apply_server_side_encryption_by_default"][0]
            del rule["kms_master_key_id"]
    result = load_plan(load_json(json.dumps(plan), "plan.json", FileKind.TF_PLAN))
    m = result.model
    (key,) = m.keys
    (bucket,) = m.buckets
    assert bucket.encryption.kms_key == key.arn  # type: ignore[union-attr]


def test_tf_json_multiline_jsonencode(tmp_path: Path) -> None:
    policy = (
        '${jsonencode({\n  Version = "2012-10-17"\n  Statement = [{\n    Effect = "Allow"\n'
        '    Principal = "*"\n    Action = "s3:GetObject"\n'
        '    Resource = "${aws_s3_bucket.b.arn}/*"\n  }]\n})}'
    )
    doc = {
        "resource": {
            "aws_s3_bucket": {"b": {"bucket": "x"}},
            "aws_s3_bucket_policy": {"b": {"bucket": "${aws_s3_bucket.b.id}", "policy": policy}},
        }
    }
    m = load(tmp_path, {"main.tf.json": json.dumps(doc, indent=2)}).model
    (p,) = m.bucket_policies
    (st,) = p.document.statements  # type: ignore[union-attr]
    assert st.resources == (f"arn:{sym('AWS::Partition')}:s3:::x/*",)


def test_tf_json_single_line_jsonencode_with_nested_template(tmp_path: Path) -> None:
    policy = (
        '${jsonencode({Statement = [{Effect = "Allow", Principal = "*", '
        'Action = "s3:GetObject", Resource = "${aws_s3_bucket.b.arn}/*"}]})}'
    )
    doc = {
        "resource": {
            "aws_s3_bucket": {"b": {"bucket": "x"}},
            "aws_s3_bucket_policy": {
                "b": {"bucket": "${aws_s3_bucket.b.id}", "policy": policy},
                "c": {"bucket": "${aws_s3_bucket.b.id}-${aws_s3_bucket.b.id}", "policy": "{}"},
            },
        }
    }
    m = load(tmp_path, {"main.tf.json": json.dumps(doc, indent=2)}).model
    by_name = {p.name: p for p in m.bucket_policies}
    (st,) = by_name["aws_s3_bucket_policy.b"].document.statements  # type: ignore[union-attr]
    assert st.resources == (f"arn:{sym('AWS::Partition')}:s3:::x/*",)
    assert by_name["aws_s3_bucket_policy.c"].bucket == "x-x"
