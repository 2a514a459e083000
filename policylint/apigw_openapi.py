"""What API Gateway imports from a REST API's OpenAPI (Swagger 2.0 / OpenAPI 3.0) definition.

Both loaders hand the resolved body here (CloudFormation `Body`, SAM's `DefinitionBody` after
the transform, Terraform `body`): the operations under `paths` become methods with their API key
and authorization requirements, and the API Gateway extensions give the resource policy
(`x-amazon-apigateway-policy`), the API key source, Lambda / Cognito authorizers and the
endpoint settings. What cannot be read (a body from S3 or a file, a `$ref`, an intrinsic) is
`Unknown`; nothing is guessed. Positions are paths below the body (`keys`), which each loader
turns into a `SourceRef`.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policylint.values import Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.source import DocPath

# The SAM loader replaces a DefinitionBody it cannot read (AWS::Include) by a body carrying
# this key, so that the placeholder is not taken for an API without methods.
UNREAD_MARKER = "x-policylint-unread"

VERBS = ("get", "put", "post", "delete", "options", "head", "patch")
ANY_METHOD = "x-amazon-apigateway-any-method"
POLICY = "x-amazon-apigateway-policy"
KEY_SOURCE = "x-amazon-apigateway-api-key-source"
ENDPOINT = "x-amazon-apigateway-endpoint-configuration"
AUTHORIZER = "x-amazon-apigateway-authorizer"
AUTHTYPE = "x-amazon-apigateway-authtype"
AUTH = "x-amazon-apigateway-auth"

MaybeStr = str | Unknown


class SchemeKind(enum.Enum):
    """What a security scheme is to API Gateway."""

    API_KEY = "API_KEY"  # the x-api-key header: the method requires an API key
    AWS_IAM = "AWS_IAM"
    CUSTOM = "CUSTOM"  # a Lambda (TOKEN / REQUEST) authorizer
    COGNITO_USER_POOLS = "COGNITO_USER_POOLS"
    UNKNOWN = "UNKNOWN"


_AUTHORIZER_TYPES = {
    "token": ("TOKEN", SchemeKind.CUSTOM),
    "request": ("REQUEST", SchemeKind.CUSTOM),
    "cognito_user_pools": ("COGNITO_USER_POOLS", SchemeKind.COGNITO_USER_POOLS),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyMethod:
    """One operation: `verb` is GET, POST, ... or ANY."""

    path: str
    verb: str
    keys: DocPath
    api_key_required: bool | Unknown
    authorization_type: MaybeStr
    authorizer: str | None = None  # the security scheme naming its authorizer


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyAuthorizer:
    name: str
    type: str  # TOKEN, REQUEST, COGNITO_USER_POOLS
    keys: DocPath


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenApiBody:
    data: dict[str, Any]  # the decoded body (dicts, lists, strings with symbols, Unknowns)
    methods: tuple[BodyMethod, ...] | Unknown
    authorizers: tuple[BodyAuthorizer, ...] = ()
    has_policy: bool = False  # the body has x-amazon-apigateway-policy (at `POLICY`)
    api_key_source: MaybeStr | None = None
    vpc_endpoint_ids: tuple[str, ...] | Unknown | None = None
    disable_execute_api_endpoint: bool | Unknown | None = None
    has_base_path: bool = False  # basePath / servers: where paths land depends on import mode


def read_body(body: Any, where: str) -> OpenApiBody | Unknown:
    """The definition in `body` (a mapping or JSON text); Unknown when it cannot be read."""
    if isinstance(body, Unknown):
        return body
    if isinstance(body, str):
        if has_symbol(body) or not body.lstrip().startswith("{"):
            return Unknown(f"the OpenAPI definition of {where} is not known before deploy")
        try:
            body = json.loads(body)
        except ValueError:
            return Unknown(f"the OpenAPI definition of {where} is not JSON")
    if not isinstance(body, dict):
        return Unknown(f"the OpenAPI definition of {where} is not a mapping")
    if UNREAD_MARKER in body or any(str(k).startswith("Fn::") for k in body):
        return Unknown(f"the OpenAPI definition of {where} is included from a file")
    schemes = _schemes(body)
    return OpenApiBody(
        data=body,
        methods=_methods(body, schemes, where),
        authorizers=_authorizers(schemes),
        has_policy=body.get(POLICY) is not None,
        api_key_source=_key_source(body.get(KEY_SOURCE)),
        vpc_endpoint_ids=_endpoint_ids(_endpoint(body)),
        disable_execute_api_endpoint=_disable(_endpoint(body)),
        has_base_path="basePath" in body or "servers" in body,
    )


# --- security schemes -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scheme:
    kind: SchemeKind
    keys: DocPath
    authorizer_type: str | None = None


def _schemes(body: dict[str, Any]) -> dict[str, _Scheme] | Unknown:
    """Security schemes by name: `securityDefinitions` (2.0), `components.securitySchemes` (3.0)."""
    found: dict[str, _Scheme] = {}
    places: list[tuple[Any, DocPath]] = [
        (body.get("securityDefinitions"), ("securityDefinitions",))
    ]
    components = body.get("components")
    if isinstance(components, Unknown):
        return components
    if isinstance(components, dict):
        keys: DocPath = ("components", "securitySchemes")
        places.append((components.get("securitySchemes"), keys))
    for table, base in places:
        if table is None:
            continue
        if not isinstance(table, dict):
            return Unknown("the security schemes are not known")
        for name, scheme in table.items():
            found[str(name)] = _scheme(scheme, (*base, name))
    return found


def _scheme(scheme: Any, keys: DocPath) -> _Scheme:
    if not isinstance(scheme, dict) or "$ref" in scheme:
        return _Scheme(SchemeKind.UNKNOWN, keys)
    authorizer = scheme.get(AUTHORIZER)
    if authorizer is not None:
        kind = authorizer.get("type") if isinstance(authorizer, dict) else None
        known = _AUTHORIZER_TYPES.get(kind.lower()) if isinstance(kind, str) else None
        if known is None:
            return _Scheme(SchemeKind.UNKNOWN, keys)
        return _Scheme(known[1], keys, known[0])
    authtype = scheme.get(AUTHTYPE)
    if authtype is not None:
        # awsSigv4 is IAM; other values name a Lambda authorizer's scheme, defined elsewhere.
        iam = isinstance(authtype, str) and authtype.lower() == "awssigv4"
        return _Scheme(SchemeKind.AWS_IAM if iam else SchemeKind.UNKNOWN, keys)
    name, where = scheme.get("name"), scheme.get("in")
    if (
        scheme.get("type") == "apiKey"
        and isinstance(name, str)
        and name.lower() == "x-api-key"
        and isinstance(where, str)
        and where.lower() == "header"
    ):
        return _Scheme(SchemeKind.API_KEY, keys)
    return _Scheme(SchemeKind.UNKNOWN, keys)


def _authorizers(schemes: dict[str, _Scheme] | Unknown) -> tuple[BodyAuthorizer, ...]:
    if isinstance(schemes, Unknown):
        return ()
    return tuple(
        BodyAuthorizer(name=name, type=s.authorizer_type, keys=s.keys)
        for name, s in schemes.items()
        if s.authorizer_type is not None
    )


# --- operations -------------------------------------------------------------------------


def _methods(
    body: dict[str, Any], schemes: dict[str, _Scheme] | Unknown, where: str
) -> tuple[BodyMethod, ...] | Unknown:
    paths = body.get("paths")
    if paths is None:
        return ()
    if not isinstance(paths, dict):
        return Unknown(f"the paths of the OpenAPI definition of {where} are not known")
    top = body.get("security")
    out: list[BodyMethod] = []
    for path, item in paths.items():
        if not isinstance(item, dict) or "$ref" in item or not isinstance(path, str):
            return Unknown(f"path {path} of the OpenAPI definition of {where} is not known")
        if any(str(k).startswith("Fn::") for k in item):
            return Unknown(f"path {path} of the OpenAPI definition of {where} is not known")
        for key, op in item.items():
            verb = "ANY" if key == ANY_METHOD else key.upper() if key in VERBS else None
            if verb is None:
                continue
            out.append(_method(path, verb, ("paths", path, key), op, schemes, top))
    return tuple(out)


def _method(
    path: str,
    verb: str,
    keys: DocPath,
    op: Any,
    schemes: dict[str, _Scheme] | Unknown,
    top: Any,
) -> BodyMethod:
    def unknown(reason: str) -> BodyMethod:
        u = Unknown(f"{verb} {path}: {reason}")
        return BodyMethod(path=path, verb=verb, keys=keys, api_key_required=u, authorization_type=u)

    if not isinstance(op, dict):
        return unknown("the operation is not known")
    security = op.get("security")
    if security is None and top not in (None, []):
        # A definition-wide `security`: not documented for REST API import, so not assumed.
        return unknown("only the definition-wide security applies")
    if security is None:
        security = []
    if not isinstance(security, list) or not all(isinstance(r, dict) for r in security):
        return unknown("its security requirements are not known")
    names = [str(n) for requirement in security for n in requirement]
    if names and isinstance(schemes, Unknown):
        return unknown("its security schemes are not known")
    found = [(n, schemes[n]) for n in names if isinstance(schemes, dict) and n in schemes]
    if len(found) < len(names):
        return unknown("it names a security scheme the definition does not define")
    kinds = {s.kind for _, s in found}
    key: bool | Unknown = SchemeKind.API_KEY in kinds or (
        Unknown(f"{verb} {path}: a security scheme is not known")
        if SchemeKind.UNKNOWN in kinds
        else False
    )
    auth, authorizer = _authorization(op, found, f"{verb} {path}")
    return BodyMethod(
        path=path,
        verb=verb,
        keys=keys,
        api_key_required=key,
        authorization_type=auth,
        authorizer=authorizer,
    )


def _authorization(op: dict[str, Any], found: list[tuple[str, _Scheme]], what: str) -> Any:
    """(authorization type, authorizer scheme name) of an operation."""
    explicit = op.get(AUTH)
    if explicit is not None:
        kind = explicit.get("type") if isinstance(explicit, dict) else None
        if isinstance(kind, str) and kind.upper() in ("NONE", "AWS_IAM"):
            return kind.upper(), None
        return Unknown(f"{what}: x-amazon-apigateway-auth is not known"), None
    others = [(n, s) for n, s in found if s.kind is not SchemeKind.API_KEY]
    kinds = {s.kind for _, s in others}
    if not others:
        return "NONE", None
    if len(kinds) > 1 or SchemeKind.UNKNOWN in kinds:
        return Unknown(f"{what}: the authorization type is not known"), None
    name, scheme = others[0]
    return scheme.kind.value, name if scheme.authorizer_type else None


# --- API-level extensions ---------------------------------------------------------------


def _key_source(value: Any) -> MaybeStr | None:
    if value is None or isinstance(value, Unknown):
        return value
    return (
        value.upper()
        if isinstance(value, str) and not has_symbol(value)
        else Unknown("x-amazon-apigateway-api-key-source is not known")
    )


def _endpoint(body: dict[str, Any]) -> Any:
    """The endpoint configuration: top level (2.0) or on the servers (3.0)."""
    value = body.get(ENDPOINT)
    if value is not None:
        return value
    servers = body.get("servers")
    if isinstance(servers, list):
        if not all(isinstance(s, dict) for s in servers):
            return Unknown("a server is not known")
        found = [s.get(ENDPOINT) for s in servers if ENDPOINT in s]
        if len(found) == 1:
            return found[0]
        if found:
            return Unknown("several servers carry an endpoint configuration")
    elif servers is not None:
        return Unknown("the servers are not known")
    return None


def _endpoint_ids(conf: Any) -> tuple[str, ...] | Unknown | None:
    if conf is None:
        return None
    if isinstance(conf, Unknown):
        return conf
    ids = conf.get("vpcEndpointIds") if isinstance(conf, dict) else Unknown("not a mapping")
    if ids is None:
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return Unknown("vpcEndpointIds is not known")
    return tuple(ids)


def _disable(conf: Any) -> bool | Unknown | None:
    if conf is None:
        return None
    if isinstance(conf, Unknown):
        return conf
    value = conf.get("disableExecuteApiEndpoint") if isinstance(conf, dict) else None
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return Unknown("disableExecuteApiEndpoint is not known")
