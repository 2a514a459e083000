"""A deliberately simple reference evaluator (concrete values only) for agreement tests.

Written straight from the AWS pages, without caching, compilation or three-valued logic:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import ipaddress
from typing import Any


def glob(pattern: str, text: str) -> bool:
    """Recursive * / ? matching."""
    if not pattern:
        return not text
    if pattern[0] == "*":
        return any(glob(pattern[1:], text[i:]) for i in range(len(text) + 1))
    if not text:
        return False
    return (pattern[0] == "?" or pattern[0] == text[0]) and glob(pattern[1:], text[1:])


def arn_match(pattern: str, value: str) -> bool:
    if pattern == "*":
        return True
    p, v = pattern.split(":", 5), value.split(":", 5)
    if len(p) != 6 or len(v) != 6:
        return glob(pattern, value)
    return all(glob(a, b) for a, b in zip(p, v, strict=True))


def as_list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else [x]


def value_match(op: str, pv: str, cv: str) -> bool:
    if op in ("StringEquals", "StringNotEquals"):
        return pv == cv
    if op in ("StringLike", "StringNotLike"):
        return glob(pv, cv)
    if op == "NumericLessThan":
        return float(cv) < float(pv)
    if op == "Bool":
        return pv.lower() == cv.lower()
    if op in ("IpAddress", "NotIpAddress"):
        net = ipaddress.ip_network(pv, strict=False)
        addr = ipaddress.ip_address(cv)
        return addr.version == net.version and addr in net
    if op in ("ArnLike", "ArnNotLike"):
        return arn_match(pv, cv)
    raise ValueError(op)


NEGATED = {"StringNotEquals", "StringNotLike", "NotIpAddress", "ArnNotLike"}


def condition(op: str, key: str, values: list[str], ctx: dict[str, list[str]]) -> bool:
    set_op = None
    if ":" in op and op.split(":")[0] in ("ForAnyValue", "ForAllValues"):
        set_op, op = op.split(":", 1)
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    got = next((v for k, v in ctx.items() if k.lower() == key.lower()), None)
    if op == "Null":
        return any((pv == "true") == (not got) for pv in values)
    if not got:
        if if_exists or set_op == "ForAllValues":
            return True
        if set_op == "ForAnyValue":
            return False
        return op in NEGATED
    neg = op in NEGATED

    def one(cv: str) -> bool:
        hit = any(value_match(op, pv, cv) for pv in values)
        return not hit if neg else hit

    if set_op == "ForAllValues":
        return all(one(cv) for cv in got)
    if set_op == "ForAnyValue":
        return any(one(cv) for cv in got)
    return all(one(cv) for cv in got) if neg else any(one(cv) for cv in got)


def account_of(arn: str) -> str:
    return arn.split(":")[4]


def principal_kinds(principal: Any, caller: str) -> set[str]:
    """Which ways (direct / role / account) a Principal element names the caller."""
    if principal == "*":
        return {"direct"}
    kinds: set[str] = set()
    for kind, entries in principal.items():
        for e in as_list(entries):
            if e == "*" and kind == "AWS":
                kinds.add("direct")
            elif kind != "AWS" or not caller.startswith("arn:"):
                if e == caller:
                    kinds.add("direct")
            elif e == caller:
                kinds.add("role" if ":role/" in caller else "direct")
            elif e.isdigit() or e.endswith(":root"):
                acct = e if e.isdigit() else account_of(e)
                if acct == account_of(caller):
                    kinds.add("account")
            elif (
                ":role/" in e
                and ":assumed-role/" in caller
                and account_of(e) == account_of(caller)
                and e.split("/")[-1] == caller.split("/")[1]
            ):
                kinds.add("role")
    return kinds


def applies(s: dict[str, Any], req: dict[str, Any], resource_policy: bool) -> set[str] | None:
    """None if the statement does not apply, else how the principal matched."""
    action = req["action"]
    if "Action" in s and not any(glob(a.lower(), action.lower()) for a in as_list(s["Action"])):
        return None
    if "NotAction" in s and any(glob(a.lower(), action.lower()) for a in as_list(s["NotAction"])):
        return None
    if "Resource" in s and not any(arn_match(r, req["resource"]) for r in as_list(s["Resource"])):
        return None
    if "NotResource" in s and any(arn_match(r, req["resource"]) for r in as_list(s["NotResource"])):
        return None
    kinds = {"direct"}
    if resource_policy:
        if "Principal" not in s:
            return None
        kinds = principal_kinds(s["Principal"], req["principal"])
        if not kinds:
            return None
    for op, block in s.get("Condition", {}).items():
        for key, vals in block.items():
            if not condition(op, key, [str(v) for v in as_list(vals)], req.get("context", {})):
                return None
    return kinds


def layer(
    docs: list[dict[str, Any]], req: dict[str, Any], rp: bool = False
) -> tuple[bool, set[str]]:
    """(explicit deny?, allow kinds)."""
    deny, allow = False, set()
    for doc in docs:
        for s in as_list(doc["Statement"]):
            kinds = applies(s, req, rp)
            if kinds is None:
                continue
            if s["Effect"] == "Deny":
                deny = True
            else:
                allow |= kinds
    return deny, allow


def reference_evaluate(req: dict[str, Any]) -> str:
    """req: principal, action, resource, resource_account, context, and the policy lists."""
    p = req["principal"]
    service = p != "*" and not p.startswith("arn:")
    anonymous = p == "*"
    denies = []
    scps = req.get("scps")
    scp_ok = True
    if scps is not None and not (service or anonymous):
        for level in scps:
            d, a = layer(level, req)
            denies.append(d)
            scp_ok = scp_ok and bool(a)
    res_deny, res_allow = (
        layer([req["resource_policy"]], req, True) if req.get("resource_policy") else (False, set())
    )
    denies.append(res_deny)
    if service or anonymous:
        if any(denies):
            return "explicit_deny"
        return "allow" if "direct" in res_allow else "implicit_deny"
    id_deny, id_allow = layer(req.get("identity_policies", []), req)
    denies.append(id_deny)
    pb = req.get("permission_boundaries")
    pb_ok = True
    if pb is not None:
        d, a = layer(pb, req)
        denies.append(d)
        pb_ok = bool(a)
    if any(denies):
        return "explicit_deny"
    if not scp_ok:
        return "implicit_deny"
    same = account_of(p) == req["resource_account"]
    if same and "direct" in res_allow:
        return "allow"
    if same and "role" in res_allow:
        return "allow" if pb_ok else "implicit_deny"
    if not same and not res_allow:
        return "implicit_deny"
    return "allow" if id_allow and pb_ok else "implicit_deny"
