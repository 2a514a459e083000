"""API Gateway rules about where requests go: private DNS endpoints (API030), custom domains
without mappings and disabled default endpoints (API040)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.apigw_support import eq
from policylint.checks.common import text
from policylint.checks.vpc import same_vpc, sites, subnet_names
from policylint.findings import Hit, Severity, TraceStep
from policylint.values import Tri, Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.checks.vpc import Site
    from policylint.model import Model, RestApi, VpcEndpoint, Workload

# --- API030 -----------------------------------------------------------------------------


def execute_api_endpoints(model: Model) -> list[VpcEndpoint]:
    return [
        e
        for e in model.vpc_endpoints
        if isinstance(e.service_name, str)
        and e.service_name.endswith(".execute-api")
        and isinstance(e.endpoint_type, str)
        and e.endpoint_type.lower() == "interface"
    ]


def _kind(api: RestApi) -> str:
    types = api.endpoint_types
    return "/".join(types) if not isinstance(types, Unknown) else "a public"


def _public(api: RestApi) -> bool:
    types = api.endpoint_types
    if isinstance(types, Unknown) or any(has_symbol(t) for t in types):
        return False  # `Types: [!Ref Kind]`: may be PRIVATE
    return "PRIVATE" not in [t.upper() for t in types]


def _uses_host(value: object, api: RestApi) -> bool:
    return isinstance(value, str) and f"{api.api_id}.execute-api." in value


def _dns_endpoint_of(
    model: Model, w: Workload, dns: list[VpcEndpoint]
) -> tuple[VpcEndpoint, Site] | None:
    """A private-DNS execute-api endpoint certainly in the VPC of one of `w`'s placements."""
    for site in sites(model, w):
        for ep in dns:
            if same_vpc(site, ep) is Tri.TRUE:
                return ep, site
    return None


def check_api030(ctx: CheckContext) -> Iterator[Hit]:
    """A VPC workload calls a public API while an execute-api endpoint in its VPC has private
    DNS on."""
    model = ctx.model
    dns = [e for e in execute_api_endpoints(model) if e.private_dns_enabled is True]
    if not dns:
        return
    for w in model.workloads:
        calls = [
            (name, value, ref, api)
            for name, value, ref in w.wired
            for api in model.rest_apis
            if _public(api) and _uses_host(value, api)
        ]
        found = _dns_endpoint_of(model, w, dns) if calls else None
        if found is None:
            continue  # no call to a public API, or not known to share the endpoint's VPC
        ep, site = found
        seen: set[str] = set()
        for name, value, ref, api in calls:
            if name in seen:
                continue
            seen.add(name)
            msg = (
                f"{w.name} runs in the VPC of execute-api endpoint {ep.name} and calls "
                f"{_kind(api)} API {api.name} through its execute-api host ({name}); the "
                "endpoint has private DNS on, so in that VPC the host resolves to the endpoint, "
                "which serves private APIs only: the call gets 403 Forbidden"
            )
            yield Hit(
                ref=ref,
                resource=w.name,
                message=msg,
                fix="Call the API through a custom domain name, or turn off PrivateDnsEnabled "
                "(private_dns_enabled) and use the endpoint-specific host names for private APIs.",
                key=f"{w.name}|{name}|{api.name}",
                trace=(
                    TraceStep(f"{w.name} -> {text(value)}", ref),
                    TraceStep(f"{w.name} runs in {subnet_names(model, site)}", site.placement.ref),
                    TraceStep(f"{ep.name}: execute-api, private DNS on, same VPC", ep.ref, True),
                ),
            )


# --- API040 -----------------------------------------------------------------------------


def _points_at(model: Model, domain_id: str, name: str | Unknown) -> bool:
    marker = f"res:{domain_id}."
    for r in model.dns_records:
        targets = [r.alias_target, *r.values]
        if any(isinstance(t, str) and marker in t for t in targets):
            return True
        if eq(r.record_name, name) is Tri.TRUE or (
            isinstance(r.record_name, str)
            and isinstance(name, str)
            and r.record_name.rstrip(".") == name.rstrip(".")
        ):
            return True
    return False


def check_api040(ctx: CheckContext) -> Iterator[Hit]:
    """A custom domain without API mapping; a disabled default endpoint still in use."""
    model = ctx.model
    for d in model.api_domain_names:
        if any(eq(m.domain_name, d.domain_name) is not Tri.FALSE for m in model.api_mappings):
            continue
        if not _points_at(model, d.id, d.domain_name):
            continue
        yield Hit(
            ref=d.ref,
            resource=d.name,
            message=(
                f"custom domain {text(d.domain_name)} ({d.name}) has a DNS record but no base "
                "path or API mapping: API Gateway has nowhere to route and answers "
                '{"message":"Forbidden"}'
            ),
            fix="Add an AWS::ApiGateway::BasePathMapping (aws_api_gateway_base_path_mapping) "
            "from the domain to the API's stage.",
            key=f"{d.name}|no-mapping",
        )
    for api in model.rest_apis:
        if api.disable_execute_api_endpoint is not True:
            continue
        users = [
            (w.name, n, r) for w in model.workloads for n, v, r in w.wired if _uses_host(v, api)
        ]
        users += [
            (v.distribution.name, f"origin {text(v.origin.origin_id)}", v.origin.ref)
            for v in ctx.graph.origins()
            if _uses_host(v.origin.domain_name, api)
        ]
        for who, what, ref in users:
            yield Hit(
                ref=ref,
                resource=api.name,
                message=(
                    f"API {api.name} disables its default execute-api endpoint, but {who} "
                    f"({what}) calls it through that host: those calls get 403 Forbidden"
                ),
                fix="Point the consumer at the custom domain name, or set "
                "DisableExecuteApiEndpoint / disable_execute_api_endpoint to false.",
                key=f"{api.name}|{who}|{what}",
                severity=Severity.WARNING,
            )
