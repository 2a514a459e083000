"""Every resource an input declares, whatever its type: what deploying it creates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.source import SourceRef


@dataclass(frozen=True, slots=True, kw_only=True)
class Declared:
    """One resource of a template or module (`type` as written: AWS::S3::Bucket,
    aws_s3_bucket); only those whose creation is not known to be skipped."""

    id: str
    name: str
    type: str
    ref: SourceRef
