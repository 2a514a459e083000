"""CDK output: construct paths from `aws:cdk:path` metadata or manifest.json; assets skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policylint.cfn.cdk import (
    construct_paths,
    display_name,
    label_construct_paths,
    paths_for_file,
)
from policylint.cli import main
from policylint.discover import discover
from policylint.findings import Finding, Severity
from policylint.parse.json_doc import load_json
from policylint.source import FileKind, SourceRef

CDK_OUT = Path(__file__).parent / "fixtures" / "cdk.out"
TEMPLATE = CDK_OUT / "SiteStack.template.json"


def test_construct_paths_from_resource_metadata() -> None:
    doc = load_json(TEMPLATE.read_text(encoding="utf-8"), str(TEMPLATE), FileKind.CFN_JSON)
    paths = construct_paths(doc)
    assert paths["SiteBucket397A1860"] == "SiteStack/SiteBucket/Resource"
    assert paths["SiteBucketPolicy3AC1D0F8"] == "SiteStack/SiteBucket/Policy/Resource"
    assert paths["SiteDistribution3FF9535D"] == "SiteStack/SiteDistribution/Resource"


def test_construct_paths_from_the_manifest_without_path_metadata(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    shutil.copy(CDK_OUT / "manifest.json", out / "manifest.json")
    data = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    for resource in data["Resources"].values():
        resource.pop("Metadata", None)
    template = out / "SiteStack.template.json"
    template.write_text(json.dumps(data, indent=1), encoding="utf-8")
    paths = paths_for_file(str(template))
    assert paths["SiteBucketPolicy3AC1D0F8"] == "SiteStack/SiteBucket/Policy/Resource"
    assert "DistributionDomainName" not in paths  # an output, not a resource


def test_plain_templates_have_no_construct_paths(examples: Path) -> None:
    assert paths_for_file(str(examples / "cloudfront-s3-oac" / "broken" / "template.yaml")) == {}


def test_display_name() -> None:
    paths = {"SiteBucket397A1860": "SiteStack/SiteBucket/Resource"}
    assert display_name("SiteBucket397A1860", paths) == (
        "SiteBucket397A1860 (SiteStack/SiteBucket/Resource)"
    )
    assert display_name("Other", paths) == "Other"


def test_findings_are_labelled_and_keep_their_fingerprint() -> None:
    finding = Finding(
        rule="CF010",
        name="oac-not-granted-by-bucket-policy",
        severity=Severity.ERROR,
        message="bucket policy of SiteBucket397A1860 grants distribution "
        "SiteDistribution3FF9535D no s3:GetObject",
        fix="",
        ref=SourceRef(str(TEMPLATE), ("Resources", "SiteBucketPolicy3AC1D0F8")),
        resource="SiteBucketPolicy3AC1D0F8",
        trace=(),
        fingerprint="abc",
    )
    (labelled,) = label_construct_paths([finding])
    assert labelled.resource == "SiteBucketPolicy3AC1D0F8 (SiteStack/SiteBucket/Policy/Resource)"
    assert "SiteBucket397A1860 (SiteStack/SiteBucket/Resource) grants" in labelled.message
    assert "SiteDistribution3FF9535D (SiteStack/SiteDistribution/Resource)" in labelled.message
    assert labelled.fingerprint == "abc"
    assert label_construct_paths(label_construct_paths([finding])) == [labelled]


def test_asset_directories_are_skipped() -> None:
    found = discover([str(CDK_OUT)])
    assert [Path(u.path).name for u in found.units] == ["SiteStack.template.json"]
    assert found.problems == []


def test_check_names_the_construct_path(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(CDK_OUT), "--format", "json", "--jobs", "1"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    findings = out["findings"] if isinstance(out, dict) else out
    cf010 = [f for f in findings if f["rule"] == "CF010"]
    assert cf010, findings
    assert cf010[0]["resource"] == (
        "SiteBucketPolicy3AC1D0F8 (SiteStack/SiteBucket/Policy/Resource)"
    )
    assert "SiteStack/SiteBucket/Resource" in cf010[0]["message"]


def test_text_output_names_the_construct_path(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(CDK_OUT), "--jobs", "1", "--no-color"])
    text = capsys.readouterr().out
    assert code == 1
    assert "SiteStack.template.json" in text and "CF010" in text
    assert "(SiteStack/SiteBucket/Resource)" in text
    assert "asset." not in text
