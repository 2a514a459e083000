"""Workload -> subnet -> VPC -> endpoint: the exact severity each VPC fixture must yield.

test_rule_fixtures only checks that bad fixtures fire and near misses stay below error; these
rows pin the tier (error only when the whole path is resolved, info when the VPC is unknown,
nothing when the workload is certainly elsewhere).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.compute_refs import bucket_of, mentions
from policylint.findings import Severity
from policylint.values import sym
from tests.rules.conftest import describe, run

HERE = Path(__file__).parent
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
CASES = [
    ("S3100/bad_subnet_routed_through_endpoint.yaml", "S3100", E),
    ("S3100/bad_tf_subnet_routed_through_endpoint", "S3100", E),
    ("S3100/bad_ecs_service_subnet_routed.yaml", "S3100", E),
    ("S3100/bad_tf_ecs_service_subnet_routed", "S3100", E),
    ("S3100/near_subnet_main_route_table.yaml", "S3100", W),
    ("S3100/bad_endpoint_policy_other_bucket.yaml", "S3100", INFO),  # subnet not in the run
    ("S3100/bad_tf_endpoint_policy_other_bucket", "S3100", INFO),
    ("S3100/near_subnets_in_two_vpcs.yaml", "S3100", INFO),
    ("S3100/near_tf_subnets_in_two_vpcs", "S3100", INFO),
    ("S3100/near_workload_in_other_vpc.yaml", "S3100", None),
    ("S3100/near_tf_workload_in_other_vpc", "S3100", None),
    ("S3100/near_subnet_on_other_route_table.yaml", "S3100", None),
    ("S3100/near_tf_subnet_on_other_route_table", "S3100", None),
    # EC2 instances (UserData references, profile role) and CodeBuild projects (VpcConfig)
    ("S3100/bad_ec2_user_data_bucket.yaml", "S3100", E),
    ("S3100/bad_tf_ec2_user_data_bucket", "S3100", E),
    ("S3100/good_ec2_user_data_endpoint_allows_bucket.yaml", "S3100", None),
    ("S3100/good_tf_ec2_user_data_endpoint_allows_bucket", "S3100", None),
    ("S3100/near_ec2_user_data_parameter_bucket.yaml", "S3100", None),
    ("S3100/near_tf_ec2_user_data_variable_bucket", "S3100", None),
    ("S3100/near_ec2_instance_in_other_vpc.yaml", "S3100", None),
    ("S3100/near_tf_ec2_instance_in_other_vpc", "S3100", None),
    ("S3100/near_ec2_instance_without_profile.yaml", "S3100", None),
    ("S3100/near_tf_ec2_instance_without_profile", "S3100", None),
    ("S3100/bad_codebuild_env_bucket.yaml", "S3100", E),
    ("S3100/bad_tf_codebuild_source_bucket", "S3100", E),
    ("S3100/good_codebuild_endpoint_allows_bucket.yaml", "S3100", None),
    ("S3100/good_tf_codebuild_endpoint_allows_bucket", "S3100", None),
    ("S3100/near_codebuild_subnets_from_parameter.yaml", "S3100", W),  # VPC named, route not
    ("S3100/near_tf_codebuild_subnets_from_variable", "S3100", W),
    ("S3100/near_codebuild_in_other_vpc.yaml", "S3100", None),
    ("S3100/near_tf_codebuild_in_other_vpc", "S3100", None),
    ("API030/bad_ec2_user_data_calls_public_api.yaml", "API030", W),
    ("API030/bad_tf_ec2_user_data_calls_public_api", "API030", W),
    ("API030/near_ec2_instance_in_other_vpc.yaml", "API030", None),
    ("S3060/bad_vpc_workload_source_ip_deny.yaml", "S3060", W),
    ("S3060/bad_tf_vpc_workload_source_ip_deny", "S3060", W),
    ("S3060/near_vpc_workload_other_vpc.yaml", "S3060", None),
    ("S3060/near_tf_vpc_workload_other_vpc", "S3060", None),
    ("API030/bad_caller_subnet_in_endpoint_vpc.yaml", "API030", W),
    ("API030/bad_tf_caller_subnet_in_endpoint_vpc", "API030", W),
    ("API030/bad_private_dns_endpoint.yaml", "API030", W),  # caller shares the endpoint's subnet
    ("API030/near_caller_subnet_in_other_vpc.yaml", "API030", None),
    ("API030/near_tf_caller_subnet_in_other_vpc", "API030", None),
]


@pytest.mark.parametrize(("fixture", "rule", "severity"), CASES, ids=[c[0] for c in CASES])
def test_vpc_tier(fixture: str, rule: str, severity: Severity | None) -> None:
    path = HERE / fixture
    shown = str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    found = [f for f in run([shown]) if f.rule == rule]
    if severity is None:
        assert not found, describe(found)
    else:
        assert {f.severity for f in found} == {severity}, describe(found)


def test_error_trace_walks_workload_subnet_vpc_endpoint() -> None:
    path = HERE / "S3100/bad_subnet_routed_through_endpoint.yaml"
    (hit,) = [f for f in run([str(path)]) if f.rule == "S3100"]
    steps = [s.text for s in hit.trace]
    assert steps[1] == "Reader runs in PrivateSubnet"
    assert steps[2].startswith("subnet PrivateSubnet is in VPC")
    assert steps[3].startswith("PrivateSubnetRoutes: the subnet's route table")
    assert hit.trace[-1].denies
    assert 'Resource: !Sub "${DataBucket.Arn}/*"' in hit.fix


def test_ec2_trace_starts_at_user_data() -> None:
    path = HERE / "S3100/bad_ec2_user_data_bucket.yaml"
    (hit,) = [f for f in run([str(path)]) if f.rule == "S3100"]
    assert hit.trace[0].text == "App is handed DataBucket (UserData)"
    assert hit.trace[1].text == "App runs in PrivateSubnet"


def test_user_data_value_must_be_a_whole_token() -> None:
    assert mentions("aws s3 cp s3://data/x .", "data")
    assert not mentions("curl http://169.254.169.254/latest/meta-data/", "data")
    assert not mentions("aws s3 cp s3://data-archive/x .", "data")
    assert mentions(f"s3://{sym('res:t#B.Ref')}-logs/x", sym("res:t#B.Ref"))  # symbols are unique


def test_s3_location_bucket() -> None:
    bucket = sym("res:/tmp/dir#aws_s3_bucket.b.BucketName")  # a symbol may hold slashes
    assert bucket_of(f"{bucket}/src/source.zip") == bucket
    assert bucket_of("releases/app.zip") == "releases"
    assert bucket_of("arn:aws:s3:::releases/app.zip") is None
    assert bucket_of("releases") is None
