"""What a check is given: the graph to question, the model, and declared intent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from policylint.graph import AccessGraph
    from policylint.model import Model
    from policylint.source import SourceRef

T = TypeVar("T")

# AWS Regions launched after December 2022, where an origin access identity (OAI) does not work
# and only origin access control (OAC) does: CloudFront Developer Guide, "Restrict access to an
# Amazon S3 origin" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/
# private-content-restricting-access-to-s3.html). The configuration key
# `oai-unsupported-regions` replaces this list (catalog CF050: "keep the list configurable").
OAI_UNSUPPORTED_REGIONS: tuple[str, ...] = (
    "ap-southeast-4",  # Melbourne, January 2023
    "il-central-1",  # Tel Aviv, August 2023
    "ca-west-1",  # Calgary, December 2023
    "ap-southeast-5",  # Malaysia, August 2024
    "ap-southeast-7",  # Thailand, January 2025
    "mx-central-1",  # Mexico (Central), January 2025
    "ap-east-2",  # Taipei, June 2025
    "ap-southeast-6",  # New Zealand, September 2025
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Expectation:
    """One access contract of the configuration's `expect` list (shape validated only)."""

    principal: str
    actions: tuple[str, ...]
    allowed: bool  # True for `can`, False for `cannot`
    on: str
    ref: SourceRef  # the entry in the configuration file


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountScope:
    """One entry of the configuration's `accounts`: the inputs below `path` (a glob relative
    to the configuration file) deploy to `account_id` (and `region`, when given)."""

    path: str
    account_id: str
    region: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent:
    """What the user declared in the configuration (the catalog's DECLARED inputs)."""

    public_buckets: tuple[str, ...] = ()  # bucket names or logical ids/addresses
    external_accounts: tuple[str, ...] = ()
    expected_countries: tuple[str, ...] = ()
    account_id: str | None = None
    organization_policies: tuple[str, ...] = ()  # SCP JSON files, paths as the CLI can open
    expect: tuple[Expectation, ...] = ()
    # CF050: Regions where OAI cannot work (default: the maintained list above)
    oai_unsupported_regions: tuple[str, ...] = OAI_UNSUPPORTED_REGIONS
    # LMB010/LMB020: also require lambda:InvokeFunction (function URLs since October 2025)
    lambda_url_invoke_function: bool = True
    # Multi-account runs (IAM020, IAM050): each input's account; globs relative to the root
    accounts: tuple[AccountScope, ...] = ()
    accounts_root: str = "."


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckContext:
    graph: AccessGraph
    model: Model
    intent: Intent = field(default_factory=Intent)
    # Indexes the rules build once per run (see `memo`); never shared between runs.
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """The value `build` returns, computed once for this run under `name`."""
        if name not in self.cache:
            self.cache[name] = build()
        return cast(T, self.cache[name])
