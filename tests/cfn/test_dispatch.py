"""The lazy CloudFormation dispatch table names every module's resource types, and only those."""

from __future__ import annotations

import importlib
import pkgutil

import policylint.cfn
from policylint.cfn.normalize import EVENT_TYPES, HANDLER_MODULES, handler_for


def _normalizer_modules() -> list[str]:
    names = (m.name for m in pkgutil.iter_modules(policylint.cfn.__path__))
    return sorted(n for n in names if n.startswith("normalize_") and n != "normalize_events")


def test_table_matches_every_module_handlers() -> None:
    expected: dict[str, str] = {}
    for name in _normalizer_modules():
        module = importlib.import_module(f"policylint.cfn.{name}")
        for rtype in getattr(module, "HANDLERS", {}):
            assert rtype not in expected, f"{rtype} handled by {expected[rtype]} and {name}"
            expected[rtype] = name
    assert expected == HANDLER_MODULES


def test_event_types_are_the_ones_normalize_events_handles() -> None:
    from policylint.cfn import normalize_events

    assert set(normalize_events.handlers({})) == EVENT_TYPES


def test_every_type_has_a_handler_and_unmodelled_types_none() -> None:
    for rtype in (*HANDLER_MODULES, *EVENT_TYPES):
        assert callable(handler_for(rtype)), rtype
    assert handler_for("AWS::SES::EmailIdentity") is None
