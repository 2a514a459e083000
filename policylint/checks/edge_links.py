"""Links the WAF and edge rules need, computed from the model and the graph's origin views.

Who does a web ACL protect, which load balancer or API is behind which CloudFront origin,
which DNS records point at which distribution. Every comparison is three-valued over symbols:
only a definite mismatch may lead to an error finding.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.graph_types import EndpointKind
from policylint.values import Tri, split_symbols, sym

if TYPE_CHECKING:
    from policylint.graph import AccessGraph
    from policylint.graph_types import OriginView
    from policylint.model import Distribution, LoadBalancer, Model, RestApi, WebAcl
    from policylint.source import SourceRef
    from policylint.values import Unknown


class Kind(enum.Enum):
    DISTRIBUTION = "CloudFront distribution"
    ALB = "load balancer"
    API = "API Gateway stage"
    APPSYNC = "AppSync API"
    COGNITO = "Cognito user pool"
    OTHER = "resource"


@dataclass(frozen=True, slots=True, kw_only=True)
class Protected:
    """A resource a web ACL protects, and how the ACL is attached to it."""

    kind: Kind
    label: str
    ref: SourceRef  # the WebACLId / association that attaches the ACL
    distribution: Distribution | None = None
    load_balancer: LoadBalancer | None = None
    api: RestApi | None = None
    via_id: bool = False  # WebACLId names the ACL by Id, not by ARN


def host(value: str) -> str:
    """A DNS name for comparisons: lower case (symbols kept), no trailing dot, no scheme."""
    parts = [(s, t if s else t.lower()) for s, t in split_symbols(value.strip())]
    text = "".join(f"\ue000{t}\ue001" if s else t for s, t in parts)
    for scheme in ("https://", "http://"):
        text = text.removeprefix(scheme)
    return text.rstrip("/").rstrip(".")


def url_host(url: str) -> str:
    """The host part of an http(s) URL; symbols (which may hold "/") are kept whole."""
    out: list[str] = []
    for is_sym, part in split_symbols(url.split("://", 1)[-1]):
        if is_sym:
            out.append(sym(part))
            continue
        head, slash, _ = part.partition("/")
        out.append(head)
        if slash:
            break
    return "".join(out)


def same(a: str | Unknown | None, b: str | Unknown | None) -> Tri:
    """Are two strings (with symbols) equal? FALSE only when it is certain."""
    if not isinstance(a, str) or not isinstance(b, str):
        return Tri.MAYBE
    if a == b:
        return Tri.TRUE
    sa, sb = split_symbols(a), split_symbols(b)
    names_a = [t for s, t in sa if s]
    names_b = [t for s, t in sb if s]
    if not names_a and not names_b:
        return Tri.FALSE
    if [s for s, _ in sa] == [s for s, _ in sb] and names_a == names_b:
        return Tri.FALSE  # same symbols in the same places: only the literal parts differ
    (pa, xa), (pb, xb) = _literal_ends(sa), _literal_ends(sb)
    n, m = min(len(pa), len(pb)), min(len(xa), len(xb))
    if pa[:n] != pb[:n] or (m and xa[-m:] != xb[-m:]):
        return Tri.FALSE
    return Tri.MAYBE


def _literal_ends(parts: list[tuple[bool, str]]) -> tuple[str, str]:
    prefix = parts[0][1] if parts and not parts[0][0] else ""
    suffix = parts[-1][1] if parts and not parts[-1][0] else ""
    return prefix, suffix


def same_host(a: str | Unknown | None, b: str | Unknown | None) -> Tri:
    if not isinstance(a, str) or not isinstance(b, str):
        return Tri.MAYBE
    return same(host(a), host(b))


def dist_domains(d: Distribution) -> tuple[str, ...]:
    """The distribution's domain as references may spell it (with or without .cloudfront.net)."""
    dom = d.domain_name
    if dom.endswith(".cloudfront.net"):
        return dom, dom.removesuffix(".cloudfront.net")
    return dom, f"{dom}.cloudfront.net"


def routes_to(value: str | Unknown | None, d: Distribution) -> Tri:
    """Is `value` (a DNS name) the distribution's domain?"""
    result = Tri.FALSE
    for dom in dist_domains(d):
        result = result | same_host(value, dom)
    return result


def acl_matches(value: str | Unknown | None, acl: WebAcl) -> tuple[Tri, bool]:
    """Does a WebACLId / association value name this ACL? (match, named by Id not ARN)."""
    if not isinstance(value, str) or not value:
        return Tri.MAYBE, False
    if value == acl.arn:
        return Tri.TRUE, False
    if value == acl.acl_id or (acl.acl_id and acl.acl_id in value and "arn:" not in value):
        return Tri.TRUE, True
    return Tri.FALSE, False


def _resource_kind(arn: str) -> Kind:
    if ":elasticloadbalancing:" in arn:
        return Kind.ALB
    if ":apigateway:" in arn:
        return Kind.API
    if ":appsync:" in arn:
        return Kind.APPSYNC
    if ":cognito-idp:" in arn:
        return Kind.COGNITO
    if ":cloudfront::" in arn:
        return Kind.DISTRIBUTION
    return Kind.OTHER


class AclIndex:
    """Which web ACLs a WebACLId value names for sure (`acl_matches` TRUE), without trying
    every ACL: candidates by ARN, by id and by the ids contained in the value."""

    def __init__(self, model: Model) -> None:
        self._acls = model.web_acls
        self._exact: dict[str, list[int]] = {}
        self._ids: dict[str, list[int]] = {}
        for i, acl in enumerate(model.web_acls):
            for text in dict.fromkeys((acl.arn, acl.acl_id)):
                if isinstance(text, str):
                    self._exact.setdefault(text, []).append(i)
            if isinstance(acl.acl_id, str) and acl.acl_id:
                self._ids.setdefault(acl.acl_id, []).append(i)
        self._lengths = sorted({len(t) for t in self._ids})
        self._by_acl: dict[int, list[tuple[Distribution, bool]]] | None = None
        self._model = model

    def named_by(self, value: str | Unknown | None) -> list[tuple[WebAcl, bool]]:
        """(ACL, named by Id) for each ACL `value` names for sure, in the model's order."""
        if not isinstance(value, str) or not value:
            return []
        found = set(self._exact.get(value, ()))
        if "arn:" not in value:
            for n in self._lengths:
                for k in range(len(value) - n + 1):
                    found.update(self._ids.get(value[k : k + n], ()))
        out: list[tuple[WebAcl, bool]] = []
        for i in sorted(found):
            match, via_id = acl_matches(value, self._acls[i])
            if match is Tri.TRUE:
                out.append((self._acls[i], via_id))
        return out

    def distributions(self, acl: WebAcl) -> list[tuple[Distribution, bool]]:
        """(distribution, named by Id) for the distributions whose WebACLId names `acl`."""
        if self._by_acl is None:
            self._by_acl = {}
            for d in self._model.distributions:
                for a, via_id in self.named_by(d.web_acl_id):
                    self._by_acl.setdefault(id(a), []).append((d, via_id))
        return self._by_acl.get(id(acl), [])


def protected_by(model: Model, acl: WebAcl, index: AclIndex | None = None) -> Iterator[Protected]:
    """The distributions and regional resources of the run this ACL is attached to. Pass the
    run's `AclIndex` when asking for many ACLs."""
    for d, via_id in (index or AclIndex(model)).distributions(acl):
        yield Protected(
            kind=Kind.DISTRIBUTION,
            label=f"distribution {d.name}",
            ref=d.web_acl_ref or d.ref,
            distribution=d,
            via_id=via_id,
        )
    for assoc in model.web_acl_associations:
        if assoc.web_acl_arn != acl.arn and not (acl.acl_id and acl.acl_id in assoc.web_acl_arn):
            continue
        arn = assoc.resource_arn
        lb = next((x for x in model.load_balancers if same(x.arn, arn) is Tri.TRUE), None)
        dist = next((x for x in model.distributions if same(x.arn, arn) is Tri.TRUE), None)
        api = next((a for a in model.rest_apis if ":apigateway:" in arn and a.api_id in arn), None)
        if lb is not None:
            yield Protected(
                kind=Kind.ALB, label=f"load balancer {lb.name}", ref=assoc.ref, load_balancer=lb
            )
        elif dist is not None:
            yield Protected(
                kind=Kind.DISTRIBUTION,
                label=f"distribution {dist.name}",
                ref=assoc.ref,
                distribution=dist,
            )
        elif api is not None:
            yield Protected(kind=Kind.API, label=f"REST API {api.name}", ref=assoc.ref, api=api)
        else:
            kind = _resource_kind(arn)
            yield Protected(
                kind=kind, label=f"{kind.value} of association {assoc.name}", ref=assoc.ref
            )


def origins_reaching(graph: AccessGraph, target: Protected) -> tuple[OriginView, ...]:
    """The CloudFront origins (with behaviors) that fetch from this ALB or API."""
    found: list[OriginView] = []
    lb, api = target.load_balancer, target.api
    for view in graph.origins():
        dom = view.origin.domain_name
        if lb is not None and same_host(dom, lb.dns_name) is Tri.TRUE:
            found.append(view)
        is_api = api is not None and view.endpoint.kind is EndpointKind.APIGW
        if is_api and isinstance(dom, str) and api is not None and api.api_id in dom:
            found.append(view)
    return tuple(found)


def load_balancer_of(model: Model, view: OriginView) -> LoadBalancer | None:
    """The load balancer of the run an origin's DomainName names (None if none)."""
    return next(
        (
            lb
            for lb in model.load_balancers
            if same_host(view.origin.domain_name, lb.dns_name) is Tri.TRUE
        ),
        None,
    )
