"""The access graph: who can reach what, linked from the model (the only networkx user)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policylint.graph_types import (
    Caller,
    CallerKind,
    EdgeKind,
    Endpoint,
    EndpointKind,
    KeyKind,
    KeyLink,
    NodeKind,
    OriginView,
    classify_domain,
)
from policylint.model import (
    Behavior,
    Bucket,
    BucketPolicy,
    Distribution,
    KmsAlias,
    KmsKey,
    Model,
    Origin,
    OriginAccessControl,
    OriginAccessIdentity,
    WebAcl,
)
from policylint.source import SourceRef
from policylint.values import Unknown, render

if TYPE_CHECKING:
    import networkx

__all__ = ["ANONYMOUS", "AccessGraph", "build_graph"]

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
        return tuple(v for v in self._views if v.bucket is not None and v.bucket.id == bucket.id)

    def caller_for(self, view: OriginView) -> Caller | None:
        """Who S3 sees for requests through this origin; None when it cannot be told."""
        if view.oac_unresolved or view.oai_unresolved:
            return None
        if view.oac is not None:
            signing = view.oac.signing_behavior
            if isinstance(signing, Unknown):
                return None
            if signing in ("always", "no-override"):
                return self.obj(_oac_node(view.distribution, view.oac))
        if view.oai is not None:
            return self.obj(_oai_node(view.oai))
        return self.obj(ANONYMOUS) if view.bucket is not None else None

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
            "nodes": [{"id": render(n), "kind": k, "label": lbl} for n, k, lbl in self._node_rows()],
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


def _oac_node(dist: Distribution, oac: OriginAccessControl) -> str:
    return f"caller:oac:{dist.id}:{oac.id}"


def _oai_node(oai: OriginAccessIdentity) -> str:
    return f"caller:oai:{oai.id}"


def build_graph(model: Model) -> AccessGraph:
    """Link the model: distributions, origins, buckets, policies, keys, ACLs, callers."""
    from policylint.graph_build import link

    graph = AccessGraph(model)
    link(graph, model)
    return graph


def _unused(_: Endpoint) -> None:  # keeps the import list honest for re-export
    return None


__all__ += ["CallerKind", "behaviors_of", "origins_of"]
