"""SAM: the real translator expands the template offline; positions point at SAM resources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policylint.cfn.sam import SAM_ID_KEY, expand_sam, generated_from, has_sam_transform
from policylint.errors import InputError
from policylint.parse.yaml_doc import load_yaml
from policylint.source import Document

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> Document:
    path = FIXTURES / name
    return load_yaml(path.read_text(encoding="utf-8"), str(path))


def _line_of(name: str, text: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_transform_detected_as_string_or_in_a_list() -> None:
    assert has_sam_transform({"Transform": "AWS::Serverless-2016-10-31"})
    assert has_sam_transform(
        {"Transform": ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]}
    )
    assert not has_sam_transform({"Transform": "AWS::LanguageExtensions"})
    assert not has_sam_transform({"Resources": {}})
    assert not has_sam_transform([])


def test_expands_function_bucket_policy_template_url_and_api() -> None:
    doc = expand_sam(_load("app.yaml"), {})
    resources = doc.data["Resources"]
    assert "Transform" not in doc.data
    assert resources["ReaderFunction"]["Type"] == "AWS::Lambda::Function"
    assert resources["ReaderFunctionRole"]["Type"] == "AWS::IAM::Role"
    assert resources["ReaderFunctionUrl"]["Type"] == "AWS::Lambda::Url"
    assert resources["ItemsApi"]["Type"] == "AWS::ApiGateway::RestApi"
    assert resources["DataBucket"]["Type"] == "AWS::S3::Bucket"
    # the S3ReadPolicy template became an inline policy on the generated role
    role = resources["ReaderFunctionRole"]["Properties"]
    statement = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert "s3:GetObject" in statement["Action"]
    assert "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" in str(
        role["ManagedPolicyArns"]
    )


def test_generated_resources_name_their_sam_resource() -> None:
    source = _load("app.yaml")
    doc = expand_sam(source, {})
    origins = generated_from(source.data, doc.data)
    assert origins["ReaderFunctionRole"] == "ReaderFunction"
    assert origins["ReaderFunctionUrl"] == "ReaderFunction"
    assert origins["ReaderFunctionGetItemsPermissionStage"] == "ReaderFunction"
    assert origins["ItemsApiStage"] == "ItemsApi"
    assert "DataBucket" not in origins
    resources = doc.data["Resources"]
    assert resources["ReaderFunctionRole"]["Metadata"][SAM_ID_KEY] == "ReaderFunction"
    assert SAM_ID_KEY not in (resources["DataBucket"].get("Metadata") or {})


def test_positions_point_back_at_the_sam_resource() -> None:
    name = "app.yaml"
    doc = expand_sam(_load(name), {})
    function_line = _line_of(name, "ReaderFunction:")
    assert doc.ref(("Resources", "ReaderFunctionRole")).line == function_line
    assert doc.ref(("Resources", "ReaderFunctionUrl")).line == function_line
    assert doc.ref(("Resources", "ItemsApiStage")).line == _line_of(name, "ItemsApi:")
    # deeper: the generated policy statement points at the policy template that made it
    statement = (
        "Resources",
        "ReaderFunctionRole",
        "Properties",
        "Policies",
        0,
        "PolicyDocument",
        "Statement",
        0,
    )
    assert doc.ref(statement).line == _line_of(name, "- S3ReadPolicy:")
    url = ("Resources", "ReaderFunctionUrl", "Properties", "AuthType")
    assert doc.ref(url).line == _line_of(name, "FunctionUrlConfig:")
    permission = ("Resources", "ReaderFunctionGetItemsPermissionStage", "Properties")
    assert doc.ref(permission).line == _line_of(name, "GetItems:")
    # untouched resources and same-id resources keep their own positions
    assert doc.ref(("Resources", "DataBucket")).line == _line_of(name, "DataBucket:")
    handler = ("Resources", "ReaderFunction", "Properties", "Handler")
    assert doc.ref(handler).line == _line_of(name, "Handler: app.handler")


def test_implicit_api_belongs_to_the_function_with_the_event() -> None:
    source = _load("implicit_api.yaml")
    doc = expand_sam(source, {})
    origins = generated_from(source.data, doc.data)
    assert origins["ServerlessRestApi"] == "HelloFunction"
    assert doc.ref(("Resources", "ServerlessRestApi")).line == _line_of(
        "implicit_api.yaml", "HelloFunction:"
    )


def test_parameters_we_know_are_passed_and_unknown_ones_do_not_crash() -> None:
    doc = expand_sam(_load("app.yaml"), {"StageName": "live", "AWS::Region": "eu-west-1"})
    stages = [r for r in doc.data["Resources"].values() if r["Type"] == "AWS::ApiGateway::Stage"]
    assert len(stages) == 1


def test_broken_template_is_a_clean_error_at_the_sam_resource() -> None:
    with pytest.raises(InputError) as info:
        expand_sam(_load("broken.yaml"), {})
    err = info.value
    assert "SAM transform failed" in err.message
    assert "BrokenFunction" in err.message
    assert err.ref is not None and err.ref.line == _line_of("broken.yaml", "BrokenFunction:")


def test_importing_the_module_does_not_import_the_translator() -> None:
    code = "import sys, policylint.cfn.sam; print('samtranslator' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_network_and_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the SAM expansion must not create AWS clients or sessions")

    monkeypatch.setattr(boto3, "client", refuse)
    monkeypatch.setattr(boto3.session, "Session", refuse)
    doc = expand_sam(_load("application.yaml"), {})
    assert doc.data["Resources"]["Nested"]["Type"] == "AWS::CloudFormation::Stack"
    assert doc.data["Resources"]["ReaderFunctionRole"]["Type"] == "AWS::IAM::Role"


def test_pipeline_expands_sam_and_reports_at_the_source_line() -> None:
    from policylint.pipeline import CheckOptions, check_paths

    name = "site_with_function.yaml"
    report = check_paths([str(FIXTURES / name)], CheckOptions(jobs=1))
    assert report.problems == []
    cf010 = [f for f in report.findings if f.rule == "CF010"]
    assert [f.line for f in cf010] == [_line_of(name, "SiteBucketPolicy:")]
    clean = check_paths([str(FIXTURES / "app.yaml")], CheckOptions(jobs=1))
    assert clean.problems == []


def test_cli_reports_a_broken_sam_template_as_an_input_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from policylint.cli import main

    assert main(["check", str(FIXTURES / "broken.yaml"), "--jobs", "1"]) == 2
    out = capsys.readouterr().out
    assert f"broken.yaml:{_line_of('broken.yaml', 'BrokenFunction:')}:" in out
    assert "SAM transform failed" in out


def test_findings_on_generated_resources_name_their_sam_resource() -> None:
    from policylint.cfn.cdk import label_construct_paths
    from policylint.findings import Finding, Severity
    from policylint.source import SourceRef

    finding = Finding(
        rule="IAM010",
        name="example",
        severity=Severity.ERROR,
        message="role ReaderFunctionRole cannot read DataBucket",
        fix="",
        ref=SourceRef(str(FIXTURES / "app.yaml"), ("Resources", "ReaderFunctionRole")),
        resource="ReaderFunctionRole",
        trace=(),
        fingerprint="f",
    )
    (labelled,) = label_construct_paths([finding])
    assert labelled.resource == "ReaderFunctionRole (from SAM ReaderFunction)"
    assert labelled.message == (
        "role ReaderFunctionRole (from SAM ReaderFunction) cannot read DataBucket"
    )
    assert labelled.fingerprint == "f"


def test_an_error_names_the_parameters_without_a_value() -> None:
    doc = _load("alias_parameter.yaml")
    with pytest.raises(InputError) as info:
        expand_sam(doc, {})
    assert "AutoPublishAlias" in info.value.message
    assert "parameters without a value: AliasName; give them with --parameter" in (
        info.value.message
    )
    expanded = expand_sam(doc, {"AliasName": "live"})
    assert "AliasFunctionAliaslive" in expanded.data["Resources"]


def test_finding_on_the_generated_role_points_at_the_policy_statement() -> None:
    from policylint.pipeline import CheckOptions, check_paths

    name = "role_policy.yaml"
    report = check_paths([str(FIXTURES / name)], CheckOptions(jobs=1))
    (finding,) = [f for f in report.findings if f.rule == "IAM010"]
    assert finding.line == _line_of(name, "- Statement:")
    assert finding.resource == "ReaderFunctionRole (from SAM ReaderFunction)"


def test_a_suppression_on_the_sam_resource_covers_its_generated_role() -> None:
    from policylint.pipeline import CheckOptions, check_paths

    report = check_paths([str(FIXTURES / "role_policy_suppressed.yaml")], CheckOptions(jobs=1))
    assert [f.rule for f in report.findings] == []  # neither IAM010 nor an unused PL001


def test_widen_suppressions_keeps_direct_matches_and_adds_generated_ones() -> None:
    from policylint.cfn.sam import widen_suppressions
    from policylint.findings import Finding, Severity, Suppression
    from policylint.source import SourceRef

    file = str(FIXTURES / "app.yaml")

    def finding(resource: str) -> Finding:
        return Finding(
            rule="IAM010",
            name="n",
            severity=Severity.ERROR,
            message="m",
            fix="",
            ref=SourceRef(file),
            resource=resource,
            trace=(),
            fingerprint=resource,
        )

    on_function = Suppression(
        rule="IAM010", resource="ReaderFunction", file=file, reason="r", ref=SourceRef(file)
    )
    other_rule = Suppression(
        rule="S3010", resource="ReaderFunction", file=file, reason="r", ref=SourceRef(file)
    )
    only_generated = widen_suppressions([on_function, other_rule], [finding("ReaderFunctionRole")])
    assert [(s.rule, s.resource) for s in only_generated] == [
        ("IAM010", "ReaderFunctionRole"),
        ("S3010", "ReaderFunction"),
    ]
    both = widen_suppressions(
        [on_function], [finding("ReaderFunction"), finding("ReaderFunctionRole")]
    )
    assert [s.resource for s in both] == ["ReaderFunction", "ReaderFunctionRole"]
    assert widen_suppressions([on_function], [finding("DataBucket")]) == [on_function]


def test_function_without_code_location_expands_like_sam_cli(tmp_path: Path) -> None:
    """SAM CLI builds from "." when a function names no code; the translator needs a URI."""
    from policylint.cli import main

    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: app.handler, Runtime: python3.12}\n"
        "  ImageFn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {PackageType: Image}\n"
    )
    assert main(["check", str(template)]) == 0


def test_api_definition_body_from_a_local_include_expands(tmp_path: Path) -> None:
    """`Fn::Transform: AWS::Include` of a local file is packaged by SAM CLI, not by us."""
    from policylint.cli import main

    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n"
        "      StageName: prod\n"
        "      DefinitionBody:\n"
        "        Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}\n"
        "      Auth: {ApiKeyRequired: true}\n"
    )
    assert main(["check", str(template)]) != 2  # expanded: no input error
