"""Instances -> the shared model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policylint.model import LoadResult, Model
from policylint.terraform.common import Ctx
from policylint.terraform.normalize_apigw import normalize_apigw
from policylint.terraform.normalize_cloudfront import normalize_cloudfront
from policylint.terraform.normalize_edge import normalize_edge
from policylint.terraform.normalize_events import normalize_events
from policylint.terraform.normalize_iam import normalize_iam
from policylint.terraform.normalize_kms import normalize_kms
from policylint.terraform.normalize_network import normalize_network
from policylint.terraform.normalize_s3 import normalize_s3
from policylint.terraform.normalize_s3_extra import normalize_s3_extra
from policylint.terraform.normalize_waf import normalize_waf, normalize_waf_groups
from policylint.terraform.normalize_workloads import normalize_workloads
from policylint.terraform.providers import declared

if TYPE_CHECKING:
    from policylint.findings import InputProblem
    from policylint.terraform.instances import Instance


def build_model(instances: list[Instance], problems: list[InputProblem]) -> LoadResult:
    ctx = Ctx(instances)
    buckets, policies = normalize_s3(ctx)
    dists, oacs, oais, orps = normalize_cloudfront(ctx)
    keys, aliases = normalize_kms(ctx)
    acls, ip_sets, assocs = normalize_waf(ctx)
    roles, managed, scps = normalize_iam(ctx)
    model = Model(
        buckets=tuple(buckets),
        bucket_policies=tuple(policies),
        distributions=tuple(dists),
        oacs=tuple(oacs),
        oais=tuple(oais),
        origin_request_policies=tuple(orps),
        keys=tuple(keys),
        key_aliases=tuple(aliases),
        web_acls=tuple(acls),
        web_acl_associations=tuple(assocs),
        ip_sets=tuple(ip_sets),
        rule_groups=normalize_waf_groups(ctx),
        roles=tuple(roles),
        managed_policies=tuple(managed),
        scps=tuple(scps),
        **normalize_edge(ctx),
        **normalize_workloads(ctx),
        **normalize_network(ctx),
        **normalize_apigw(ctx),
        **normalize_s3_extra(ctx),
        declared=declared(instances),
        **normalize_events(ctx),
    )
    unique = tuple(dict.fromkeys((*problems, *ctx.problems)))
    return LoadResult(model, unique)
