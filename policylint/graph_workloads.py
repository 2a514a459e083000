"""Workload links of the access graph: workload -> role it assumes, workload -> resources it is
handed (environment variables, parameters), event source -> function. No networkx here: this
module only calls `AccessGraph.add_node` / `add_edge` (see `policylint.graph`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.graph_types import EdgeKind, NodeKind
from policylint.model import Bucket, DataResource, KmsKey

if TYPE_CHECKING:
    from policylint.graph import AccessGraph
    from policylint.model import Model, Role, Workload
    from policylint.source import SourceRef
    from policylint.values import Unknown

Target = Bucket | DataResource | KmsKey


@dataclass(frozen=True, slots=True)
class Wire:
    """A workload handed a resource: `variable` holds `value`, which names `target`."""

    workload: Workload
    variable: str
    value: str
    target: Target
    ref: SourceRef


def identifiers(model: Model) -> dict[str, Target]:
    """Every string that names a bucket, data resource or key of the run -> that resource."""
    names: dict[str, Target] = {}
    for b in model.buckets:
        names.setdefault(b.bucket_name, b)
        names.setdefault(b.arn, b)
    for d in model.data_resources:
        for text in (d.arn, *d.aliases, d.stream_arn):
            if text:
                names.setdefault(text, d)
    for k in model.keys:
        names.setdefault(k.key_id, k)
        names.setdefault(k.arn, k)
    for alias in model.key_aliases:
        key = names.get(alias.target_key)
        if isinstance(key, KmsKey):
            names.setdefault(alias.alias_name, key)
    return names


def role_for(model: Model, value: str | Unknown | None) -> Role | None:
    """The role of the run that a RoleArn / role name value names (None: not in the run)."""
    if not isinstance(value, str):
        return None
    found = [role for role in model.roles if value in (role.arn, role.role_name)]
    return found[0] if len(found) == 1 else None  # several: ambiguous, say nothing


def link_workloads(graph: AccessGraph, model: Model) -> None:
    """Add workload, role and data nodes and the assumes / wired-to edges."""
    for r in model.roles:
        graph.add_node(r.id, NodeKind.ROLE, r.name, r)
    for d in model.data_resources:
        graph.add_node(d.id, NodeKind.DATA, d.name, d)
    names = identifiers(model)
    for w in model.workloads:
        graph.add_node(w.id, NodeKind.WORKLOAD, f"{w.kind.value} {w.name}", w)
        role = role_for(model, w.role_arn)
        if role is not None:
            graph.add_edge(w.id, role.id, EdgeKind.ASSUMES, f"{w.kind.value} role", w.ref)
        for variable, value, ref in w.wired:
            target = names.get(value) if isinstance(value, str) else None
            if target is None or not isinstance(value, str):
                continue
            wire = Wire(w, variable, value, target, ref)
            graph.add_edge(w.id, target.id, EdgeKind.WIRED_TO, f"{variable}", ref, wire=wire)
