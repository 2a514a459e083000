"""OpenAPI bodies of REST APIs: what API Gateway imports, and what stays unknown.

AWS sources: "Configure a method to use API keys with an OpenAPI definition", and the
x-amazon-apigateway-authtype / -authorizer / -auth / -policy / -api-key-source /
-endpoint-configuration extension pages of the API Gateway Developer Guide.
"""

from __future__ import annotations

from typing import Any

import pytest

from policylint.apigw_openapi import UNREAD_MARKER, BodyMethod, OpenApiBody, read_body
from policylint.values import Unknown, sym

API_KEY = {"type": "apiKey", "name": "x-api-key", "in": "header"}
SIGV4 = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authtype": "awsSigv4",
}
TOKEN = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authtype": "custom",
    "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": "arn"},
}
COGNITO = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authtype": "cognito_user_pools",
    "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": []},
}


def _swagger(op: dict[str, Any], **extra: Any) -> dict[str, Any]:
    schemes = {"api_key": API_KEY, "sigv4": SIGV4, "lambda": TOKEN, "pool": COGNITO}
    return {"swagger": "2.0", "paths": {"/a": {"get": op}}, "securityDefinitions": schemes, **extra}


def _one(body: Any) -> BodyMethod:
    parsed = read_body(body, "Api")
    assert isinstance(parsed, OpenApiBody)
    assert not isinstance(parsed.methods, Unknown)
    (method,) = parsed.methods
    return method


@pytest.mark.parametrize(
    ("security", "key", "auth"),
    [
        (None, False, "NONE"),
        ([], False, "NONE"),
        ([{"api_key": []}], True, "NONE"),
        ([{"sigv4": []}], False, "AWS_IAM"),
        ([{"api_key": [], "sigv4": []}], True, "AWS_IAM"),
        ([{"lambda": []}, {"api_key": []}], True, "CUSTOM"),
        ([{"pool": ["scope"]}], False, "COGNITO_USER_POOLS"),
    ],
)
def test_security_requirements(security: Any, key: bool, auth: str) -> None:
    op: dict[str, Any] = {} if security is None else {"security": security}
    m = _one(_swagger(op))
    assert (m.api_key_required, m.authorization_type) == (key, auth)


def test_openapi3_security_schemes_and_any_method() -> None:
    body = {
        "openapi": "3.0.1",
        "paths": {"/{proxy+}": {"x-amazon-apigateway-any-method": {"security": [{"k": []}]}}},
        "components": {"securitySchemes": {"k": API_KEY}},
    }
    m = _one(body)
    assert (m.verb, m.path, m.api_key_required) == ("ANY", "/{proxy+}", True)
    assert m.keys == ("paths", "/{proxy+}", "x-amazon-apigateway-any-method")


def test_auth_extension_sets_the_authorization_type() -> None:
    m = _one(_swagger({"x-amazon-apigateway-auth": {"type": "aws_iam"}}))
    assert m.authorization_type == "AWS_IAM"


@pytest.mark.parametrize(
    "body",
    [
        # another header name: not documented as an API key
        _swagger(
            {"security": [{"other": []}]}, securityDefinitions={"other": {**API_KEY, "name": "key"}}
        ),
        # a scheme that is not defined
        _swagger({"security": [{"missing": []}]}),
        # only a definition-wide security requirement
        _swagger({}, security=[{"api_key": []}]),
        # an authtype that is not awsSigv4, without an authorizer
        _swagger(
            {"security": [{"x": []}]},
            securityDefinitions={"x": {**SIGV4, "x-amazon-apigateway-authtype": "aws_other"}},
        ),
    ],
)
def test_what_is_not_documented_stays_unknown(body: dict[str, Any]) -> None:
    m = _one(body)
    assert isinstance(m.api_key_required, Unknown) or isinstance(m.authorization_type, Unknown)
    assert m.api_key_required is not True


@pytest.mark.parametrize(
    "body",
    [
        Unknown("Fn::Transform is not evaluated before deploy"),
        "{" + sym("file") + "}",
        f"templatefile {sym('x')}",
        "swagger: '2.0'",
        {"swagger": "2.0", "paths": {}, UNREAD_MARKER: "AWS::Include"},
        {"swagger": "2.0", "Fn::Transform": {"Name": "AWS::Include"}},
        [],
    ],
)
def test_unreadable_bodies_are_unknown(body: Any) -> None:
    assert isinstance(read_body(body, "Api"), Unknown)


@pytest.mark.parametrize(
    "paths",
    [
        Unknown("paths"),
        {"/a": {"$ref": "other.yaml#/a"}},
        {"/a": Unknown("an Fn::If")},
    ],
)
def test_unreadable_paths_make_the_method_set_unknown(paths: Any) -> None:
    parsed = read_body({"swagger": "2.0", "paths": paths}, "Api")
    assert isinstance(parsed, OpenApiBody)
    assert isinstance(parsed.methods, Unknown)


def test_api_level_extensions() -> None:
    body = {
        "openapi": "3.0.1",
        "x-amazon-apigateway-api-key-source": "AUTHORIZER",
        "x-amazon-apigateway-policy": {"Version": "2012-10-17", "Statement": []},
        "servers": [
            {
                "url": "/",
                "x-amazon-apigateway-endpoint-configuration": {
                    "vpcEndpointIds": ["vpce-1"],
                    "disableExecuteApiEndpoint": True,
                },
            }
        ],
        "components": {"securitySchemes": {"lambda": TOKEN}},
    }
    parsed = read_body(body, "Api")
    assert isinstance(parsed, OpenApiBody)
    assert parsed.has_policy and parsed.api_key_source == "AUTHORIZER"
    assert parsed.vpc_endpoint_ids == ("vpce-1",)
    assert parsed.disable_execute_api_endpoint is True
    assert [(a.name, a.type) for a in parsed.authorizers] == [("lambda", "TOKEN")]
    assert parsed.methods == ()


def test_json_text_body_is_read() -> None:
    m = _one('{"swagger": "2.0", "paths": {"/a": {"post": {}}}}')
    assert (m.verb, m.api_key_required, m.authorization_type) == ("POST", False, "NONE")


def test_a_server_that_is_not_known_makes_the_endpoint_settings_unknown() -> None:
    body = {"openapi": "3.0.1", "servers": [Unknown("Fn::If on a condition without value")]}
    parsed = read_body(body, "Api")
    assert isinstance(parsed, OpenApiBody)
    assert isinstance(parsed.vpc_endpoint_ids, Unknown)
    assert isinstance(parsed.disable_execute_api_endpoint, Unknown)


def test_endpoint_type_import_parameter_from_a_condition_is_unknown() -> None:
    """Not assumed EDGE: the condition may choose PRIVATE."""
    from tests.cfn.helpers import load

    template = (
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Kind: {Type: String}\n'
        "Conditions:\n  Internal: !Equals [!Ref Kind, internal]\nResources:\n  Api:\n"
        "    Type: AWS::ApiGateway::RestApi\n    Properties:\n"
        '      Body: {swagger: "2.0", paths: {}}\n      Parameters:\n'
        "        endpointConfigurationTypes: !If [Internal, PRIVATE, REGIONAL]\n"
    )
    (api,) = load(template).model.rest_apis
    assert isinstance(api.endpoint_types, Unknown)
