"""Paste-able fix text: policy statements in the finding's file format (YAML, JSON or HCL)."""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from policylint.model import Bucket, Distribution, OriginAccessIdentity
    from policylint.source import SourceRef


class Fmt(enum.Enum):
    YAML = "yaml"  # CloudFormation YAML
    JSON = "json"  # CloudFormation JSON
    HCL = "hcl"  # Terraform (jsonencode object syntax)


def fmt_of(ref: SourceRef) -> Fmt:
    """The file's format, from its suffix (plans: from the finding's path in the document)."""
    name = ref.file.lower()
    if name.endswith((".tf", ".tf.json", ".tfplan.json", ".hcl")) or "tfplan" in name:
        return Fmt.HCL
    if ref.path[:1] in (("planned_values",), ("resource_changes",), ("prior_state",)):
        return Fmt.HCL  # a plan, whatever its name: the fix goes into the configuration
    return Fmt.JSON if name.endswith(".json") else Fmt.YAML


@dataclass(frozen=True, slots=True)
class V:
    """A value that refers to resources: a Fn::Sub template for CFN, an expression for TF."""

    cfn: str
    tf: str


Node: TypeAlias = str | V | list["Node"] | dict[str, "Node"]


def bucket_objects(b: Bucket) -> V:
    return V(f"${{{b.name}.Arn}}/*", f'"${{{b.name}.arn}}/*"')


def bucket_arn(b: Bucket) -> V:
    return V(f"${{{b.name}.Arn}}", f"{b.name}.arn")


def dist_arn(d: Distribution) -> V:
    cfn = f"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{d.name}}}"
    return V(cfn, f"{d.name}.arn")


def oai_arn(o: OriginAccessIdentity) -> V:
    cfn = f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${{{o.name}}}"
    return V(cfn, f"{o.name}.iam_arn")


def oac_statement(sid: str, d: Distribution, actions: list[str], resource: V) -> dict[str, Node]:
    """The documented OAC grant (Service principal + AWS:SourceArn)."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": _one(actions),
        "Resource": resource,
        "Condition": {"StringEquals": {"AWS:SourceArn": dist_arn(d)}},
    }


def oai_statement(
    sid: str, o: OriginAccessIdentity, actions: list[str], resource: V
) -> dict[str, Node]:
    """The documented OAI grant (the OAI's IAM user ARN)."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": oai_arn(o)},
        "Action": _one(actions),
        "Resource": resource,
    }


def _one(actions: list[str]) -> Node:
    return actions[0] if len(actions) == 1 else list[Node](actions)


def render(node: Node, fmt: Fmt, *, item: bool = True) -> str:
    """A statement as an item to paste into a Statement list (item=False: a bare mapping)."""
    if fmt is Fmt.YAML:
        return "\n".join(_yaml(node, 0, item=item))
    if fmt is Fmt.JSON:
        return json.dumps(_json(node), indent=2)
    return _hcl(node, 0)


def _whole_ref(cfn: str) -> tuple[str, ...] | None:
    """`${X.Attr}` alone is a GetAtt, `${X}` alone a Ref: no Fn::Sub needed."""
    m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}", cfn)
    return None if m is None else tuple(g for g in m.groups() if g)


def _yaml_scalar(value: str | V) -> str:
    if isinstance(value, V):
        whole = _whole_ref(value.cfn)
        if whole is not None:
            return ("!GetAtt " if len(whole) == 2 else "!Ref ") + ".".join(whole)
        return "!Sub " + json.dumps(value.cfn) if "${" in value.cfn else _yaml_scalar(value.cfn)
    special = value[:1] in tuple("!&*{}[]|>'\"%@`#,?:-") or value.endswith(":")
    plain = value and not special and ": " not in value and " #" not in value
    return value if plain and value.strip() == value else json.dumps(value)


def _yaml(node: Node, indent: int, item: bool = False) -> list[str]:
    pad = " " * indent
    lead = "- " if item else ""
    if isinstance(node, dict):
        lines: list[str] = []
        for i, (k, v) in enumerate(node.items()):
            prefix = (pad + lead) if i == 0 else (pad + ("  " if item else ""))
            key = _yaml_scalar(k)
            if isinstance(v, (dict, list)):
                lines.append(f"{prefix}{key}:")
                lines.extend(_yaml(v, indent + (2 if item else 0) + 2))
            else:
                lines.append(f"{prefix}{key}: {_yaml_scalar(v)}")
        return lines
    if isinstance(node, list):
        out: list[str] = []
        for v in node:
            if isinstance(v, (dict, list)):
                out.extend(_yaml(v, indent, item=True))
            else:
                out.append(f"{pad}- {_yaml_scalar(v)}")
        return out
    return [f"{pad}{lead}{_yaml_scalar(node)}"]


def _json(node: Node) -> object:
    if isinstance(node, V):
        whole = _whole_ref(node.cfn)
        if whole is not None:
            return {"Fn::GetAtt": list(whole)} if len(whole) == 2 else {"Ref": whole[0]}
        return {"Fn::Sub": node.cfn} if "${" in node.cfn else node.cfn
    if isinstance(node, dict):
        return {k: _json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_json(v) for v in node]
    return node


def _hcl_key(key: str) -> str:
    return key if key.replace("_", "").isalnum() else json.dumps(key)


def _hcl(node: Node, indent: int) -> str:
    pad = " " * indent
    if isinstance(node, V):
        return node.tf
    if isinstance(node, str):
        return json.dumps(node)
    if isinstance(node, list):
        return "[" + ", ".join(_hcl(v, indent) for v in node) + "]"
    if all(not isinstance(v, (dict, list)) for v in node.values()) and len(node) <= 1:
        return "{ " + ", ".join(f"{_hcl_key(k)} = {_hcl(v, 0)}" for k, v in node.items()) + " }"
    width = max(len(_hcl_key(k)) for k in node)
    inner = [f"{pad}  {_hcl_key(k):<{width}} = {_hcl(v, indent + 2)}" for k, v in node.items()]
    return "{\n" + "\n".join(inner) + f"\n{pad}}}"


def policy_resource(bucket: Bucket, statement: dict[str, Node], fmt: Fmt) -> str:
    """A whole bucket policy resource holding `statement`, for buckets that have none."""
    body = render(statement, fmt)
    if fmt is Fmt.HCL:
        local = bucket.name.rsplit(".", 1)[-1]
        inner = "\n".join("      " + line for line in body.splitlines())
        return (
            f'resource "aws_s3_bucket_policy" "{local}" {{\n'
            f"  bucket = {bucket.name}.id\n"
            "  policy = jsonencode({\n"
            '    Version   = "2012-10-17"\n'
            f"    Statement = [\n{inner}\n    ]\n"
            "  })\n}"
        )
    if fmt is Fmt.JSON:
        res = {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": bucket.name},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [_json(statement)]},
            },
        }
        return json.dumps({f"{bucket.name}Policy": res}, indent=2)
    inner = "\n".join("        " + line for line in body.splitlines())
    return (
        f"{bucket.name}Policy:\n  Type: AWS::S3::BucketPolicy\n  Properties:\n"
        f"    Bucket: !Ref {bucket.name}\n    PolicyDocument:\n"
        f'      Version: "2012-10-17"\n      Statement:\n{inner}'
    )
