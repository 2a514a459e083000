"""CloudFormation: a parsed template -> the normalized model (`load_template`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.model import LoadResult
    from policylint.source import Document


def load_template(doc: Document, parameters: Mapping[str, str]) -> LoadResult:
    """Resolve intrinsics and normalize every supported resource; never raises on content."""
    from policylint.cfn.normalize import normalize

    return normalize(doc, parameters)
