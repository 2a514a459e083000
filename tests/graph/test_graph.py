"""Graph queries on models built directly."""

from __future__ import annotations

import dataclasses

import pytest

from policylint.checks import all_checks
from policylint.checks.context import CheckContext
from policylint.graph import build_graph
from policylint.graph_types import CallerKind, EndpointKind, KeyKind, classify_domain
from policylint.model import KmsAlias, Model
from policylint.values import Unknown, resource_sym, sym
from tests.graph import models as m

R = m.R


def run(model: Model) -> dict[str, list[str]]:
    ctx = CheckContext(graph=build_graph(model), model=model)
    return {rid: [h.message for h in fn(ctx)] for rid, fn in all_checks().items()}


@pytest.mark.parametrize(
    ("domain", "kind", "bucket", "is_global"),
    [
        ("b.s3.us-east-1.amazonaws.com", EndpointKind.REST, "b", False),
        (
            "my.dotted.bucket.s3.eu-west-1.amazonaws.com",
            EndpointKind.REST,
            "my.dotted.bucket",
            False,
        ),
        ("b.s3.amazonaws.com", EndpointKind.REST, "b", True),
        ("b.s3-us-west-2.amazonaws.com", EndpointKind.REST, "b", False),
        ("b.s3-website-us-east-1.amazonaws.com", EndpointKind.WEBSITE, "b", False),
        ("http://b.s3-website.eu-central-1.amazonaws.com/", EndpointKind.WEBSITE, "b", False),
        ("abc.execute-api.us-east-1.amazonaws.com", EndpointKind.APIGW, None, False),
        ("abc.lambda-url.us-east-1.on.aws", EndpointKind.LAMBDA_URL, None, False),
        ("d111.cloudfront.net", EndpointKind.CLOUDFRONT, None, False),
        ("my-alb-1.us-east-1.elb.amazonaws.com", EndpointKind.ALB, None, False),
        ("www.example.com", EndpointKind.OTHER, None, False),
    ],
)
def test_classify_literal(
    domain: str, kind: EndpointKind, bucket: str | None, is_global: bool
) -> None:
    ep = classify_domain(domain)
    assert (ep.kind, ep.bucket_name, ep.global_form) == (kind, bucket, is_global)


def test_classify_symbols_keep_dots_inside() -> None:
    name = resource_sym("dir/t.yaml#Site.Bucket", "Name")  # dots and slashes in the symbol
    ep = classify_domain(f"{name}.s3.{R}.{sym('AWS::URLSuffix')}")
    assert ep.kind is EndpointKind.REST and ep.bucket_name == name and ep.region == R
    web = classify_domain(f"http://{name}.s3-website-{R}.amazonaws.com")
    assert web.kind is EndpointKind.WEBSITE and web.bucket_name == name
    assert classify_domain(sym("Param:Domain")).kind is EndpointKind.UNKNOWN
    assert classify_domain(Unknown("list")).kind is EndpointKind.UNKNOWN


def test_s3_origin_links_bucket_oac_behaviors_and_caller() -> None:
    model = m.site("GRANT")
    g = build_graph(model)
    (view,) = g.s3_origins()
    assert view.bucket is model.buckets[0]
    assert view.oac is model.oacs[0] and view.oai is None
    assert view.behaviors == (model.distributions[0].default_behavior,)
    assert view.is_default_target and view.endpoint.kind is EndpointKind.REST
    caller = g.caller_for(view)
    assert caller is not None and caller.kind is CallerKind.CLOUDFRONT_OAC
    assert g.callers_of(model.buckets[0]) == (caller,)
    assert g.policy_for(model.buckets[0]) is model.bucket_policies[0]


def test_unmatched_bucket_is_external() -> None:
    b = m.bucket()
    other = m.bucket("Other", bucket_name="not-in-run")
    model = Model(buckets=(b,), distributions=(m.dist((m.rest_origin(other),)),))
    g = build_graph(model)
    (view,) = g.s3_origins()
    assert view.bucket is None and view.endpoint.bucket_name == "not-in-run"
    assert "external:not-in-run.s3." in g.to_json().replace("\ue000", "")


def test_oai_matched_by_id_path_or_arn() -> None:
    o = m.oai()
    b = m.bucket()
    for form in (o.oai_id, f"origin-access-identity/cloudfront/{o.oai_id}", o.iam_arn):
        model = Model(
            buckets=(b,), oais=(o,), distributions=(m.dist((m.rest_origin(b, oai=form),)),)
        )
        (view,) = build_graph(model).s3_origins()
        assert view.oai is o


@pytest.mark.parametrize("form", ["id", "arn", "alias", "alias-arn"])
def test_key_for_resolves_id_arn_alias(form: str) -> None:
    key = m.kms_key()
    alias = KmsAlias(
        id="t.yaml#Alias",
        name="Alias",
        ref=m.ref(70),
        alias_name="alias/site",
        target_key=key.key_id,
    )
    value = {
        "id": key.key_id,
        "arn": key.arn,
        "alias": "alias/site",
        "alias-arn": f"arn:{m.P}:kms:{R}:{m.A}:alias/site",
    }[form]
    b = m.bucket(encryption=m.sse_kms(value))
    g = build_graph(Model(buckets=(b,), keys=(key,), key_aliases=(alias,)))
    link = g.key_for(b)
    assert link is not None and link.kind is KeyKind.IN_RUN and link.key is key


def test_key_for_managed_and_external() -> None:
    g = build_graph(Model())
    assert g.key_for(m.bucket(encryption=m.sse_kms(None))).kind is KeyKind.AWS_MANAGED  # type: ignore[union-attr]
    ext = g.key_for(m.bucket(encryption=m.sse_kms("arn:aws:kms:us-east-1:1:key/x")))
    assert ext is not None and ext.kind is KeyKind.EXTERNAL
    assert g.key_for(m.bucket()) is None


def test_exports_are_deterministic() -> None:
    model = m.site("GRANT")
    a, b = build_graph(model), build_graph(model)
    assert a.to_json() == b.to_json()
    assert a.to_dot().startswith("digraph access {") and a.to_dot() == b.to_dot()
    assert a.to_mermaid().startswith("flowchart LR") and a.to_mermaid() == b.to_mermaid()
    assert "${SiteBucket.Name}" in a.to_json()


def test_checks_on_hand_built_models() -> None:
    assert not any(run(m.site("GRANT"))["CF010"])
    assert run(m.site())["CF010"]  # no policy at all
    b = m.bucket()
    d = m.dist((m.rest_origin(b),))
    wrong = m.oac_grant(b, d, StringEquals={"AWS:SourceArn": d.distribution_id})
    assert run(m.site(wrong, bucket=b))["CF080"]
    wild = m.oac_grant(
        b, d, StringLike={"AWS:SourceArn": f"arn:{m.P}:cloudfront::{m.A}:distribution/*"}
    )
    result = run(m.site(wild, bucket=b))
    assert not result["CF010"] and len(result["CF080"]) == 1  # info: any distribution


def test_kms010_on_hand_built_models() -> None:
    key = m.kms_key(
        statements=[
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{m.P}:iam::{m.A}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
    )
    b = m.bucket(encryption=m.sse_kms(key.arn))
    model = dataclasses.replace(m.site("GRANT", bucket=b), keys=(key,))
    assert run(model)["KMS010"]
