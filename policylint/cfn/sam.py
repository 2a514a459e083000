"""SAM: expand `Transform: AWS::Serverless-2016-10-31` with AWS's own translator, offline.

The expanded template is a new `Document` whose spans point every generated resource back
at the SAM resource it came from (and, where the link is known, at the property that made it:
`Policies`, `FunctionUrlConfig`, an `Events` entry). Generated resources also carry
`Metadata.SamResourceId` naming their SAM resource. `samtranslator` is imported only here,
only when a template uses the transform.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policylint.errors import InputError
from policylint.source import Document

if TYPE_CHECKING:
    from policylint.findings import Finding, Suppression
    from policylint.source import SourceRef

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SAM_PREFIX = "AWS::Serverless::"
SAM_ID_KEY = "SamResourceId"
_PLACEHOLDER_URI = "s3://policylint-sam-local-artifact/artifact.zip"
_PLACEHOLDER_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/policylint-sam-local:latest"
_ID_IN_MESSAGE = re.compile(r"\[([A-Za-z0-9]+)\]")
# SAM resource type -> the properties that may hold a local path (replaced before translating)
_LOCAL_URI_PROPERTIES = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::Application": ("Location",),
}
_PARTITION_REGIONS = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}


def has_sam_transform(data: Any) -> bool:
    """Does the template declare the SAM transform (as a string or in a list)?"""
    if not isinstance(data, dict):
        return False
    transform = data.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return SAM_TRANSFORM in names


class _Session:
    """What the translator reads from a boto3 session: only the region name. No credentials."""

    def __init__(self, region_name: str) -> None:
        self.region_name = region_name


def _region(parameters: Mapping[str, str]) -> str:
    region = parameters.get("AWS::Region")
    if region:
        return region
    return _PARTITION_REGIONS.get(parameters.get("AWS::Partition", "aws"), "us-east-1")


def _no_network() -> Any:
    raise InputError(
        "AWS::Serverless::Application from the Serverless Application Repository "
        "needs network access; policylint does not expand it"
    )


def _prepare(template: dict[str, Any]) -> None:
    """Replace local paths (CodeUri: src/) by an S3 URI: the translator accepts only those."""
    targets: list[tuple[str, dict[str, Any]]] = [("AWS::Serverless::Function", _globals(template))]
    resources = template.get("Resources")
    for resource in resources.values() if isinstance(resources, dict) else ():
        if isinstance(resource, dict) and isinstance(resource.get("Properties"), dict):
            targets.append((str(resource.get("Type")), resource["Properties"]))
    glob = targets[0][1]
    for kind, props in targets:
        for key in _LOCAL_URI_PROPERTIES.get(kind, ()):
            if _is_local(key, props.get(key)):
                props[key] = _PLACEHOLDER_URI
        if kind == "AWS::Serverless::Function" and props is not glob:
            _default_code(props, glob)
        if kind in _OPENAPI_VERSIONS and _is_include(props.get("DefinitionBody")):
            # `AWS::Include` of a local file is packaged by SAM CLI; its content is not modelled.
            from policylint.apigw_openapi import UNREAD_MARKER  # only SAM inputs need it

            props["DefinitionBody"] = {
                **_OPENAPI_VERSIONS[kind],
                "info": {"title": "policylint placeholder", "version": "1.0"},
                "paths": {},
                UNREAD_MARKER: "AWS::Include",  # read as unknown, not as an API without methods
            }


_OPENAPI_VERSIONS = {
    "AWS::Serverless::Api": {"swagger": "2.0"},
    "AWS::Serverless::HttpApi": {"openapi": "3.0.1"},
}


def _is_include(value: Any) -> bool:
    return isinstance(value, dict) and list(value) == ["Fn::Transform"]


def _default_code(props: dict[str, Any], glob: dict[str, Any]) -> None:
    """SAM CLI builds code from "." (or a Docker context) when none is given; so do we."""
    merged = {**glob, **props}
    if merged.get("PackageType") == "Image":
        if "ImageUri" not in merged:
            props["ImageUri"] = _PLACEHOLDER_IMAGE
    elif "CodeUri" not in merged and "InlineCode" not in merged:
        props["CodeUri"] = _PLACEHOLDER_URI


def _is_local(key: str, value: Any) -> bool:
    """A local path, an intrinsic, or a Serverless Application Repository location."""
    if isinstance(value, str):
        return not value.startswith("s3://")
    if isinstance(value, dict):
        return (key == "Location" and "ApplicationId" in value) or _is_intrinsic(value)
    return False


def _globals(template: dict[str, Any]) -> dict[str, Any]:
    glob = template.get("Globals")
    function = glob.get("Function") if isinstance(glob, dict) else None
    return function if isinstance(function, dict) else {}


def _is_intrinsic(value: dict[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in (
        "Ref",
        "Fn::Sub",
        "Fn::Join",
        "Fn::If",
        "Fn::FindInMap",
        "Fn::GetAtt",
    )


def translate(data: dict[str, Any], parameters: Mapping[str, str]) -> dict[str, Any]:
    """Run AWS's SAM translator offline; raises samtranslator's InvalidDocumentException."""
    import logging

    from samtranslator.parser.parser import Parser
    from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.translator.translator import Translator

    logging.getLogger("samtranslator").setLevel(logging.CRITICAL)
    template = copy.deepcopy(data)
    _prepare(template)
    params: dict[str, Any] = dict(parameters)
    plugins = [ServerlessAppPlugin(parameters=params, sar_client_creator=_no_network)]
    session = _Session(_region(parameters))
    saved = ArnGenerator.BOTO_SESSION_REGION_NAME  # the translator sets this class attribute
    try:
        translator = Translator(None, Parser(), plugins=plugins, boto_session=session)
        result: dict[str, Any] = translator.translate(
            template,
            parameter_values=params,
            passthrough_metadata=True,
            get_managed_policy_map=dict,  # the bundled map of AWS managed policies is enough
        )
    finally:
        ArnGenerator.BOTO_SESSION_REGION_NAME = saved
    return result


def expand_sam(doc: Document, parameters: Mapping[str, str]) -> Document:
    """The CloudFormation the SAM template becomes, with positions in the SAM source."""
    if not isinstance(doc.data, dict):
        return doc
    try:
        expanded = translate(doc.data, parameters)
    except Exception as exc:  # the translator raises many kinds; each is an input problem
        raise _sam_error(doc, exc, parameters) from exc
    from policylint.cfn.sam_spans import expanded_spans

    sources = generated_from(doc.data, expanded)
    return Document(
        doc.file, doc.kind, _stamp(expanded, sources), expanded_spans(doc, expanded, sources)
    )


def _sam_error(doc: Document, exc: Exception, parameters: Mapping[str, str]) -> InputError:
    causes: list[Any] = list(getattr(exc, "causes", None) or [exc])
    messages = [str(getattr(c, "message", None) or c) for c in causes]
    resources = doc.data.get("Resources") if isinstance(doc.data, dict) else None
    ref: SourceRef = doc.ref(("Transform",))
    for cause in causes:
        logical_id = getattr(cause, "_logical_id", None)
        if not isinstance(logical_id, str):
            found = _ID_IN_MESSAGE.search(str(getattr(cause, "message", "")))
            logical_id = found.group(1) if found else None
        if isinstance(resources, dict) and isinstance(logical_id, str) and logical_id in resources:
            ref = doc.ref(("Resources", logical_id))
            break
    text = "; ".join(messages) if messages else type(exc).__name__
    missing = _without_value(doc.data, parameters)
    if missing:
        text += f" (parameters without a value: {', '.join(missing)}; give them with --parameter)"
    return InputError(f"SAM transform failed: {text}", ref)


def _without_value(data: Any, parameters: Mapping[str, str]) -> list[str]:
    """Template parameters with no Default and no value given: SAM cannot resolve them."""
    declared = data.get("Parameters") if isinstance(data, dict) else None
    if not isinstance(declared, dict):
        return []
    return sorted(
        str(name)
        for name, spec in declared.items()
        if name not in parameters and not (isinstance(spec, dict) and "Default" in spec)
    )


def _sam_ids(resources: Mapping[str, Any]) -> list[str]:
    return [
        lid
        for lid, res in resources.items()
        if isinstance(res, dict) and str(res.get("Type", "")).startswith(SAM_PREFIX)
    ]


def generated_from(source: Mapping[str, Any], expanded: Mapping[str, Any]) -> dict[str, str]:
    """Each resource the translator generated or rewrote -> the SAM resource it came from.

    Generated logical ids start with their SAM resource's id (`MyFunctionRole`); the implicit
    APIs (`ServerlessRestApi...`, `ServerlessHttpApi...`) come from the first function with an
    event of that kind. Resources not from SAM are left out; an unknown origin maps to "".
    """
    src_resources = source.get("Resources")
    out_resources = expanded.get("Resources")
    if not isinstance(src_resources, dict) or not isinstance(out_resources, dict):
        return {}
    origin = _origin_finder(src_resources)
    origins: dict[str, str] = {}
    for lid in out_resources:
        original = src_resources.get(lid)
        if isinstance(original, dict) and not str(original.get("Type", "")).startswith(SAM_PREFIX):
            continue
        origins[lid] = origin(lid)
    return origins


def _origin_finder(resources: Mapping[str, Any]) -> Callable[[str], str]:
    """Logical id -> the SAM resource whose id prefixes it (or the implicit API's owner)."""
    sam_ids = sorted(_sam_ids(resources), key=len, reverse=True)
    implicit = {
        "ServerlessRestApi": _implicit_api_owner(resources, "Api"),
        "ServerlessHttpApi": _implicit_api_owner(resources, "HttpApi"),
    }

    def origin(lid: str) -> str:
        found = next((s for s in sam_ids if lid.startswith(s)), None)
        if found is None:
            found = next((o for prefix, o in implicit.items() if lid.startswith(prefix)), "")
        return found

    return origin


def sam_labels(template: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    """For each name that is not a resource of the SAM template but one the transform
    generates: `from SAM <its SAM resource>`, e.g. MyFunctionRole -> from SAM MyFunction."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return {}
    origin = _origin_finder(resources)
    labels: dict[str, str] = {}
    for name in names:
        found = "" if name in resources else origin(name)
        if found and found != name:
            labels[name] = f"from SAM {found}"
    return labels


def _implicit_api_owner(resources: Mapping[str, Any], kind: str) -> str:
    for lid, res in resources.items():
        if not isinstance(res, dict) or res.get("Type") != "AWS::Serverless::Function":
            continue
        for event in events(res).values():
            if (
                isinstance(event, dict)
                and event.get("Type") == kind
                and "RestApiId" not in (event.get("Properties") or {})
                and "ApiId" not in (event.get("Properties") or {})
            ):
                return lid
    return ""


def events(resource: Mapping[str, Any]) -> dict[str, Any]:
    props = resource.get("Properties")
    events = props.get("Events") if isinstance(props, dict) else None
    return events if isinstance(events, dict) else {}


def _stamp(expanded: dict[str, Any], sources: Mapping[str, str]) -> dict[str, Any]:
    """Add `Metadata.SamResourceId` to every generated resource."""
    resources = expanded.get("Resources")
    for lid, origin in sources.items():
        resource = resources.get(lid) if isinstance(resources, dict) else None
        if origin and isinstance(resource, dict):
            metadata = resource.get("Metadata")
            if not isinstance(metadata, dict):
                metadata = resource["Metadata"] = {}
            metadata.setdefault(SAM_ID_KEY, origin)
    return expanded


def widen_suppressions(
    suppressions: Sequence[Suppression], findings: Iterable[Finding]
) -> list[Suppression]:
    """A suppression on a SAM resource covers what the transform generated from it: for each
    finding on a generated resource (`MyFunctionRole`) that a suppression of its SAM resource
    (`MyFunction`) would match, a copy of the suppression for the generated resource. A
    suppression that matches only generated resources is replaced by its copies, so it is not
    reported as unused."""
    if not suppressions:
        return []
    from policylint.cfn.cdk import template_info

    finders: dict[str, Callable[[str], str] | None] = {}
    copies: dict[int, list[Suppression]] = {}
    direct: set[int] = set()
    for f in findings:
        key = os.path.normpath(f.file)
        if key not in finders:
            sam = template_info(f.file)[1]
            resources = sam.get("Resources") if isinstance(sam, dict) else None
            finders[key] = _origin_finder(resources) if isinstance(resources, dict) else None
        finder = finders[key]
        origin = finder(f.resource) if finder else ""
        for i, s in enumerate(suppressions):
            if s.rule != f.rule or os.path.normpath(s.file) != key:
                continue
            if s.resource == f.resource:
                direct.add(i)
            elif origin and s.resource == origin and origin != f.resource:
                copies.setdefault(i, []).append(dataclasses.replace(s, resource=f.resource))
    widened: list[Suppression] = []
    for i, s in enumerate(suppressions):
        if i in direct or i not in copies:
            widened.append(s)
        widened.extend(dict.fromkeys(copies.get(i, ())))
    return widened
