"""Statements prepared once for fast repeated evaluation (compiled patterns, parsed operators)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policylint.policy.conditions import compile_condition
from policylint.policy.document import Effect
from policylint.policy.matching import compile_globs, match_action, match_arn
from policylint.policy.principals import (
    ALL_MATCH,
    NO_MATCH,
    PrincipalMatch,
    match_principals,
    not_principal_applies,
)
from policylint.policy.variables import Unresolved, has_variables, substitute
from policylint.values import SYM_OPEN, Tri

if TYPE_CHECKING:
    from policylint.policy.conditions import CompiledCondition
    from policylint.policy.document import PolicyDocument, Principals, Statement
    from policylint.policy.principals import (
        Caller,
    )
    from policylint.policy.variables import ContextMap


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request reduced to what matching needs."""

    action: str
    resource: str
    context: ContextMap  # lower-cased keys, tuple values
    caller: Caller
    has_boundary: bool = False


def prepare_context(context: Mapping[str, str | tuple[str, ...] | list[str]]) -> ContextMap:
    return {k.lower(): (v,) if isinstance(v, str) else tuple(v) for k, v in context.items()}


class _Patterns:
    """An OR of wildcard patterns: concrete ones in one regex, the rest one by one."""

    __slots__ = ("concrete", "dynamic", "regex", "symbolic")

    def __init__(self, patterns: tuple[str, ...], *, arn: bool, variables: bool) -> None:
        dyn = tuple(p for p in patterns if variables and has_variables(p)) if arn else ()
        rest = [p for p in patterns if p not in dyn]
        concrete = tuple(p for p in rest if SYM_OPEN not in p)
        self.concrete = concrete
        self.symbolic = tuple(p for p in rest if SYM_OPEN in p)
        self.dynamic = dyn
        self.regex: re.Pattern[str] | None = (
            compile_globs(concrete, arn=arn, ignore_case=not arn) if concrete else None
        )

    def match(self, value: str, arn: bool, ctx: ContextMap) -> Tri:
        single = match_arn if arn else match_action
        out = Tri.FALSE
        if self.regex is not None:
            if SYM_OPEN not in value:
                if self.regex.fullmatch(value):
                    return Tri.TRUE
            else:
                for p in self.concrete:
                    out = out | single(p, value)
                    if out is Tri.TRUE:
                        return out
        for p in self.symbolic:
            out = out | single(p, value)
            if out is Tri.TRUE:
                return out
        for p in self.dynamic:
            try:
                out = out | single(substitute(p, ctx), value)
            except Unresolved:
                continue  # an entry with an unresolvable variable matches nothing
            if out is Tri.TRUE:
                return out
        return out


@dataclass(frozen=True, slots=True)
class CompiledStatement:
    stmt: Statement
    deny: bool
    actions: _Patterns
    not_action: bool
    resources: _Patterns | None
    not_resource: bool
    dynamic_not_resource: bool
    principals: Principals | None
    not_principals: Principals | None
    conditions: tuple[CompiledCondition, ...]
    unknown: bool

    def action_hit(self, action: str) -> Tri:
        hit = self.actions.match(action, False, {})
        return ~hit if self.not_action else hit

    def applies(
        self, req: Prepared, missing: set[str], hit: Tri, *, check_principal: bool
    ) -> tuple[Tri, PrincipalMatch]:
        """Kleene AND of `hit` (the action's match), resource, principal and conditions;
        plus how the principal matched."""
        if self.resources is not None:
            r = self.resources.match(req.resource, True, req.context)
            if self.not_resource:
                if self.dynamic_not_resource and _unresolved(self.resources, req.context):
                    return Tri.FALSE, NO_MATCH
                r = ~r
            hit = hit & r
            if hit is Tri.FALSE:
                return Tri.FALSE, NO_MATCH
        pm = ALL_MATCH
        if check_principal:
            pm = self._principal(req)
            hit = hit & pm.any
            if hit is Tri.FALSE:
                return Tri.FALSE, NO_MATCH
        try:
            for cond in self.conditions:
                hit = hit & cond.evaluate(req.context, missing)
                if hit is Tri.FALSE:
                    return Tri.FALSE, NO_MATCH
        except Unresolved:
            return Tri.FALSE, NO_MATCH  # an unresolvable variable: the statement does not match
        if self.unknown:
            hit = hit & Tri.MAYBE
        return hit, pm

    def _principal(self, req: Prepared) -> PrincipalMatch:
        if self.principals is not None:
            return match_principals(self.principals, req.caller)
        if self.not_principals is not None:
            if self.deny and req.has_boundary:
                # NotPrincipal + Deny always denies a principal with a permissions boundary
                # (access_policies_boundaries.html).
                return ALL_MATCH
            applies = not_principal_applies(self.not_principals, req.caller)
            return PrincipalMatch(direct=applies)
        return NO_MATCH  # a resource policy statement must name a principal


def _unresolved(p: _Patterns, ctx: ContextMap) -> bool:
    for pat in p.dynamic:
        try:
            substitute(pat, ctx)
        except Unresolved:
            return True
    return False


def compile_statement(stmt: Statement, variables: bool) -> CompiledStatement:
    actions = stmt.actions if stmt.actions is not None else stmt.not_actions or ()
    resources = stmt.resources if stmt.resources is not None else stmt.not_resources
    patterns = None
    if resources is not None:
        patterns = _Patterns(resources, arn=True, variables=variables)
    conds = tuple(
        compile_condition(c.operator, c.key, c.values, variables) for c in stmt.conditions
    )
    return CompiledStatement(
        stmt=stmt,
        deny=stmt.effect is Effect.DENY,
        actions=_Patterns(actions, arn=False, variables=False),
        not_action=stmt.actions is None,
        resources=patterns,
        not_resource=stmt.resources is None and stmt.not_resources is not None,
        dynamic_not_resource=bool(patterns and patterns.dynamic and stmt.resources is None),
        principals=stmt.principals,
        not_principals=stmt.not_principals,
        conditions=conds,
        unknown=bool(stmt.unknown),
    )


Candidates = tuple[tuple[CompiledStatement, Tri], ...]


class CompiledDoc:
    """A document's statements, with the ones relevant to each action indexed on first use."""

    __slots__ = ("by_action", "statements")

    def __init__(self, statements: tuple[CompiledStatement, ...]) -> None:
        self.statements = statements
        self.by_action: dict[str, Candidates] = {}

    def candidates(self, action: str) -> Candidates:
        """(statement, action match) for the statements whose Action may match `action`."""
        got = self.by_action.get(action)
        if got is None:
            pairs = ((s, s.action_hit(action)) for s in self.statements)
            got = tuple((s, t) for s, t in pairs if t is not Tri.FALSE)
            if len(self.by_action) < 1024:  # actions in a run are few; bound it anyway
                self.by_action[action] = got
        return got


_CACHE: dict[int, tuple[PolicyDocument, CompiledDoc]] = {}
# Statements shared by documents derived with dataclasses.replace (what-if evaluations) are
# compiled once: a policy of 10,000 statements would otherwise recompile them per variant.
_STMT_CACHE: dict[tuple[int, bool], tuple[Statement, CompiledStatement]] = {}


def _compiled_statement(stmt: Statement, variables: bool) -> CompiledStatement:
    hit = _STMT_CACHE.get((id(stmt), variables))
    if hit is not None and hit[0] is stmt:
        return hit[1]
    if len(_STMT_CACHE) > 65536:
        _STMT_CACHE.clear()
    out = compile_statement(stmt, variables)
    _STMT_CACHE[(id(stmt), variables)] = (stmt, out)
    return out


def compiled(doc: PolicyDocument) -> CompiledDoc:
    """The compiled statements of `doc`, cached by identity (documents are immutable)."""
    hit = _CACHE.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    if len(_CACHE) > 4096:
        _CACHE.clear()
    variables = doc.version == "2012-10-17"
    out = CompiledDoc(tuple(_compiled_statement(s, variables) for s in doc.statements))
    _CACHE[id(doc)] = (doc, out)
    return out
