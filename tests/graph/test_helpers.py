"""Caller requests, the S3 public-policy test and fix rendering."""

from __future__ import annotations

from policylint.checks.callers import request, with_oai_canonical_users
from policylint.checks.fixes import Fmt, bucket_objects, oac_statement, policy_resource, render
from policylint.checks.public import is_public
from policylint.graph import build_graph
from policylint.graph_types import CallerKind
from policylint.model import Model, WebAcl
from policylint.policy.parse import parse_policy
from policylint.values import Tri
from tests.graph import models as m


def _doc(*statements: dict[str, object]) -> object:
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)})


def test_oac_request_context() -> None:
    model = m.site("GRANT")
    g = build_graph(model)
    (view,) = g.s3_origins()
    caller = g.caller_for(view)
    assert caller is not None and caller.kind is CallerKind.CLOUDFRONT_OAC
    req = request(caller, "s3:GetObject", "arn:x", account=m.A, secure=True)
    d = model.distributions[0]
    assert req.principal == "cloudfront.amazonaws.com"
    assert req.context == {
        "aws:SecureTransport": "true",
        "aws:SourceArn": d.arn,
        "aws:SourceAccount": d.account,
    }


def test_canonical_user_becomes_oai_arn() -> None:
    o = m.oai()
    doc = parse_policy(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"CanonicalUser": o.canonical_user_id},
                    "Action": "s3:GetObject",
                    "Resource": "*",
                }
            ]
        }
    )
    out = with_oai_canonical_users(doc, [o])
    pr = out.statements[0].principals
    assert pr is not None and o.iam_arn in pr.aws


def test_public_policy_definition() -> None:
    anyone = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    vpce = dict(anyone, Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}})
    wide = dict(anyone, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/7"}})
    narrow = dict(anyone, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    negated = dict(anyone, Condition={"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})
    assert is_public(parse_policy({"Statement": [anyone]})) is Tri.TRUE
    assert is_public(parse_policy({"Statement": [vpce]})) is Tri.FALSE
    assert is_public(parse_policy({"Statement": [wide]})) is Tri.TRUE
    assert is_public(parse_policy({"Statement": [narrow]})) is Tri.FALSE
    assert is_public(parse_policy({"Statement": [negated]})) is Tri.TRUE
    assert is_public(None) is Tri.FALSE


def test_web_acl_by_arn_or_id() -> None:
    acl = WebAcl(
        id="t.yaml#Acl",
        name="Acl",
        ref=m.ref(80),
        scope="CLOUDFRONT",
        default_action="ALLOW",
        rules=(),
        arn="arn:acl",
        acl_id="acl-id",
        region="us-east-1",
    )
    for value in ("arn:acl", "acl-id"):
        d = m.dist((), web_acl_id=value)
        g = build_graph(Model(distributions=(d,), web_acls=(acl,)))
        assert g.web_acl_for(d) is acl
    assert build_graph(Model(distributions=(m.dist(()),))).web_acl_for(m.dist(())) is None


def test_fix_rendering_per_format() -> None:
    b, d = m.bucket(), m.dist(())
    st = oac_statement("AllowCloudFrontRead", d, ["s3:GetObject"], bucket_objects(b))
    yaml_text = render(st, Fmt.YAML)
    assert yaml_text.startswith("- Sid: AllowCloudFrontRead")
    assert 'Resource: !Sub "${SiteBucket.Arn}/*"' in yaml_text
    assert '"Fn::Sub": "${SiteBucket.Arn}/*"' in render(st, Fmt.JSON)
    assert 'Resource  = "${SiteBucket.arn}/*"' in render(st, Fmt.HCL)
    assert policy_resource(b, st, Fmt.YAML).startswith(
        "SiteBucketPolicy:\n  Type: AWS::S3::BucketPolicy"
    )
