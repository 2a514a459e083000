"""The access graph: who can reach what, linked from the model (the only networkx user)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.graph_types import (
    BucketIndex,
    Caller,
    CallerKind,
    EdgeKind,
    EndpointKind,
    KeyKind,
    KeyLink,
    NodeKind,
    OriginView,
    classify_domain,
    oai_matching,
)
from policylint.model import (
    KmsAlias,
    KmsKey,
)
from policylint.values import Unknown, render

if TYPE_CHECKING:
    import networkx

    from policylint.graph_workloads import Wire
    from policylint.model import (
        Behavior,
        Bucket,
        BucketPolicy,
        Distribution,
        Model,
        Origin,
        OriginAccessControl,
        OriginAccessIdentity,
        Role,
        WebAcl,
    )
    from policylint.source import SourceRef

__all__ = ["ANONYMOUS", "AccessGraph", "behaviors_of", "build_graph", "origins_of"]

ANONYMOUS = "caller:anonymous"
_AWS_MANAGED_S3 = ("alias/aws/s3",)


def _label(text: str) -> str:
    return render(text)


def behaviors_of(dist: Distribution) -> tuple[Behavior, ...]:
    """The default behavior first, then the ordered cache behaviors (known ones only)."""
    ordered = () if isinstance(dist.behaviors, Unknown) else dist.behaviors
    return ((dist.default_behavior,) if dist.default_behavior else ()) + ordered


def origins_of(dist: Distribution) -> tuple[Origin, ...]:
    return () if isinstance(dist.origins, Unknown) else dist.origins


class AccessGraph:
    """A thin wrapper around one MultiDiGraph, with the named questions rules ask."""

    def __init__(self, model: Model) -> None:
        import networkx as nx

        self.model = model
        self.g: networkx.MultiDiGraph = nx.MultiDiGraph()
        self._views: list[OriginView] = []
        self._views_by_bucket: dict[str, tuple[OriginView, ...]] | None = None  # lazy index

    # -- building -------------------------------------------------------------------------

    def add_node(self, node: str, kind: NodeKind, label: str, obj: object = None) -> None:
        self.g.add_node(node, kind=kind, label=_label(label), obj=obj)

    def add_edge(
        self, src: str, dst: str, kind: EdgeKind, reason: str, ref: SourceRef | None, **attrs: Any
    ) -> None:
        self.g.add_edge(src, dst, key=kind.value, kind=kind, reason=reason, ref=ref, **attrs)

    def _targets(self, node: str, kind: EdgeKind) -> list[tuple[str, dict[str, Any]]]:
        return [(v, d) for _, v, d in self.g.out_edges(node, data=True) if d["kind"] is kind]

    def _sources(self, node: str, kind: EdgeKind) -> list[tuple[str, dict[str, Any]]]:
        return [(u, d) for u, _, d in self.g.in_edges(node, data=True) if d["kind"] is kind]

    def obj(self, node: str) -> Any:
        return self.g.nodes[node].get("obj")

    # -- queries --------------------------------------------------------------------------

    def origins(self) -> Iterator[OriginView]:
        """Every origin of every distribution, in model order."""
        yield from self._views

    def s3_origins(self) -> Iterator[OriginView]:
        """Origins on an S3 REST or website endpoint (bucket may be None: not in the run)."""
        for view in self._views:
            if view.endpoint.kind in (EndpointKind.REST, EndpointKind.WEBSITE):
                yield view

    def buckets(self) -> tuple[Bucket, ...]:
        return self.model.buckets

    def policies_for(self, bucket: Bucket) -> tuple[BucketPolicy, ...]:
        return tuple(self.obj(n) for n, _ in self._targets(bucket.id, EdgeKind.HAS_POLICY))

    def policy_for(self, bucket: Bucket) -> BucketPolicy | None:
        """The bucket's policy; None if it has none (or several: then use `policies_for`)."""
        found = self.policies_for(bucket)
        return found[0] if len(found) == 1 else None

    def key_for(self, bucket: Bucket) -> KeyLink | None:
        """The KMS key of the bucket's default SSE-KMS encryption; None if not SSE-KMS."""
        enc = bucket.encryption
        if enc is None or isinstance(enc, Unknown) or isinstance(enc.algorithm, Unknown):
            return None
        if not enc.algorithm.startswith("aws:kms"):
            return None
        if enc.kms_key is None or enc.kms_key in _AWS_MANAGED_S3:
            return KeyLink(encryption=enc, kind=KeyKind.AWS_MANAGED)
        for node, _ in self._targets(bucket.id, EdgeKind.ENCRYPTED_WITH):
            target = self.obj(node)
            if isinstance(target, KmsKey):
                return KeyLink(encryption=enc, kind=KeyKind.IN_RUN, key=target)
            if isinstance(target, KmsAlias):
                keys = [self.obj(k) for k, _ in self._targets(node, EdgeKind.ALIAS_OF)]
                key = keys[0] if keys else None
                kind = KeyKind.IN_RUN if key else KeyKind.EXTERNAL
                return KeyLink(encryption=enc, kind=kind, key=key, alias=target)
        if isinstance(enc.kms_key, str) and enc.kms_key.endswith(":alias/aws/s3"):
            return KeyLink(encryption=enc, kind=KeyKind.AWS_MANAGED)
        return KeyLink(encryption=enc, kind=KeyKind.EXTERNAL)

    def web_acl_for(self, dist: Distribution) -> WebAcl | None:
        found = self._targets(dist.id, EdgeKind.PROTECTED_BY)
        return self.obj(found[0][0]) if found else None

    def callers_of(self, bucket: Bucket) -> tuple[Caller, ...]:
        """The synthetic callers that reach the bucket (sorted by node id)."""
        nodes = sorted({n for n, _ in self._sources(bucket.id, EdgeKind.CALLS)})
        return tuple(self.obj(n) for n in nodes)

    def views_of(self, bucket: Bucket) -> tuple[OriginView, ...]:
        """The origins (of any distribution) that fetch from the bucket."""
        if self._views_by_bucket is None:
            index: dict[str, list[OriginView]] = {}
            for v in self._views:
                if v.bucket is not None:
                    index.setdefault(v.bucket.id, []).append(v)
            self._views_by_bucket = {k: tuple(vs) for k, vs in index.items()}
        return self._views_by_bucket.get(bucket.id, ())

    def caller_for(self, view: OriginView) -> Caller | None:
        """Who S3 sees for requests through this origin; None when it cannot be told."""
        if view.oac_unresolved or view.oai_unresolved:
            return None
        if view.oac is not None:
            signing = view.oac.signing_behavior
            if isinstance(signing, Unknown):
                return None
            if signing in ("always", "no-override"):
                return self._caller(_oac_node(view.distribution, view.oac))
            return self._caller(ANONYMOUS) if signing == "never" else None
        if view.oai is not None:
            return self._caller(_oai_node(view.oai))
        return self._caller(ANONYMOUS)

    def _caller(self, node: str) -> Caller | None:
        found = self.obj(node) if node in self.g else None
        return found if isinstance(found, Caller) else None

    def role_of(self, workload_id: str) -> Role | None:
        """The role of the run a workload assumes."""
        found = self._targets(workload_id, EdgeKind.ASSUMES)
        return self.obj(found[0][0]) if found else None

    def wires(self, workload_id: str) -> list[Wire]:
        """The resources of the run a workload is handed (environment, parameters)."""
        return [d["wire"] for _, d in self._targets(workload_id, EdgeKind.WIRED_TO)]

    def roles_wired_to(self, resource_id: str) -> list[tuple[Role, Wire]]:
        """Roles of workloads handed the resource, with the wiring (the reason)."""
        out = []
        for w, d in self._sources(resource_id, EdgeKind.WIRED_TO):
            role = self.role_of(w)
            if role is not None:
                out.append((role, d["wire"]))
        return out

    # -- export ---------------------------------------------------------------------------

    def _edge_rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for u, v, d in self.g.edges(data=True):
            ref = d.get("ref")
            where = ref.display() if ref else ""
            rows.append((u, v, d["kind"].value, render(d["reason"]), where))
        return sorted(rows)

    def _node_rows(self) -> list[tuple[str, str, str]]:
        return sorted((n, d["kind"].value, d["label"]) for n, d in self.g.nodes(data=True))

    def to_json(self) -> str:
        """Nodes and edges as JSON (sorted, so output is deterministic)."""
        data = {
            "nodes": [
                {"id": render(n), "kind": k, "label": lbl} for n, k, lbl in self._node_rows()
            ],
            "edges": [
                {"source": render(u), "target": render(v), "kind": k, "reason": r, "at": w}
                for u, v, k, r, w in self._edge_rows()
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_dot(self) -> str:
        """Graphviz DOT text."""
        names = {n: f"n{i}" for i, (n, _, _) in enumerate(self._node_rows())}
        lines = ["digraph access {", "  rankdir=LR;"]
        for n, kind, label in self._node_rows():
            lines.append(f"  {names[n]} [label={_dq(f'{kind}: {label}')}];")
        for u, v, kind, reason, _ in self._edge_rows():
            lines.append(f"  {names[u]} -> {names[v]} [label={_dq(kind)}, tooltip={_dq(reason)}];")
        return "\n".join([*lines, "}"]) + "\n"

    def to_mermaid(self) -> str:
        """Mermaid flowchart text."""
        names = {n: f"n{i}" for i, (n, _, _) in enumerate(self._node_rows())}
        lines = ["flowchart LR"]
        for n, kind, label in self._node_rows():
            lines.append(f'  {names[n]}["{_mm(f"{kind}: {label}")}"]')
        for u, v, kind, _, _ in self._edge_rows():
            lines.append(f"  {names[u]} -->|{_mm(kind)}| {names[v]}")
        return "\n".join(lines) + "\n"


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mm(text: str) -> str:
    return text.replace('"', "#quot;").replace("|", "#124;")


def _behavior_node(dist: Distribution, index: int, beh: Behavior) -> str:
    return f"{dist.id}/behavior/{'default' if beh is dist.default_behavior else index}"


def _oac_node(dist: Distribution, oac: OriginAccessControl) -> str:
    return f"caller:oac:{dist.id}:{oac.id}"


def _oai_node(oai: OriginAccessIdentity) -> str:
    return f"caller:oai:{oai.id}"


def build_graph(model: Model) -> AccessGraph:
    """Link the model: distributions, origins, buckets, policies, keys, ACLs, callers."""
    graph = AccessGraph(model)
    by_name = BucketIndex(model.buckets)
    for b in model.buckets:
        graph.add_node(b.id, NodeKind.BUCKET, b.name, b)
    for p in model.bucket_policies:
        graph.add_node(p.id, NodeKind.BUCKET_POLICY, p.name, p)
        bucket = by_name.find(p.bucket, p.id) if isinstance(p.bucket, str) else None
        if bucket is not None:
            graph.add_edge(bucket.id, p.id, EdgeKind.HAS_POLICY, "policy names the bucket", p.ref)
    _link_keys(graph, model)
    for acl in model.web_acls:
        graph.add_node(acl.id, NodeKind.WEB_ACL, acl.name, acl)
    for oac in model.oacs:
        graph.add_node(oac.id, NodeKind.OAC, oac.name, oac)
    for oai in model.oais:
        graph.add_node(oai.id, NodeKind.OAI, oai.name, oai)
    graph.add_node(ANONYMOUS, NodeKind.CALLER, "anonymous viewer", _anon())
    acls: dict[str, WebAcl] = {}  # WebACLId -> the first ACL with that ARN or id
    for acl in model.web_acls:
        for text in (acl.arn, acl.acl_id):
            acls.setdefault(text, acl)
    for dist in model.distributions:
        _link_distribution(graph, dist, by_name, acls)
    from policylint.graph_workloads import link_workloads

    link_workloads(graph, model)
    return graph


def _anon() -> Caller:
    return Caller(node=ANONYMOUS, kind=CallerKind.ANONYMOUS, label="an anonymous viewer")


def _link_keys(graph: AccessGraph, model: Model) -> None:
    names: dict[str, str] = {}  # key id / key ARN / alias name / alias ARN -> node
    for key in model.keys:
        graph.add_node(key.id, NodeKind.KMS_KEY, key.name, key)
        names[key.key_id] = names[key.arn] = key.id
    for alias in model.key_aliases:
        graph.add_node(alias.id, NodeKind.KMS_ALIAS, alias.name, alias)
        names[alias.alias_name] = alias.id
        target = names.get(alias.target_key)
        if target is not None:
            key = graph.obj(target)
            graph.add_edge(alias.id, target, EdgeKind.ALIAS_OF, "TargetKeyId", alias.ref)
            # alias ARN: the key ARN's prefix (arn:P:kms:R:A) + ":" + alias name
            names[key.arn.rsplit(":key/", 1)[0] + ":" + alias.alias_name] = alias.id
    for b in model.buckets:
        enc = b.encryption
        if enc is None or isinstance(enc, Unknown) or not isinstance(enc.kms_key, str):
            continue
        target = names.get(enc.kms_key)
        if target is not None:
            why = f"default encryption KMSMasterKeyID {render(enc.kms_key)}"
            graph.add_edge(b.id, target, EdgeKind.ENCRYPTED_WITH, why, enc.ref)


def _link_distribution(
    graph: AccessGraph, dist: Distribution, by_name: BucketIndex, acls: dict[str, WebAcl]
) -> None:
    model = graph.model
    graph.add_node(dist.id, NodeKind.DISTRIBUTION, dist.name, dist)
    graph.add_edge(ANONYMOUS, dist.id, EdgeKind.REQUESTS, "viewers request it", dist.ref)
    # as `web_acl_of(model, dist)`, by one lookup
    acl = acls.get(dist.web_acl_id) if isinstance(dist.web_acl_id, str) else None
    if acl is not None:
        graph.add_edge(dist.id, acl.id, EdgeKind.PROTECTED_BY, "WebACLId", dist.web_acl_ref)
    behaviors = behaviors_of(dist)
    bnodes = [_behavior_node(dist, i, b) for i, b in enumerate(behaviors)]
    for node, beh in zip(bnodes, behaviors, strict=True):
        pattern = beh.path_pattern if isinstance(beh.path_pattern, str) else "*"
        graph.add_node(node, NodeKind.BEHAVIOR, f"{dist.name} {pattern}", beh)
        graph.add_edge(dist.id, node, EdgeKind.HAS_BEHAVIOR, f"path {pattern}", beh.ref)
    for i, origin in enumerate(origins_of(dist)):
        node = f"{dist.id}/origin/{i}"
        oid = origin.origin_id if isinstance(origin.origin_id, str) else f"#{i}"
        graph.add_node(node, NodeKind.ORIGIN, f"{dist.name} origin {oid}", origin)
        graph.add_edge(dist.id, node, EdgeKind.HAS_ORIGIN, "Origins", origin.ref)
        hits = [(n, b) for n, b in zip(bnodes, behaviors, strict=True) if b.target_origin_id == oid]
        for bnode, beh in hits:
            graph.add_edge(bnode, node, EdgeKind.TARGETS, f"TargetOriginId {oid}", beh.ref)
        targeting = tuple(b for _, b in hits)
        _link_origin(graph, model, dist, origin, node, targeting, by_name)


def _link_origin(
    graph: AccessGraph,
    model: Model,
    dist: Distribution,
    origin: Origin,
    node: str,
    targeting: tuple[Behavior, ...],
    by_name: BucketIndex,
) -> None:
    endpoint = classify_domain(origin.domain_name)
    name = endpoint.bucket_name
    bucket = by_name.find(name, dist.id) if name is not None else None
    if bucket is not None:
        target = bucket.id
    else:
        target = f"external:{endpoint.host or 'unknown'}"
        graph.add_node(target, NodeKind.EXTERNAL, endpoint.host or "unresolved domain")
    why = f"DomainName {render(endpoint.host)} ({endpoint.kind.value} endpoint)"
    graph.add_edge(node, target, EdgeKind.FETCHES_FROM, why, origin.ref, endpoint=endpoint)
    oac = None
    if isinstance(origin.oac_id, str) and origin.oac_id:
        oac = next((o for o in model.oacs if o.oac_id == origin.oac_id), None)
        if oac is not None:
            graph.add_edge(node, oac.id, EdgeKind.SIGNS_WITH, "OriginAccessControlId", origin.ref)
    oai = None
    if isinstance(origin.oai, str) and origin.oai:
        oai = oai_matching(model, origin.oai)
        if oai is not None:
            graph.add_edge(node, oai.id, EdgeKind.SIGNS_WITH, "OriginAccessIdentity", origin.ref)
    view = OriginView(
        node=node,
        distribution=dist,
        origin=origin,
        behaviors=targeting,
        endpoint=endpoint,
        bucket=bucket,
        oac=oac,
        oai=oai,
    )
    graph._views.append(view)
    graph._views_by_bucket = None
    if bucket is None:
        return
    caller: Caller | None = None
    if oac is not None:
        cnode = _oac_node(dist, oac)
        label = f"CloudFront for distribution {dist.name} through OAC {oac.name}"
        caller = Caller(
            node=cnode, kind=CallerKind.CLOUDFRONT_OAC, label=label, distribution=dist, oac=oac
        )
    elif oai is not None:
        cnode = _oai_node(oai)
        label = f"CloudFront origin access identity {oai.name}"
        caller = Caller(node=cnode, kind=CallerKind.CLOUDFRONT_OAI, label=label, oai=oai)
    if caller is not None:
        graph.add_node(caller.node, NodeKind.CALLER, caller.label, caller)
        graph.add_edge(caller.node, dist.id, EdgeKind.ACTS_FOR, "signs for", origin.ref)
        graph.add_edge(caller.node, bucket.id, EdgeKind.CALLS, why, origin.ref)
    elif not origin.oac_id and not origin.oai:
        graph.add_edge(ANONYMOUS, bucket.id, EdgeKind.CALLS, why, origin.ref)
