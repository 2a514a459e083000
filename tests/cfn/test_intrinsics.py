"""Resolution: parameters, pseudo parameters, Ref/GetAtt formats, string functions, Fn::If."""

from __future__ import annotations

import pytest

from policylint.values import Unknown, resource_sym, sym
from tests.cfn.helpers import load

P, A, R = sym("AWS::Partition"), sym("AWS::AccountId"), sym("AWS::Region")


def _bucket_policy_resource(resource: str, extra: str = "", params: str = "") -> str:
    return f"""
Parameters:
  Env: {{Type: String, Default: prod}}
  NoDefault: {{Type: String}}
  Names: {{Type: CommaDelimitedList, Default: "a, b,c"}}
{params}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsUnknown: !Equals [!Ref NoDefault, x]
  InRegion: !Equals [!Ref "AWS::Region", us-east-1]
  NotProd: !Not [!Condition IsProd]
Mappings:
  M:
    prod: {{Suffix: p}}
    dev: {{Suffix: d}}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{{Id: o, DomainName: !GetAtt Bucket.RegionalDomainName}}]
        DefaultCacheBehavior: {{TargetOriginId: o, ViewerProtocolPolicy: allow-all}}
{extra}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: {resource}
"""


def _resource(expr: str, params: dict[str, str] | None = None, extra: str = "") -> object:
    result = load(_bucket_policy_resource(expr, extra), params)
    assert not result.problems, result.problems
    (policy,) = result.model.bucket_policies
    document = policy.document
    assert not isinstance(document, Unknown)
    resources = document.statements[0].resources
    assert resources is not None
    return resources[0] if len(resources) == 1 else resources


BUCKET = resource_sym("t.yaml#Bucket", "BucketName")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("!Ref Env", "prod"),
        ("!Ref NoDefault", sym("Param:NoDefault")),
        ("!Ref AWS::AccountId", A),
        ("!Ref Bucket", BUCKET),
        ("!GetAtt Bucket.Arn", f"arn:{P}:s3:::{BUCKET}"),
        ("!GetAtt [Bucket, DomainName]", f"{BUCKET}.s3.amazonaws.com"),
        ("!GetAtt Bucket.RegionalDomainName", f"{BUCKET}.s3.{R}.amazonaws.com"),
        ("!GetAtt Bucket.WebsiteURL", f"http://{BUCKET}.s3-website-{R}.amazonaws.com"),
        ("!Ref Dist", resource_sym("t.yaml#Dist", "Id")),
        ("!GetAtt Dist.DomainName", resource_sym("t.yaml#Dist", "DomainName")),
        ('!Sub "${Bucket.Arn}/*"', f"arn:{P}:s3:::{BUCKET}/*"),
        ('!Sub ["${X}-${Env}", {X: !Ref AWS::Region}]', f"{R}-prod"),
        ('!Sub "${!Literal}-${AWS::StackName}"', "${Literal}-" + sym("AWS::StackName")),
        ('!Join ["-", [a, !Ref Env, 3]]', "a-prod-3"),
        ("!Select [1, !Ref Names]", "b"),
        ('!Select [2, !Split [":", !GetAtt Bucket.Arn]]', "s3"),
        ("!FindInMap [M, !Ref Env, Suffix]", "p"),
        ("!If [IsProd, yes-prod, no]", "yes-prod"),
        ("!If [NotProd, a, b]", "b"),
        ("!ImportValue SharedBucket", sym("ImportValue:SharedBucket")),
    ],
)
def test_resolution(expr: str, expected: str) -> None:
    assert _resource(expr) == expected


def test_parameter_override() -> None:
    assert _resource("!Ref Env", {"Env": "dev"}) == "dev"
    assert _resource("!FindInMap [M, !Ref Env, Suffix]", {"Env": "dev"}) == "d"
    assert _resource("!Ref NoDefault", {"NoDefault": "given"}) == "given"
    assert _resource("!Ref AWS::Region", {"AWS::Region": "eu-west-1"}) == "eu-west-1"


def test_pseudo_parameters_consistent_with_distribution_arn() -> None:
    expr = '!Sub "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Dist}"'
    result = load(_bucket_policy_resource(expr))
    (dist,) = result.model.distributions
    document = result.model.bucket_policies[0].document
    assert not isinstance(document, Unknown)
    assert document.statements[0].resources == (dist.arn,)


def test_undecidable_if_is_unknown_unless_both_branches_agree() -> None:
    value = _resource("!If [IsUnknown, a, b]")
    assert isinstance(value, str) and "depends on condition IsUnknown" in value
    assert _resource("!If [InRegion, same, same]") == "same"


def test_no_value_removes_the_item() -> None:
    value = _resource('[a, !Ref "AWS::NoValue", !If [IsProd, !Ref "AWS::NoValue", c]]')
    assert value == "a"


def test_split_refuses_when_the_delimiter_may_hide_in_a_symbol() -> None:
    value = _resource('!Select [0, !Split ["-", !Sub "${NoDefault}-x"]]')
    assert isinstance(value, str) and "unknown:" in value


def test_getatt_on_missing_attribute_is_a_problem() -> None:
    text = _bucket_policy_resource("!GetAtt Bucket.Nope")
    result = load(text)
    (problem,) = result.problems
    assert "has no attribute 'Nope'" in problem.message
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "Bucket.Nope" in s)
    assert problem.ref is not None and problem.ref.file == "t.yaml" and problem.ref.line == line


def test_getatt_on_other_types_uses_cfn_lint_schemas() -> None:
    # (SNS/SQS/DynamoDB/Kinesis have documented formats: tests/iam/test_data_formats.py)
    extra = "  Topic:\n    Type: AWS::Events::Rule\n"
    assert _resource("!GetAtt Topic.Arn", extra=extra) == resource_sym("t.yaml#Topic", "Arn")
    result = load(_bucket_policy_resource("!GetAtt Topic.Bogus", extra=extra))
    assert [p.message for p in result.problems] == [
        "AWS::Events::Rule has no attribute 'Bogus' (Fn::GetAtt Topic.Bogus)"
    ]


def test_cycles_become_unknown_without_recursion_error() -> None:
    text = """
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "${B}-a"}
  B:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "${A}-b"}
  Self:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Join ["", [!GetAtt Self.Arn, x]]}
"""
    result = load(text)
    names = {b.name: b.bucket_name for b in result.model.buckets}
    assert "circular reference" in names["A"]
    assert "circular reference" in names["Self"]


def test_undefined_ref_is_a_problem() -> None:
    result = load(_bucket_policy_resource("!Ref Nowhere"))
    assert [p.message for p in result.problems] == [
        "Ref to 'Nowhere', which is not a parameter or resource"
    ]


def test_select_from_a_list_attribute_known_only_symbolically_is_unknown_not_an_error() -> None:
    from policylint.cfn import load_template
    from policylint.parse.yaml_doc import load_yaml

    text = (
        "Resources:\n"
        "  Endpoint:\n    Type: AWS::EC2::VPCEndpoint\n"
        "    Properties: {ServiceName: com.amazonaws.us-east-1.execute-api, VpcId: vpc-1}\n"
        "  Record:\n    Type: AWS::Route53::RecordSet\n    Properties:\n"
        "      Name: api.example.com\n      Type: CNAME\n"
        "      ResourceRecords:\n"
        "        - !Select ['1', !Split [':', !Select ['0', !GetAtt Endpoint.DnsEntries]]]\n"
    )
    result = load_template(load_yaml(text, "t.yaml"), {})
    assert result.problems == ()
