"""The evaluator agrees with the simple reference implementation on random requests."""

from __future__ import annotations

import random
from typing import Any

from policylint.policy.decision import PolicySet, Request
from policylint.policy.evaluate import evaluate
from policylint.policy.parse import parse_policy
from tests.policy.reference import reference_evaluate

A, B = "111122223333", "444455556666"
PRINCIPALS = [
    f"arn:aws:iam::{A}:user/alice",
    f"arn:aws:iam::{A}:role/app",
    f"arn:aws:sts::{A}:assumed-role/app/s1",
    f"arn:aws:iam::{B}:role/ext",
    "cloudfront.amazonaws.com",
    "*",
]
ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "kms:Decrypt"]
RESOURCES = ["arn:aws:s3:::b1/k", "arn:aws:s3:::b1/a/b", "arn:aws:s3:::b2/k", "arn:aws:s3:::b1"]
ACTION_PATTERNS = ["*", "s3:*", "s3:Get*", "s3:GetObject", "s3:?utObject", "kms:*", "S3:LIST*"]
RESOURCE_PATTERNS = [
    "*",
    "arn:aws:s3:::b1/*",
    "arn:aws:s3:::b1*",
    "arn:aws:s3:::b?/k",
    "arn:aws:s3:::b2/*",
]
PRINCIPAL_ELEMENTS: list[Any] = [
    "*",
    {"AWS": "*"},
    {"AWS": A},
    {"AWS": B},
    {"AWS": f"arn:aws:iam::{A}:root"},
    {"AWS": PRINCIPALS[0]},
    {"AWS": PRINCIPALS[1]},
    {"AWS": PRINCIPALS[2]},
    {"AWS": PRINCIPALS[3]},
    {"Service": "cloudfront.amazonaws.com"},
]
CONDITIONS: list[dict[str, Any]] = [
    {"StringEquals": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}},
    {"StringNotEquals": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}},
    {"StringLike": {"s3:prefix": ["home/*", "pub?"]}},
    {"StringNotLike": {"s3:prefix": "home/*"}},
    {"StringEqualsIfExists": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}},
    {"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::*:distribution/*"}},
    {"ArnNotLike": {"aws:SourceArn": "arn:aws:cloudfront::1:*"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"Bool": {"aws:SecureTransport": "false"}},
    {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}},
    {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"NumericLessThan": {"s3:max-keys": "10"}},
    {"Null": {"aws:SourceArn": "true"}},
    {"Null": {"aws:SourceArn": "false"}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}},
    {"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}},
    {"ForAllValues:StringNotLike": {"aws:TagKeys": "x*"}},
    {"ForAnyValue:StringNotEquals": {"aws:TagKeys": "a"}},
]
CONTEXT_CHOICES: dict[str, list[Any]] = {
    "aws:SourceArn": [
        "arn:aws:cloudfront::1:distribution/E1",
        "arn:aws:cloudfront::2:distribution/E9",
    ],
    "s3:prefix": ["home/x", "pub1", "other"],
    "aws:SecureTransport": ["true", "false"],
    "aws:SourceIp": ["10.1.2.3", "192.168.1.1", "2001:db8::5"],
    "s3:max-keys": ["5", "50"],
    "aws:TagKeys": [["a"], ["a", "b"], ["x1"], ["a", "z"], []],
}


def statement(rng: random.Random, resource_policy: bool) -> dict[str, Any]:
    s: dict[str, Any] = {"Effect": rng.choice(["Allow", "Allow", "Deny"])}
    key = "NotAction" if rng.random() < 0.1 else "Action"
    s[key] = rng.sample(ACTION_PATTERNS, rng.randint(1, 2))
    key = "NotResource" if rng.random() < 0.1 else "Resource"
    s[key] = rng.sample(RESOURCE_PATTERNS, rng.randint(1, 2))
    if resource_policy:
        s["Principal"] = rng.choice(PRINCIPAL_ELEMENTS)
    if rng.random() < 0.5:
        cond: dict[str, Any] = {}
        for c in rng.sample(CONDITIONS, rng.randint(1, 2)):
            for op, block in c.items():
                cond.setdefault(op, {}).update(block)
        s["Condition"] = cond
    return s


def policy(rng: random.Random, resource_policy: bool = False) -> dict[str, Any]:
    n = rng.randint(1, 4)
    return {
        "Version": "2012-10-17",
        "Statement": [statement(rng, resource_policy) for _ in range(n)],
    }


def random_request(rng: random.Random) -> dict[str, Any]:
    ctx = {k: rng.choice(v) for k, v in CONTEXT_CHOICES.items() if rng.random() < 0.5}
    req: dict[str, Any] = {
        "principal": rng.choice(PRINCIPALS),
        "action": rng.choice(ACTIONS),
        "resource": rng.choice(RESOURCES),
        "resource_account": A,
        "context": ctx,
        "identity_policies": [policy(rng) for _ in range(rng.randint(0, 2))],
        "resource_policy": policy(rng, True) if rng.random() < 0.7 else None,
    }
    if rng.random() < 0.3:
        req["permission_boundaries"] = [policy(rng)]
    if rng.random() < 0.3:
        req["scps"] = [[policy(rng)] for _ in range(rng.randint(1, 2))]
    return req


def ours(req: dict[str, Any]) -> str:
    ctx = {k: tuple(v) if isinstance(v, list) else v for k, v in req["context"].items()}
    ps = PolicySet(
        identity=tuple(parse_policy(p) for p in req["identity_policies"]),
        resource=parse_policy(req["resource_policy"]) if req["resource_policy"] else None,
        boundaries=tuple(map(parse_policy, req["permission_boundaries"]))
        if "permission_boundaries" in req
        else None,
        scps=tuple(tuple(map(parse_policy, lvl)) for lvl in req["scps"]) if "scps" in req else None,
    )
    r = Request(
        principal=req["principal"],
        action=req["action"],
        resource=req["resource"],
        resource_account=req["resource_account"],
        context=ctx,
    )
    return evaluate(r, ps).outcome.value


def test_agreement_with_reference() -> None:
    rng = random.Random(20240601)
    total, disagreements = 4000, []
    outcomes: dict[str, int] = {}
    for _ in range(total):
        req = random_request(rng)
        ref = reference_evaluate(
            {
                **req,
                "context": {
                    k: v if isinstance(v, list) else [v] for k, v in req["context"].items()
                },
            }
        )
        got = ours(req)
        outcomes[got] = outcomes.get(got, 0) + 1
        if got != ref:
            disagreements.append((req, got, ref))
    rate = 1 - len(disagreements) / total
    assert rate >= 0.995, (rate, disagreements[:3])
    assert all(outcomes.get(o, 0) > 100 for o in ("allow", "explicit_deny", "implicit_deny")), (
        outcomes
    )
