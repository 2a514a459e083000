"""policylint reads: it never writes to its inputs, never runs what they name, never dials out."""

from __future__ import annotations

import hashlib
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from tests.reliability.conftest import CORPUS, ROOT, run_main, run_process

# A few corpus directories with CloudFormation, SAM, Terraform HCL and plans.
CORPUS_SAMPLE = (
    "amazon-cloudfront-secure-static-site",
    "cloudfront-authorization-at-edge",
    "terraform-aws-cloudfront",
    "trivy/pkg/iac/scanners/terraformplan",
)

# Loaded first by every Python process started with it on PYTHONPATH: any attempt to open a
# network connection or start a program is logged to $POLICYLINT_BLOCK_LOG and refused.
SITECUSTOMIZE = """\
import os, socket, subprocess

_LOG = os.environ["POLICYLINT_BLOCK_LOG"]


def _refuse(what):
    def refused(*args, **kwargs):
        with open(_LOG, "a") as fh:
            fh.write(f"{what} {args[:2]!r}\\n")
        raise OSError(f"blocked by the test: {what}")
    return refused


socket.socket.connect = _refuse("socket.connect")
socket.socket.connect_ex = _refuse("socket.connect_ex")
socket.socket.sendto = _refuse("socket.sendto")
socket.create_connection = _refuse("socket.create_connection")
socket.getaddrinfo = _refuse("socket.getaddrinfo")
subprocess.Popen.__init__ = _refuse("subprocess.Popen")
os.system = _refuse("os.system")
for _name in ("execv", "execve", "execvp", "execvpe", "posix_spawn", "posix_spawnp"):
    if hasattr(os, _name):
        setattr(os, _name, _refuse("os." + _name))
"""

MARKER = "policylint-was-here"

# Inputs that would run something, or fetch something, if anything in them were executed.
BAITS = {
    "bait/template.yaml": f"""\
AWSTemplateFormatVersion: "2010-09-09"
Transform: [AWS::Serverless-2016-10-31, {{"Name": "AWS::Include",
  "Parameters": {{"Location": "https://example.com/include.yaml"}}}}]
Metadata:
  Evil: !!python/object/apply:os.system ["touch {MARKER}-yaml"]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      InlineCode: "import os; os.system('touch {MARKER}-inline')"
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/nested.yaml
  Bucket:
    Type: AWS::S3::Bucket
""",
    "bait/python.yaml": f"""\
Resources: !!python/object/apply:os.system ["touch {MARKER}-python"]
""",
    "bait-tf/main.tf": f"""\
module "remote" {{
  source = "git::https://example.com/module.git"
}}

data "external" "run" {{
  program = ["sh", "-c", "touch {MARKER}-external"]
}}

data "http" "fetch" {{
  url = "https://example.com/policy.json"
}}

resource "aws_s3_bucket" "b" {{
  bucket = "b"

  provisioner "local-exec" {{
    command = "touch {MARKER}-local-exec"
  }}
}}

resource "aws_s3_bucket_policy" "p" {{
  bucket = aws_s3_bucket.b.id
  policy = file("${{path.module}}/../../../../../etc/hostname")
}}
""",
}


def _snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Relative path -> (sha256, mtime ns, mode) of every file and link below `root`."""
    seen: dict[str, tuple[str, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames) + sorted(dirnames):
            path = Path(dirpath) / name
            st = path.lstat()
            digest = "dir"
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            seen[str(path.relative_to(root))] = (digest, st.st_mtime_ns, st.st_mode)
    return seen


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A scratch tree: the examples, the baits, and a corpus sample when ../shared is there."""
    root = tmp_path / "inputs"
    shutil.copytree(ROOT / "examples", root / "examples")
    for rel, text in BAITS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    if CORPUS.is_dir():
        for name in CORPUS_SAMPLE:
            if (CORPUS / name).is_dir():
                shutil.copytree(CORPUS / name, root / "corpus" / name)
    return root


def test_inputs_are_never_written(inputs: Path, tmp_path: Path) -> None:
    before = _snapshot(inputs)
    report = tmp_path / "report.sarif"
    run = run_main(
        ["check", "--jobs", "2", "--format", "text", "--format", f"sarif:{report}", str(inputs)]
    )
    assert run.code in (1, 2), run.both[-2000:]
    assert report.exists()
    assert _snapshot(inputs) == before
    leftovers = [p for p in inputs.rglob("*") if MARKER in p.name]
    assert not leftovers


def test_nothing_runs_and_nothing_dials_out(inputs: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "blocked.log"
    env = {"PYTHONPATH": str(site), "POLICYLINT_BLOCK_LOG": str(log)}
    # The blocker works: a probe connection from the same environment is refused and logged.
    probe = run_process(["--version"], env=env)
    assert probe.code == 0, probe.both
    canary = textwrap.dedent(
        """
        import socket
        try:
            socket.create_connection(("192.0.2.1", 9), timeout=1)
        except OSError as exc:
            print("refused", exc)
        """
    )
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", canary],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PYTHONPATH": str(site)},
        check=False,
    )
    assert "blocked by the test" in proc.stdout, proc.stdout + proc.stderr
    log.unlink()

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    before = _snapshot(inputs)
    for jobs in ("1", "2"):
        run = run_process(
            ["check", "--jobs", jobs, "--format", "json", str(inputs)], cwd=cwd, env=env
        )
        assert run.code in (0, 1, 2), run.both[-2000:]
        assert "Traceback" not in run.both and "internal error" not in run.both, run.both[-3000:]
        assert '"findings"' in run.out
    assert not log.exists(), log.read_text()
    assert not list(cwd.iterdir())
    assert not [p for p in tmp_path.rglob("*") if MARKER in p.name]
    assert not [p for p in Path("/tmp").glob(f"{MARKER}*")]
    assert _snapshot(inputs) == before


def test_python_yaml_tags_are_refused_not_run(tmp_path: Path) -> None:
    path = tmp_path / "python.yaml"
    path.write_text(BAITS["bait/python.yaml"])
    run = run_main(["check", "--format", "json", "--jobs", "1", str(path)])
    assert run.code == 2
    assert not [p for p in Path.cwd().glob(f"{MARKER}*")]
    assert str(path) in run.out
