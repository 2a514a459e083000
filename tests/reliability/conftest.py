"""Shared helpers for the reliability tests: run the CLI in-process or as a fresh process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings

from policylint.cli import main

# When a property fails, hypothesis's pytest plugin imports libcst to print a patch, and libcst
# imports mypy_extensions.TypedDict, which warns; with warnings as errors that hides the failure
# behind an INTERNALERROR. Import it once here, with that one warning silenced.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "mypy_extensions.TypedDict", DeprecationWarning)
    with contextlib.suppress(ImportError):  # without libcst the plugin skips the patch
        import hypothesis.extra._patching  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
LONG = os.environ.get("POLICYLINT_LONG_TESTS") == "1"

settings.register_profile(
    "reliability",
    max_examples=25,
    deadline=None,
    database=None,
    # No shrinking in CI: a failure reports its (unshrunk) example at once instead of spending
    # minutes on slow whole-pipeline runs; POLICYLINT_LONG_TESTS=1 shrinks.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "reliability-long",
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("reliability-long" if LONG else "reliability")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data


def run_main(argv: Sequence[str]) -> Run:
    """`policylint ARGV` in this process, stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Run(code, out.getvalue(), err.getvalue())


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Run:
    """`python -m policylint ARGV` as a fresh process (the repository first on sys.path)."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (full_env.get("PYTHONPATH", ""), str(ROOT)) if p
    )
    proc = subprocess.run(
        [sys.executable, "-m", "policylint", *argv],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_run(run: Run, *, allowed: Sequence[int] = (0, 1, 2)) -> dict[str, Any]:
    """No escaped exception, a known exit code, a JSON report whose every error has a place."""
    assert run.code in allowed, run.both[-3000:]
    assert "Traceback" not in run.both, run.both[-3000:]
    assert "internal error" not in run.both, run.both[-3000:]
    assert "RecursionError" not in run.both, run.both[-3000:]
    data = run.json()
    for error in data["errors"]:
        assert error["file"], error
        assert error["line"] is not None and error["line"] >= 1, error
        assert error["message"], error
    if run.code == 2:
        assert data["errors"], "exit 2 without any reported error"
    else:
        assert not data["errors"], data["errors"]
    return data
