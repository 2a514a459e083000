"""Load a template text in one call."""

from __future__ import annotations

from collections.abc import Mapping

from policylint.cfn import load_template
from policylint.model import LoadResult
from policylint.parse.json_doc import load_json
from policylint.parse.yaml_doc import load_yaml
from policylint.source import FileKind


def load(
    text: str, parameters: Mapping[str, str] | None = None, file: str = "t.yaml"
) -> LoadResult:
    """Parse (YAML or JSON by suffix) and load."""
    if file.endswith(".json"):
        doc = load_json(text, file, FileKind.CFN_JSON)
    else:
        doc = load_yaml(text, file)
    return load_template(doc, parameters or {})
