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
    # Terraform: the Region / account of its create call when not certainly the input's (its
    # provider configuration's literal region, or a symbol of its own); None: the input's.
    region: str | None = None
    account: str | None = None
    # What AWS::Region / AWS::AccountId in its values may stand for besides the input's own
    # (its and its references' provider configurations): `accounts` substitutes only when none.
    value_regions: frozenset[str] = frozenset()
    value_account_unknown: bool = False
