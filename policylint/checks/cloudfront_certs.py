"""CF060 deploy-fail sub-checks on the viewer certificate: alias coverage and us-east-1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from policylint.checks.common import text, where
from policylint.checks.edge_links import host, same
from policylint.checks.fixes import Fmt, fmt_of
from policylint.findings import Hit, TraceStep
from policylint.values import SYM_OPEN, Tri, Unknown, split_symbols

if TYPE_CHECKING:
    from policylint.model import Certificate, Distribution, Model
    from policylint.source import SourceRef

_ACM_ARN = re.compile(r"^arn:(?:[^:\ue000]+|\ue000[^\ue001]*\ue001):acm:([a-z0-9-]+):")


def certificate_of(model: Model, d: Distribution) -> Certificate | None:
    """The certificate resource of the run the distribution's AcmCertificateArn names."""
    arn = d.viewer_certificate_arn
    if not isinstance(arn, str):
        return None
    return next((c for c in model.certificates if same(c.arn, arn) is Tri.TRUE), None)


def name_covers(cert_name: str | Unknown, alias: str) -> Tri:
    """Does a certificate name cover an alias? (`*.a.b` covers one label, `*.a.b` itself)"""
    if not isinstance(cert_name, str):
        return Tri.MAYBE
    c, a = host(cert_name), host(alias)
    if not c.startswith("*."):
        return same(c, a)
    if a.startswith("*."):
        return same(c, a)
    if a.startswith(SYM_OPEN) or SYM_OPEN in a.partition(".")[0]:
        return Tri.MAYBE
    label, dot, rest = a.partition(".")
    if not dot or not label:
        return Tri.FALSE
    return same(c[2:], rest)


def known_region(arn: str | Unknown | None, cert: Certificate | None) -> str | None:
    """The certificate's region when it is certain: a literal ARN, a literal stack region, or
    the literal region of its Terraform provider configuration."""
    for value in (arn, cert.arn if cert else None):
        if isinstance(value, str):
            m = _ACM_ARN.match(value)
            if m:
                return m.group(1)
    if cert is not None and cert.region and not any(s for s, _ in split_symbols(cert.region)):
        return cert.region
    return None


def _origin(ref: SourceRef) -> str:
    """Which setting a Terraform region comes from, for the trace."""
    path = [str(p) for p in ref.path]
    if len(path) > 2 and path[1] == "provider_config":
        return f"provider configuration {path[2]}"
    if path and ".provider." in f".{path[0]}":
        return f"provider configuration {path[0].rsplit('provider.', 1)[1]}"
    return "its own region argument"


def _region_fix(d: Distribution, cert: Certificate | None) -> str:
    fmt = fmt_of(cert.ref if cert else d.ref)
    arn = "arn:aws:acm:us-east-1:<account>:certificate/<id>"
    if fmt is Fmt.HCL and cert is not None and cert.region_ref is not None:
        if _origin(cert.region_ref).startswith("its own"):
            return f'In {cert.name}, create the certificate in us-east-1:\nregion = "us-east-1"'
        return (
            "Create the certificate with a provider configuration in us-east-1 (CloudFront "
            "only reads ACM certificates there):\n"
            'provider "aws" {\n  alias  = "us_east_1"\n  region = "us-east-1"\n}\n\n'
            f"# in {cert.name}:\nprovider = aws.us_east_1"
        )
    if fmt is Fmt.HCL:
        return (
            "Use a certificate requested (or imported) in us-east-1:\n"
            f'viewer_certificate {{\n  acm_certificate_arn = "{arn}"\n}}'
        )
    if fmt is Fmt.JSON:
        return (
            "Use a certificate requested (or imported) in us-east-1 (a us-east-1 stack):\n"
            f'"ViewerCertificate": {{"AcmCertificateArn": "{arn}"}}'
        )
    return (
        "Use a certificate requested (or imported) in us-east-1 (a us-east-1 stack):\n"
        f"ViewerCertificate:\n  AcmCertificateArn: {arn}"
    )


def certificate_hits(model: Model, d: Distribution) -> Iterator[Hit]:
    """Aliases the viewer certificate does not cover; a certificate outside us-east-1."""
    arn = d.viewer_certificate_arn
    if not isinstance(arn, str) or not arn:
        return
    cert = certificate_of(model, d)
    region = known_region(arn, cert)
    label = f"certificate {cert.name}" if cert else f"certificate {text(arn)}"
    cref = cert.ref if cert else d.ref
    if region is not None and region != "us-east-1":
        msg = (
            f"distribution {d.name} uses viewer {label}{where(cert.ref) if cert else ''} "
            f"in region {region}: "
            "CloudFront only accepts ACM certificates from us-east-1 (deployment fails)"
        )
        steps = [TraceStep(f"viewer certificate of {d.name} is {label}", d.ref)]
        if cert is not None and cert.region_ref is not None:
            origin = _origin(cert.region_ref)
            steps.append(TraceStep(f"{label} takes its region from {origin}", cref))
            steps.append(
                TraceStep(f"region = {region}, not us-east-1", cert.region_ref, denies=True)
            )
        else:
            steps.append(TraceStep(f"{label} is in {region}, not us-east-1", cref, denies=True))
        yield Hit(
            ref=d.ref,
            resource=d.name,
            message=msg,
            fix=_region_fix(d, cert),
            key=f"{d.name}|cert-region|{region}",
            trace=tuple(steps),
        )
    if cert is None or isinstance(d.aliases, Unknown):
        return
    if isinstance(cert.alternative_names, Unknown):
        return
    names = [cert.domain_name, *cert.alternative_names]
    shown = ", ".join(text(n) for n in names)
    for alias in d.aliases:
        verdict = Tri.FALSE
        for n in names:
            verdict = verdict | name_covers(n, alias)
        if verdict is not Tri.FALSE:
            continue
        msg = (
            f"alias {text(alias)} of distribution {d.name} is not covered by its viewer "
            f"{label}{where(cert.ref)} ({shown}): CloudFront refuses an alternate domain name "
            "the certificate does not cover (deployment fails)"
        )
        yield Hit(
            ref=d.ref,
            resource=d.name,
            message=msg,
            fix=f"Add {text(alias)} (or a wildcard for its parent domain) to the certificate's "
            "SubjectAlternativeNames (subject_alternative_names), or use a certificate that "
            "covers it.",
            key=f"{d.name}|{alias}|cert",
            trace=(
                TraceStep(f"Aliases contains {text(alias)}", d.ref),
                TraceStep(f"{label} covers {shown}", cert.ref, denies=True),
            ),
        )
