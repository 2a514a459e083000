"""Every fixture under tests/rules/<ID>/: bad_* yields <ID>; good_* and near_* yield no error.

A fixture is a template file, a plan file, or a directory holding one Terraform module (or
several inputs and a `.policylint.yaml` for them, e.g. one stack per account).
`tf_<name>` is the Terraform twin of the CloudFormation fixture `<name>` (see test_parity.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.conftest import describe, errors, run

HERE = Path(__file__).parent
FIXTURES = sorted(
    p
    for d in HERE.iterdir()
    if d.is_dir() and d.name[0].isupper()
    for p in d.iterdir()
    if p.name.removeprefix("tf_").startswith(("bad_", "good_", "near_"))
)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path) -> None:
    rule = path.parent.name
    given = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    config = given / ".policylint.yaml"  # a folder fixture may carry its configuration
    findings = run([str(given)], str(config) if config.is_file() else None)
    if path.name.removeprefix("tf_").startswith("bad_"):
        assert any(f.rule == rule for f in findings), f"{rule} did not fire:\n{describe(findings)}"
    else:
        assert not errors(findings), describe(findings)


def test_every_rule_has_bad_good_and_fixture_dirs() -> None:
    from policylint.checks import cloudfront, kms, s3

    mine = set(cloudfront.CHECKS) | set(s3.CHECKS) | set(kms.CHECKS)
    dirs = {d.name for d in HERE.iterdir() if d.is_dir() and d.name[0].isupper()}
    assert mine <= dirs
    for rule in mine:
        names = [p.name for p in (HERE / rule).iterdir()]
        assert any(n.startswith("bad_") for n in names), rule
        assert any(n.startswith("good_") for n in names), rule
