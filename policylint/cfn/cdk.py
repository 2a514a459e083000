"""CDK: name resources by their construct path (`aws:cdk:path`) in `cdk.out` templates.

`cdk synth` writes `cdk.out/<Stack>.template.json` (plain CloudFormation) and
`cdk.out/manifest.json`. Each resource carries `Metadata: {aws:cdk:path: Stack/Bucket/Resource}`
unless path metadata is turned off; the manifest's artifact metadata maps construct paths to
logical ids (`aws:cdk:logicalId`) either way. Asset directories (`cdk.out/asset.*`) are skipped
by discovery.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from policylint.source import Document, FileKind

if TYPE_CHECKING:
    from policylint.findings import Finding

CDK_PATH_KEY = "aws:cdk:path"
SAM_MARK = "AWS::Serverless-2016-10-31"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
MANIFEST = "manifest.json"


def construct_paths(doc: Document) -> dict[str, str]:
    """Logical id -> construct path, from resource Metadata, else from the `manifest.json`
    beside the template. Empty for templates that are not CDK output."""
    paths = _from_metadata(doc.data)
    resources = doc.data.get("Resources") if isinstance(doc.data, dict) else None
    if isinstance(resources, dict) and len(paths) < len(resources):
        for lid, path in _from_manifest(doc.file).items():
            if lid in resources:
                paths.setdefault(lid, path)
    return paths


def _from_metadata(data: Any) -> dict[str, str]:
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return {}
    paths: dict[str, str] = {}
    for lid, resource in resources.items():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        path = metadata.get(CDK_PATH_KEY) if isinstance(metadata, dict) else None
        if isinstance(path, str) and path:
            paths[str(lid)] = path
    return paths


def _from_manifest(template_file: str) -> dict[str, str]:
    """`aws:cdk:logicalId` entries of the manifest's artifact whose template is this file."""
    directory = os.path.dirname(template_file) or "."
    manifest = _read_json(os.path.join(directory, MANIFEST))
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        return {}
    name = os.path.basename(template_file)
    for artifact in artifacts.values():
        if not isinstance(artifact, dict):
            continue
        props = artifact.get("properties")
        if not isinstance(props, dict) or props.get("templateFile") != name:
            continue
        return _logical_ids(artifact.get("metadata"))
    return {}


def _logical_ids(metadata: Any) -> dict[str, str]:
    paths: dict[str, str] = {}
    if not isinstance(metadata, dict):
        return paths
    for path, entries in metadata.items():
        for entry in entries if isinstance(entries, list) else ():
            if (
                isinstance(entry, dict)
                and entry.get("type") == "aws:cdk:logicalId"
                and isinstance(entry.get("data"), str)
            ):
                paths.setdefault(entry["data"], str(path).lstrip("/"))
    return paths


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def display_name(logical_id: str, paths: Mapping[str, str]) -> str:
    """`SiteBucket397A1860 (MyStack/SiteBucket/Resource)`, or the logical id alone."""
    path = paths.get(logical_id)
    return f"{logical_id} ({path})" if path else logical_id


def is_cdk_template(doc: Document) -> bool:
    """Does any resource carry `aws:cdk:path` metadata, or does a manifest sit beside it?"""
    if _from_metadata(doc.data):
        return True
    return os.path.isfile(os.path.join(os.path.dirname(doc.file) or ".", MANIFEST))


def paths_for_file(path: str) -> dict[str, str]:
    """Construct paths of a template file; reads (and parses) only CDK output."""
    return template_info(path)[0]


def template_info(path: str) -> tuple[dict[str, str], Any]:
    """(construct paths, the template if it is a SAM template); parses only CDK and SAM files."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return {}, None
    beside = os.path.join(os.path.dirname(path) or ".", MANIFEST)
    if CDK_PATH_KEY not in text and SAM_MARK not in text and not os.path.isfile(beside):
        return {}, None
    data: Any
    if text.lstrip().startswith("{"):
        data = _loads(text)
    else:
        from policylint.parse.yaml_doc import load_yaml

        try:
            data = load_yaml(text, path).data
        except Exception:  # a template that does not parse has no findings to label
            return {}, None
    from policylint.cfn.sam import has_sam_transform

    paths = construct_paths(Document(path, FileKind.CFN_JSON, data))
    return paths, (data if has_sam_transform(data) else None)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def label_construct_paths(findings: Iterable[Finding]) -> list[Finding]:
    """Findings name what the user wrote. CDK: `resource` becomes
    `SiteBucket397A1860 (SiteStack/SiteBucket/Resource)` and the message names the construct
    after each logical id it mentions. SAM: a resource the transform generated is named with
    its SAM resource, `MyFunctionRole (from SAM MyFunction)`. Fingerprints are unchanged."""
    cache: dict[str, tuple[dict[str, str], Any]] = {}
    labelled: list[Finding] = []
    for f in findings:
        if f.file not in cache:
            cache[f.file] = template_info(f.file) if _template_like(f.file) else ({}, None)
        paths, sam = cache[f.file]
        labels = dict(paths)
        if sam is not None:
            from policylint.cfn.sam import sam_labels

            labels.update(sam_labels(sam, {f.resource, *_WORD.findall(f.message)}))
        if not labels:
            labelled.append(f)
            continue
        labelled.append(
            dataclasses.replace(
                f, resource=display_name(f.resource, labels), message=_mention(f.message, labels)
            )
        )
    return labelled


def _template_like(path: str) -> bool:
    return path.endswith((".json", ".yaml", ".yml", ".template"))


def _mention(message: str, paths: Mapping[str, str]) -> str:
    """Add ` (construct path)` after the first mention of each logical id."""
    for lid, path in paths.items():
        if path in message:
            continue
        found = re.search(rf"(?<![\w/]){re.escape(lid)}(?![\w/(])", message)
        if found:
            message = f"{message[: found.end()]} ({path}){message[found.end() :]}"
    return message
