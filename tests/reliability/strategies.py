"""Hypothesis strategies: CloudFormation templates, Terraform JSON, plans, policy documents.

Each comes valid, near-valid (right shape, wrong types, broken references) and garbage.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

RESOURCE_TYPES = (
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::CloudFrontOriginAccessIdentity",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::WAFv2::WebACL",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::Lambda::Function",
    "AWS::Lambda::Url",
    "AWS::Lambda::Permission",
    "AWS::ApiGateway::RestApi",
    "AWS::Serverless::Function",
    "AWS::SNS::Topic",
    "Custom::Thing",
)
TF_TYPES = (
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_cloudfront_distribution",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_origin_access_identity",
    "aws_kms_key",
    "aws_wafv2_web_acl",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_policy",
    "aws_lambda_function",
    "aws_lambda_function_url",
)
NAMES = ("Bucket", "Policy", "Dist", "Oac", "Key", "Acl", "Role", "Fn", "X")
KEYS = (
    "BucketName",
    "PolicyDocument",
    "Bucket",
    "KeyPolicy",
    "KMSMasterKeyID",
    "DistributionConfig",
    "Origins",
    "DomainName",
    "OriginAccessControlId",
    "S3OriginConfig",
    "WebACLId",
    "Statement",
    "AssumeRolePolicyDocument",
    "Policies",
    "RoleName",
    "Arn",
    "Name",
    "Tags",
    "Properties",
    "Condition",
    "bucket",
    "policy",
    "arn",
    "origin",
    "domain_name",
    "key_id",
    "role",
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(("*", "arn:aws:s3:::b/*", "${AWS::AccountId}", "${", "}", "!Ref", "&a", "")),
)


def names(extra: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES + extra), st.text(min_size=1, max_size=8))


def intrinsics(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """CloudFormation intrinsic functions, well- and ill-formed, around `leaf`."""
    n = names(("AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::NoValue"))
    sub_text = st.lists(
        st.one_of(st.text(max_size=6), n.map(lambda x: "${" + x + "}"), st.just("${!Lit}")),
        max_size=4,
    ).map("".join)
    return st.one_of(
        st.builds(lambda x: {"Ref": x}, st.one_of(n, leaf)),
        st.builds(lambda a, b: {"Fn::GetAtt": [a, b]}, n, st.sampled_from(("Arn", "Id", "X"))),
        st.builds(lambda a: {"Fn::GetAtt": a}, st.one_of(n.map(lambda x: x + ".Arn"), leaf)),
        st.builds(lambda s: {"Fn::Sub": s}, st.one_of(sub_text, leaf)),
        st.builds(lambda s, v: {"Fn::Sub": [s, v]}, sub_text, st.dictionaries(n, leaf, max_size=3)),
        st.builds(
            lambda s, v: {"Fn::Join": [s, v]}, st.text(max_size=2), st.lists(leaf, max_size=4)
        ),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, n, leaf, leaf),
        st.builds(
            lambda i, v: {"Fn::Select": [i, v]}, st.integers(-2, 5), st.lists(leaf, max_size=3)
        ),
        st.builds(lambda x: {"Fn::ImportValue": x}, st.one_of(n, leaf)),
        st.builds(lambda a, b, c: {"Fn::FindInMap": [a, b, c]}, n, n, n),
        st.builds(lambda x: {"Fn::Split": [",", x]}, leaf),
        st.builds(lambda x: {"Fn::Base64": x}, leaf),
        st.builds(lambda x: {"Fn::GetAZs": x}, leaf),
        st.builds(lambda x: {"Condition": x}, n),
        st.builds(lambda k, x: {k: x}, st.sampled_from(("Fn::Nope", "Ref", "Fn::Sub")), leaf),
    )


def values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=4
            ),
            intrinsics(inner),
        ),
        max_leaves=max_leaves,
    )


def principals() -> st.SearchStrategy[Any]:
    arn = st.sampled_from(
        ("arn:aws:iam::123456789012:root", "123456789012", "*", "arn:aws:iam::*:role/x", "")
    )
    service = st.sampled_from(
        ("cloudfront.amazonaws.com", "lambda.amazonaws.com", "s3.amazonaws.com", "x")
    )
    return st.one_of(
        st.just("*"),
        st.builds(lambda a: {"AWS": a}, st.one_of(arn, st.lists(arn, max_size=3), values(3))),
        st.builds(lambda s: {"Service": s}, st.one_of(service, st.lists(service, max_size=2))),
        st.builds(lambda c: {"CanonicalUser": c}, st.text(max_size=10)),
        st.builds(lambda f: {"Federated": f}, st.text(max_size=10)),
        values(3),
    )


def statements() -> st.SearchStrategy[Any]:
    action = st.sampled_from(
        (
            "s3:GetObject",
            "s3:*",
            "*",
            "kms:Decrypt",
            "s3:Get*",
            "s3:ListBucket",
            "iam:PassRole",
            "sts:AssumeRole",
            "lambda:InvokeFunctionUrl",
            "nope",
            "s3:",
        )
    )
    resource = st.one_of(
        st.sampled_from(("*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:kms:*:*:key/*", "b")),
        intrinsics(st.text(max_size=5)),
    )
    condition = st.dictionaries(
        st.sampled_from(
            (
                "StringEquals",
                "StringLike",
                "ArnLike",
                "ArnEquals",
                "Bool",
                "IpAddress",
                "StringEqualsIfExists",
                "ForAnyValue:StringLike",
                "ForAllValues:StringEquals",
                "Null",
                "NumericLessThan",
                "Bogus",
            )
        ),
        st.dictionaries(
            st.sampled_from(
                (
                    "AWS:SourceArn",
                    "aws:SourceArn",
                    "aws:SecureTransport",
                    "aws:PrincipalOrgID",
                    "kms:ViaService",
                    "s3:prefix",
                    "aws:SourceIp",
                    "x",
                )
            ),
            st.one_of(scalars, st.lists(scalars, max_size=3), intrinsics(st.text(max_size=4))),
            max_size=2,
        ),
        max_size=2,
    )
    one_or_many = lambda s: st.one_of(s, st.lists(s, max_size=3))  # noqa: E731
    fields = st.fixed_dictionaries(
        {},
        optional={
            "Sid": st.one_of(st.text(max_size=8), scalars),
            "Effect": st.one_of(st.sampled_from(("Allow", "Deny", "allow", "Maybe")), scalars),
            "Action": one_or_many(action),
            "NotAction": one_or_many(action),
            "Resource": one_or_many(resource),
            "NotResource": one_or_many(resource),
            "Principal": principals(),
            "NotPrincipal": principals(),
            "Condition": st.one_of(condition, scalars),
        },
    )
    return st.one_of(fields, fields, values(4))


def policy_documents() -> st.SearchStrategy[Any]:
    doc = st.fixed_dictionaries(
        {},
        optional={
            "Version": st.one_of(st.sampled_from(("2012-10-17", "2008-10-17")), scalars),
            "Id": st.text(max_size=5),
            "Statement": st.one_of(st.lists(statements(), max_size=4), statements(), scalars),
        },
    )
    return st.one_of(doc, doc, doc.map(json.dumps), values(6))


def properties(rtype: str) -> st.SearchStrategy[Any]:
    """Plausible properties of `rtype`, mixed with random ones."""
    pol = policy_documents()
    ref = intrinsics(st.text(max_size=5))
    known: dict[str, dict[str, st.SearchStrategy[Any]]] = {
        "AWS::S3::BucketPolicy": {"Bucket": st.one_of(ref, scalars), "PolicyDocument": pol},
        "AWS::KMS::Key": {"KeyPolicy": pol, "EnableKeyRotation": scalars},
        "AWS::IAM::Role": {
            "AssumeRolePolicyDocument": pol,
            "Policies": st.lists(
                st.fixed_dictionaries({"PolicyName": st.text(max_size=5), "PolicyDocument": pol}),
                max_size=2,
            ),
        },
        "AWS::IAM::Policy": {"PolicyDocument": pol, "Roles": st.lists(ref, max_size=2)},
        "AWS::S3::Bucket": {
            "BucketName": st.one_of(ref, scalars),
            "BucketEncryption": values(6),
            "PublicAccessBlockConfiguration": values(4),
        },
        "AWS::CloudFront::Distribution": {
            "DistributionConfig": st.fixed_dictionaries(
                {},
                optional={
                    "Origins": st.lists(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "Id": st.text(max_size=4),
                                "DomainName": st.one_of(ref, scalars),
                                "OriginAccessControlId": st.one_of(ref, scalars),
                                "S3OriginConfig": values(3),
                            },
                        ),
                        max_size=3,
                    ),
                    "DefaultCacheBehavior": values(5),
                    "WebACLId": st.one_of(ref, scalars),
                    "Enabled": scalars,
                },
            )
        },
    }
    fields = known.get(rtype, {})
    return st.one_of(
        st.fixed_dictionaries({}, optional=fields) if fields else values(8),
        st.dictionaries(st.sampled_from(KEYS), values(6), max_size=4),
        scalars,
    )


@st.composite
def cfn_templates(draw: st.DrawFn) -> dict[str, Any]:
    """A CloudFormation template as data: mostly well-shaped, with random holes."""
    logical = draw(st.lists(names(), min_size=0, max_size=6, unique=True))
    resources: dict[str, Any] = {}
    for name in logical:
        rtype = draw(st.one_of(st.sampled_from(RESOURCE_TYPES), scalars))
        body: dict[str, Any] = {"Type": rtype}
        if isinstance(rtype, str):
            body["Properties"] = draw(properties(rtype))
        if draw(st.booleans()):
            body[
                draw(st.sampled_from(("DependsOn", "Condition", "Metadata", "DeletionPolicy")))
            ] = draw(values(3))
        resources[name] = body
    template: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09"}
    if draw(st.booleans()):
        template["Parameters"] = draw(
            st.dictionaries(
                names(),
                st.one_of(
                    st.fixed_dictionaries(
                        {"Type": st.sampled_from(("String", "CommaDelimitedList"))},
                        optional={"Default": scalars},
                    ),
                    scalars,
                ),
                max_size=3,
            )
        )
    if draw(st.booleans()):
        template["Conditions"] = draw(st.dictionaries(names(), intrinsics(scalars), max_size=2))
    if draw(st.integers(0, 9)) == 0:
        template["Transform"] = draw(st.sampled_from(("AWS::Serverless-2016-10-31", "Bogus")))
    template["Resources"] = resources if draw(st.integers(0, 9)) else draw(values(4))
    if draw(st.booleans()):
        template["Outputs"] = draw(st.dictionaries(names(), values(4), max_size=2))
    return template


class _Tag:
    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


_SHORT = {
    "Ref": "!Ref",
    "Fn::Sub": "!Sub",
    "Fn::GetAtt": "!GetAtt",
    "Fn::Join": "!Join",
    "Fn::If": "!If",
    "Fn::Select": "!Select",
    "Fn::ImportValue": "!ImportValue",
    "Fn::Base64": "!Base64",
    "Condition": "!Condition",
}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tag(dumper: yaml.SafeDumper, data: _Tag) -> Any:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


_Dumper.add_representer(_Tag, _represent_tag)


def _short_forms(value: Any, use: bool) -> Any:
    """Turn some `{"Ref": x}` mappings into `!Ref x` tags."""
    if isinstance(value, dict):
        inner = {k: _short_forms(v, use) for k, v in value.items()}
        if use and len(inner) == 1:
            ((key, arg),) = inner.items()
            if key in _SHORT:
                return _Tag(_SHORT[key], arg)
        return inner
    if isinstance(value, list):
        return [_short_forms(v, use) for v in value]
    return value


def dump_yaml(data: Any, short_forms: bool) -> str:
    return yaml.dump(
        _short_forms(data, short_forms), Dumper=_Dumper, sort_keys=False, allow_unicode=True
    )


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """Near-valid text: a few random edits (truncation, deletion, insertion, duplication)."""
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        pos = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(("cut", "delete", "insert", "dup", "indent")))
        if edit == "cut":
            text = text[:pos]
        elif edit == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 5)) :]
        elif edit == "insert":
            junk = draw(st.text(alphabet=":{}[]-,'\"\t\n!&*#|>%@`\\ x", min_size=1, max_size=4))
            text = text[:pos] + junk + text[pos:]
        elif edit == "dup":
            end = text.find("\n", pos)
            start = text.rfind("\n", 0, pos) + 1
            line = text[start : end if end >= 0 else len(text)]
            text = text[:start] + line + "\n" + text[start:]
        else:
            start = text.rfind("\n", 0, pos) + 1
            text = text[:start] + " " * draw(st.integers(1, 3)) + text[start:]
    return text


@st.composite
def cfn_files(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text) of a CloudFormation template: valid, near-valid or garbage."""
    form = draw(st.sampled_from(("yaml", "json")))
    flavour = draw(st.sampled_from(("valid", "valid", "near", "garbage")))
    if flavour == "garbage":
        data: Any = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": draw(values(25))}
    else:
        data = draw(cfn_templates())
    text = dump_yaml(data, draw(st.booleans())) if form == "yaml" else dump_json(data)
    if flavour == "near":
        head, _, tail = text.partition("\n")  # keep the first line: the file stays a template
        text = head + "\n" + draw(mutated(tail))
    return ("template.yaml" if form == "yaml" else "template.json"), text


def tf_values() -> st.SearchStrategy[Any]:
    interpolation = st.builds(
        lambda t, n, a: "${" + f"{t}.{n}.{a}" + "}",
        st.sampled_from((*TF_TYPES, "var", "local", "data.aws_caller_identity", "module.m")),
        names(),
        st.sampled_from(("arn", "id", "bucket", "domain_name", "x")),
    )
    odd = st.sampled_from(
        (
            "${",
            "${jsonencode({a = 1})}",
            "${local.a}",
            "${var.v}",
            "${aws_s3_bucket.b.arn}/*",
            "%{ if true }x%{ endif }",
            "${self.arn}",
            "${each.value}",
            "${count.index}",
        )
    )
    return st.recursive(
        st.one_of(scalars, interpolation, odd),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=3
            ),
        ),
        max_leaves=15,
    )


@st.composite
def tf_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A Terraform JSON configuration (`*.tf.json`)."""
    resources: dict[str, Any] = {}
    for rtype in draw(st.lists(st.sampled_from(TF_TYPES), max_size=5, unique=True)):
        block: dict[str, Any] = {}
        for name in draw(
            st.lists(st.sampled_from(("a", "b", "site", "x")), min_size=1, max_size=2, unique=True)
        ):
            attrs = draw(st.dictionaries(st.sampled_from(KEYS), tf_values(), max_size=4))
            if rtype.endswith("policy") or rtype == "aws_kms_key":
                attrs["policy"] = draw(st.one_of(policy_documents().map(json.dumps), tf_values()))
            block[name] = attrs if draw(st.integers(0, 9)) else draw(tf_values())
        resources[rtype] = block
    config: dict[str, Any] = {"resource": resources if draw(st.integers(0, 9)) else draw(values(5))}
    if draw(st.booleans()):
        config["locals"] = draw(st.dictionaries(names(), tf_values(), max_size=3))
    if draw(st.booleans()):
        config["variable"] = draw(
            st.dictionaries(
                names(),
                st.one_of(
                    st.fixed_dictionaries({}, optional={"default": tf_values()}), tf_values()
                ),
                max_size=2,
            )
        )
    if draw(st.booleans()):
        config["data"] = draw(
            st.dictionaries(
                st.sampled_from(
                    ("aws_caller_identity", "aws_iam_policy_document", "aws_partition")
                ),
                st.dictionaries(names(), tf_values(), max_size=1),
                max_size=2,
            )
        )
    if draw(st.booleans()):
        config["module"] = draw(st.dictionaries(names(), tf_values(), max_size=2))
    return config


@st.composite
def tf_json_files(draw: st.DrawFn) -> tuple[str, str]:
    flavour = draw(st.sampled_from(("valid", "valid", "near", "garbage")))
    data: Any = draw(tf_configs()) if flavour != "garbage" else {"resource": draw(values(25))}
    text = dump_json(data)
    if flavour == "near":
        text = "{" + draw(mutated(text[1:]))
    return "main.tf.json", text


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """A `terraform show -json` plan."""

    def resource(draw_type: str, name: str) -> dict[str, Any]:
        return {
            "address": f"{draw_type}.{name}",
            "mode": draw(st.sampled_from(("managed", "data", 7))),
            "type": draw_type,
            "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "values": draw(
                st.one_of(
                    st.dictionaries(st.sampled_from(KEYS), tf_values(), max_size=4), values(4)
                )
            ),
        }

    items = [
        resource(t, n)
        for t, n in draw(
            st.lists(
                st.tuples(st.sampled_from(TF_TYPES), st.sampled_from(("a", "b", "c"))),
                max_size=5,
                unique=True,
            )
        )
    ]
    root: dict[str, Any] = {"resources": items}
    if draw(st.booleans()):
        root["child_modules"] = [{"address": "module.m", "resources": items[:2]}]
    plan: dict[str, Any] = {
        "format_version": draw(st.one_of(st.sampled_from(("1.2", "0.1")), scalars)),
        "terraform_version": "1.6.0",
        "planned_values": {"root_module": root} if draw(st.integers(0, 9)) else draw(values(5)),
    }
    if draw(st.booleans()):
        plan["resource_changes"] = [
            {
                "address": r["address"],
                "type": r["type"],
                "name": r["name"],
                "change": {
                    "actions": ["create"],
                    "after": r["values"],
                    "after_unknown": draw(values(3)),
                },
            }
            for r in items
        ]
    if draw(st.booleans()):
        plan["configuration"] = draw(values(6))
    return plan


@st.composite
def plan_files(draw: st.DrawFn) -> tuple[str, str]:
    flavour = draw(st.sampled_from(("valid", "valid", "near", "garbage")))
    if flavour == "garbage":
        data: Any = {"format_version": "1.2", "planned_values": draw(values(25))}
    else:
        data = draw(plans())
    text = json.dumps(data)  # one line: the sniffer reads "format_version" near the start
    if flavour == "near":
        text = text[:60] + draw(mutated(text[60:]))
    return "plan.json", text
