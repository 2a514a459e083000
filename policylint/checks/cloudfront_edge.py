"""CloudFront edge rules: aliases, Host forwarding, geo, protocol, stacking (CF060-CF150)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.cloudfront_access import check_cf110, check_cf140, check_cf150
from policylint.checks.cloudfront_certs import certificate_hits
from policylint.checks.common import origin_id, origin_trace, pattern_of, text, where
from policylint.checks.edge_links import dist_domains, host, routes_to, same, same_host, url_host
from policylint.checks.edge_snippets import snippet
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph import behaviors_of
from policylint.graph_types import EndpointKind
from policylint.values import SYM_OPEN, Tri, Unknown, split_symbols

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.model import Behavior, Distribution, DnsRecord

MANAGED_HOST_POLICIES = {
    "216adef6-5c7f-47e4-b989-5492eafa07d3": "AllViewer",
    "33f36d7e-f396-46d9-90e0-52428a34d9dc": "AllViewerAndCloudFrontHeaders-2022-06",
}
_HOST_SENSITIVE = {
    EndpointKind.APIGW: None,  # error
    EndpointKind.LAMBDA_URL: None,  # error
    EndpointKind.REST: Severity.WARNING,
}
_NON_GET = {"POST", "PUT", "PATCH", "DELETE"}


# -- CF060 ---------------------------------------------------------------------------------


def points_at(rec: DnsRecord, d: Distribution) -> Tri:
    """Does the record (alias or CNAME) route to the distribution's domain?"""
    targets = [rec.alias_target] if rec.alias_target is not None else []
    targets.extend(rec.values)
    result = Tri.FALSE
    for t in targets:
        result = result | routes_to(t, d)
    return result


def covers(alias: str, name: str) -> Tri:
    """Does an alternate domain name cover the DNS name? (`*.a.b` covers exactly one label)"""
    a, n = host(alias), host(name)
    if not a.startswith("*."):
        return same(a, n)
    if n.startswith(SYM_OPEN) or "." not in n:
        return Tri.MAYBE if n.startswith(SYM_OPEN) else Tri.FALSE
    label, _, rest = n.partition(".")
    if SYM_OPEN in label:
        return Tri.MAYBE
    return same(a[2:], rest) if label and label != "*" else same(a, n)


def check_cf060(ctx: CheckContext) -> Iterator[Hit]:
    """A DNS name routed to the distribution is missing from its Aliases."""
    for d in ctx.model.distributions:
        if isinstance(d.aliases, Unknown):
            continue
        yield from _uppercase_aliases(d)
        yield from certificate_hits(ctx.model, d)
        for rec in ctx.model.dns_records:
            if not isinstance(rec.record_name, str) or points_at(rec, d) is not Tri.TRUE:
                continue
            verdict = Tri.FALSE
            for alias in d.aliases:
                verdict = verdict | covers(alias, rec.record_name)
            if verdict is not Tri.FALSE:
                continue
            name = text(host(rec.record_name))
            have = ", ".join(text(a) for a in d.aliases) or "none"
            msg = (
                f"DNS record {rec.name}{where(rec.ref)} routes {name} to distribution {d.name}, "
                f"but {name} is not among its Aliases ({have}): CloudFront answers 403 "
                "(Bad request) for a Host it does not serve"
            )
            steps = (
                TraceStep(f"viewer resolves {name} via record {rec.name}", rec.ref),
                TraceStep(f"distribution {d.name}: Aliases {have}", d.ref, denies=True),
            )
            fix = (
                f"Add {name} to the distribution's Aliases (and cover it with the viewer "
                f"certificate):\n{snippet(d.ref, 'aliases', names=[*map(text, d.aliases), name])}"
            )
            yield Hit(
                ref=d.ref,
                resource=d.name,
                message=msg,
                fix=fix,
                key=f"{d.name}|{rec.name}|{name}",
                trace=steps,
            )


def _uppercase_aliases(d: Distribution) -> Iterator[Hit]:
    assert not isinstance(d.aliases, Unknown)
    for alias in d.aliases:
        literal = "".join(t for s, t in split_symbols(alias) if not s)
        if literal != literal.lower():
            msg = (
                f"alias {text(alias)} of distribution {d.name} has upper-case letters: "
                "CloudFront requires lower-case alternate domain names (deployment fails)"
            )
            yield Hit(
                ref=d.ref,
                resource=d.name,
                message=msg,
                fix=f"Write the alias in lower case: {text(alias).lower()}",
                key=f"{d.name}|{alias}|case",
                trace=(TraceStep(f"Aliases contains {text(alias)}", d.ref, denies=True),),
            )


# -- CF070 ---------------------------------------------------------------------------------


def forwards_host(ctx: CheckContext, beh: Behavior) -> str | None:
    """Why the behavior forwards the viewer's Host header to the origin; None if it doesn't."""
    orp = beh.origin_request_policy_id
    if isinstance(orp, str) and orp in MANAGED_HOST_POLICIES:
        return f"managed origin request policy {MANAGED_HOST_POLICIES[orp]} ({orp})"
    policy = next(
        (
            p
            for p in ctx.model.origin_request_policies
            if isinstance(orp, str) and p.policy_id == orp
        ),
        None,
    )
    if policy is not None:
        mode = policy.header_behavior.lower() if isinstance(policy.header_behavior, str) else ""
        heads = () if isinstance(policy.headers, Unknown) else policy.headers
        if mode.startswith("allviewer"):
            return f"origin request policy {policy.name} (HeaderBehavior {policy.header_behavior})"
        if mode == "whitelist" and any(h.lower() == "host" for h in heads):
            return f"origin request policy {policy.name} (forwards header Host)"
    legacy = () if isinstance(beh.forwarded_headers, Unknown) else beh.forwarded_headers
    if "*" in legacy:
        return "ForwardedValues.Headers ['*'] (all headers)"
    if any(h.lower() == "host" for h in legacy):
        return "ForwardedValues.Headers with Host"
    return None


def check_cf070(ctx: CheckContext) -> Iterator[Hit]:
    """The viewer's Host header is forwarded to an origin that needs its own host name."""
    for view in ctx.graph.origins():
        kind = view.endpoint.kind
        if kind not in _HOST_SENSITIVE:
            continue
        for beh in view.behaviors:
            why = forwards_host(ctx, beh)
            if why is None:
                continue
            d = view.distribution
            effect = (
                ("S3 signs and routes by host, so the request fails (403 or SignatureDoesNotMatch)")
                if kind is EndpointKind.REST
                else ("the origin expects its own domain in Host and answers 403")
            )
            msg = (
                f"behavior {pattern_of(beh)} of distribution {d.name} forwards the viewer's Host "
                f"header to {kind.value} origin {origin_id(view)} via {why}: {effect}"
            )
            steps = (
                *origin_trace(view),
                TraceStep(f"{why} forwards Host: {text(host_of(d))}", beh.ref, denies=True),
            )
            fix = (
                "Use the managed AllViewerExceptHostHeader policy (or list the headers the "
                f"origin needs, without Host):\n{snippet(beh.ref, 'orp_except_host')}"
            )
            yield Hit(
                ref=beh.ref,
                resource=d.name,
                message=msg,
                fix=fix,
                trace=steps,
                key=f"{d.name}|{pattern_of(beh)}|{origin_id(view)}",
                severity=_HOST_SENSITIVE[kind],
            )


def host_of(d: Distribution) -> str:
    if not isinstance(d.aliases, Unknown) and d.aliases:
        return d.aliases[0]
    return d.domain_name


# -- CF100 ---------------------------------------------------------------------------------


def check_cf100(ctx: CheckContext) -> Iterator[Hit]:
    """Geo restriction excludes declared markets (WAF geo blocks: WAF040)."""
    declared = [c.upper() for c in ctx.intent.expected_countries]
    for d in ctx.model.distributions:
        geo = d.geo_restriction
        if geo is None or not isinstance(geo.restriction_type, str):
            continue
        if isinstance(geo.locations, Unknown):
            continue
        kind = geo.restriction_type.lower()
        locs = {c.upper() for c in geo.locations}
        if kind == "whitelist":
            excluded = [c for c in declared if c not in locs]
        elif kind == "blacklist":
            excluded = [c for c in declared if c in locs]
        else:
            continue
        if excluded:
            msg = (
                f"geo restriction of distribution {d.name} ({kind} {', '.join(sorted(locs))}) "
                f"excludes declared market(s) {', '.join(excluded)}: their viewers get 403"
            )
            new = (
                sorted(locs | set(excluded))
                if kind == "whitelist"
                else sorted(locs - set(excluded))
            )
            fix = "Adjust the locations:\n" + snippet(geo.ref, "geo", codes=new, kind=kind)
            steps = (
                TraceStep(f"viewer in {excluded[0]} -> distribution {d.name}", d.ref),
                TraceStep(f"GeoRestriction {kind} {', '.join(sorted(locs))}", geo.ref, denies=True),
            )
            yield Hit(
                ref=geo.ref,
                resource=d.name,
                message=msg,
                fix=fix,
                trace=steps,
                key=f"{d.name}|geo|{','.join(excluded)}",
                severity=Severity.WARNING,
            )
        elif not declared and kind == "whitelist" and len(locs) <= 3 and _serves_api(ctx, d):
            msg = (
                f"distribution {d.name} serves API origins but admits viewers from "
                f"{', '.join(sorted(locs))} only: API clients elsewhere get 403 (declare "
                "expected-countries in the configuration to check this exactly)"
            )
            yield Hit(
                ref=geo.ref,
                resource=d.name,
                message=msg,
                fix="Check the locations against your markets, or use a separate "
                "distribution for the API.",
                key=f"{d.name}|geo-api",
                severity=Severity.INFO,
                trace=(TraceStep(f"GeoRestriction whitelist {', '.join(sorted(locs))}", geo.ref),),
            )


def _serves_api(ctx: CheckContext, d: Distribution) -> bool:
    apis = (EndpointKind.APIGW, EndpointKind.LAMBDA_URL)
    return any(
        v.distribution is d and v.behaviors and v.endpoint.kind in apis for v in ctx.graph.origins()
    )


# -- CF120 ---------------------------------------------------------------------------------


def check_cf120(ctx: CheckContext) -> Iterator[Hit]:
    """The viewer protocol policy rejects the protocol some clients use."""
    for d in ctx.model.distributions:
        for beh in behaviors_of(d):
            vpp = beh.viewer_protocol_policy
            methods = () if isinstance(beh.allowed_methods, Unknown) else beh.allowed_methods
            writes = sorted(_NON_GET & {m.upper() for m in methods})
            if vpp == "redirect-to-https" and writes:
                msg = (
                    f"behavior {pattern_of(beh)} of distribution {d.name} redirects HTTP to "
                    f"HTTPS but allows {', '.join(writes)}: clients that send these over HTTP "
                    "are not redirected reliably (403 for older HTTP versions)"
                )
                yield Hit(
                    ref=beh.ref,
                    resource=d.name,
                    message=msg,
                    severity=Severity.INFO,
                    fix="Make API clients use https:// URLs, or use https-only to fail fast.",
                    key=f"{d.name}|{pattern_of(beh)}|redirect-writes",
                    trace=(
                        TraceStep(
                            f"ViewerProtocolPolicy redirect-to-https, methods {', '.join(writes)}",
                            beh.ref,
                        ),
                    ),
                )
        yield from _http_clients(ctx, d)


def _http_clients(ctx: CheckContext, d: Distribution) -> Iterator[Hit]:
    dflt = d.default_behavior
    if dflt is None or dflt.viewer_protocol_policy != "https-only":
        return
    names = [*dist_domains(d), *(() if isinstance(d.aliases, Unknown) else d.aliases)]
    for w in ctx.model.workloads:
        for var, value, ref in w.wired:
            if not isinstance(value, str) or not value.lower().startswith("http://"):
                continue
            if any(same_host(url_host(value), n) is Tri.TRUE for n in names):
                msg = (
                    f"{w.name} is handed {var} = {text(value)}, an http:// URL of distribution "
                    f"{d.name}, whose default behavior is https-only: its requests get 403"
                )
                yield Hit(
                    ref=ref,
                    resource=w.name,
                    message=msg,
                    severity=Severity.INFO,
                    fix=f"Use https:// in {var}.",
                    key=f"{w.name}|{var}|{d.name}",
                    trace=(
                        TraceStep(f"{var} = {text(value)}", ref),
                        TraceStep("ViewerProtocolPolicy https-only", dflt.ref, denies=True),
                    ),
                )


# -- CF130 ---------------------------------------------------------------------------------


def check_cf130(ctx: CheckContext) -> Iterator[Hit]:
    """The origin is another CloudFront distribution (stacked distributions)."""
    index = _distributions_by_host(ctx)
    for view in ctx.graph.origins():
        if not view.behaviors:
            continue
        inner = _distribution_at(index, view)
        if view.endpoint.kind is not EndpointKind.CLOUDFRONT and inner is None:
            continue
        d = view.distribution
        target = f"distribution {inner.name}" if inner else text(view.endpoint.host)
        msg = (
            f"origin {origin_id(view)} of distribution {d.name} is CloudFront {target}: "
            "CloudFront returns 403 when two distributions are chained in front of an origin"
        )
        fix = (
            f"Point origin {origin_id(view)} at the real origin"
            + (f" (the origins of {inner.name})" if inner else "")
            + " instead of a cloudfront.net name."
        )
        steps = (
            *origin_trace(view),
            TraceStep(
                f"origin domain {text(view.endpoint.host)} is a CloudFront distribution",
                view.origin.ref,
                denies=True,
            ),
        )
        yield Hit(
            ref=view.origin.ref,
            resource=d.name,
            message=msg,
            fix=fix,
            trace=steps,
            key=f"{d.name}|{origin_id(view)}|stacked",
        )


def _distribution_at(index: dict[str, Distribution], view: OriginView) -> Distribution | None:
    """The first distribution `routes_to` the origin's domain for sure. `same` is TRUE only
    for equal texts, so that is the first distribution one of whose domains has its host."""
    value = view.origin.domain_name
    return index.get(host(value)) if isinstance(value, str) else None


def _distributions_by_host(ctx: CheckContext) -> dict[str, Distribution]:
    index: dict[str, Distribution] = {}
    for d in ctx.model.distributions:
        for dom in dist_domains(d):
            index.setdefault(host(dom), d)
    return index


CHECKS = {
    "CF060": check_cf060,
    "CF070": check_cf070,
    "CF100": check_cf100,
    "CF110": check_cf110,
    "CF120": check_cf120,
    "CF130": check_cf130,
    "CF140": check_cf140,
    "CF150": check_cf150,
}
