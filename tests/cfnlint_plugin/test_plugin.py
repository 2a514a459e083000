"""The cfn-lint plugin, run by the real cfn-lint in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DIR = ROOT / "policylint" / "cfnlint_plugin"
BROKEN = ROOT / "examples" / "cloudfront-s3-oac" / "broken" / "template.yaml"
FIXED = ROOT / "examples" / "cloudfront-s3-oac" / "fixed" / "template.yaml"
CFN_LINT = "import sys; from cfnlint.runner import main; sys.exit(main())"


def cfn_lint(*args: str) -> subprocess.CompletedProcess[str]:
    """`cfn-lint ARGS` with this interpreter (templates first: --append-rules takes a list)."""
    return subprocess.run(
        [sys.executable, "-c", CFN_LINT, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def ours(stdout: str) -> list[list[str]]:
    """Our matches in cfn-lint's parseable format: file:line:col:eline:ecol:id:message."""
    rows = [line.split(":", 6) for line in stdout.splitlines() if line.strip()]
    return [r for r in rows if len(r) == 7 and r[6].startswith("[")]


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


SAM = ROOT / "tests" / "sam" / "fixtures" / "site_with_function.yaml"
WRITES = Path(__file__).resolve().parent / "fixtures" / "write_denied.yaml"


@pytest.fixture(scope="module")
def directory_run() -> subprocess.CompletedProcess[str]:
    """One cfn-lint run over four templates with the plugin directory, info rules included."""
    return cfn_lint(
        str(BROKEN),
        str(FIXED),
        str(SAM),
        str(WRITES),
        "--format",
        "parseable",
        "--include-checks",
        "I",
        "--append-rules",
        str(PLUGIN_DIR),
    )


def _for(proc: subprocess.CompletedProcess[str], path: Path) -> list[list[str]]:
    return [m for m in ours(proc.stdout) if Path(m[0]).resolve() == path]


def _check_broken(matches: list[list[str]]) -> None:
    (match,) = [m for m in matches if m[5] == "ECF010"]
    assert int(match[1]) == _line_of(BROKEN, "SiteBucketPolicy:")
    assert match[6].startswith("[CF010] bucket policy of SiteBucket grants distribution")


def test_broken_template_reports_cf010_at_the_bucket_policy(
    directory_run: subprocess.CompletedProcess[str],
) -> None:
    _check_broken(_for(directory_run, BROKEN))
    assert directory_run.returncode & 2  # cfn-lint's error bit


def test_the_module_path_works_too() -> None:
    proc = cfn_lint(
        str(BROKEN), "--format", "parseable", "--append-rules", "policylint.cfnlint_plugin"
    )
    _check_broken(_for(proc, BROKEN))


def test_fixed_template_reports_nothing_of_ours(
    directory_run: subprocess.CompletedProcess[str],
) -> None:
    assert _for(directory_run, FIXED) == []
    assert "Traceback" not in directory_run.stderr


def test_same_messages_and_positions_as_policylint(
    directory_run: subprocess.CompletedProcess[str],
) -> None:
    from policylint.cfnlint_plugin.policylint_rules import cfn_lint_id, options
    from policylint.pipeline import check_paths
    from policylint.values import render

    report = check_paths([str(BROKEN)], options())
    got = {(m[5], int(m[1]), int(m[2]), m[6]) for m in _for(directory_run, BROKEN)}
    want = {
        (cfn_lint_id(f.rule, f.severity), f.line, f.column, f"[{f.rule}] {render(f.message)}")
        for f in report.findings
    }
    assert got == want


def test_cfn_lint_ignore_checks_applies_to_our_ids() -> None:
    proc = cfn_lint(
        str(BROKEN),
        "--format",
        "parseable",
        "--ignore-checks",
        "ECF010",
        "--append-rules",
        str(PLUGIN_DIR),
    )
    assert [m for m in ours(proc.stdout) if m[5] == "ECF010"] == []


def test_sam_template_is_expanded_and_reported_at_its_source_line(
    directory_run: subprocess.CompletedProcess[str],
) -> None:
    (match,) = [m for m in _for(directory_run, SAM) if m[5] == "ECF010"]
    assert int(match[1]) == _line_of(SAM, "SiteBucketPolicy:")


def test_a_finding_with_another_severity_uses_the_sibling_id(
    directory_run: subprocess.CompletedProcess[str],
) -> None:
    """CF010 is an error, but a denied write (s3:PutObject) is a warning finding: cfn-lint
    reports it as WCF010 so that its severity and exit code agree with policylint."""
    matches = _for(directory_run, WRITES)
    (write,) = [m for m in matches if m[6].startswith("[CF010]")]
    assert write[5] == "WCF010" and "s3:PutObject" in write[6]
    assert any(m[5].startswith("I") for m in matches)  # info rules with --include-checks I


def test_one_rule_class_per_policylint_rule_and_severity() -> None:
    from policylint.catalog import load_catalog
    from policylint.cfnlint_plugin import policylint_rules
    from policylint.checks import all_checks

    catalog = load_catalog()
    expected = set(catalog) & set(all_checks())
    letters = {"error": "E", "warning": "W", "info": "I"}
    main = {c.policylint_id: c.id for c in policylint_rules.CLASSES if not c.sibling}  # type: ignore[attr-defined]
    assert set(main) == expected
    for rule_id, cfn_id in main.items():
        assert cfn_id == letters[catalog[rule_id].severity.value] + rule_id
    all_ids = {c.id for c in policylint_rules.CLASSES}  # type: ignore[attr-defined]
    assert all_ids == {letter + r for r in expected for letter in "EWI"}
