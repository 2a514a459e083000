"""Positions of an expanded SAM template: generated resources point at their SAM resource."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from policylint.cfn.sam import events

if TYPE_CHECKING:
    from policylint.source import DocPath, Document, Span


def _graft(
    spans: dict[DocPath, Span],
    src: Mapping[DocPath, Span],
    src_prefix: DocPath,
    dst_prefix: DocPath,
) -> None:
    """Copy the spans below `src_prefix` to the same relative paths below `dst_prefix`."""
    n = len(src_prefix)
    for path, span in src.items():
        if path[:n] == src_prefix:
            spans[dst_prefix + path[n:]] = span


def expanded_spans(
    doc: Document, expanded: Mapping[str, Any], sources: Mapping[str, str]
) -> dict[DocPath, Span]:
    """Spans of the expanded template: unchanged paths keep theirs; generated resources get
    their SAM resource's (and, where known, the property's that made them)."""
    spans = {
        p: s
        for p, s in doc.spans.items()
        if not (len(p) >= 2 and p[0] == "Resources" and p[1] in sources)
    }
    src_resources: dict[str, Any] = doc.data.get("Resources") or {}
    out_resources: dict[str, Any] = expanded.get("Resources") or {}
    transform = doc.locate(("Transform",))
    for lid, origin in sources.items():
        dst: DocPath = ("Resources", lid)
        if not origin:
            if transform is not None:
                spans[dst] = transform
            continue
        src: DocPath = ("Resources", origin)
        if lid == origin:
            _graft(spans, doc.spans, src, dst)
            continue
        resource_span = doc.locate(src)
        if resource_span is not None:
            spans[dst] = resource_span
        _graft(spans, doc.spans, (*src, "Metadata"), (*dst, "Metadata"))
        for sub, anchor in _anchors(lid, origin, out_resources.get(lid), src_resources[origin]):
            span = doc.locate((*src, *anchor))
            if span is not None:
                spans[(*dst, *sub)] = span
    for lid in sources:
        _body_spans(doc, lid, out_resources.get(lid), src_resources, spans)
    return spans


def _body_spans(
    doc: Document,
    lid: str,
    generated: Any,
    src_resources: Mapping[str, Any],
    spans: dict[DocPath, Span],
) -> None:
    """A generated REST API's OpenAPI body: DefinitionBody keeps its lines; operations SAM
    added for function events point at the event; the policy at Auth.ResourcePolicy."""
    from policylint.apigw_openapi import ANY_METHOD, POLICY

    props = generated.get("Properties") if isinstance(generated, dict) else None
    body = props.get("Body") if isinstance(props, dict) else None
    if not isinstance(body, dict) or generated.get("Type") != "AWS::ApiGateway::RestApi":
        return
    dst: DocPath = ("Resources", lid, "Properties", "Body")
    if isinstance(src_resources.get(lid), dict):
        src: DocPath = ("Resources", lid, "Properties")
        _graft(spans, doc.spans, (*src, "DefinitionBody"), dst)
        policy = doc.spans.get((*src, "Auth", "ResourcePolicy"))
        if policy is not None:
            spans.setdefault((*dst, POLICY), policy)
    by_op: dict[tuple[str, str], DocPath] = {}
    for fid, res in src_resources.items():
        if not isinstance(res, dict) or res.get("Type") != "AWS::Serverless::Function":
            continue
        for name, event in events(res).items():
            ep = event.get("Properties") if isinstance(event, dict) else None
            if not isinstance(ep, dict) or event.get("Type") != "Api":
                continue
            api = ep.get("RestApiId")
            target = api.get("Ref") if isinstance(api, dict) else api
            path, method = ep.get("Path"), ep.get("Method")
            if (
                (target or "ServerlessRestApi") == lid
                and isinstance(path, str)
                and isinstance(method, str)
            ):
                key = ANY_METHOD if method.lower() == "any" else method.lower()
                by_op[(path, key)] = ("Resources", fid, "Properties", "Events", name)
    paths = body.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        for key in item if isinstance(item, dict) else ():
            at = (*dst, "paths", path, key)
            span = doc.spans.get(by_op[(path, key)]) if (path, key) in by_op else None
            if span is not None and at not in spans:
                spans[at] = span


def _anchors(
    lid: str, origin: str, generated: Any, sam: Mapping[str, Any]
) -> Iterable[tuple[DocPath, DocPath]]:
    """(path in the generated resource, path in the SAM resource that made it)."""
    if not isinstance(generated, dict):
        return
    props = generated.get("Properties")
    props = props if isinstance(props, dict) else {}
    kind = generated.get("Type")
    sam_props = sam.get("Properties") if isinstance(sam.get("Properties"), dict) else {}
    assert isinstance(sam_props, dict)
    event = next(
        (e for e in sorted(events(sam), key=len, reverse=True) if lid.startswith(origin + e)), None
    )
    if event is not None:
        yield ("Properties",), ("Properties", "Events", event)
    elif kind == "AWS::Lambda::Url" or (
        kind == "AWS::Lambda::Permission"
        and ("FunctionUrlAuthType" in props or "InvokedViaFunctionUrl" in props)
    ):
        yield ("Properties",), ("Properties", "FunctionUrlConfig")
    elif kind == "AWS::IAM::Role" and "Policies" in sam_props:
        yield from _role_anchors(lid, props, sam_props["Policies"])


def _role_anchors(
    lid: str, props: Mapping[str, Any], sam_policies: Any
) -> Iterable[tuple[DocPath, DocPath]]:
    """Inline policy `<Role>Policy<i>` came from SAM `Policies[i]`; a managed policy ARN from
    the name or ARN that is written in `Policies`."""
    base: DocPath = ("Properties", "Policies")
    items = sam_policies if isinstance(sam_policies, list) else [sam_policies]
    yield ("Properties", "Policies"), base
    yield ("Properties", "ManagedPolicyArns"), base
    for j, policy in enumerate(props.get("Policies") or []):
        name = policy.get("PolicyName") if isinstance(policy, dict) else None
        index = name[len(lid) + len("Policy") :] if isinstance(name, str) else ""
        if index.isdigit() and int(index) < len(items):
            yield ("Properties", "Policies", j), _item(base, sam_policies, int(index))
    for j, arn in enumerate(props.get("ManagedPolicyArns") or []):
        for i, item in enumerate(items):
            if (
                isinstance(arn, str)
                and isinstance(item, str)
                and (arn == item or arn.endswith("/" + item))
            ):
                yield ("Properties", "ManagedPolicyArns", j), _item(base, sam_policies, i)
                break


def _item(base: DocPath, policies: Any, index: int) -> DocPath:
    return (*base, index) if isinstance(policies, list) else base
