"""S3050-S3100 / KMS020-KMS050 details the fixture directories cannot express."""

from __future__ import annotations

from pathlib import Path

from policylint.checks import kms_access, s3_access
from policylint.checks.context import CheckContext, Expectation, Intent
from policylint.graph import build_graph
from policylint.pipeline import CheckOptions, load_paths
from policylint.source import SourceRef

HERE = Path(__file__).parent
RULES = HERE.parent / "rules"


def _hits(path: Path, rule: str, intent: Intent | None = None) -> list[str]:
    model, problems, _ = load_paths([str(path)], CheckOptions())
    assert not problems
    ctx = CheckContext(graph=build_graph(model), model=model, intent=intent or Intent())
    table = {**s3_access.CHECKS, **kms_access.CHECKS}
    return [h.message for h in table[rule](ctx)]


def test_referer_forwarded_by_managed_policy_is_clean() -> None:
    assert not _hits(HERE / "referer_forwarded.yaml", "S3060")


def test_referer_sent_as_origin_custom_header_is_clean() -> None:
    assert not _hits(HERE / "referer_custom_header.yaml", "S3060")


def test_kms020_is_an_error_only_for_declared_external_accounts() -> None:
    path = RULES / "KMS020" / "bad_key_policy_without_partner.yaml"
    model, _, _ = load_paths([str(path)], CheckOptions())
    for intent, sev in ((Intent(), "warning"), (Intent(external_accounts=("111122223333",)), None)):
        ctx = CheckContext(graph=build_graph(model), model=model, intent=intent)
        hits = list(kms_access.check_kms020(ctx))
        assert hits
        assert (hits[0].severity.value if hits[0].severity else None) == sev


def test_kms020_same_account_by_declared_account_id() -> None:
    path = RULES / "KMS020" / "bad_key_policy_without_partner.yaml"
    assert not _hits(path, "KMS020", Intent(account_id="111122223333"))


def test_s3090_declared_writer() -> None:
    path = RULES / "S3090" / "good_log_delivery_default_encryption.yaml"
    assert not _hits(path, "S3090")
    bad = RULES / "S3090" / "bad_log_delivery_header_deny.yaml"
    writer = Expectation(
        principal="arn:aws:iam::123456789012:role/Uploader",
        actions=("s3:PutObject",),
        allowed=True,
        on="LogBucket",
        ref=SourceRef("policylint.yaml"),
    )
    msgs = _hits(bad, "S3090", Intent(expect=(writer,)))
    assert any("declared writer" in m for m in msgs)


def test_s3050_object_acl_ignored_without_readers_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
resource "aws_s3_bucket" "b" {
  bucket = "example-b"
}
resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    object_ownership = "ObjectWriter"
  }
}
resource "aws_s3_object" "o" {
  bucket  = aws_s3_bucket.b.id
  key     = "o.txt"
  content = "o"
  acl     = "public-read"
}
"""
    )
    model, _, _ = load_paths([str(tmp_path)], CheckOptions())
    ctx = CheckContext(graph=build_graph(model), model=model)
    hits = list(s3_access.check_s3050(ctx))
    assert len(hits) == 1 and hits[0].severity is not None
    assert hits[0].severity.value == "warning"
