"""Dispatch each resource to its family's normalizer and collect the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policylint.cfn import (
    normalize_apigw,
    normalize_cloudfront,
    normalize_edge,
    normalize_events,
    normalize_iam,
    normalize_kms,
    normalize_network,
    normalize_s3,
    normalize_waf,
    normalize_workloads,
)
from policylint.cfn.common import BrokenResource, Res
from policylint.cfn.intrinsics import Resolver
from policylint.cfn.template import Template
from policylint.errors import InputError
from policylint.findings import InputProblem
from policylint.model import Declared, LoadResult, Model
from policylint.source import Document

Handler = Callable[[Res], Iterator[tuple[str, Any]]]

HANDLERS: dict[str, Handler] = {
    **normalize_s3.HANDLERS,
    **normalize_cloudfront.HANDLERS,
    **normalize_kms.HANDLERS,
    **normalize_iam.HANDLERS,
    **normalize_waf.HANDLERS,
    **normalize_edge.HANDLERS,
    **normalize_workloads.HANDLERS,
    **normalize_apigw.HANDLERS,
    **normalize_network.HANDLERS,
}
HANDLERS.update(normalize_events.handlers(HANDLERS))  # also extends topics and buckets


def is_sam(doc: Document) -> bool:
    """Whether the template declares the SAM transform (expanded by `policylint.cfn.sam`)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    transform = data.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names)


def normalize(doc: Document, parameters: Mapping[str, str]) -> LoadResult:
    """The model of one template, plus the problems found in it."""
    if is_sam(doc):
        try:
            doc = _expand_sam(doc, parameters)
        except InputError as exc:
            return LoadResult(Model(), (InputProblem(exc.message, exc.ref or doc.ref(())),))
    template = Template(doc, parameters)
    resolver = Resolver(template)
    fields: dict[str, list[Any]] = {}
    for logical, body in template.resources.items():
        if not _created(resolver, logical, body):
            continue
        fields.setdefault("declared", []).append(_declared(template, logical, body["Type"]))
        handler = HANDLERS.get(body["Type"])
        if handler is None:
            continue
        try:
            elements = list(handler(Res(resolver, logical)))
        except BrokenResource as exc:
            template.problem(f"{logical}: {exc.message}; resource skipped", exc.path)
            continue
        except RecursionError:
            where = ("Resources", logical)
            template.problem(f"{logical}: nested too deeply; resource skipped", where)
            continue
        except Exception as exc:  # a loader bug must not end the run: report it, go on
            where = ("Resources", logical)
            template.problem(f"{logical}: internal error while loading: {exc!r}", where)
            continue
        for field, element in elements:
            fields.setdefault(field, []).append(element)
    model = Model(**{k: tuple(v) for k, v in fields.items()})
    return LoadResult(model, _unique(template.problems))


def _expand_sam(doc: Document, parameters: Mapping[str, str]) -> Document:
    """SAM hook: expand with `policylint.cfn.sam` when it is installed; else load as written."""
    try:
        from policylint.cfn.sam import expand_sam
    except ImportError:
        return doc
    return expand_sam(doc, parameters)


def _created(resolver: Resolver, logical: str, body: dict[str, Any]) -> bool:
    """False only when the resource's Condition is known to be false."""
    condition = body.get("Condition")
    if condition is None:
        return True
    truth = resolver.conditions.truth(condition, ("Resources", logical, "Condition"))
    return truth.value != "false"


def _declared(template: Template, logical: str, rtype: str) -> Declared:
    ref = template.ref(("Resources", logical))
    return Declared(id=template.owner(logical), name=logical, type=rtype, ref=ref)


def _unique(problems: list[InputProblem]) -> tuple[InputProblem, ...]:
    return tuple(dict.fromkeys(problems))
