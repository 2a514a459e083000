"""CloudFront access rules: signed-URL paths (CF110), ALB secret header (CF140), OAC signing
behaviour (CF150)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.callers import evaluate_bucket, object_arn
from policylint.checks.common import origin_id, origin_trace, pattern_of, text, where
from policylint.checks.edge_links import load_balancer_of, same
from policylint.checks.edge_snippets import snippet
from policylint.findings import Hit, Severity, TraceStep
from policylint.graph import behaviors_of
from policylint.graph_types import CallerKind, EndpointKind
from policylint.policy.decision import Outcome
from policylint.values import Tri, Unknown, has_symbol

if TYPE_CHECKING:
    from policylint.checks.context import CheckContext
    from policylint.graph_types import OriginView
    from policylint.model import Behavior, Distribution, Listener, ListenerRule, LoadBalancer

# -- CF110 ---------------------------------------------------------------------------------


def restricted(beh: Behavior) -> bool:
    """Does the behavior require signed URLs or cookies?"""
    groups = () if isinstance(beh.trusted_key_groups, Unknown) else beh.trusted_key_groups
    signers = () if isinstance(beh.trusted_signers, Unknown) else beh.trusted_signers
    return bool(groups) or bool(signers)


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(
        ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lstrip("/")
    )
    return re.compile(f"^/?{body}$")


def behavior_for(d: Distribution, path: str) -> Behavior | None:
    """The behavior CloudFront applies to `path` (None if a pattern cannot be read)."""
    ordered = () if isinstance(d.behaviors, Unknown) else d.behaviors
    for beh in ordered:
        if not isinstance(beh.path_pattern, str) or has_symbol(beh.path_pattern):
            return None
        if _pattern_regex(beh.path_pattern).match(path.lstrip("/")):
            return beh
    return d.default_behavior


def check_cf110(ctx: CheckContext) -> Iterator[Hit]:
    """Restricted viewer access on paths that unsigned clients must fetch."""
    for kg in ctx.model.key_groups:
        if not isinstance(kg.items, Unknown) and not kg.items:
            msg = (
                f"key group {kg.name} has no public keys: no signed URL or cookie can verify "
                "against it, so every request to the behaviors that trust it gets 403"
            )
            yield Hit(
                ref=kg.ref,
                resource=kg.name,
                message=msg,
                key=f"{kg.name}|empty",
                severity=Severity.ERROR,
                fix=f"Add the public key(s) that sign your URLs:\n{snippet(kg.ref, 'key_items')}",
                trace=(TraceStep(f"key group {kg.name}: Items []", kg.ref, denies=True),),
            )
    for d in ctx.model.distributions:
        yield from _signed_paths(d)


def _signed_paths(d: Distribution) -> Iterator[Hit]:
    behaviors = behaviors_of(d)
    for beh in behaviors:
        signers = () if isinstance(beh.trusted_signers, Unknown) else beh.trusted_signers
        if signers:
            yield Hit(
                ref=beh.ref,
                resource=d.name,
                severity=Severity.INFO,
                key=f"{d.name}|{pattern_of(beh)}|trusted-signers",
                message=f"behavior {pattern_of(beh)} of distribution {d.name} uses "
                "TrustedSigners (account key pairs, legacy): prefer trusted key groups",
                fix="Replace TrustedSigners with TrustedKeyGroups.",
                trace=(TraceStep("TrustedSigners", beh.ref),),
            )
    errs = () if isinstance(d.custom_error_responses, Unknown) else d.custom_error_responses
    for err in errs:
        page = err.response_page_path
        if not isinstance(page, str) or has_symbol(page):
            continue
        served = behavior_for(d, page)
        if served is None or not restricted(served):
            continue
        beh = served
        msg = (
            f"error page {page} of distribution {d.name} (for {text(str(err.error_code))}) is "
            f"served by behavior {pattern_of(beh)}, which requires signed URLs or cookies: "
            "viewers without a signature get a 403 instead of the page"
        )
        fix = "Serve the error pages from an unrestricted behavior:\n" + snippet(
            beh.ref, "public_behavior", path=_dir_of(page), origin=text(beh.target_origin_id)
        )
        steps = (
            TraceStep(f"CustomErrorResponse {err.error_code} -> {page}", err.ref),
            TraceStep(
                f"behavior {pattern_of(beh)} is restricted (trusted key groups)",
                beh.ref,
                denies=True,
            ),
        )
        yield Hit(
            ref=err.ref,
            resource=d.name,
            message=msg,
            fix=fix,
            trace=steps,
            key=f"{d.name}|{page}|restricted-error-page",
            severity=Severity.WARNING,
        )
    dflt = d.default_behavior
    root = d.default_root_object
    rooted = isinstance(root, str) and bool(root)
    if dflt is not None and rooted and all(restricted(b) for b in behaviors):
        msg = (
            f"every behavior of distribution {d.name} requires signed URLs or cookies, "
            f"including / ({root}): the landing page and static assets cannot be fetched "
            "by a viewer that has not signed in yet (403)"
        )
        yield Hit(
            ref=dflt.ref,
            resource=d.name,
            message=msg,
            severity=Severity.INFO,
            key=f"{d.name}|all-restricted",
            fix="Serve public paths from unrestricted behaviors:\n"
            + snippet(
                dflt.ref,
                "public_behavior",
                path="/assets/*",
                origin=text(dflt.target_origin_id),
            ),
            trace=(TraceStep("default behavior is restricted", dflt.ref),),
        )


def _dir_of(page: str) -> str:
    head = page.rsplit("/", 1)[0]
    return f"{head}/*" if head else page


# -- CF140 ---------------------------------------------------------------------------------


def _fixed_403(listener: Listener) -> bool | None:
    acts = listener.default_actions
    if isinstance(acts, Unknown) or not acts:
        return None
    last = acts[-1]  # the terminating action (authenticate-* actions come first)
    if not isinstance(last.type, str) or isinstance(last.status_code, Unknown):
        return None
    return last.type.lower() == "fixed-response" and str(last.status_code) == "403"


def _value_matches(pattern: str | Unknown, value: str | Unknown) -> Tri:
    if not isinstance(pattern, str) or not isinstance(value, str):
        return Tri.MAYBE
    if has_symbol(pattern) or has_symbol(value):
        return same(pattern, value) if "*" not in pattern and "?" not in pattern else Tri.MAYBE
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return Tri.of(re.fullmatch(regex, value, re.IGNORECASE) is not None)


def _admits(
    rule: ListenerRule, headers: tuple[tuple[str | Unknown, str | Unknown], ...]
) -> Tri | None:
    """Does the rule forward the origin's requests? None: not decided by headers."""
    conds = rule.header_conditions
    if isinstance(conds, Unknown):
        return Tri.MAYBE
    if not conds:
        return None
    acts = rule.actions
    if (
        not isinstance(acts, Unknown)
        and acts
        and all(isinstance(a.type, str) and a.type.lower() == "fixed-response" for a in acts)
    ):
        return Tri.FALSE
    verdict = Tri.TRUE
    for name, values in conds:
        one = Tri.FALSE
        for hname, hvalue in headers:
            named = (
                same(name.lower(), hname.lower())
                if isinstance(name, str) and isinstance(hname, str)
                else Tri.MAYBE
            )
            for v in values:
                one = one | (named & _value_matches(v, hvalue))
        verdict = verdict & one
    return verdict


def check_cf140(ctx: CheckContext) -> Iterator[Hit]:
    """The origin's secret header does not match the ALB rule that otherwise returns 403."""
    for view in ctx.graph.origins():
        if not view.behaviors:
            continue
        lb = load_balancer_of(ctx.model, view)
        if lb is None:
            continue
        for listener in _listeners(ctx, lb, view):
            if _fixed_403(listener) is not True:
                continue
            rules = [
                r
                for r in ctx.model.listener_rules
                if same(r.listener_arn, listener.listener_arn) is Tri.TRUE
            ]
            verdicts = [_admits(r, view.origin.custom_headers) for r in rules]
            if any(v is None or v is Tri.TRUE for v in verdicts):
                continue
            yield _cf140_hit(view, lb, listener, rules, Tri.MAYBE in verdicts)


def _listeners(ctx: CheckContext, lb: LoadBalancer, view: OriginView) -> list[Listener]:
    policy = view.origin.origin_protocol_policy
    wanted = {"https-only": "HTTPS", "http-only": "HTTP"}.get(
        policy if isinstance(policy, str) else ""
    )
    found = []
    for ls in ctx.model.listeners:
        if same(ls.load_balancer_arn, lb.arn) is not Tri.TRUE:
            continue
        proto = getattr(ls, "protocol", None)
        if wanted and isinstance(proto, str) and not has_symbol(proto) and proto.upper() != wanted:
            continue
        found.append(ls)
    return found


def _wants(rule: ListenerRule) -> str:
    conds = () if isinstance(rule.header_conditions, Unknown) else rule.header_conditions
    pairs = ", ".join(f"{text(n)}={'|'.join(map(text, vs))}" for n, vs in conds)
    return f"{rule.name}{where(rule.ref)} wants {pairs or 'no header'}"


def _cf140_hit(
    view: OriginView, lb: LoadBalancer, listener: Listener, rules: list[ListenerRule], unsure: bool
) -> Hit:
    d = view.distribution
    sent = (
        ", ".join(f"{text(n)}: {text(v)}" for n, v in view.origin.custom_headers)
        or "no custom header"
    )
    wanted = "; ".join(_wants(r) for r in rules) or "no listener rule forwards anything"
    msg = (
        f"origin {origin_id(view)} of distribution {d.name} sends {sent} to load balancer "
        f"{lb.name}, whose listener {listener.name} answers a fixed 403 by default and whose "
        f"header rules do not match ({wanted}): every request through CloudFront gets 403"
    )
    if unsure:
        msg += " (unless the unresolved values turn out equal)"
    name, value = (
        view.origin.custom_headers[0]
        if view.origin.custom_headers
        else ("X-Origin-Verify", "<secret>")
    )
    fix = (
        "Send the header the listener rule expects from the origin, or make the rule expect "
        "the origin's header (ideally from the same secret):\n"
        + snippet(
            rules[0].ref if rules else listener.ref,
            "header_condition",
            name=text(name),
            value=text(value),
        )
    )
    steps = (
        *origin_trace(view),
        TraceStep(
            f"listener {listener.name} default action fixed-response 403", listener.ref, denies=True
        ),
    )
    return Hit(
        ref=view.origin.ref,
        resource=d.name,
        message=msg,
        fix=fix,
        trace=steps,
        key=f"{d.name}|{origin_id(view)}|{lb.name}",
        severity=Severity.INFO if unsure else None,
    )


# -- CF150 ---------------------------------------------------------------------------------


def check_cf150(ctx: CheckContext) -> Iterator[Hit]:
    """OAC signing behaviour inconsistent with a private bucket."""
    for view in ctx.graph.s3_origins():
        oac = view.oac
        if oac is None or not view.behaviors or not isinstance(oac.signing_behavior, str):
            continue
        if oac.signing_behavior == "never":
            yield from _never(ctx, view)
        elif oac.signing_behavior == "no-override":
            auth = [b for b in view.behaviors if _forwards_auth(b)]
            if auth:
                d = view.distribution
                msg = (
                    f"OAC {oac.name} of origin {origin_id(view)} ({d.name}) has SigningBehavior "
                    f"no-override and behavior {pattern_of(auth[0])} forwards the viewer's "
                    "Authorization header: S3 then checks the viewer's credentials, not the "
                    "OAC's, and answers 403"
                )
                yield Hit(
                    ref=oac.ref,
                    resource=oac.name,
                    message=msg,
                    severity=Severity.WARNING,
                    fix=f"Sign every request:\n{snippet(oac.ref, 'signing_always')}",
                    key=f"{oac.name}|{d.name}|no-override",
                    trace=(
                        *origin_trace(view),
                        TraceStep("viewer Authorization reaches S3 unsigned by OAC", oac.ref, True),
                    ),
                )


def _forwards_auth(beh: Behavior) -> bool:
    heads = () if isinstance(beh.forwarded_headers, Unknown) else beh.forwarded_headers
    return any(h == "*" or h.lower() == "authorization" for h in heads)


def _never(ctx: CheckContext, view: OriginView) -> Iterator[Hit]:
    bucket, oac = view.bucket, view.oac
    if bucket is None or oac is None or view.endpoint.kind is not EndpointKind.REST:
        return
    caller = ctx.graph.caller_for(view)
    if caller is None or caller.kind is not CallerKind.ANONYMOUS:
        return
    decision = evaluate_bucket(
        ctx.graph, bucket, caller, "s3:GetObject", object_arn(bucket), secure=True
    )
    pab = bucket.public_access_block
    if decision.outcome is Outcome.UNKNOWN or isinstance(pab, Unknown):
        return
    if decision.outcome is Outcome.ALLOW:
        restrict = True if pab is None else pab.restrict_public_buckets
        if restrict is not True:
            return
        why = "Block Public Access (RestrictPublicBuckets) keeps the bucket private"
    else:
        why = "the bucket policy does not allow anonymous s3:GetObject"
    d = view.distribution
    msg = (
        f"OAC {oac.name} of origin {origin_id(view)} ({d.name}) has SigningBehavior never, so "
        f"CloudFront sends unsigned (anonymous) requests to bucket {bucket.name}, and {why}: "
        "every request gets 403"
    )
    steps = (
        *origin_trace(view),
        TraceStep(f"OAC {oac.name}: SigningBehavior never (unsigned)", oac.ref),
        TraceStep(why, bucket.ref, denies=True),
    )
    yield Hit(
        ref=oac.ref,
        resource=oac.name,
        message=msg,
        trace=steps,
        fix=f"Let the OAC sign requests:\n{snippet(oac.ref, 'signing_always')}",
        key=f"{oac.name}|{d.name}|{bucket.name}|never",
    )
