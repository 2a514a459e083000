"""Two inputs with the same literal bucket name: each reference means its own input's bucket."""

from __future__ import annotations

from policylint.graph_types import BucketIndex
from policylint.model import Bucket
from policylint.source import SourceRef


def _bucket(unit: str) -> Bucket:
    return Bucket(
        id=f"{unit}#aws_s3_bucket.site",
        name="aws_s3_bucket.site",
        ref=SourceRef(unit),
        bucket_name="site",
        arn="arn:aws:s3:::site",
        account="a",
        region="r",
    )


def test_same_name_in_two_inputs_resolves_within_each_input() -> None:
    broken, fixed = _bucket("examples/broken"), _bucket("examples/fixed")
    index = BucketIndex((broken, fixed))
    assert index.find("site", "examples/broken#aws_s3_bucket_policy.p") is broken
    assert index.find("site", "examples/fixed#aws_cloudfront_distribution.d") is fixed
    assert index.find("site", "other#x") is None  # ambiguous from a third input: unknown
    assert BucketIndex((broken,)).find("site", "other#x") is broken
    assert index.find("nope", "examples/broken#x") is None
