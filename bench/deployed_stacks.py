"""Count findings per rule on the corpus's deployed, working stacks (issue #5's false-alarm check).

An error finding on these stacks is a false alarm until shown otherwise. Usage:

    python bench/deployed_stacks.py [--corpus ../shared/corpus] [--list error|warning]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DEPLOYED = (
    "aws-cloudformation-templates",
    "serverless-patterns",
    "aws-waf-security-automations",
    "aws-waf-firewall-manager-terraform",
    "terraform-aws-cloudfront",
    "terraform-aws-s3-bucket",
    "amazon-cloudfront-secure-static-site",
    "cloudfront-authorization-at-edge",
)


def _scan(repo: Path) -> dict[str, list[dict[str, object]]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "policylint", "check", str(repo), "--no-config"]
        cmd += ["-f", f"json:{out}", "--fail-on", "info"]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        report = json.loads(out.read_text(encoding="utf-8"))
    return {"findings": report["findings"], "errors": report["errors"]}


def main() -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=here.parent.parent / "shared" / "corpus")
    parser.add_argument("--list", choices=("error", "warning", "info"), help="print these findings")
    args = parser.parse_args()
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    input_errors = 0
    for name in DEPLOYED:
        result = _scan(args.corpus / name)
        input_errors += len(result["errors"])
        for finding in result["findings"]:
            counts[(str(finding["rule"]), str(finding["severity"]))] += 1
            if args.list and finding["severity"] == args.list:
                where = f"{finding['file']}:{finding['line']}"
                print(f"{finding['rule']} {where}\n    {finding['message']}")
    print(f"\n{'rule':<8} {'error':>6} {'warning':>8} {'info':>6}")
    for rule in sorted({rule for rule, _ in counts}):
        row = [counts[(rule, sev)] for sev in ("error", "warning", "info")]
        print(f"{rule:<8} {row[0]:>6} {row[1]:>8} {row[2]:>6}")
    total = sum(n for (_, sev), n in counts.items() if sev == "error")
    print(f"error findings in all: {total}; input errors: {input_errors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
