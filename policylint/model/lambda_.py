"""Lambda functions, their URLs and resource-based permissions, and event sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.source import SourceRef

MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class Function:
    id: str
    name: str
    ref: SourceRef
    function_name: str
    arn: str  # arn:<P>:lambda:<R>:<A>:function:<function_name>
    # Its role, environment and VPC placement are on the matching `Workload` (same id).


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionUrl:
    id: str
    name: str
    ref: SourceRef
    target_function: MaybeStr  # name or ARN (possibly qualified) as written
    auth_type: MaybeStr  # NONE or AWS_IAM
    qualifier: MaybeStr | None = None
    url: str = ""  # https://<sym>.lambda-url.<R>.on.aws/


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaPermission:
    id: str
    name: str
    ref: SourceRef
    function: MaybeStr  # FunctionName: name, ARN, or qualified ARN
    action: MaybeStr
    principal: MaybeStr
    source_arn: MaybeStr | None = None
    source_account: MaybeStr | None = None
    function_url_auth_type: MaybeStr | None = None
    qualifier: MaybeStr | None = None  # Terraform's separate argument


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSourceMapping:
    id: str
    name: str
    ref: SourceRef
    function: MaybeStr
    event_source_arn: MaybeStr
