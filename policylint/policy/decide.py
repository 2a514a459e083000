"""AWS's combination of policy layers, on definite facts (booleans).

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
(explicit deny, SCP, RCP, resource policy, identity, boundary, session),
.../reference_policies_evaluation-logic-cross-account.html (both sides must allow),
.../access_policies_boundaries.html (a resource-policy grant to a user or session ARN is not
limited by the boundary / session policy; a grant to the role ARN is), and
https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html (the key policy must
allow, directly or by delegating to the account).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from policylint.policy.decision import Layer, Outcome
from policylint.policy.principals import CallerKind

# Fact names; each is "deny:<layer>", "allow:<layer>" or one of these.
DIRECT, ROLE, ACCOUNT, SAME = "res:direct", "res:role", "res:account", "same_account"
ORDER = (Layer.SCP, Layer.RCP, Layer.RESOURCE, Layer.IDENTITY, Layer.BOUNDARY, Layer.SESSION)


_DENY = {layer: f"deny:{layer.value}" for layer in Layer}
_ALLOW = {layer: f"allow:{layer.value}" for layer in Layer}


def deny(layer: Layer) -> str:
    return _DENY[layer]


def allow(layer: Layer) -> str:
    return _ALLOW[layer]


@dataclass(frozen=True, slots=True)
class Shape:
    """What does not vary with the facts: the caller kind and which layers exist."""

    kind: CallerKind
    layers: tuple[Layer, ...]
    kms: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    layer: Layer | None
    why: str
    path: tuple[Layer, ...] = ()  # layers whose allows were used


def decide(f: Mapping[str, bool], s: Shape) -> Verdict:
    """The decision for definite facts `f` (missing facts count as false)."""
    for layer in s.layers:
        if f.get(deny(layer)):
            return Verdict(Outcome.EXPLICIT_DENY, layer, f"explicit deny in {layer.value}")
    guard: list[Layer] = []
    for layer in (Layer.SCP, Layer.RCP):
        if layer in s.layers:
            if not f.get(allow(layer)):
                why = f"no {layer.value} allows the request at every level"
                return Verdict(Outcome.IMPLICIT_DENY, layer, why)
            guard.append(layer)
    direct, role, account = f.get(DIRECT, False), f.get(ROLE, False), f.get(ACCOUNT, False)
    if s.kind in (CallerKind.SERVICE, CallerKind.ANONYMOUS):
        # Only a resource policy can grant a service principal or an anonymous caller.
        if direct:
            return Verdict(
                Outcome.ALLOW,
                Layer.RESOURCE,
                "resource policy allows the caller",
                (*guard, Layer.RESOURCE),
            )
        return Verdict(
            Outcome.IMPLICIT_DENY, Layer.RESOURCE, "no resource policy statement allows the caller"
        )
    granted = direct or role or account
    if s.kms and not granted:
        return Verdict(
            Outcome.IMPLICIT_DENY,
            Layer.RESOURCE,
            "the key policy does not allow the caller or its account",
        )
    if f.get(SAME, False):
        if direct:
            return Verdict(
                Outcome.ALLOW,
                Layer.RESOURCE,
                "resource policy names the caller (same account)",
                (*guard, Layer.RESOURCE),
            )
        if role:
            return _limited(f, s, guard)
        return _identity(f, s, guard, "same account")
    if not granted:
        why = "cross-account request: no resource policy statement allows the caller"
        return Verdict(Outcome.IMPLICIT_DENY, Layer.RESOURCE, why)
    return _identity(f, s, [*guard, Layer.RESOURCE], "cross account")


def _limited(f: Mapping[str, bool], s: Shape, guard: list[Layer]) -> Verdict:
    # A grant to the role ARN is limited by an implicit deny in the boundary / session policy.
    for layer in (Layer.BOUNDARY, Layer.SESSION):
        if layer in s.layers:
            if not f.get(allow(layer)):
                why = f"resource policy grants the role ARN, but no {layer.value} allows"
                return Verdict(Outcome.IMPLICIT_DENY, layer, why)
            guard = [*guard, layer]
    why = "resource policy grants the caller's role (same account)"
    return Verdict(Outcome.ALLOW, Layer.RESOURCE, why, (*guard, Layer.RESOURCE))


def _identity(f: Mapping[str, bool], s: Shape, used: list[Layer], where: str) -> Verdict:
    if not f.get(allow(Layer.IDENTITY)):
        why = f"no identity policy allows the request ({where})"
        if s.kms and where == "same account":
            why = "the key policy delegates to the account, but no identity policy allows"
        return Verdict(Outcome.IMPLICIT_DENY, Layer.IDENTITY, why)
    used = [*used, Layer.IDENTITY]
    for layer in (Layer.BOUNDARY, Layer.SESSION):
        if layer in s.layers:
            if not f.get(allow(layer)):
                return Verdict(Outcome.IMPLICIT_DENY, layer, f"no {layer.value} allows the request")
            used.append(layer)
    return Verdict(Outcome.ALLOW, Layer.IDENTITY, f"identity policy allows ({where})", tuple(used))
