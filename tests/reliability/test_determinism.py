"""Same input, byte-identical output: whatever the order of files on disk, the order of the
paths on the command line, `--jobs`, or the interpreter's hash seed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.conftest import ROOT, SHARED, run_main, run_process

FORMATS = ("text", "json", "sarif")
BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: {BucketName: [unclosed
"""
CFN_POLICY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !GetAtt Bucket.Arn
"""


def _inputs(tmp: Path) -> dict[str, bytes]:
    """Relative path -> content: the examples, planted defects, an input error."""
    files: dict[str, bytes] = {}
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".json", ".tf"):
            files[str(path.relative_to(ROOT / "examples"))] = path.read_bytes()
    generator = SHARED / "tools" / "gen_large_template.py"
    if generator.exists():
        out = tmp / "gen"
        out.mkdir()
        subprocess.run(
            [
                sys.executable,
                str(generator),
                "-n",
                "70",
                "--defect-every",
                "1",
                "--cfn",
                str(out / "defects.yaml"),
                "--tf",
                str(out / "main.tf.json"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        files["gen/defects.yaml"] = (out / "defects.yaml").read_bytes()
        files["gen-tf/main.tf.json"] = (out / "main.tf.json").read_bytes()
    files["zz/broken.yaml"] = BROKEN.encode()
    files["aa/policy.yaml"] = CFN_POLICY.encode()
    files["mm/policy-copy.yaml"] = CFN_POLICY.encode()
    return files


def _lay_out(root: Path, files: dict[str, bytes], order: list[str]) -> None:
    """Create the files in `order` (directory entries then differ in creation order)."""
    for rel in order:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])


def _outputs(run_dir: Path, out_dir: Path, args: list[str], env: dict[str, str]) -> list[bytes]:
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = [f"--format={fmt}:{out_dir / fmt}" for fmt in FORMATS]
    run = run_process(["check", "--no-color", *specs, *args], cwd=run_dir, env=env)
    assert run.code in (1, 2), run.both[-2000:]
    assert "Traceback" not in run.both and "internal error" not in run.both, run.both[-2000:]
    return [(out_dir / fmt).read_bytes() for fmt in FORMATS]


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    tmp = tmp_path_factory.mktemp("determinism")
    files = _inputs(tmp)
    names = sorted(files)
    forward, backward = tmp / "one" / "in", tmp / "two" / "in"
    _lay_out(forward, files, names)
    _lay_out(backward, files, list(reversed(names)))
    return forward, backward, names


def test_enough_units_for_parallel_loading(trees: tuple[Path, Path, list[str]]) -> None:
    _, _, names = trees
    units = {n.split("/")[0] + "/" + n.split("/")[1] for n in names if "/" in n}
    assert len(units) >= 4  # the pipeline only uses processes from four units on


@pytest.mark.parametrize(
    ("jobs", "seed"), [("1", "1"), ("2", "2"), ("2", "3")], ids=["j1", "j2", "j2-seed"]
)
def test_output_is_byte_identical(
    trees: tuple[Path, Path, list[str]], tmp_path: Path, jobs: str, seed: str
) -> None:
    forward, backward, _ = trees
    env = {"PYTHONHASHSEED": "0"}
    reference = _outputs(forward.parent, tmp_path / "ref", ["--jobs", "1", "in"], env)
    other = _outputs(
        backward.parent, tmp_path / "other", ["--jobs", jobs, "in"], {"PYTHONHASHSEED": seed}
    )
    for fmt, a, b in zip(FORMATS, reference, other, strict=True):
        assert a == b, f"{fmt} output differs (jobs={jobs}, hash seed {seed})"
    assert reference[0].strip(), "empty text report"


def test_command_line_order_does_not_matter(
    trees: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    forward, _, names = trees
    tops = sorted({n.split("/")[0] for n in names})
    a = _outputs(forward, tmp_path / "a", ["--jobs", "2", *tops], {})
    b = _outputs(forward, tmp_path / "b", ["--jobs", "2", *reversed(tops)], {})
    assert a == b


def test_repeated_in_process_runs_are_identical(
    trees: tuple[Path, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    forward, _, _ = trees
    monkeypatch.chdir(forward)
    first = [run_main(["check", "--jobs", "1", "--format", f, "."]).out for f in FORMATS]
    second = [run_main(["check", "--jobs", "1", "--format", f, "."]).out for f in FORMATS]
    assert first == second


def test_copied_tree_gives_the_same_report(
    trees: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    """A tree copied file by file in another order (new inodes, new directory order)."""
    forward, _, names = trees
    copy = tmp_path / "copy" / "in"
    for rel in sorted(names, key=lambda n: n[::-1]):
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(forward / rel, copy / rel)
    a = _outputs(forward.parent, tmp_path / "a", ["--jobs", "2", "in"], {})
    b = _outputs(copy.parent, tmp_path / "b", ["--jobs", "2", "in"], {})
    assert a == b
