"""Evaluation logic, one row per documented behaviour.

EVAL = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
XACCT = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
PB = https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
SESS = https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
SCP = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
RCP = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
KMS = https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
PRIN = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
NOTP = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
VARS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
VER = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
"""

from __future__ import annotations

from typing import Any

import pytest

from policylint.policy.decision import Layer, Outcome, PolicySet, Request
from policylint.policy.evaluate import evaluate
from policylint.policy.parse import parse_policy
from policylint.values import Unknown, resource_sym, sym

A, B = "111122223333", "444455556666"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
USER = f"arn:aws:iam::{A}:user/alice"
XROLE = f"arn:aws:iam::{B}:role/ext"
OBJ = "arn:aws:s3:::bucket/key"
ALLOW, XDENY, IDENY, UNK = (
    Outcome.ALLOW,
    Outcome.EXPLICIT_DENY,
    Outcome.IMPLICIT_DENY,
    Outcome.UNKNOWN,
)


def pol(*stmts: dict[str, Any], version: str = "2012-10-17") -> dict[str, Any]:
    return {"Version": version, "Statement": list(stmts)}


def st(effect: str = "Allow", **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": effect, "Action": kw.pop("Action", "s3:GetObject")}
    if "Resource" not in kw and "NotResource" not in kw:
        out["Resource"] = "arn:aws:s3:::bucket/*"
    out.update(kw)
    return out


def run(
    principal: str = ROLE,
    *,
    identity: list[dict[str, Any]] | None = None,
    resource: dict[str, Any] | None = None,
    boundaries: list[dict[str, Any]] | None = None,
    scps: list[list[dict[str, Any]]] | None = None,
    rcps: list[list[dict[str, Any]]] | None = None,
    session: dict[str, Any] | None = None,
    kms: bool = False,
    action: str = "s3:GetObject",
    res: str = OBJ,
    account: str | None = A,
    context: dict[str, Any] | None = None,
) -> Any:
    ps = PolicySet(
        identity=tuple(parse_policy(p) for p in identity or []),
        resource=parse_policy(resource) if resource is not None else None,
        boundaries=None if boundaries is None else tuple(parse_policy(p) for p in boundaries),
        scps=None if scps is None else tuple(tuple(map(parse_policy, lvl)) for lvl in scps),
        rcps=None if rcps is None else tuple(tuple(map(parse_policy, lvl)) for lvl in rcps),
        session=parse_policy(session) if session is not None else None,
        resource_is_key_policy=kms,
    )
    req = Request(
        principal=principal,
        action=action,
        resource=res,
        resource_account=account,
        context=context or {},
    )
    return evaluate(req, ps)


ID_ALLOW = pol(st())
ID_DENY = pol(st("Deny"))
ALL_ALLOW = pol({"Effect": "Allow", "Action": "*", "Resource": "*"})


def rp(principal: Any, effect: str = "Allow", **kw: Any) -> dict[str, Any]:
    return pol(st(effect, Principal=principal, **kw))


CASES: list[tuple[str, dict[str, Any], Outcome, Layer | None]] = [
    # EVAL: default deny; identity allow suffices in one account
    ("nothing allows", {}, IDENY, Layer.IDENTITY),
    ("identity allow", {"identity": [ID_ALLOW]}, ALLOW, Layer.IDENTITY),
    ("explicit deny wins", {"identity": [ID_ALLOW, ID_DENY]}, XDENY, Layer.IDENTITY),
    (
        "deny in resource policy wins",
        {"identity": [ID_ALLOW], "resource": rp("*", "Deny")},
        XDENY,
        Layer.RESOURCE,
    ),
    (
        "action case-insensitive",
        {"identity": [pol(st(Action="S3:getobject"))]},
        ALLOW,
        Layer.IDENTITY,
    ),
    ("action wildcard", {"identity": [pol(st(Action="s3:Get*"))]}, ALLOW, Layer.IDENTITY),
    (
        "NotAction",
        {"identity": [pol(st(Action=None, NotAction="s3:Put*") | {"Action": None})]},
        ALLOW,
        None,
    ),
    (
        "resource case-sensitive",
        {"identity": [pol(st(Resource="arn:aws:s3:::BUCKET/*"))]},
        IDENY,
        Layer.IDENTITY,
    ),
    (
        "NotResource",
        {"identity": [pol(st(NotResource="arn:aws:s3:::other/*"))]},
        ALLOW,
        Layer.IDENTITY,
    ),
    (
        "deny NotResource excludes",
        {"identity": [ID_ALLOW, pol(st("Deny", NotResource="arn:aws:s3:::bucket/*"))]},
        ALLOW,
        None,
    ),
    # EVAL: same account, a resource policy grant to the principal suffices
    ("same-account resource grant to role", {"resource": rp({"AWS": ROLE})}, ALLOW, Layer.RESOURCE),
    ("resource grant to account delegates", {"resource": rp({"AWS": A})}, IDENY, Layer.IDENTITY),
    (
        "account id == root ARN",
        {"resource": rp({"AWS": f"arn:aws:iam::{A}:root"}), "identity": [ID_ALLOW]},
        ALLOW,
        None,
    ),
    ("resource Principal * same account", {"resource": rp("*")}, ALLOW, Layer.RESOURCE),
    ("resource Principal AWS:* == *", {"resource": rp({"AWS": "*"})}, ALLOW, Layer.RESOURCE),
    # PB: boundary caps identity policies
    (
        "boundary lacks allow",
        {"identity": [ID_ALLOW], "boundaries": [pol(st(Action="ec2:*", Resource="*"))]},
        IDENY,
        Layer.BOUNDARY,
    ),
    ("boundary allows", {"identity": [ID_ALLOW], "boundaries": [ALL_ALLOW]}, ALLOW, Layer.IDENTITY),
    ("boundary alone grants nothing", {"boundaries": [ALL_ALLOW]}, IDENY, Layer.IDENTITY),
    (
        "boundary deny wins",
        {"identity": [ID_ALLOW], "boundaries": [ALL_ALLOW, ID_DENY]},
        XDENY,
        Layer.BOUNDARY,
    ),
    # SCP: every level must allow; deny anywhere wins
    (
        "scp allows at every level",
        {"identity": [ID_ALLOW], "scps": [[ALL_ALLOW], [ALL_ALLOW]]},
        ALLOW,
        None,
    ),
    (
        "scp missing at one level",
        {"identity": [ID_ALLOW], "scps": [[ALL_ALLOW], [pol(st(Action="ec2:*"))]]},
        IDENY,
        Layer.SCP,
    ),
    ("scp deny", {"identity": [ID_ALLOW], "scps": [[ALL_ALLOW, ID_DENY]]}, XDENY, Layer.SCP),
    (
        "scp limits resource-policy grants too",
        {"resource": rp("*"), "scps": [[pol(st(Action="ec2:*"))]]},
        IDENY,
        Layer.SCP,
    ),
    # RCP
    (
        "rcp lacks allow",
        {"identity": [ID_ALLOW], "rcps": [[pol(st(Action="sqs:*", Principal="*"))]]},
        IDENY,
        Layer.RCP,
    ),
    ("rcp deny", {"identity": [ID_ALLOW], "rcps": [[rp("*"), rp("*", "Deny")]]}, XDENY, Layer.RCP),
    # SESS: session policy caps the session
    (
        "session policy lacks allow",
        {"identity": [ID_ALLOW], "session": pol(st(Action="ec2:*"))},
        IDENY,
        Layer.SESSION,
    ),
    ("session policy allows", {"identity": [ID_ALLOW], "session": ALL_ALLOW}, ALLOW, None),
]


@pytest.mark.parametrize(("name", "kw", "outcome", "layer"), CASES, ids=[c[0] for c in CASES])
def test_documented(name: str, kw: dict[str, Any], outcome: Outcome, layer: Layer | None) -> None:
    if name == "NotAction":
        kw = {"identity": [pol({"Effect": "Allow", "NotAction": "s3:Put*", "Resource": "*"})]}
    decision = run(**kw)
    assert decision.outcome is outcome, decision.reasons
    if layer is not None:
        assert decision.layer is layer
    assert decision.reasons


def test_cross_account_needs_both_sides() -> None:
    # XACCT: identity in the caller's account AND resource policy in the resource's account
    assert run(XROLE, identity=[ID_ALLOW]).outcome is IDENY
    assert run(XROLE, identity=[ID_ALLOW]).layer is Layer.RESOURCE
    assert run(XROLE, resource=rp({"AWS": XROLE})).outcome is IDENY
    assert run(XROLE, resource=rp({"AWS": XROLE}), identity=[ID_ALLOW]).outcome is ALLOW
    assert run(XROLE, resource=rp({"AWS": B}), identity=[ID_ALLOW]).outcome is ALLOW
    assert run(XROLE, resource=rp({"AWS": A}), identity=[ID_ALLOW]).outcome is IDENY


def test_boundary_role_arn_vs_session_arn() -> None:
    # PB: a grant to the session ARN (or a user ARN) is not limited by the boundary's implicit
    # deny; a grant to the role ARN is.
    narrow = [pol(st(Action="ec2:*", Resource="*"))]
    assert run(SESSION, resource=rp({"AWS": SESSION}), boundaries=narrow).outcome is ALLOW
    assert run(USER, resource=rp({"AWS": USER}), boundaries=narrow).outcome is ALLOW
    d = run(SESSION, resource=rp({"AWS": ROLE}), boundaries=narrow)
    assert (d.outcome, d.layer) == (IDENY, Layer.BOUNDARY)
    assert run(SESSION, resource=rp({"AWS": ROLE})).outcome is ALLOW
    # SESS: the same for session policies
    assert (
        run(SESSION, resource=rp({"AWS": SESSION}), session=pol(st(Action="ec2:*"))).outcome
        is ALLOW
    )
    assert (
        run(SESSION, resource=rp({"AWS": ROLE}), session=pol(st(Action="ec2:*"))).outcome is IDENY
    )


def test_role_arn_with_path_covers_sessions() -> None:
    # PRIN: a role ARN names every session of the role (role names are unique in an account)
    d = run(SESSION, resource=rp({"AWS": f"arn:aws:iam::{A}:role/team/app"}))
    assert d.outcome is ALLOW
    assert run(SESSION, resource=rp({"AWS": f"arn:aws:iam::{A}:role/other"})).outcome is IDENY


def test_service_principal_and_anonymous_use_resource_policy_only() -> None:
    cf = "cloudfront.amazonaws.com"
    grant = rp({"Service": cf})
    assert run(cf, resource=grant, account=None).outcome is ALLOW
    # SCP: SCPs do not apply to service principals
    assert run(cf, resource=grant, scps=[[pol(st(Action="ec2:*"))]], account=None).outcome is ALLOW
    assert run(cf, identity=[ALL_ALLOW], account=None).outcome is IDENY
    assert run("*", resource=rp("*"), account=None).outcome is ALLOW
    assert run("*", resource=rp({"AWS": A}), account=None).outcome is IDENY
    assert run("*", account=None).layer is Layer.RESOURCE


def test_oac_source_arn_condition() -> None:
    # https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
    dist = f"arn:aws:cloudfront::{A}:distribution/E1"
    grant = rp(
        {"Service": "cloudfront.amazonaws.com"}, Condition={"StringEquals": {"AWS:SourceArn": dist}}
    )
    ok = run("cloudfront.amazonaws.com", resource=grant, context={"aws:SourceArn": dist})
    assert ok.outcome is ALLOW
    other = run("cloudfront.amazonaws.com", resource=grant, context={"aws:sourcearn": dist + "x"})
    assert other.outcome is IDENY
    none = run("cloudfront.amazonaws.com", resource=grant)
    assert none.outcome is IDENY and none.missing_keys == ("AWS:SourceArn",)


def test_kms_key_policy() -> None:
    # KMS: the key policy must allow; delegation to the account root lets IAM policies decide
    act, key = "kms:Decrypt", f"arn:aws:kms:us-east-1:{A}:key/k1"
    kw: dict[str, Any] = {"action": act, "res": key, "kms": True}
    root = pol(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    )
    iam = pol({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})
    assert (
        run(
            identity=[iam],
            resource=pol(st(Principal={"AWS": B}, Action="kms:*", Resource="*")),
            **kw,
        ).outcome
        is IDENY
    )
    assert run(identity=[iam], resource=root, **kw).outcome is ALLOW
    d = run(resource=root, **kw)
    assert (d.outcome, d.layer) == (IDENY, Layer.IDENTITY)
    direct = pol(
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}
    )
    assert run(resource=direct, **kw).outcome is ALLOW
    # without a key policy allow, IAM grants have no effect
    none = pol({"Effect": "Allow", "Principal": {"AWS": B}, "Action": "kms:*", "Resource": "*"})
    assert run(identity=[ALL_ALLOW], resource=none, **kw).layer is Layer.RESOURCE


def test_trust_policy_is_a_resource_policy() -> None:
    trust = pol({"Effect": "Allow", "Principal": {"AWS": XROLE}, "Action": "sts:AssumeRole"})
    kw: dict[str, Any] = {"action": "sts:AssumeRole", "res": ROLE}
    assert run(XROLE, resource=trust, identity=[ALL_ALLOW], **kw).outcome is ALLOW
    assert run(XROLE, resource=trust, **kw).outcome is IDENY
    svc = pol(
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    assert run("lambda.amazonaws.com", resource=svc, **kw).outcome is ALLOW


def test_not_principal() -> None:
    # NOTP: the session is excluded only when account, role and session are all listed
    full = {"AWS": [SESSION, ROLE, f"arn:aws:iam::{A}:root"]}
    deny_full = pol(st("Deny", NotPrincipal=full), st(Principal="*"))
    assert run(SESSION, resource=deny_full).outcome is ALLOW
    deny_partial = pol(st("Deny", NotPrincipal={"AWS": SESSION}), st(Principal="*"))
    assert run(SESSION, resource=deny_partial).outcome is XDENY
    assert run("*", resource=deny_full, account=None).outcome is XDENY
    # PB: NotPrincipal + Deny always denies a principal with a permissions boundary
    assert run(SESSION, resource=deny_full, boundaries=[ALL_ALLOW]).outcome is XDENY


def test_policy_variables() -> None:
    # VARS: ${aws:username} in Resource; unresolvable -> no match; default values; ${*}
    p = pol(st(Resource="arn:aws:s3:::bucket/${aws:username}/*"))
    ctx = {"aws:username": "alice"}
    assert run(USER, identity=[p], res="arn:aws:s3:::bucket/alice/x", context=ctx).outcome is ALLOW
    assert run(USER, identity=[p], res="arn:aws:s3:::bucket/bob/x", context=ctx).outcome is IDENY
    assert run(USER, identity=[p], res="arn:aws:s3:::bucket/alice/x").outcome is IDENY
    d = pol(st(Resource="arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*"))
    assert run(identity=[d], res="arn:aws:s3:::bucket/shared/x").outcome is ALLOW
    tag = pol(st(Condition={"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team}"}}))
    tctx = {"aws:PrincipalTag/team": "red", "s3:prefix": "red"}
    assert run(identity=[tag], context=tctx).outcome is ALLOW
    star = pol(st(Resource="arn:aws:s3:::bucket/${*}"))
    assert run(identity=[star], res="arn:aws:s3:::bucket/*").outcome is ALLOW
    assert run(identity=[star], res="arn:aws:s3:::bucket/x").outcome is IDENY
    # VER: no variables in 2008-10-17 (the default when Version is absent)
    old = pol(st(Resource="arn:aws:s3:::bucket/${aws:username}/*"), version="2008-10-17")
    assert (
        run(USER, identity=[old], res="arn:aws:s3:::bucket/alice/x", context=ctx).outcome is IDENY
    )
    assert (
        run(USER, identity=[old], res="arn:aws:s3:::bucket/${aws:username}/x", context=ctx).outcome
        is ALLOW
    )


def test_symbols_make_unknown_only_where_it_matters() -> None:
    acct = sym("AWS::AccountId")
    dist = f"arn:aws:cloudfront::{acct}:distribution/{resource_sym('t.yaml#D', 'Id')}"
    other = f"arn:aws:cloudfront::{acct}:distribution/{resource_sym('t.yaml#E', 'Id')}"
    grant = rp(
        {"Service": "cloudfront.amazonaws.com"}, Condition={"StringEquals": {"AWS:SourceArn": dist}}
    )
    cf = "cloudfront.amazonaws.com"
    assert run(cf, resource=grant, context={"aws:SourceArn": dist}).outcome is ALLOW
    assert run(cf, resource=grant, context={"aws:SourceArn": other}).outcome is IDENY
    literal = rp(
        {"Service": cf},
        Condition={"StringEquals": {"AWS:SourceArn": f"arn:aws:cloudfront::{A}:distribution/E1"}},
    )
    d = run(cf, resource=literal, context={"aws:SourceArn": dist})
    assert d.outcome is UNK and d.unknown_reasons and d.possible == (ALLOW, IDENY)
    assert d.certainly_denied is False
    # a MAYBE deny on top of an implicit deny: unknown, but certainly denied
    maybe_deny = pol(
        st(
            "Deny",
            Principal="*",
            Condition={
                "StringEquals": {"aws:SourceArn": f"arn:aws:cloudfront::{A}:distribution/E1"}
            },
        )
    )
    d2 = run(cf, resource=maybe_deny, context={"aws:SourceArn": dist})
    assert d2.outcome is UNK and d2.certainly_denied
    # a MAYBE allow that cannot change the outcome (explicit deny anyway) stays definite
    both = pol(*literal["Statement"], st("Deny", Principal="*"))
    assert run(cf, resource=both, context={"aws:SourceArn": dist}).outcome is XDENY


def test_unknown_parts_of_documents() -> None:
    unknown_stmt = parse_policy({"Version": "2012-10-17", "Statement": [Unknown("imported")]})
    ps = PolicySet(identity=(parse_policy(ID_ALLOW), unknown_stmt))
    req = Request(principal=ROLE, action="s3:GetObject", resource=OBJ, resource_account=A)
    d = evaluate(req, ps)
    assert d.outcome is UNK and any("imported" in r for r in d.unknown_reasons)
    ps2 = PolicySet(identity=(parse_policy(ID_DENY), unknown_stmt))
    assert evaluate(req, ps2).outcome is XDENY  # an unknown part cannot undo an explicit deny


def test_unknown_accounts() -> None:
    # the resource account unknown: same-account and cross-account may disagree -> unknown
    assert run(identity=[ID_ALLOW], account=None).outcome is UNK
    # ... but not when both would deny
    assert run(account=None).outcome is IDENY
    acct = sym("AWS::AccountId")
    d = run(f"arn:aws:iam::{acct}:role/app", identity=[ID_ALLOW], account=acct)
    assert d.outcome is ALLOW
