"""`policylint graph`: DOT, Mermaid, JSON and the self-contained HTML picture."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policylint.cli import main

ROOT = Path(__file__).resolve().parents[2]
BROKEN = str(ROOT / "examples/cloudfront-s3-oac/broken/template.yaml")
FIXED = str(ROOT / "examples/cloudfront-s3-oac/fixed/template.yaml")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_title = tag == "title"
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def _html(tmp_path: Path, path: str) -> tuple[int, str]:
    out = tmp_path / "graph.html"
    code = main(["graph", path, "--format", "html", "--output", str(out)])
    return code, out.read_text()


def test_html_marks_the_denying_hop_in_red(tmp_path: Path) -> None:
    code, page = _html(tmp_path, BROKEN)
    assert code == 0
    parsed = _Collect()
    parsed.feed(page)
    assert "svg" in parsed.tags and "script" not in parsed.tags
    assert all(not u.startswith(("http:", "https:", "//")) for u in parsed.urls)
    denied = [t for t in parsed.titles if "CF010" in t]
    assert denied and any("SiteBucketPolicy" in t for t in denied)
    assert 'class="node denied"' in page and "#dc2626" in page


def test_html_of_fixed_template_has_nothing_denied(tmp_path: Path) -> None:
    code, page = _html(tmp_path, FIXED)
    assert code == 0
    assert 'class="node denied"' not in page and "0 denied" in page


def test_json_dot_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", BROKEN, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    kinds = {n["kind"] for n in data["nodes"]}
    assert {"bucket", "distribution", "caller"} <= kinds
    assert all(e["reason"] for e in data["edges"])
    assert main(["graph", BROKEN, "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph")
    assert main(["graph", BROKEN, "--format", "mermaid"]) == 0
    assert capsys.readouterr().out.startswith("flowchart")


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.skipif(_browser() is None, reason="no headless browser installed")
def test_html_renders_in_a_headless_browser(tmp_path: Path) -> None:
    _, page = _html(tmp_path, BROKEN)
    shot = tmp_path / "graph.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = (tmp_path / "graph.html").as_uri()
    browser = _browser()
    assert browser is not None
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    )
    assert "<svg" in dom.stdout and "SiteBucketPolicy" in dom.stdout
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1600,500", url],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 5000
    assert page  # the same page that was rendered
