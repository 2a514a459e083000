"""Every file of ../shared/corpus goes through the whole pipeline without an internal error."""

from __future__ import annotations

import time

import pytest

from tests.reliability.conftest import CORPUS, assert_clean_run, run_process


@pytest.fixture(scope="module")
def corpus_report() -> tuple[dict[str, object], float]:
    """One run over the whole corpus (its wall time is printed by bench/run.py, not asserted)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    start = time.perf_counter()
    run = run_process(["check", "--format", "json", "--jobs", "2", str(CORPUS)], timeout=300)
    elapsed = time.perf_counter() - start
    # Input problems on deliberately odd scanner fixtures are fine (exit 2); crashes are not.
    data = assert_clean_run(run)
    return data, elapsed


def test_corpus_runs_without_internal_errors(
    corpus_report: tuple[dict[str, object], float],
) -> None:
    data, _ = corpus_report
    errors = data["errors"]
    assert isinstance(errors, list)
    for error in errors:
        assert "internal error" not in error["message"], error
        assert "Traceback" not in error["message"], error
        assert str(error["file"]).startswith(str(CORPUS)), error


def test_corpus_is_actually_read(corpus_report: tuple[dict[str, object], float]) -> None:
    data, _ = corpus_report
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert summary["files"] >= 1000, summary  # 1,401 IaC files, less what is not ours
    errors = data["errors"]
    assert isinstance(errors, list)
    assert len(errors) < summary["files"] // 4, "most corpus files should load cleanly"
