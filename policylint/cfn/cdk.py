"""CDK: name resources by their construct path (`aws:cdk:path`) in `cdk.out` templates.

`cdk synth` writes `cdk.out/<Stack>.template.json` (plain CloudFormation) and
`cdk.out/manifest.json`. Each resource carries `Metadata: {aws:cdk:path: Stack/Bucket/Resource}`
unless path metadata is turned off; the manifest's artifact metadata maps construct paths to
logical ids (`aws:cdk:logicalId`) either way. Asset directories (`cdk.out/asset.*`) are skipped
by discovery.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from policylint.source import Document

CDK_PATH_KEY = "aws:cdk:path"
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
