"""API Gateway REST APIs and what makes them answer 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.policy.document import PolicyDocument
    from policylint.source import SourceRef

MaybeStr = str | Unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class RestApi:
    id: str
    name: str
    ref: SourceRef
    api_id: str  # Ref / .id (symbolic)
    account: str
    region: str
    policy: PolicyDocument | Unknown | None = None
    policy_ref: SourceRef | None = None
    endpoint_types: tuple[str, ...] | Unknown = ("EDGE",)
    vpc_endpoint_ids: tuple[str, ...] | Unknown = ()
    disable_execute_api_endpoint: bool | Unknown = False
    api_key_source: MaybeStr = "HEADER"  # HEADER or AUTHORIZER
    # Set when methods are defined where policylint cannot read them (an OpenAPI body from S3,
    # a file, an include): the API may have more methods than the model holds.
    unknown_methods: Unknown | None = None
    policy_in_body: bool = False  # the policy is the body's x-amazon-apigateway-policy


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiMethod:
    id: str
    name: str
    ref: SourceRef
    api_id: MaybeStr
    http_method: MaybeStr
    authorization_type: MaybeStr = "NONE"  # NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS
    api_key_required: bool | Unknown = False
    authorizer_id: MaybeStr | None = None
    # Methods from an OpenAPI body: the resource path (`/orders/{id}`) and what requires a key.
    path: str | None = None
    key_source: str = "ApiKeyRequired true"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiStage:
    id: str
    name: str
    ref: SourceRef
    api_id: MaybeStr
    stage_name: MaybeStr
    # SAM's deployment stage "Stage" (made when OpenApiVersion is not set): exists, but is not
    # the stage clients are given.
    sam_artifact: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiDeployment:
    """A Deployment; `redeploys_on_policy`: does a resource policy change make a new one?"""

    id: str
    name: str
    ref: SourceRef
    api_id: MaybeStr
    redeploys_on_policy: bool | Unknown = False
    redeploys_on_body: bool | Unknown = False  # ... on an OpenAPI body change


@dataclass(frozen=True, slots=True, kw_only=True)
class UsagePlan:
    id: str
    name: str
    ref: SourceRef
    plan_id: str
    api_stages: tuple[tuple[MaybeStr, MaybeStr], ...] | Unknown = ()  # (api id, stage name)


@dataclass(frozen=True, slots=True, kw_only=True)
class UsagePlanKey:
    id: str
    name: str
    ref: SourceRef
    plan_id: MaybeStr
    key_id: MaybeStr


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKey:
    id: str
    name: str
    ref: SourceRef
    key_id: str
    enabled: bool | Unknown = True
    stage_keys: tuple[tuple[MaybeStr, MaybeStr], ...] = ()  # legacy StageKeys


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiAuthorizer:
    id: str
    name: str
    ref: SourceRef
    authorizer_id: str
    api_id: MaybeStr
    type: MaybeStr  # TOKEN, REQUEST, COGNITO_USER_POOLS


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiDomainName:
    id: str
    name: str
    ref: SourceRef
    domain_name: MaybeStr


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiMapping:
    """A BasePathMapping (REST) or ApiGatewayV2 ApiMapping."""

    id: str
    name: str
    ref: SourceRef
    domain_name: MaybeStr
    api_id: MaybeStr
    stage: MaybeStr | None = None
