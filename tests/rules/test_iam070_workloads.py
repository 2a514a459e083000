"""IAM070 is a warning, so the shared fixture runner only proves that good/near fixtures hold no
error. Here: every bad fixture fires IAM070 for its workload kind, and no good / near fixture
yields IAM070 at any severity."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.conftest import describe, run

HERE = Path(__file__).parent / "IAM070"
FIXTURES = sorted(p for p in HERE.iterdir() if p.name.startswith(("bad_", "good_", "near_")))
# fixture name fragment -> the workload kind the finding must name (first match wins)
KINDS = {
    "state_machine": "step-functions",
    "ecs_task": "ecs-task",
    "ec2": "ec2",
    "codebuild": "codebuild",
    "lambda": "lambda",
    "table_without": "lambda",  # the first fixtures: a Lambda handed a table
}


def _rel(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def test_every_kind_has_bad_good_and_near_in_both_languages() -> None:
    names = [p.name for p in FIXTURES]
    for fragment in ("lambda_bucket", "ecs_task", "ec2", "state_machine", "codebuild"):
        for prefix in ("bad_", "good_", "near_", "bad_tf_", "good_tf_", "near_tf_"):
            assert any(n.startswith(prefix) and fragment in n for n in names), (prefix, fragment)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_iam070_fires_only_on_bad(path: Path) -> None:
    found = [f for f in run([_rel(path)]) if f.rule == "IAM070"]
    if not path.name.startswith("bad_"):
        assert not found, describe(found)
        return
    kind = next(k for fragment, k in KINDS.items() if fragment in path.name)
    assert found, f"IAM070 did not fire on {path.name}"
    assert all(f.message.startswith(f"{kind} ") for f in found), describe(found)
    assert all(len(f.trace) == 2 and f.trace[1].denies for f in found), describe(found)
