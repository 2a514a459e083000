"""Hostile inputs: each is refused or handled quickly, with a clear message, never a crash."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import assert_clean_run, run_main, run_process

TEMPLATE_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'
POLICY_DEADLINE = 30  # seconds for the 10,000-statement policy, start-up included


def check(*argv: str) -> tuple[int, dict[str, object], str]:
    run = run_main(["check", "--format", "json", "--jobs", "1", *argv])
    data = assert_clean_run(run)
    return run.code, data, run.both


def messages(data: dict[str, object]) -> str:
    errors = data["errors"]
    assert isinstance(errors, list)
    return "\n".join(f"{e['file']}:{e['line']}: {e['message']}" for e in errors)


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = [TEMPLATE_HEAD, 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]\n")
    lines.append("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *a9\n")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("".join(lines))
    start = time.perf_counter()
    code, data, _ = check(str(bomb))
    elapsed = time.perf_counter() - start
    assert code == 2
    assert elapsed < 2.0, f"alias bomb took {elapsed:.2f} s"
    text = messages(data)
    assert str(bomb) in text and "alias" in text.lower(), text


@pytest.mark.parametrize("depth", [1_000, 50_000])
@pytest.mark.parametrize("form", ["yaml-flow", "yaml-block", "json-list", "json-object"])
def test_deep_nesting_is_refused_without_recursion_error(
    tmp_path: Path, form: str, depth: int
) -> None:
    if form == "yaml-flow":
        body = "[" * depth + "]" * depth
        text = f"{TEMPLATE_HEAD}Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        text += f"      Tags: {body}\n"
        path = tmp_path / "deep.yaml"
    elif form == "yaml-block":
        depth = min(depth, 5_000)  # indentation grows quadratically with block depth
        text = (
            TEMPLATE_HEAD
            + "Resources:\n"
            + "".join(" " * i + f"k{i}:\n" for i in range(2, depth))
            + " " * depth
            + "v: 1\n"
        )
        path = tmp_path / "deep.yaml"
    elif form == "json-list":
        body = "[" * depth + "]" * depth
        text = '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": '
        text += body + "}}}}"
        path = tmp_path / "deep.json"
    else:
        body = '{"a": ' * depth + "1" + "}" * depth
        text = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + body + "}"
        path = tmp_path / "deep.json"
    path.write_text(text)
    code, data, both = check(str(path))
    assert code == 2, both[-2000:]
    assert "RecursionError" not in both and "recursion" not in both.lower()
    assert str(path) in messages(data)


@pytest.mark.parametrize("name", ["main.tf.json", "plan.json"])
def test_deep_nesting_in_terraform_json(tmp_path: Path, name: str) -> None:
    depth = 20_000
    if name == "plan.json":
        text = '{"format_version": "1.2", "planned_values": ' + "[" * depth + "]" * depth + "}"
    else:
        text = '{"resource": {"aws_s3_bucket": {"b": {"tags": ' + "[" * depth + "]" * depth
        text += "}}}}"
    path = tmp_path / name
    path.write_text(text)
    code, data, both = check(str(path))
    assert code == 2, both[-2000:]
    assert str(path) in messages(data)


def test_deep_nesting_in_hcl(tmp_path: Path) -> None:
    depth = 5_000
    path = tmp_path / "main.tf"
    path.write_text("locals {\n  x = " + "[" * depth + "]" * depth + "\n}\n")
    code, data, both = check(str(tmp_path))
    assert code == 2, both[-2000:]
    assert "RecursionError" not in both
    assert str(path) in messages(data) or str(tmp_path) in messages(data)


def _sparse(path: Path, size: int, head: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)  # a hole: no disk blocks, instant


def test_100_mb_file_is_refused_by_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    _sparse(big, 100 * 1024 * 1024, (TEMPLATE_HEAD + "Resources: {}\n").encode())
    try:
        start = time.perf_counter()
        code, data, _ = check(str(tmp_path))
        elapsed = time.perf_counter() - start
        assert code == 2
        text = messages(data)
        assert str(big) in text
        assert "limit" in text and "--max-file-size" in text, text
        assert str(20 * 1024 * 1024) in text or "20 MiB" in text, text
        assert elapsed < 5, f"{elapsed:.1f} s for a refused file"
    finally:
        big.unlink()


def test_max_file_size_is_configurable(tmp_path: Path) -> None:
    small = tmp_path / "t.yaml"
    small.write_text(TEMPLATE_HEAD + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    code, data, _ = check("--max-file-size", "20", str(small))
    assert code == 2
    text = messages(data)
    assert "limit of 20" in text and "--max-file-size" in text, text
    code, data, _ = check("--max-file-size", "100000", str(small))
    assert code in (0, 1) and not data["errors"]


def test_raising_the_limit_reads_a_large_sparse_file_without_crash(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    _sparse(big, 30 * 1024 * 1024, b'{"Resources": {}}')  # valid JSON, then 30 MB of NULs
    try:
        code, data, _ = check("--max-file-size", str(64 * 1024 * 1024), str(big))
        assert code == 2
        assert str(big) in messages(data)
    finally:
        big.unlink()


def test_binary_file_given_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "blob.yaml"
    path.write_bytes(os.urandom(256) + b"\x00\x01\x02Resources:\n" + bytes(range(256)))
    code, data, _ = check(str(path))
    assert code == 2
    assert str(path) in messages(data)


@pytest.mark.parametrize("name", ["latin1.yaml", "latin1.json"])
@pytest.mark.parametrize("scanned", [False, True])
def test_non_utf8_file_names_file_and_line(tmp_path: Path, name: str, scanned: bool) -> None:
    path = tmp_path / name
    if name.endswith(".yaml"):
        text = TEMPLATE_HEAD + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
        text += "    Properties:\n      BucketName: caf\xe9\n"
        bad_line = 6
    else:
        text = '{"Resources": {\n "B": {"Type": "AWS::S3::Bucket",\n "Properties": {\n'
        text += ' "BucketName": "caf\xe9"}}}}\n'
        bad_line = 4
    path.write_bytes(text.encode("latin-1"))
    code, data, _ = check(str(tmp_path) if scanned else str(path))
    assert code == 2
    errors = data["errors"]
    assert isinstance(errors, list) and len(errors) == 1
    assert errors[0]["file"] == str(path)
    assert errors[0]["line"] == bad_line
    assert "UTF-8" in errors[0]["message"]


def test_utf16_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes((TEMPLATE_HEAD + "Resources: {}\n").encode("utf-16"))
    code, data, _ = check(str(path))
    assert code == 2
    assert str(path) in messages(data)


GOOD = TEMPLATE_HEAD + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"


def test_symlink_loops_in_a_scanned_directory(tmp_path: Path) -> None:
    root = tmp_path / "scan"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "t.yaml").write_text(GOOD)
    (root / "a" / "b" / "up").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(".", target_is_directory=True)
    (root / "a" / "loop1").symlink_to("loop2")
    (root / "a" / "loop2").symlink_to("loop1")
    (root / "a" / "x.yaml").symlink_to("y.yaml")  # candidate names looping on each other
    (root / "a" / "y.yaml").symlink_to("x.yaml")
    start = time.perf_counter()
    code, data, _ = check(str(root))
    assert time.perf_counter() - start < 10
    assert code in (0, 1), messages(data)
    assert not data["errors"], messages(data)
    summary = data["summary"]
    assert isinstance(summary, dict) and summary["files"] == 1


CYCLES = """\
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  C1: !Condition C2
  C2: !And [!Condition C1, !Condition C1]
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${B}-a"
  B:
    Type: AWS::S3::Bucket
    Condition: C1
    Properties:
      BucketName: !Ref A
  Self:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub ["${x}", {x: !Sub "${Self}"}]
  P:
    Type: AWS::S3::BucketPolicy
    DependsOn: [P]
    Properties:
      Bucket: !Ref P
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${P.Arn}/*"
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt R.Arn}
            Action: kms:*
            Resource: !GetAtt K.Arn
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Select [0, !Split ["-", !GetAtt K.Arn]]
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt R.Arn}, Action: sts:AssumeRole}
  D:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        WebACLId: !GetAtt D.Id
        Origins:
          - Id: o
            DomainName: !GetAtt A.RegionalDomainName
            OriginAccessControlId: !GetAtt D.Id
            S3OriginConfig: {}
        DefaultCacheBehavior: {TargetOriginId: o, ViewerProtocolPolicy: allow-all}
Outputs:
  O:
    Value: !Join ["", [!Ref A, !GetAtt B.Arn]]
"""

TF_CYCLES = {
    "locals": {"a": "${local.b}", "b": "${local.a}-x", "c": "${local.c}"},
    "resource": {
        "aws_s3_bucket": {
            "x": {"bucket": "${aws_s3_bucket.y.bucket}"},
            "y": {"bucket": "${aws_s3_bucket.x.id}-${local.a}"},
        },
        "aws_s3_bucket_policy": {
            "p": {
                "bucket": "${aws_s3_bucket.x.id}",
                "policy": "${aws_s3_bucket_policy.p.policy}",
            }
        },
    },
}


def test_template_referencing_itself_in_circles(tmp_path: Path) -> None:
    path = tmp_path / "cycles.yaml"
    path.write_text(CYCLES)
    start = time.perf_counter()
    code, data, _ = check(str(path))
    assert time.perf_counter() - start < 10
    assert code in (0, 1, 2)
    for error in data["errors"]:  # type: ignore[attr-defined]
        assert error["file"] == str(path)


def test_terraform_referencing_itself_in_circles(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(json.dumps(TF_CYCLES))
    (tmp_path / "more.tf").write_text(
        'locals {\n  h = "${local.h}"\n  i = local.j\n  j = [local.i]\n}\n'
    )
    start = time.perf_counter()
    code, _, _ = check(str(tmp_path))
    assert time.perf_counter() - start < 10
    assert code in (0, 1, 2)


def test_bucket_policy_with_10000_statements(tmp_path: Path) -> None:
    statements = []
    for i in range(10_000):
        statements.append(
            {
                "Sid": f"S{i}",
                "Effect": "Deny" if i % 97 == 0 else "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{100000000000 + i}:root"}
                if i % 3
                else {"Service": "cloudfront.amazonaws.com"},
                "Action": ["s3:GetObject", f"s3:Get{i}*"] if i % 2 else "s3:ListBucket",
                "Resource": {"Fn::Sub": f"${{Bucket.Arn}}/p{i}/*"},
                "Condition": {"StringEquals": {"AWS:SourceArn": f"arn:aws:cloudfront::1:d/{i}"}},
            }
        )
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket"},
            "Oac": {
                "Type": "AWS::CloudFront::OriginAccessControl",
                "Properties": {
                    "OriginAccessControlConfig": {
                        "Name": "o",
                        "OriginAccessControlOriginType": "s3",
                        "SigningBehavior": "always",
                        "SigningProtocol": "sigv4",
                    }
                },
            },
            "Dist": {
                "Type": "AWS::CloudFront::Distribution",
                "Properties": {
                    "DistributionConfig": {
                        "Enabled": True,
                        "Origins": [
                            {
                                "Id": "o",
                                "DomainName": {"Fn::GetAtt": ["Bucket", "RegionalDomainName"]},
                                "OriginAccessControlId": {"Fn::GetAtt": ["Oac", "Id"]},
                                "S3OriginConfig": {"OriginAccessIdentity": ""},
                            }
                        ],
                        "DefaultCacheBehavior": {
                            "TargetOriginId": "o",
                            "ViewerProtocolPolicy": "redirect-to-https",
                        },
                    }
                },
            },
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": "Bucket"},
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                },
            },
        },
    }
    path = tmp_path / "huge-policy.json"
    path.write_text(json.dumps(template, indent=1))
    # A fresh process with a deadline: a quadratic check must fail this test, not hang CI.
    start = time.perf_counter()
    try:
        run = run_process(
            ["check", "--format", "json", "--jobs", "1", str(path)], timeout=POLICY_DEADLINE
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"a 10,000-statement bucket policy took over {POLICY_DEADLINE} s")
    elapsed = time.perf_counter() - start
    data = assert_clean_run(run, allowed=(0, 1))
    assert data["summary"]["files"] == 1
    assert elapsed < POLICY_DEADLINE
