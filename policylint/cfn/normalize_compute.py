"""EC2 instances and CodeBuild projects: workloads that name their own subnets.

An instance runs with the role of its instance profile (`AWS::IAM::InstanceProfile.Roles`)
and is handed what its UserData references; a CodeBuild project runs with `ServiceRole` in
`VpcConfig` and is handed its environment variables and S3 source / artifact locations.
A profile that no instance of the template uses stays a workload of its own.
A state machine is handed what its Definition passes to their service (`definition_wires`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from policylint.cfn import returns
from policylint.cfn.common import BrokenResource, Res
from policylint.cfn.normalize_network import id_list, one_id
from policylint.compute_refs import bucket_of, handed
from policylint.model.network import Placement, owner_of
from policylint.model.workload import Workload, WorkloadKind
from policylint.sfn_refs import SERVICE_OF_TYPE, decoded, task_wires
from policylint.source import SourceRef
from policylint.values import Unknown

Element = tuple[str, Any]
Wired = tuple[str, str | Unknown, SourceRef]
_PROFILE = "AWS::IAM::InstanceProfile"
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
_NONE = Unknown("no subnets given: the default VPC or another stack decides")


# --- EC2 --------------------------------------------------------------------------------


def _profile_logical(res: Res, value: Any) -> str | None:
    """The template's instance profile that `value` (IamInstanceProfile) names."""
    owner = owner_of(value) if isinstance(value, str) else None
    logical = owner.rpartition("#")[2] if owner else None
    if logical is None or logical not in res.t.resources or res.t.owner(logical) != owner:
        return None
    return logical if res.t.resources[logical].get("Type") == _PROFILE else None


def _profile_role(res: Res, logical: str) -> str | Unknown | None:
    try:
        roles = Res(res.r, logical).strings("Roles")
    except BrokenResource:
        return None
    return roles if isinstance(roles, Unknown) else (roles[0] if len(roles) == 1 else None)


def ec2_instance(res: Res) -> Iterator[Element]:
    """An instance with a profile of the template: a workload placed in its subnets."""
    logical = _profile_logical(res, res.get("IamInstanceProfile"))
    if logical is None:
        return  # no profile, or one from outside the template: its role is not known
    wl = Workload(
        id=res.id,
        name=res.name,
        ref=res.ref,
        kind=WorkloadKind.EC2,
        role_arn=_profile_role(res, logical),
        wired=_user_data(res),
    )
    yield ("workloads", wl)
    one = one_id(res, "SubnetId")
    subnets: tuple[str, ...] | Unknown
    if isinstance(one, str):
        subnets, where = (one,), res.at("SubnetId")
    elif isinstance(one, Unknown):
        subnets, where = one, res.at("SubnetId")
    else:
        subnets, where = _interface_subnets(res), res.at("NetworkInterfaces")
    yield (
        "placements",
        Placement(id=res.id, name=res.name, ref=where, target=res.id, subnet_ids=subnets),
    )


def _interface_subnets(res: Res) -> tuple[str, ...] | Unknown:
    nics = res.get("NetworkInterfaces")
    if not isinstance(nics, list) or not nics:
        return _NONE
    out: list[str] = []
    for i in range(len(nics)):
        sid = one_id(res, "NetworkInterfaces", i, "SubnetId")
        if not isinstance(sid, str):
            return _NONE if sid is None else sid  # an interface given by id: subnet unknown
        out.append(sid)
    return tuple(out)


def _user_data(res: Res) -> tuple[Wired, ...]:
    """The values of the template's resources that UserData references and holds."""
    props = res.t.resources[res.logical].get("Properties")
    raw = props.get("UserData") if isinstance(props, dict) else None
    if raw is None:
        return ()
    path = (*res.base, "UserData")
    if isinstance(raw, dict) and list(raw) == ["Fn::Base64"]:
        raw, path = raw["Fn::Base64"], (*path, "Fn::Base64")
    script = res.r.resolve(raw, path)
    if not isinstance(script, str):
        return ()
    values = [v for v in _referenced(res, raw) if isinstance(v, str)]
    at = res.at("UserData")
    return tuple(("UserData", v, at) for v in handed(script, values))


def _referenced(res: Res, raw: Any) -> Iterator[Any]:
    """What each Ref / Fn::GetAtt / ${X} of a resource inside `raw` resolves to."""
    for logical, attr in _references(res, raw):
        yield _value(res, logical, attr)


def _references(res: Res, raw: Any) -> Iterator[tuple[Any, Any]]:
    """(logical id, attribute; "" for Ref) of each Ref / Fn::GetAtt / ${X} inside `raw`."""
    stack = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if len(node) == 1:
            ((fn, arg),) = node.items()
            if fn == "Ref" and isinstance(arg, str):
                yield arg, ""
                continue
            if fn == "Fn::GetAtt":
                pair = arg.split(".", 1) if isinstance(arg, str) else arg
                if isinstance(pair, list) and len(pair) == 2:
                    yield pair[0], pair[1]
                continue
            if fn == "Fn::Sub":
                text, names = arg if isinstance(arg, list) and len(arg) == 2 else (arg, {})
                names = names if isinstance(names, dict) else {}
                for m in _SUB_VAR.finditer(text if isinstance(text, str) else ""):
                    name = m.group(1).strip()
                    if name not in names:
                        logical, _, attr = name.partition(".")
                        yield logical, attr
                stack.extend(names.values())
                continue
        stack.extend(node.values())


def _value(res: Res, logical: Any, attr: Any) -> Any:
    """Ref (attr "") or GetAtt of a resource of the template; None for anything else
    (parameters, pseudo parameters, attributes the type does not have)."""
    body = res.t.resources.get(logical) if isinstance(logical, str) else None
    if body is None or not isinstance(attr, str):
        return None
    if not attr:
        return res.r.ref_name(logical, res.ref.path)
    if returns.attribute_allowed(str(body.get("Type")), attr) is False:
        return None
    return res.r.getatt_name(logical, attr, res.ref.path)


def definition_wires(res: Res) -> tuple[Wired, ...]:
    """The template's resources a state machine's Definition (Ref / GetAtt) or DefinitionString
    (${X} of Fn::Sub, Ref, GetAtt) references in the input of a state that integrates their
    service (`sfn_refs`), each at the first string that holds it. Parameters never count."""
    props = res.t.resources[res.logical].get("Properties")
    out: list[Wired] = []
    for key in ("Definition", "DefinitionString"):
        raw = props.get(key) if isinstance(props, dict) else None
        if raw is None:
            continue
        services: dict[str, str] = {}
        for logical, attr in _references(res, raw):
            value = _value(res, logical, attr)
            body = res.t.resources.get(logical) if isinstance(logical, str) else None
            service = SERVICE_OF_TYPE.get(str(body.get("Type"))) if body else None
            if isinstance(value, str) and service is not None:
                services.setdefault(value, service)
        for path, value in task_wires(decoded(res.get(key)), services):
            at = (key, *path) if key == "Definition" else (key,)
            out.append((".".join(map(str, (key, *path))), value, res.at(*at)))
    return tuple(out)


def instance_profile(res: Res) -> Iterator[Element]:
    """The profile's role as an EC2 workload, unless instances of the template use it (they
    are the workloads then)."""
    for logical, body in res.t.resources.items():
        if body.get("Type") != "AWS::EC2::Instance" or not _created(res, logical, body):
            continue
        props = body.get("Properties")
        raw = props.get("IamInstanceProfile") if isinstance(props, dict) else None
        if raw is None:
            continue
        value = res.r.resolve(raw, ("Resources", logical, "Properties", "IamInstanceProfile"))
        if _profile_logical(res, value) == res.logical:
            return
    roles = res.strings("Roles")
    role: str | Unknown | None = roles if isinstance(roles, Unknown) else (roles or (None,))[0]
    kind = WorkloadKind.EC2
    yield ("workloads", Workload(id=res.id, name=res.name, ref=res.ref, kind=kind, role_arn=role))


def _created(res: Res, logical: str, body: dict[str, Any]) -> bool:
    """False only when the resource's Condition is known to be false."""
    condition = body.get("Condition")
    if condition is None:
        return True
    truth = res.r.conditions.truth(condition, ("Resources", logical, "Condition"))
    return truth.value != "false"


# --- CodeBuild ----------------------------------------------------------------------------


def codebuild_elements(res: Res, env_wires: list[Wired]) -> Iterator[Element]:
    """A project with its role, variables and S3 locations; placed by VpcConfig subnets."""
    vpc = res.get("VpcConfig")
    placed = isinstance(vpc, Unknown) or (isinstance(vpc, dict) and bool(vpc.get("Subnets")))
    yield (
        "workloads",
        Workload(
            id=res.id,
            name=res.name,
            ref=res.ref,
            kind=WorkloadKind.CODEBUILD,
            role_arn=res.string("ServiceRole"),
            wired=(*env_wires, *_s3_locations(res)),
            in_vpc=placed,
        ),
    )
    if not placed:
        return
    if isinstance(vpc, Unknown):
        subnets: tuple[str, ...] | Unknown = vpc
        where, vpc_id = res.at("VpcConfig"), None
    else:
        subnets = id_list(res, "VpcConfig", "Subnets")
        where, vpc_id = res.at("VpcConfig", "Subnets"), one_id(res, "VpcConfig", "VpcId")
    yield (
        "placements",
        Placement(
            id=res.id, name=res.name, ref=where, target=res.id, subnet_ids=subnets, vpc_id=vpc_id
        ),
    )


def _s3_locations(res: Res) -> list[Wired]:
    """Source (bucket/key) and artifact (bucket) locations of type S3: the buckets' names."""
    out: list[Wired] = []
    for key, whole in (("Source", False), ("Artifacts", True)):
        if res.get(key, "Type") != "S3":
            continue
        loc = res.get(key, "Location")
        if not isinstance(loc, str):
            continue
        name = loc if whole else bucket_of(loc)
        if name:
            out.append((f"{key}.Location", name, res.at(key, "Location")))
    return out
