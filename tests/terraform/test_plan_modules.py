"""Plans: a value known only after apply is linked through module outputs and inputs, and
through nested blocks (usage plan stages, WAF statements); anything but one reference stays
unknown. The shapes follow `terraform show -json` of Terraform 1.11 (references list an
attribute with its prefixes: `["module.m.arn", "module.m"]`, `["aws_x.y[0].id", "aws_x.y[0]",
"aws_x.y"]`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policylint.model import LoadResult
from policylint.parse.json_doc import load_json
from policylint.source import FileKind
from policylint.terraform import load_plan
from policylint.terraform.plan_links import resolve, single_reference
from policylint.values import Unknown, resource_sym

DATA = Path(__file__).parent / "providers_data"
RULES = Path(__file__).parents[1] / "rules"
FILE = "plan.json"
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


def _load(data: dict[str, Any], path: str = FILE) -> LoadResult:
    return load_plan(load_json(json.dumps(data), path, FileKind.TF_PLAN))


def _bucket_name(address: str) -> str:
    return resource_sym(f"{FILE}#{address}", "BucketName")


def _ref(ref: str) -> dict[str, Any]:
    """An expression that is one reference, listed with its prefixes as Terraform does."""
    if ref.startswith(("var.", "local.")):
        return {"references": [ref]}
    head = ref.rsplit(".", 1)[0]  # without the attribute
    parts = [ref, head]
    if head.endswith("]"):
        parts.append(head[: head.rindex("[")])
    return {"references": parts}


def _policy(name: str, bucket: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"aws_s3_bucket_policy.{name}",
        "mode": "managed",
        "type": "aws_s3_bucket_policy",
        "name": name,
        "expressions": {"bucket": bucket, "policy": {"constant_value": POLICY}},
    }


def _planned(address: str, rtype: str, values: dict[str, Any]) -> dict[str, Any]:
    name, _, index = address.rsplit(".", 1)[-1].partition("[")
    out = {"address": address, "mode": "managed", "type": rtype, "name": name, "values": values}
    return {**out, "index": int(index[:-1])} if index else out


def _module_plan(calls: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A root bucket (and a counted pair) plus, per call, a module holding one bucket policy
    whose `bucket` is the expression the call gives (`bucket` key) and an output `id`."""
    policy_module = {
        "outputs": {"id": {"expression": _ref("var.bucket_id")}},
        "resources": [_policy("this", _ref("var.bucket_id"))],
        "variables": {"bucket_id": {}},
    }
    root_resources = [
        {"address": "aws_s3_bucket.site", "mode": "managed", "type": "aws_s3_bucket"},
        {"address": "aws_s3_bucket.many", "mode": "managed", "type": "aws_s3_bucket"},
    ]
    planned_root = [
        _planned("aws_s3_bucket.site", "aws_s3_bucket", {"force_destroy": False}),
        _planned("aws_s3_bucket.many[0]", "aws_s3_bucket", {"force_destroy": False}),
        _planned("aws_s3_bucket.many[1]", "aws_s3_bucket", {"force_destroy": False}),
    ]
    changes = [
        {"address": r["address"], "change": {"after_unknown": {"bucket": True, "id": True}}}
        for r in planned_root
    ]
    module_calls: dict[str, Any] = {}
    children = []
    for name, call in calls.items():
        extra = {k: v for k, v in call.items() if k != "bucket"}
        module_calls[name] = {
            "source": "./policy",
            "expressions": {"bucket_id": call["bucket"]},
            "module": policy_module,
            **extra,
        }
        prefix = f"module.{name}[0]" if "count_expression" in call else f"module.{name}"
        address = f"{prefix}.aws_s3_bucket_policy.this"
        children.append(
            {
                "address": prefix,
                "resources": [_planned(address, "aws_s3_bucket_policy", {"policy": POLICY})],
            }
        )
        changes.append({"address": address, "change": {"after_unknown": {"bucket": True}}})
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": planned_root, "child_modules": children}},
        "resource_changes": changes,
        "configuration": {
            "root_module": {"resources": root_resources, "module_calls": module_calls}
        },
    }


def _policy_buckets(calls: dict[str, dict[str, Any]]) -> dict[str, Any]:
    result = _load(_module_plan(calls))
    assert result.problems == ()
    return {p.name.split(".")[1]: p.bucket for p in result.model.bucket_policies}


def test_module_input_is_followed_to_the_resource_the_call_passes() -> None:
    buckets = _policy_buckets(
        {
            "direct": {"bucket": _ref("aws_s3_bucket.site.id")},
            "indexed": {"bucket": _ref("aws_s3_bucket.many[1].id")},
            "counted": {"bucket": _ref("aws_s3_bucket.site.bucket"), "count_expression": {}},
        }
    )
    assert buckets["direct"] == _bucket_name("aws_s3_bucket.site")
    assert buckets["indexed"] == _bucket_name("aws_s3_bucket.many[1]")
    assert buckets["counted[0]"] == _bucket_name("aws_s3_bucket.site")


@pytest.mark.parametrize(
    "expr",
    [
        {"references": ["aws_s3_bucket.site.id", "aws_s3_bucket.site", "var.suffix"]},
        {"references": ["local.bucket_id"]},
        {"references": ["var.root_value"]},  # a root variable: the plan knows its value
        {"references": ["aws_s3_bucket.many"]},  # a splat or the whole resource
        _ref("aws_s3_bucket.many.id"),  # two instances answer to aws_s3_bucket.many
        _ref("data.aws_s3_bucket.existing.id"),
        {"constant_value": None},
        {"references": "aws_s3_bucket.site.id"},  # malformed: not a list
        {},
    ],
)
def test_module_input_that_is_not_one_resource_attribute_stays_unknown(
    expr: dict[str, Any],
) -> None:
    (bucket,) = _policy_buckets({"other": {"bucket": expr}}).values()
    assert isinstance(bucket, str) and "after-apply:module.other." in bucket


def test_output_of_a_module_is_followed_into_the_module() -> None:
    path = DATA / "module_provider_ireland_plan.json"
    result = load_plan(load_json(path.read_text(), str(path), FileKind.TF_PLAN))
    (dist,) = result.model.distributions
    (cert,) = result.model.certificates
    assert cert.name == "module.certificate.aws_acm_certificate.site"
    assert dist.viewer_certificate_arn == cert.arn
    assert cert.region == "eu-west-1"


def test_output_of_a_counted_module_call_stays_unknown() -> None:
    path = DATA / "module_provider_ireland_plan.json"
    data = json.loads(path.read_text())
    call = data["configuration"]["root_module"]["module_calls"]["certificate"]
    call["count_expression"] = {"constant_value": 1}
    (dist,) = _load(data, str(path)).model.distributions
    assert isinstance(dist.viewer_certificate_arn, str)
    assert "after-apply:" in dist.viewer_certificate_arn


def test_outputs_and_inputs_chain_through_nested_modules() -> None:
    config = {
        "module_calls": {
            "outer": {
                "expressions": {"name": _ref("aws_s3_bucket.site.bucket")},
                "module": {
                    "outputs": {"id": {"expression": _ref("module.inner.id")}},
                    "module_calls": {
                        "inner": {
                            "expressions": {"bucket_id": _ref("var.name")},
                            "module": {"outputs": {"id": {"expression": _ref("var.bucket_id")}}},
                        }
                    },
                },
            }
        }
    }
    assert resolve("module.outer.id", "", config) == ("aws_s3_bucket.site", "bucket")
    assert resolve("var.bucket_id", "module.outer.module.inner.", config) == (
        "aws_s3_bucket.site",
        "bucket",
    )
    assert resolve("module.outer.missing", "", config) is None
    assert resolve("var.name", "", config) is None


def test_a_reference_cycle_ends() -> None:
    loop = {"module_calls": {"m": {"expressions": {"x": _ref("module.m.y")}}}}
    loop["module_calls"]["m"]["module"] = {"outputs": {"y": {"expression": _ref("var.x")}}}
    assert resolve("module.m.y", "", loop) is None


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (["aws_s3_bucket.b.id", "aws_s3_bucket.b"], "aws_s3_bucket.b.id"),
        (
            ["aws_s3_bucket.b[0].id", "aws_s3_bucket.b[0]", "aws_s3_bucket.b"],
            "aws_s3_bucket.b[0].id",
        ),
        (["module.m.arn", "module.m"], "module.m.arn"),
        (["var.x"], "var.x"),
        (["aws_s3_bucket.b", "count.index"], None),
        (["aws_s3_bucket.b.id", "aws_s3_bucket.b", "aws_s3_bucket.c.id", "aws_s3_bucket.c"], None),
        ([], None),
        ([1], None),
        (None, None),
    ],
)
def test_single_reference(refs: Any, expected: str | None) -> None:
    assert single_reference(refs) == expected


def _rule_plan(rel: str) -> LoadResult:
    path = RULES / rel
    return load_plan(load_json(path.read_text(), str(path), FileKind.TF_PLAN))


def test_usage_plan_stages_link_their_api() -> None:
    m = _rule_plan("API010/bad_tf_usage_plan_for_other_api_plan.json").model
    (plan,) = m.usage_plans
    apis = {a.name: a.api_id for a in m.rest_apis}
    assert not isinstance(plan.api_stages, Unknown)
    assert plan.api_stages == ((apis["aws_api_gateway_rest_api.billing"], "prod"),)


def test_waf_statement_links_its_ip_set_and_association_its_load_balancer() -> None:
    m = _rule_plan("WAF020/tf_bad_ipv4_allow_list_dualstack_alb_plan.json").model
    (acl,) = m.web_acls
    (ip_set,) = m.ip_sets
    (rule,) = acl.rules
    assert rule.statement["IPSetReferenceStatement"]["Arn"] == ip_set.arn
    (assoc,) = m.web_acl_associations
    (lb,) = m.load_balancers
    assert assoc.resource_arn == lb.arn and assoc.web_acl_arn == acl.arn


def test_event_target_links_its_function() -> None:
    m = _rule_plan("IAM080/bad_tf_eventbridge_lambda_without_permission_plan.json").model
    (target,) = m.event_targets
    (fn,) = m.functions
    assert target.arn == fn.arn
