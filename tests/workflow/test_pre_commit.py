"""The real `pre-commit` tool against a temporary git repository: a broken template fails the
commit, the fixed one passes.

Two set-ups:

* `repo: local` hooks built from our `.pre-commit-hooks.yaml` (same ids, `files`,
  `pass_filenames`, `always_run`, `require_serial`) with `language: system` and an entry that
  runs `python -m policylint check` with this interpreter. This exercises the working tree as
  it is, needs no network and takes seconds, so it is the main test.
* `repo: <this checkout>` at `rev: HEAD`: pre-commit clones the commit and pip-installs the
  package into its own environment, exactly as users get it. That needs the package index
  for our dependencies and tests the *committed* code, so it only runs when the working tree's
  package is committed (a clean CI clone); it is skipped, saying why, when pre-commit cannot
  build the environment (no package index reachable).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.workflow.conftest import BROKEN, FIXED, ROOT

NETWORK_FAILURES = (
    "No matching distribution found",
    "Could not find a version",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Read timed out",
)
HOOK_KEYS = ("id", "name", "files", "pass_filenames", "always_run", "require_serial")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        NO_COLOR="1",
    )
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run(["git", "-c", "commit.gpgsign=false", *args], cwd, env)


def _manifest() -> list[dict[str, Any]]:
    """Our hooks, as pre-commit itself validates them."""
    from pre_commit.clientlib import load_manifest

    hooks: list[dict[str, Any]] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    return hooks


def _local_hooks() -> list[dict[str, Any]]:
    entry = f"{shlex.quote(sys.executable)} -m policylint check"
    hooks = []
    for hook in _manifest():
        local = {k: hook[k] for k in HOOK_KEYS}
        local.update(language="system", entry=entry)
        hooks.append(local)
    return hooks


def _new_repo(tmp_path: Path, config: dict[str, Any]) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(tmp_path)
    assert _git(repo, env, "init", "-q", "-b", "main").returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    (repo / "README.md").write_text("a site\n")
    installed = _run([sys.executable, "-m", "pre_commit", "install"], repo, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo, env


def _commit(repo: Path, env: dict[str, str], template: Path) -> subprocess.CompletedProcess[str]:
    target = repo / "site" / "template.yaml"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(template, target)
    assert _git(repo, env, "add", "-A").returncode == 0
    return _git(repo, env, "commit", "-q", "-m", f"site: {template.parent.name}")


def test_manifest_is_what_the_issue_asks_for() -> None:
    hooks = {h["id"]: h for h in _manifest()}
    assert set(hooks) == {"policylint", "policylint-all"}
    one, everything = hooks["policylint"], hooks["policylint-all"]
    assert one["entry"] == everything["entry"] == "policylint check"
    assert one["language"] == everything["language"] == "python"
    assert one["require_serial"] and one["pass_filenames"]
    assert not everything["pass_filenames"] and everything["always_run"]
    import re

    files = re.compile(one["files"])
    for name in ("t.yaml", "t.yml", "t.json", "t.template", "main.tf", "main.tf.json"):
        assert files.search(f"dir/{name}"), name
    assert not files.search("README.md") and not files.search("app.py")


def _assert_broken_fails_then_fixed_passes(repo: Path, env: dict[str, str]) -> None:
    broken = _commit(repo, env, BROKEN)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert "CF010" in output and "Failed" in output, output
    assert _git(repo, env, "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # no commit
    fixed = _commit(repo, env, FIXED)
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, output
    assert _git(repo, env, "rev-parse", "--verify", "-q", "HEAD").returncode == 0


def test_local_hooks_block_a_broken_template_and_pass_the_fix(tmp_path: Path) -> None:
    config = {"repos": [{"repo": "local", "hooks": _local_hooks()}]}
    repo, env = _new_repo(tmp_path, config)
    _assert_broken_fails_then_fixed_passes(repo, env)
    # both hooks ran: the changed-files hook and the whole-tree hook
    again = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], repo, env)
    assert again.returncode == 0 and "policylint (whole repository)" in again.stdout


def _head_matches_working_tree() -> str | None:
    """HEAD's sha when the package, rules and hook manifest have no uncommitted changes."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, env=env
    )
    if head.returncode != 0:
        return None
    paths = ["policylint", "rules", "pyproject.toml", ".pre-commit-hooks.yaml"]
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    return head.stdout.strip() if status.returncode == 0 and not status.stdout.strip() else None


def test_hooks_installed_by_pre_commit_from_this_repository(tmp_path: Path) -> None:
    sha = _head_matches_working_tree()
    if sha is None:
        pytest.skip("the package has uncommitted changes: pre-commit would test another tree")
    config = {
        "repos": [
            {
                "repo": str(ROOT),
                "rev": sha,
                "hooks": [{"id": "policylint"}, {"id": "policylint-all"}],
            }
        ]
    }
    repo, env = _new_repo(tmp_path, config)
    env.pop("PYTHONPATH")  # the hook must run the package pre-commit installed
    prepared = _run([sys.executable, "-m", "pre_commit", "install-hooks"], repo, env)
    if prepared.returncode != 0:
        log = prepared.stdout + prepared.stderr
        crash_log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        log += crash_log.read_text(errors="replace") if crash_log.exists() else ""
        if any(sign in log for sign in NETWORK_FAILURES):
            pytest.skip(f"pre-commit could not download our dependencies: {log[-300:]}")
        pytest.fail(f"pre-commit could not install this repository's hooks:\n{log[-3000:]}")
    _assert_broken_fails_then_fixed_passes(repo, env)
