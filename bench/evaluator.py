"""Decisions per second of `policylint.policy.evaluate` on a realistic mix (one core).

Policies have 5-20 statements with wildcards and conditions; parsing happens once, outside
the timed loop (as in the linter). Target: >= 20,000 decisions/s.
Run: python bench/evaluator.py [seconds]
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from policylint.policy.decision import PolicySet, Request
from policylint.policy.evaluate import evaluate
from policylint.policy.parse import parse_policy

A, B = "111122223333", "444455556666"
SERVICES = ["s3", "kms", "sqs", "dynamodb", "lambda", "sns", "logs", "ec2"]
VERBS = ["Get", "Put", "List", "Delete", "Describe", "Create", "Update", "Invoke"]
CONDS: list[dict[str, Any]] = [
    {"StringEquals": {"aws:SourceAccount": A}},
    {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "public/*"]}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}},
    {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudfront::{A}:distribution/*"}},
    {"StringEqualsIfExists": {"aws:PrincipalTag/team": ["red", "blue"]}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "owner"]}},
    {"NumericLessThan": {"s3:max-keys": "100"}},
]


def _statement(rng: random.Random, resource_policy: bool) -> dict[str, Any]:
    svc = rng.choice(SERVICES)
    actions = [f"{svc}:{rng.choice(VERBS)}{rng.choice(['*', 'Object', 'Item', 'Key'])}"]
    if rng.random() < 0.2:
        actions.append(f"{svc}:*")
    res = f"arn:aws:{svc}:us-east-1:{A}:thing/{rng.choice(['app', 'data', 'logs'])}/*"
    if svc == "s3":
        res = f"arn:aws:s3:::bucket-{rng.randint(1, 5)}/*"
    s: dict[str, Any] = {
        "Sid": f"S{rng.randint(0, 10**6)}",
        "Effect": "Deny" if rng.random() < 0.15 else "Allow",
        "Action": actions,
        "Resource": [res, f"arn:aws:{svc}:*:{A}:*"] if rng.random() < 0.3 else res,
    }
    if resource_policy:
        s["Principal"] = rng.choice(
            ["*", {"AWS": f"arn:aws:iam::{A}:root"}, {"AWS": f"arn:aws:iam::{B}:role/ext"}]
        )
    if rng.random() < 0.6:
        s["Condition"] = rng.choice(CONDS)
    return s


def _policy(rng: random.Random, resource_policy: bool = False) -> Any:
    n = rng.randint(5, 20)
    doc = {
        "Version": "2012-10-17",
        "Statement": [_statement(rng, resource_policy) for _ in range(n)],
    }
    return parse_policy(doc)


def workload(seed: int = 1) -> list[tuple[Request, PolicySet]]:
    rng = random.Random(seed)
    sets = [
        PolicySet(
            identity=(_policy(rng), _policy(rng)),
            resource=_policy(rng, True) if rng.random() < 0.6 else None,
            boundaries=(_policy(rng),) if rng.random() < 0.2 else None,
            scps=((_policy(rng),),) if rng.random() < 0.3 else None,
        )
        for _ in range(50)
    ]
    principals = [
        f"arn:aws:iam::{A}:user/alice",
        f"arn:aws:sts::{A}:assumed-role/app/s",
        f"arn:aws:iam::{B}:role/ext",
    ]
    out = []
    for _ in range(2000):
        svc = rng.choice(SERVICES)
        resource = f"arn:aws:{svc}:us-east-1:{A}:thing/{rng.choice(['app', 'data', 'x'])}/1"
        if svc == "s3":
            resource = f"arn:aws:s3:::bucket-{rng.randint(1, 6)}/home/alice/f"
        ctx: dict[str, str | tuple[str, ...]] = {
            "aws:SecureTransport": rng.choice(["true", "false"]),
            "aws:SourceIp": rng.choice(["10.1.1.1", "8.8.8.8"]),
            "aws:username": "alice",
        }
        if rng.random() < 0.5:
            ctx["aws:TagKeys"] = ("env", "cost")
        req = Request(
            principal=rng.choice(principals),
            action=f"{svc}:{rng.choice(VERBS)}{rng.choice(['Object', 'Item', 'Key'])}",
            resource=resource,
            resource_account=A,
            context=ctx,
        )
        out.append((req, rng.choice(sets)))
    return out


def main(seconds: float = 3.0) -> float:
    work = workload()
    for req, ps in work:  # warm the compile caches, as a linter run would
        evaluate(req, ps)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for req, ps in work:
            evaluate(req, ps)
        done += len(work)
    rate = done / (time.perf_counter() - start)
    outcomes: dict[str, int] = {}
    for req, ps in work:
        o = evaluate(req, ps).outcome.value
        outcomes[o] = outcomes.get(o, 0) + 1
    print(f"evaluator: {rate:,.0f} decisions/s on one core (target >= 20,000); mix {outcomes}")
    return rate


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
