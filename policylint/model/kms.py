"""KMS keys and aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef
    from policylint.values import Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class KmsKey:
    id: str
    name: str
    ref: SourceRef
    key_id: str  # what Ref / .key_id returns (symbolic for generated ids)
    arn: str  # arn:<partition>:kms:<region>:<account>:key/<key_id>
    account: str
    region: str
    policy: PolicyDocument | Unknown | None  # None: the default key policy


@dataclass(frozen=True, slots=True, kw_only=True)
class KmsAlias:
    id: str
    name: str
    ref: SourceRef
    alias_name: str  # alias/...
    target_key: str  # as written: key id or key ARN
