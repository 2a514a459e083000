#!/usr/bin/env python3
"""Benchmark: policylint vs cfn-lint vs checkov, whole-process wall time and peak memory.

Prints its figures (median of several fresh-process runs) beside the targets of issue 7.
It is a script, not a test: `python bench/run.py [--runs 3] [--sizes 10,100,1000,5000]`.
`--profile` runs cProfile on the 5,000-resource case instead and prints the top functions.
cfn-lint and checkov live in the benchmark's own virtualenv `bench/.venv` (created here).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
GENERATOR = SHARED / "tools" / "gen_large_template.py"
CORPUS = SHARED / "corpus"
VENV = BENCH / ".venv"
# policylint as users get it: a wheel installed (not editable) into a venv of its own.
PL_VENV = BENCH / ".venv-policylint"
OUT = BENCH / "out"
GNU_TIME = "/usr/bin/time"
PEERS = ("cfn-lint", "checkov")
HEAVY_MODULES = ("cfnlint", "samtranslator", "hcl2", "lark", "networkx", "jsonschema", "yaml")
# Environment for checkov: never reach out to the platform, no version check, no colours.
CHECKOV_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_SKIP_DOWNLOAD": "TRUE",
    "CKV_IGNORE_HIDDEN_DIRECTORIES": "TRUE",
    "ANSI_COLORS_DISABLED": "1",
    "LOG_LEVEL": "ERROR",
}


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    wall: float  # seconds
    rss_mb: float  # peak resident set size of the largest process, MiB
    rc: int


@dataclass
class Measure:
    label: str
    tool: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.samples)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss(self) -> float:
        return statistics.median(s.rss_mb for s in self.samples)

    @property
    def rcs(self) -> str:
        return ",".join(sorted({str(s.rc) for s in self.samples}))


_WRAPPER = """\
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL).returncode
w = time.perf_counter() - t
print(json.dumps([rc, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def run_once(cmd: Sequence[str], env: dict[str, str], timeout: float, cwd: Path) -> Sample:
    """One fresh process: wall time measured here, peak RSS from GNU time (or getrusage)."""
    if os.access(GNU_TIME, os.X_OK):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            start = time.perf_counter()
            proc = subprocess.run(
                [GNU_TIME, "-v", "-o", tf.name, *cmd],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
                timeout=timeout,
                check=False,
            )
            wall = time.perf_counter() - start
            text = Path(tf.name).read_text()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        rss_kb = int(m.group(1)) if m else 0
        return Sample(wall, rss_kb / 1024, proc.returncode)
    # Fallback: a fresh Python whose only child is the command; ru_maxrss is in KiB on Linux.
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=True,
    ).stdout
    rc, wall, rss_kb = json.loads(out)
    return Sample(float(wall), int(rss_kb) / 1024, int(rc))


@dataclass
class Job:
    label: str
    tool: str
    cmd: Sequence[str]
    env: dict[str, str] | None = None
    ok_codes: Sequence[int] | None = None


def measure_round_robin(
    jobs: Sequence[Job], *, runs: int, warmup: int, timeout: float = 900.0
) -> list[Measure]:
    """Median over `runs` fresh processes of each job after `warmup` untimed ones; the jobs take
    turns (a, b, c, a, b, c, ...), so a change in the machine's speed during the measurement
    (seen here: the same cfn-lint run took 1.07 s and 1.68 s an hour apart) hits every tool."""
    results = [Measure(j.label, j.tool) for j in jobs]
    envs = []
    for j in jobs:
        env = {**os.environ, **(j.env or {})}
        # As installed for users: byte-code caches allowed (this workplace sets the variable,
        # which made every run recompile ~100 modules, 0.14 s of a small run).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        envs.append(env)
    for i in range(warmup + runs):
        for j, env, result in zip(jobs, envs, results, strict=True):
            if result.note:
                continue
            try:
                sample = run_once(j.cmd, env, timeout, ROOT)
            except subprocess.TimeoutExpired:
                result.samples.clear()
                result.note = f"timeout after {timeout:.0f} s"
                continue
            if i >= warmup:
                result.samples.append(sample)
    for j, result in zip(jobs, results, strict=True):
        codes = j.ok_codes
        if codes is not None and any(smp.rc not in codes for smp in result.samples):
            result.note = f"exit {result.rcs}"
        print(f"  {j.tool:<11} {j.label:<28} {_fmt_measure(result)}", file=sys.stderr, flush=True)
    return results


def measure(
    label: str,
    tool: str,
    cmd: Sequence[str],
    *,
    runs: int,
    warmup: int,
    env: dict[str, str] | None = None,
    timeout: float = 900.0,
    ok_codes: Sequence[int] | None = None,
) -> Measure:
    """Median over `runs` fresh processes after `warmup` untimed ones."""
    job = Job(label, tool, cmd, env, ok_codes)
    return measure_round_robin([job], runs=runs, warmup=warmup, timeout=timeout)[0]


def _fmt_measure(m: Measure) -> str:
    if not m.ok:
        return m.note or "n/a"
    text = f"{m.wall:7.3f} s {m.rss:7.1f} MiB  exit {m.rcs}"
    return text + (f"  ({m.note})" if m.note else "")


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Generated:
    n: int
    cfn: Path
    tf_dir: Path  # a directory holding main.tf.json (Terraform modules are directories)


def generate(sizes: Sequence[int]) -> list[Generated]:
    out: list[Generated] = []
    for n in sizes:
        cfn = OUT / "gen" / f"cfn-{n}" / f"large-{n}.yaml"
        tf_dir = OUT / "gen" / f"tf-{n}"
        cfn.parent.mkdir(parents=True, exist_ok=True)
        tf_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(GENERATOR),
                "-n",
                str(n),
                "--cfn",
                str(cfn),
                "--tf",
                str(tf_dir / "main.tf.json"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        out.append(Generated(n, cfn, tf_dir))
    return out


def corpus_cfn_files() -> list[str]:
    """The corpus files policylint treats as CloudFormation templates, relative to the repo."""
    sys.path.insert(0, str(ROOT))
    from policylint.discover import UnitKind, discover

    found = discover([str(CORPUS)])
    return [u.path for u in found.units if u.kind is UnitKind.CFN_TEMPLATE]


# --------------------------------------------------------------------------- peers


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def ensure_peers(install: bool) -> dict[str, Path]:
    """cfn-lint and checkov from bench/.venv, created and filled on first use."""
    if install and not (VENV / "bin" / "python").exists():
        print(f"creating {VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    found: dict[str, Path] = {}
    for peer in PEERS:
        exe = venv_bin(peer)
        if not exe.exists() and install and (VENV / "bin" / "python").exists():
            print(f"installing {peer} into {VENV} ...", file=sys.stderr)
            proc = subprocess.run(
                [str(venv_bin("python")), "-m", "pip", "install", "-q", peer],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
                print(f"skipping {peer}: pip install failed: {' '.join(tail)}", file=sys.stderr)
        if exe.exists():
            found[peer] = exe
        else:
            print(f"skipping {peer}: not installed in {VENV}", file=sys.stderr)
    return found


def peer_version(exe: Path) -> str:
    try:
        out = subprocess.run(
            [str(exe), "--version"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **CHECKOV_ENV},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "?"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[-1] if lines else "?"


def checkov_cmd(exe: Path, target: Path | str, framework: str, *, directory: bool) -> list[str]:
    where = ["-d", str(target)] if directory else ["-f", str(target)]
    return [
        str(exe),
        *where,
        "--framework",
        framework,
        "--quiet",
        "--compact",
        "--skip-download",
        "-o",
        "cli",
    ]


# --------------------------------------------------------------------------- policylint


_PL_EXE: list[str] = [sys.executable, "-m", "policylint"]


def ensure_policylint(install: bool) -> str:
    """Install this checkout (not editable) into bench/.venv-policylint; say what runs."""
    exe = PL_VENV / "bin" / "policylint"
    if install:
        if not (PL_VENV / "bin" / "python").exists():
            print(f"creating {PL_VENV} ...", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", str(PL_VENV)], check=True)
        pip = [str(PL_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        # Dependencies once; the package itself on every run, so the figures are of this tree.
        steps = [[*pip, str(ROOT)], [*pip, "--force-reinstall", "--no-deps", str(ROOT)]]
        for step in steps if not exe.exists() else steps[1:]:
            proc = subprocess.run(step, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                print(f"pip failed, using {sys.executable}: {proc.stderr[-300:]}", file=sys.stderr)
                return f"{sys.executable} -m policylint (pip install failed)"
    if exe.exists():
        _PL_EXE[:] = [str(exe)]
        return f"{exe} (wheel install of this checkout)"
    return f"{sys.executable} -m policylint (this checkout)"


def pl_cmd(*args: str) -> list[str]:
    return [*_PL_EXE, *args]


def startup_imports(argv: Sequence[str]) -> tuple[float, list[str]]:
    """Wall time of one `policylint ARGV` process and the heavy modules it imported."""
    code = (
        "import sys, time\n"
        "from policylint.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        f"heavy = {HEAVY_MODULES!r}\n"
        "sys.stderr.write(' '.join(sorted(m for m in heavy if m in sys.modules)) + '\\n')\n"
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - start
    lines = proc.stderr.strip().splitlines()
    return wall, (lines[-1].split() if lines else [])


def json_output(paths: Sequence[str], jobs: int) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        pl_cmd("check", "--format", "json", "--jobs", str(jobs), *paths),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start


# --------------------------------------------------------------------------- reporting


@dataclass
class Row:
    what: str
    figure: str
    target: str
    met: bool | None  # None: not measurable in this run
    label_of: tuple[str, ...] = ()  # the policylint measurements the figure rests on


def ratio(peer: Measure | None, ours: Measure) -> float | None:
    if peer is None or not peer.ok or not ours.ok or ours.wall <= 0:
        return None
    return peer.wall / ours.wall


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}x"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "?",
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


# --------------------------------------------------------------------------- the run


def bench(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    info = machine()
    print("machine: " + "  ".join(f"{k}={v}" for k, v in info.items()))
    if not GENERATOR.exists():
        print(f"error: {GENERATOR} not found (../shared beside the repository)", file=sys.stderr)
        return 2
    peers = {} if args.no_peers else ensure_peers(install=not args.no_install)
    print(f"policylint: {ensure_policylint(install=not args.no_install)}")
    for name, exe in peers.items():
        print(f"{name}: {peer_version(exe)}")
    gen = generate(sizes)
    runs, warmup, jobs_n = args.runs, args.warmup, args.jobs
    measures: dict[tuple[str, str], Measure] = {}

    def m(label: str, tool: str, cmd: Sequence[str], *, big: bool = False, **kw: object) -> Measure:
        n_runs = args.big_runs if big and args.big_runs else runs
        n_warm = 0 if big and args.big_runs else warmup
        result = measure(label, tool, cmd, runs=n_runs, warmup=n_warm, **kw)  # type: ignore[arg-type]
        measures[(label, tool)] = result
        return result

    print(f"\nmeasuring (median of {runs}, {warmup} warm-up) ...", file=sys.stderr)
    ver_wall, ver_heavy = startup_imports(["--version"])
    for g in gen:
        cfn, tf = str(g.cfn.relative_to(ROOT)), str(g.tf_dir.relative_to(ROOT))
        big = g.n >= 1000
        ok = (0, 1)
        jobs = [
            Job(
                f"cfn n={g.n}", "policylint", pl_cmd("check", "--jobs", str(jobs_n), cfn), None, ok
            ),
            Job(f"tf n={g.n}", "policylint", pl_cmd("check", "--jobs", str(jobs_n), tf), None, ok),
        ]
        if "cfn-lint" in peers and g.n <= args.peer_max_n:
            jobs.append(Job(f"cfn n={g.n}", "cfn-lint", [str(peers["cfn-lint"]), cfn]))
        if "checkov" in peers and g.n <= args.peer_max_n:
            cfn_cmd = checkov_cmd(peers["checkov"], g.cfn, "cloudformation", directory=False)
            tf_cmd = checkov_cmd(peers["checkov"], g.tf_dir, "terraform_json", directory=True)
            jobs.append(Job(f"cfn n={g.n}", "checkov", cfn_cmd, CHECKOV_ENV))
            jobs.append(Job(f"tf n={g.n}", "checkov", tf_cmd, CHECKOV_ENV))
        n_runs = args.big_runs if big and args.big_runs else runs
        n_warm = 0 if big and args.big_runs else warmup
        for job, result in zip(
            jobs, measure_round_robin(jobs, runs=n_runs, warmup=n_warm), strict=True
        ):
            measures[(job.label, job.tool)] = result
    small_cfn = gen[0]
    _, small_heavy = startup_imports(["check", str(small_cfn.cfn.relative_to(ROOT))])

    corpus_rows: list[Row] = []
    identical: bool | None = None
    if CORPUS.is_dir() and not args.no_corpus:
        corpus = str(CORPUS)
        cfn_files = corpus_cfn_files()
        m(
            "corpus (all files)",
            "policylint",
            pl_cmd("check", "--jobs", str(jobs_n), corpus),
            ok_codes=(0, 1, 2),
            big=True,
        )
        list_file = OUT / "corpus-cfn-files.txt"
        list_file.write_text("\n".join(cfn_files) + "\n")
        m(
            "corpus CFN files",
            "policylint",
            pl_cmd("check", "--jobs", str(jobs_n), *cfn_files),
            ok_codes=(0, 1, 2),
            big=True,
        )
        if "cfn-lint" in peers:
            m(
                "corpus CFN files",
                "cfn-lint",
                [str(peers["cfn-lint"]), *cfn_files],
                timeout=args.peer_timeout,
                big=True,
            )
        if "checkov" in peers and args.corpus_checkov:
            m(
                "corpus (all files)",
                "checkov",
                checkov_cmd(
                    peers["checkov"],
                    CORPUS,
                    "cloudformation,terraform,terraform_plan",
                    directory=True,
                ),
                env=CHECKOV_ENV,
                timeout=args.peer_timeout,
            )
        rc1, out1, err1, wall1 = json_output([corpus], 1)
        rcn, outn, errn, walln = json_output([corpus], jobs_n)
        print(
            f"corpus, one run each: --jobs 1 {wall1:.1f} s, --jobs {jobs_n} {walln:.1f} s "
            f"(parallel speed-up {wall1 / walln:.2f}x)"
        )
        identical = out1 == outn and rc1 == rcn
        (OUT / "corpus-jobs1.json").write_text(out1)
        (OUT / f"corpus-jobs{jobs_n}.json").write_text(outn)
        internal = sum(s.count("internal error") for s in (out1, err1, outn, errn))
        print(
            f"\ncorpus: {len(cfn_files)} CloudFormation templates; JSON exit codes "
            f"jobs=1 -> {rc1}, jobs={jobs_n} -> {rcn}; 'internal error' mentions: {internal}"
        )
        ours_all = measures[("corpus (all files)", "policylint")]
        ours_same = measures[("corpus CFN files", "policylint")]
        cl = measures.get(("corpus CFN files", "cfn-lint"))
        r_all, r_same = ratio(cl, ours_all), ratio(cl, ours_same)
        corpus_rows += [
            Row(
                f"corpus, all files, --jobs {jobs_n} vs cfn-lint on its {len(cfn_files)} CFN files",
                _x(r_all),
                ">= 5x",
                None if r_all is None else r_all >= 5,
                ("corpus (all files)",),
            ),
            Row(
                "corpus, the same CFN files on both sides",
                _x(r_same),
                ">= 5x (info)",
                None if r_same is None else r_same >= 5,
                ("corpus CFN files",),
            ),
            Row(
                f"corpus JSON output --jobs 1 == --jobs {jobs_n}",
                "identical" if identical else "DIFFERENT",
                "identical",
                identical,
            ),
        ]

    # ---------------------------------------------------------------- tables
    detail: list[list[str]] = []
    for (label, tool), ms in measures.items():
        ours = measures.get((label, "policylint"))
        rel = "" if tool == "policylint" or ours is None else _x(ratio(ms, ours))
        detail.append(
            [
                label,
                tool,
                f"{ms.wall:.3f}" if ms.ok else "-",
                f"{ms.rss:.0f}" if ms.ok else "-",
                ms.rcs if ms.ok else "-",
                rel,
                ms.note,
            ]
        )
    print_table(
        f"All measurements (median of {runs} runs, wall s / peak RSS MiB; "
        "'vs policylint' = peer time / policylint time)",
        ["input", "tool", "wall s", "peak MiB", "exit", "vs policylint", "note"],
        detail,
    )

    rows: list[Row] = []
    ours10 = measures[(f"cfn n={small_cfn.n}", "policylint")]
    small_targets = (("cfn-lint", 4.0), ("checkov", 10.0)) if small_cfn.n <= 10 else ()
    for peer, need in small_targets:  # the target is for a 10-resource template only
        r = ratio(measures.get((f"cfn n={small_cfn.n}", peer)), ours10)
        rows.append(
            Row(
                f"small CFN template (n={small_cfn.n}), whole process vs {peer}",
                f"{_x(r)} ({ours10.wall:.2f} s)",
                f">= {need:.0f}x",
                None if r is None else r >= need,
                (f"cfn n={small_cfn.n}",),
            )
        )
    by_n = {g.n: g for g in gen}
    for kind in ("cfn", "tf"):
        if 5000 in by_n:
            big = measures[(f"{kind} n=5000", "policylint")]
            rows.append(
                Row(
                    f"{kind.upper()} n=5000 wall time",
                    f"{big.wall:.2f} s",
                    "< 5 s",
                    big.ok and big.wall < 5,
                    (f"{kind} n=5000",),
                )
            )
            rows.append(
                Row(
                    f"{kind.upper()} n=5000 peak memory",
                    f"{big.rss:.0f} MiB",
                    "< 500 MB",
                    big.ok and big.rss * 1.048576 < 500,
                    (f"{kind} n=5000",),
                )
            )
            if 1000 in by_n:
                k = measures[(f"{kind} n=1000", "policylint")]
                growth = big.wall / k.wall if k.ok and k.wall > 0 else None
                rows.append(
                    Row(
                        f"{kind.upper()} time(5000) / time(1000)",
                        _x(growth),
                        "<= 6x",
                        None if growth is None else growth <= 6,
                        (f"{kind} n=1000", f"{kind} n=5000"),
                    )
                )
    rows += corpus_rows
    rows.append(
        Row(
            "start-up: `policylint --version`",
            f"{ver_wall:.2f} s, heavy: {' '.join(ver_heavy) or 'none'}",
            "no heavy import",
            not ver_heavy,
        )
    )
    bad = [h for h in small_heavy if h in ("cfnlint", "samtranslator", "hcl2", "lark")]
    rows.append(
        Row(
            "start-up: `policylint check small.yaml` imports",
            " ".join(small_heavy) or "none",
            "no cfnlint/samtranslator/hcl2",
            not bad,
            (f"cfn n={small_cfn.n}",),
        )
    )
    for r in rows:  # a figure from a policylint run that failed is no figure
        bad_run = next(
            (
                ms
                for key, ms in measures.items()
                if key[1] == "policylint" and ms.note and key[0] in r.label_of
            ),
            None,
        )
        if bad_run is not None:
            r.figure += f" [invalid: policylint {bad_run.note}]"
            r.met = None
    failing = [r for r in rows if r.met is False]
    print_table(
        f"Targets (issue 7) -- {info['date']}, commit {info['commit']}",
        ["measure", "figure", "target", "met"],
        [
            [r.what, r.figure, r.target, "-" if r.met is None else ("yes" if r.met else "NO")]
            for r in rows
        ],
    )
    broken = [ms for ms in measures.values() if ms.tool == "policylint" and ms.note]
    if broken:
        print(
            "\nwarning: policylint runs that did not exit as expected (figures not valid): "
            + ", ".join(f"{b.label} ({b.note})" for b in broken)
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": info,
                    "measures": [
                        {
                            "input": ms.label,
                            "tool": ms.tool,
                            "wall": ms.wall if ms.ok else None,
                            "rss_mib": ms.rss if ms.ok else None,
                            "note": ms.note,
                        }
                        for ms in measures.values()
                    ],
                    "targets": [
                        {"what": r.what, "figure": r.figure, "target": r.target, "met": r.met}
                        for r in rows
                    ],
                },
                indent=2,
            )
            + "\n"
        )
    return 1 if failing or broken else 0


def profile(args: argparse.Namespace) -> int:
    """cProfile the whole `check` of the largest input in this process; print top functions."""
    import cProfile
    import io
    import pstats

    n = max(int(s) for s in args.sizes.split(","))
    (g,) = generate([n])
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from policylint.cli import main

    targets = {"cfn": str(g.cfn.relative_to(ROOT)), "tf": str(g.tf_dir.relative_to(ROOT))}
    for kind in args.profile.split(","):
        target = targets[kind]
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        rc = main(["check", "--jobs", "1", "--format", "json", "-o", os.devnull, target])
        prof.disable()
        wall = time.perf_counter() - start
        print(f"\n=== profile: policylint check {target} (exit {rc}, {wall:.2f} s in-process) ===")
        for key in ("cumulative", "tottime"):
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(args.top)
            text = buf.getvalue()
            start_at = text.find("   ncalls")
            print(f"\n-- top {args.top} by {key} --")
            print(text[start_at:].rstrip() if start_at >= 0 else text.rstrip())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="timed runs per measurement (median)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    p.add_argument("--sizes", default="10,100,1000,5000", help="resource counts to generate")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="policylint --jobs for the parallel runs (default: nproc)",
    )
    p.add_argument(
        "--big-runs",
        type=int,
        default=0,
        help="timed runs (no warm-up) for n >= 1000 and the corpus (default: --runs)",
    )
    p.add_argument(
        "--peer-max-n", type=int, default=5000, help="run the peers only up to this many resources"
    )
    p.add_argument("--peer-timeout", type=float, default=900.0, help="seconds per peer run")
    p.add_argument("--no-peers", action="store_true", help="measure policylint alone")
    p.add_argument("--no-install", action="store_true", help="never create bench/.venv")
    p.add_argument("--no-corpus", action="store_true", help="skip the ../shared/corpus runs")
    p.add_argument(
        "--corpus-checkov",
        action="store_true",
        help="also time checkov over the whole corpus (slow)",
    )
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.add_argument(
        "--profile",
        nargs="?",
        const="cfn,tf",
        default=None,
        metavar="KINDS",
        help="cProfile the largest size (cfn, tf or both) and print top functions",
    )
    p.add_argument("--top", type=int, default=30, help="functions to print with --profile")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.profile:
        return profile(args)
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
