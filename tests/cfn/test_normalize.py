"""Normalization into the model, and malformed inputs reported with file and line."""

from __future__ import annotations

import json

import pytest

from policylint.policy.document import PolicyDocument
from policylint.values import Unknown, resource_sym, sym
from tests.cfn.helpers import load

SITE = """
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: site-bucket
      AccessControl: Private
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: "true"}
      OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerPreferred}]}
      WebsiteConfiguration: {IndexDocument: index.html, ErrorDocument: error.html}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: !Ref Key}
            BucketKeyEnabled: true
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]}'
  Oac:
    Type: AWS::CloudFront::OriginAccessControl
    Properties:
      OriginAccessControlConfig:
        Name: oac
        OriginAccessControlOriginType: s3
        SigningBehavior: always
        SigningProtocol: sigv4
  Oai:
    Type: AWS::CloudFront::CloudFrontOriginAccessIdentity
    Properties: {CloudFrontOriginAccessIdentityConfig: {Comment: x}}
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultRootObject: index.html
        WebACLId: !GetAtt Acl.Arn
        Aliases: [www.example.com]
        IPV6Enabled: false
        Origins:
          - Id: s3
            DomainName: !GetAtt Bucket.RegionalDomainName
            OriginAccessControlId: !GetAtt Oac.Id
            S3OriginConfig: {OriginAccessIdentity: !Sub "origin-access-identity/cloudfront/${Oai}"}
            OriginCustomHeaders: [{HeaderName: X-Secret, HeaderValue: v}]
        DefaultCacheBehavior:
          TargetOriginId: s3
          ViewerProtocolPolicy: redirect-to-https
          TrustedKeyGroups: [kg]
          FunctionAssociations: [{EventType: viewer-request, FunctionARN: arn}]
        CacheBehaviors:
          - PathPattern: /api/*
            TargetOriginId: s3
            ViewerProtocolPolicy: https-only
            AllowedMethods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
            ForwardedValues: {QueryString: false, Headers: [Host]}
        CustomErrorResponses: [{ErrorCode: 403, ResponseCode: 200, ResponsePagePath: /index.html}]
        Restrictions: {GeoRestriction: {RestrictionType: whitelist, Locations: [DE]}}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Name: acl
      Scope: CLOUDFRONT
      DefaultAction: {Block: {}}
      VisibilityConfig: {MetricName: m}
      Rules:
        - Name: allow-ips
          Priority: 0
          Action: {Allow: {}}
          Statement: {IPSetReferenceStatement: {Arn: !GetAtt Ips.Arn}}
          VisibilityConfig: {MetricName: r}
  Ips:
    Type: AWS::WAFv2::IPSet
    Properties: {Scope: CLOUDFRONT, IPAddressVersion: IPV4, Addresses: [10.0.0.0/8], Name: ips}
  Role:
    Type: AWS::IAM::Role
    Properties:
      Path: /app/
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Bucket.Arn}/*"}]
      ManagedPolicyArns: [!Ref Managed]
      PermissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Deny, Action: "*", Resource: "*"}]}
      Roles: [!Ref Role]
  Scp:
    Type: AWS::Organizations::Policy
    Properties:
      Name: scp
      Type: SERVICE_CONTROL_POLICY
      Content: {Version: 2012-10-17, Statement: [{Effect: Deny, Action: "s3:*", Resource: "*"}]}
      TargetIds: [ou-1]
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {CanonicalUser: !GetAtt Oai.S3CanonicalUserId}
            Action: s3:GetObject
            Resource: !Sub arn:${AWS::Partition}:s3:::${Bucket}/*
"""

P, A, R = sym("AWS::Partition"), sym("AWS::AccountId"), sym("AWS::Region")


def test_site_loads_without_problems() -> None:
    result = load(SITE)
    assert result.problems == ()
    m = result.model
    (bucket,) = m.buckets
    assert bucket.id == "t.yaml#Bucket" and bucket.name == "Bucket"
    assert bucket.bucket_name == "site-bucket" and bucket.arn == f"arn:{P}:s3:::site-bucket"
    assert bucket.ref.line == 3
    assert bucket.acl == "Private" and bucket.ownership == "BucketOwnerPreferred"
    pab = bucket.public_access_block
    assert pab is not None and not isinstance(pab, Unknown)
    assert (pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls) == (
        True,
        True,
        False,
    )
    assert bucket.website is not None and not isinstance(bucket.website, Unknown)
    assert bucket.website.index_document == "index.html"
    enc = bucket.encryption
    assert enc is not None and not isinstance(enc, Unknown)
    assert enc.algorithm == "aws:kms" and enc.kms_key == resource_sym("t.yaml#Key", "KeyId")

    (key,) = m.keys
    assert key.arn == f"arn:{P}:kms:{R}:{A}:key/{resource_sym('t.yaml#Key', 'KeyId')}"
    assert isinstance(key.policy, PolicyDocument)

    (policy,) = m.bucket_policies
    assert policy.bucket == "site-bucket"
    assert isinstance(policy.document, PolicyDocument)
    (oai,) = m.oais
    principals = policy.document.statements[0].principals
    assert principals is not None and principals.canonical_user == (oai.canonical_user_id,)


def test_distribution() -> None:
    m = load(SITE).model
    (dist,) = m.distributions
    (oac,) = m.oacs
    (oai,) = m.oais
    (acl,) = m.web_acls
    assert dist.arn == f"arn:{P}:cloudfront::{A}:distribution/{dist.distribution_id}"
    assert not isinstance(dist.origins, Unknown)
    (origin,) = dist.origins
    assert origin.domain_name == f"site-bucket.s3.{R}.amazonaws.com"
    assert origin.oac_id == oac.oac_id and origin.s3_origin_config
    assert origin.oai == f"origin-access-identity/cloudfront/{oai.oai_id}"
    assert origin.custom_headers == (("X-Secret", "v"),)
    default = dist.default_behavior
    assert default is not None and default.allowed_methods == ("GET", "HEAD")
    assert default.trusted_key_groups == ("kg",)
    assert default.function_associations == ("viewer-request",)
    assert not isinstance(dist.behaviors, Unknown)
    (api,) = dist.behaviors
    assert api.path_pattern == "/api/*" and api.forwarded_headers == ("Host",)
    assert dist.web_acl_id == acl.arn and acl.scope == "CLOUDFRONT" and acl.region == "us-east-1"
    assert acl.default_action == "BLOCK"
    assert not isinstance(acl.rules, Unknown) and acl.rules[0].action == "ALLOW"
    assert dist.aliases == ("www.example.com",) and dist.ipv6_enabled is False
    assert dist.default_root_object == "index.html"
    assert not isinstance(dist.custom_error_responses, Unknown)
    assert dist.custom_error_responses[0].error_code == 403
    assert dist.geo_restriction is not None and dist.geo_restriction.locations == ("DE",)


def test_iam() -> None:
    m = load(SITE).model
    (role,) = m.roles
    assert role.arn == f"arn:{P}:iam::{A}:role/app/{resource_sym('t.yaml#Role', 'RoleName')}"
    assert isinstance(role.trust_policy, PolicyDocument)
    assert len(role.inline_policies) == 1
    (managed,) = m.managed_policies
    assert role.managed_policy_arns == (managed.arn,)
    assert managed.roles == (role.role_name,)
    (scp,) = m.scps
    assert scp.targets == ("ou-1",) and isinstance(scp.document, PolicyDocument)


def test_json_template_and_policy_string() -> None:
    template = {
        "Resources": {
            "B": {"Type": "AWS::S3::Bucket"},
            "P": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": "B"},
                    "PolicyDocument": json.dumps(
                        {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Principal": "*"}]}
                    ),
                },
            },
        }
    }
    result = load(json.dumps(template, indent=2), file="t.json")
    assert result.problems == ()
    (policy,) = result.model.bucket_policies
    assert policy.bucket == resource_sym("t.json#B", "BucketName")
    assert isinstance(policy.document, PolicyDocument)


BAD_POLICY = """
Resources:
  Other:
    Type: AWS::S3::Bucket
  B:
    Type: AWS::S3::Bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument: {}
"""


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ("'{\"Statement\": [}'", "not valid JSON"),
        ("{Statement: [{Effect: Alow, Action: s3:*, Resource: '*'}]}", "Effect"),
    ],
)
def test_bad_policy_is_one_problem_and_the_rest_loads(document: str, words: str) -> None:
    text = BAD_POLICY.replace("PolicyDocument: {}", f"PolicyDocument: {document}")
    result = load(text)
    (problem,) = result.problems
    assert words in problem.message
    assert problem.ref is not None and problem.ref.file == "t.yaml" and problem.ref.line == 11
    assert len(result.model.buckets) == 2


def test_broken_properties_skip_the_resource() -> None:
    text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: [1]\n  C:\n"
    text += "    Type: AWS::S3::Bucket\n"
    result = load(text)
    (problem,) = result.problems
    assert problem.ref is not None and problem.ref.line == 4
    assert [b.name for b in result.model.buckets] == ["C"]


def test_resource_condition_false_is_not_created() -> None:
    text = """
Parameters: {Env: {Type: String, Default: dev}}
Conditions: {IsProd: !Equals [!Ref Env, prod]}
Resources:
  B: {Type: AWS::S3::Bucket, Condition: IsProd}
  C: {Type: AWS::S3::Bucket}
"""
    assert [b.name for b in load(text).model.buckets] == ["C"]
    assert [b.name for b in load(text, {"Env": "prod"}).model.buckets] == ["B", "C"]
