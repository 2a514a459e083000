"""evaluate(request, policies) -> Decision: AWS's evaluation logic, three-valued, with reasons.

Each statement's applicability is a `Tri`. Facts per layer (is there a deny, an allow) are
Kleene combinations of those. When a fact is MAYBE, every definite assignment of the MAYBE
facts is decided; if they disagree the outcome is UNKNOWN, so a definite answer never rests
on an unknown value.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policylint.policy import decide as d
from policylint.policy.compiled import Prepared, compiled, prepare_context
from policylint.policy.decision import Decision, Layer, Outcome, StatementMatch
from policylint.policy.matching import equals
from policylint.policy.principals import CallerKind, parse_caller, split_arn
from policylint.values import Tri, render

if TYPE_CHECKING:
    from policylint.policy.decision import PolicySet, Request
    from policylint.policy.document import PolicyDocument

_MAX_UNKNOWN_FACTS = 12


@dataclass(slots=True)
class _Scan:
    """What one layer says about the request."""

    layer: Layer
    deny: Tri = Tri.FALSE
    allow: Tri = Tri.FALSE
    direct: Tri = Tri.FALSE
    role: Tri = Tri.FALSE
    account: Tri = Tri.FALSE
    denies: list[StatementMatch] = field(default_factory=list)
    allows: list[StatementMatch] = field(default_factory=list)
    maybes: list[tuple[StatementMatch, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _scan_docs(
    scan: _Scan, docs: Iterable[PolicyDocument], req: Prepared, missing: set[str]
) -> Tri:
    """Add `docs`' statements to `scan`; returns whether these docs allow (for SCP levels)."""
    resource = scan.layer is Layer.RESOURCE
    level_allow = Tri.FALSE
    for doc in docs:
        if doc.unknown:
            parts = "; ".join(doc.unknown)
            reason = f"{scan.layer.value} {_doc_name(doc)} has unresolved parts: {parts}"
            scan.unknown.append(reason)
            scan.deny = scan.deny | Tri.MAYBE
            level_allow = level_allow | Tri.MAYBE
            scan.direct = scan.direct | Tri.MAYBE
        for cs, action_hit in compiled(doc).candidates(req.action):
            # Resource policies must name a principal; an RCP may (it is always "*").
            named = cs.principals is not None or cs.not_principals is not None
            hit, pm = cs.applies(req, missing, action_hit, check_principal=resource or named)
            if hit is Tri.FALSE:
                continue
            match = StatementMatch(scan.layer, cs.stmt, doc)
            if hit is Tri.MAYBE:
                scan.maybes.append((match, "Deny" if cs.deny else "Allow"))
            if cs.deny:
                scan.deny = scan.deny | hit
                if hit is Tri.TRUE:
                    scan.denies.append(match)
                continue
            level_allow = level_allow | hit
            if hit is Tri.TRUE:
                scan.allows.append(match)
            if scan.layer is Layer.RESOURCE:
                scan.direct = scan.direct | (hit & pm.direct)
                scan.role = scan.role | (hit & pm.role)
                scan.account = scan.account | (hit & pm.account)
    return level_allow


def _doc_name(doc: PolicyDocument) -> str:
    if doc.name:
        return repr(doc.name)
    return f"at {doc.ref.display()}" if doc.ref else "(unnamed)"


def _account_of(value: str) -> str | None:
    parts = split_arn(value)
    return parts[4] or None if parts else None


def _same_account(request: Request, caller_account: str | None) -> tuple[Tri, str | None]:
    if request.resource == "*":
        return Tri.TRUE, None  # account-level actions act on the caller's own account
    res_account = request.resource_account or _account_of(request.resource)
    if caller_account is None or res_account is None:
        which = "principal" if caller_account is None else "resource"
        return Tri.MAYBE, f"the {which} account is not known"
    same = equals(caller_account, res_account)
    note = None
    if same is Tri.MAYBE:
        note = f"accounts {render(caller_account)} and {render(res_account)} may differ"
    return same, note


def evaluate(request: Request, policies: PolicySet) -> Decision:
    """Would AWS allow `request` under `policies`? Pure; compiled statements are cached."""
    caller = parse_caller(request.principal, request.principal_account, request.principal_aliases)
    kind = caller.kind
    iam = kind in (CallerKind.IAM, CallerKind.OTHER)
    req = Prepared(
        action=request.action.lower(),
        resource=request.resource,
        context=prepare_context(request.context),
        caller=caller,
        has_boundary=iam and policies.boundaries is not None,
    )
    missing: set[str] = set()
    scans: dict[Layer, _Scan] = {}
    facts: dict[str, Tri] = {}

    def levels(layer: Layer, tiers: tuple[tuple[PolicyDocument, ...], ...]) -> None:
        scan = scans[layer] = _Scan(layer)
        every = Tri.TRUE
        for tier in tiers:
            every = every & _scan_docs(scan, tier, req, missing)
        scan.allow = every
        facts[d.deny(layer)], facts[d.allow(layer)] = scan.deny, every

    def flat(layer: Layer, docs: tuple[PolicyDocument, ...]) -> None:
        scan = scans[layer] = _Scan(layer)
        scan.allow = _scan_docs(scan, docs, req, missing)
        facts[d.deny(layer)], facts[d.allow(layer)] = scan.deny, scan.allow

    if iam and policies.scps is not None:  # SCPs never apply to service principals
        levels(Layer.SCP, policies.scps)
    if policies.rcps is not None:
        levels(Layer.RCP, policies.rcps)
    if policies.resource is not None:
        flat(Layer.RESOURCE, (policies.resource,))
        res = scans[Layer.RESOURCE]
        facts[d.DIRECT], facts[d.ROLE], facts[d.ACCOUNT] = res.direct, res.role, res.account
    notes: list[str] = []
    if iam:
        flat(Layer.IDENTITY, policies.identity)
        if policies.boundaries is not None:
            flat(Layer.BOUNDARY, policies.boundaries)
        if policies.session is not None:
            flat(Layer.SESSION, (policies.session,))
        same, note = _same_account(request, caller.account)
        facts[d.SAME] = same
        if note:
            notes.append(note)
    shape = d.Shape(
        kind, tuple(layer for layer in d.ORDER if layer in scans), policies.resource_is_key_policy
    )
    return _conclude(facts, shape, scans, sorted(missing), notes)


def _conclude(
    facts: dict[str, Tri],
    shape: d.Shape,
    scans: dict[Layer, _Scan],
    missing: list[str],
    notes: list[str],
) -> Decision:
    unknown = [k for k, v in facts.items() if v is Tri.MAYBE]
    base = {k: v is Tri.TRUE for k, v in facts.items()}
    verdict = d.decide(base, shape)
    outcomes = {verdict.outcome}
    if len(unknown) > _MAX_UNKNOWN_FACTS:
        outcomes = set(Outcome) - {Outcome.UNKNOWN}
    elif unknown:
        for bits in itertools.product((False, True), repeat=len(unknown)):
            trial = dict(base)
            trial.update(zip(unknown, bits, strict=True))
            outcomes.add(d.decide(trial, shape).outcome)
    reasons = [verdict.why] if len(outcomes) == 1 else []
    reasons += _trace(scans, verdict if len(outcomes) == 1 else None)
    if missing:
        reasons.append("condition keys missing from the request context: " + ", ".join(missing))
    if len(outcomes) == 1:
        return Decision(
            outcome=verdict.outcome,
            layer=verdict.layer,
            statements=_used(verdict, scans),
            missing_keys=tuple(missing),
            reasons=tuple(reasons),
        )
    why = [*notes]
    for scan in scans.values():
        why += scan.unknown
        for match, effect in scan.maybes:
            why.append(f"{scan.layer.value}: {effect} {_label(match)} may or may not apply")
    possible = tuple(o for o in Outcome if o in outcomes)
    return Decision(
        outcome=Outcome.UNKNOWN,
        missing_keys=tuple(missing),
        unknown_reasons=tuple(why) or ("the outcome depends on values not known before deploy",),
        reasons=(f"possible outcomes: {', '.join(o.value for o in possible)}", *reasons),
        possible=possible,
    )


def _used(verdict: d.Verdict, scans: dict[Layer, _Scan]) -> tuple[StatementMatch, ...]:
    if verdict.outcome is Outcome.EXPLICIT_DENY:
        return tuple(m for s in scans.values() for m in s.denies)
    if verdict.outcome is Outcome.ALLOW:
        return tuple(m for layer in verdict.path for m in scans[layer].allows)
    return ()


def _label(match: StatementMatch) -> str:
    where = f" ({match.statement.ref.display()})" if match.statement.ref else ""
    return f"{match.statement.label()}{where}"


def _trace(scans: dict[Layer, _Scan], verdict: d.Verdict | None) -> list[str]:
    out: list[str] = []
    for layer, scan in scans.items():
        for m in scan.denies:
            out.append(f"{layer.value}: Deny {_label(m)} matches")
        for m in scan.allows:
            out.append(f"{layer.value}: Allow {_label(m)} matches")
        if not scan.denies and not scan.allows and not scan.maybes:
            out.append(f"{layer.value}: no statement matches")
        if verdict and verdict.layer is layer and verdict.outcome is Outcome.IMPLICIT_DENY:
            out.append(f"{layer.value}: lacks an allow for this request")
    return out
