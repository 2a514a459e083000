"""`policylint graph --format html`: one self-contained page, callers on the left, resources on
the right, denied hops in red with their reasons on hover (SVG <title>; no script, no network)."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding
    from policylint.graph import AccessGraph

COL_WIDTH = 290
ROW_HEIGHT = 64
NODE_W = 230
NODE_H = 40
MARGIN = 30
_KIND_COLORS = {
    "caller": "#dbeafe",
    "web-acl": "#ede9fe",
    "distribution": "#fef3c7",
    "behavior": "#fef9c3",
    "origin": "#fde68a",
    "oac": "#e0f2fe",
    "oai": "#e0f2fe",
    "bucket": "#dcfce7",
    "bucket-policy": "#f0fdf4",
    "key": "#fae8ff",
    "role": "#ffedd5",
}


@dataclass(frozen=True, slots=True)
class _Node:
    id: str
    kind: str
    label: str


def _layers(nodes: Sequence[_Node], edges: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Longest-path layering from the sources; edges that close a cycle are ignored."""
    succ: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        succ[e["source"]].append(e["target"])
    layer = {n.id: 0 for n in nodes}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(start: str) -> None:
        stack = [(start, iter(sorted(succ[start])))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    continue  # back edge: a cycle
                if layer.get(child, 0) < layer[node] + 1:
                    layer[child] = layer[node] + 1
                    state.pop(child, None)
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(sorted(succ[child]))))
                    break
            else:
                state[node] = 2
                stack.pop()

    for n in nodes:
        if n.id not in state:
            visit(n.id)
    return layer


def _denied(graph_nodes: Sequence[_Node], findings: Sequence[Finding]) -> dict[str, list[str]]:
    """Node id -> messages of the findings about it."""
    out: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        owners = {f.file, os.path.dirname(f.file) or "."}
        for n in graph_nodes:
            prefix, _, name = n.id.rpartition("#")
            if name == f.resource and prefix in owners:
                out[n.id].append(f"{f.rule} {f.severity.value}: {render(f.message)}")
    return out


def render_html(graph: AccessGraph, findings: Sequence[Finding] = ()) -> str:
    data = json.loads(graph.to_json())
    nodes = [_Node(n["id"], n["kind"], n["label"]) for n in data["nodes"]]
    edges: list[dict[str, Any]] = data["edges"]
    layer = _layers(nodes, edges)
    denied = _denied(nodes, findings)
    deny_at = {s.ref.display() for f in findings for s in f.trace if s.denies and s.ref}
    columns: dict[int, list[_Node]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (n.kind, n.label, n.id)):
        columns[layer[n.id]].append(n)
    pos: dict[str, tuple[int, int]] = {}
    for col, members in columns.items():
        for row, n in enumerate(members):
            pos[n.id] = (MARGIN + col * COL_WIDTH, MARGIN + row * ROW_HEIGHT)
    width = MARGIN * 2 + (max(columns, default=0) + 1) * COL_WIDTH
    height = MARGIN * 2 + max((len(m) for m in columns.values()), default=1) * ROW_HEIGHT
    parts = [_svg_head(width, height)]
    for e in edges:
        parts.append(_edge(e, pos, red=e["target"] in denied or e.get("at") in deny_at))
    for n in nodes:
        parts.append(_node(n, pos[n.id], denied.get(n.id, [])))
    parts.append("</svg>")
    return _page("\n".join(parts), len(nodes), len(edges), len(denied))


def _svg_head(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker>'
        '<marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#dc2626"/></marker>'
        "</defs>"
    )


def _edge(e: dict[str, Any], pos: dict[str, tuple[int, int]], *, red: bool) -> str:
    (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
    sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H // 2, x2, y2 + NODE_H // 2
    if x2 <= x1:  # same or earlier column: go around
        sx, tx = x1 + NODE_W // 2, x2 + NODE_W // 2
        sy, ty = y1 + NODE_H, y2 + NODE_H
    mid = (sx + tx) // 2
    color, marker = ("#dc2626", "arrow-red") if red else ("#94a3b8", "arrow")
    tip = f"{e['kind']}: {e['reason']}" + (f" ({e['at']})" if e.get("at") else "")
    cls = "edge denied" if red else "edge"
    return (
        f'<g class="{cls}"><title>{escape(tip)}</title>'
        f'<path d="M{sx},{sy} C{mid},{sy} {mid},{ty} {tx},{ty}" fill="none" stroke="{color}" '
        f'stroke-width="{2.5 if red else 1.5}" marker-end="url(#{marker})"/></g>'
    )


def _node(n: _Node, at: tuple[int, int], messages: list[str]) -> str:
    x, y = at
    fill = _KIND_COLORS.get(n.kind, "#f1f5f9")
    stroke, width = ("#dc2626", 3) if messages else ("#475569", 1)
    label = n.label if len(n.label) <= 34 else n.label[:33] + "…"
    tip = "\n".join([f"{n.kind}: {n.label}", n.id, *messages])
    cls = "node denied" if messages else "node"
    return (
        f'<g class="{cls}"><title>{escape(tip)}</title>'
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{width}"/>'
        f'<text x="{x + 8}" y="{y + 15}" fill="#64748b" font-size="10">{escape(n.kind)}</text>'
        f'<text x="{x + 8}" y="{y + 31}" fill="#0f172a">{escape(label)}</text></g>'
    )


def _page(svg: str, nodes: int, edges: int, denied: int) -> str:
    summary = f"{nodes} nodes, {edges} edges, {denied} denied"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>policylint access graph</title>
<style>
body {{ font-family: sans-serif; margin: 16px; color: #0f172a; }}
.legend span {{ display: inline-block; margin-right: 16px; }}
.node:hover rect {{ stroke-width: 3; }}
.edge:hover path {{ stroke-width: 4; }}
</style></head>
<body>
<h1>policylint access graph</h1>
<p class="summary">{escape(summary)}. Hover a box or an arrow for details.</p>
<p class="legend"><span style="color:#dc2626">&#9632; red: denies a legitimate caller</span>
<span>callers on the left, resources on the right</span></p>
{svg}
</body></html>
"""
