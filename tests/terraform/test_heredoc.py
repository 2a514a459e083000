"""Heredocs read as Terraform reads them."""

from __future__ import annotations

from pathlib import Path


def test_heredoc_end_marker_with_trailing_blanks_is_accepted_like_terraform(tmp_path: Path) -> None:
    """HCL ends a heredoc at a line whose trimmed text is the marker."""
    from policylint.cli import main

    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket_policy" "p" {\n'
        '  bucket = "b"\n'
        "  policy = <<POLICY\n"
        '{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},'
        ' "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}\n'
        "POLICY  \n"
        "}\n"
    )
    assert main(["check", str(tmp_path)]) == 0
