"""cfn-lint rules that run policylint on the template cfn-lint is linting.

cfn-lint (1.x) collects every class of this module that subclasses `CloudFormationLintRule`;
the classes are made from the rule catalog, one per policylint rule. policylint runs once per
template file (cached by path, size and mtime) and each rule reports its own findings, at
policylint's line and column.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from policylint.findings import Severity
from policylint.values import render

if TYPE_CHECKING:
    from policylint.findings import Finding

SEVERITY_LETTER = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "I"}
DOCS_URL = "https://github.com/policylint/policylint/blob/main/docs/cfn-lint.md"


def cfn_lint_id(rule_id: str, severity: Severity) -> str:
    """The cfn-lint id of a policylint rule: its severity letter, then the policylint id."""
    return SEVERITY_LETTER[severity] + rule_id


@functools.lru_cache(maxsize=16)
def _findings(path: str, size: int, mtime_ns: int) -> tuple[Finding, ...]:
    from policylint.pipeline import check_paths

    return tuple(check_paths([path], options()).findings)


def options() -> Any:
    """Check options from the policylint configuration found from the working directory
    (`.policylint.yaml` or `pyproject.toml`), as `policylint check` would use them."""
    from policylint.config import load_config
    from policylint.pipeline import CheckOptions

    config = load_config()
    return CheckOptions(
        jobs=1,
        select=config.select,
        ignore=config.ignore,
        intent=config.intent,
        config_dir=config.base_dir,
        template_parameters=config.parameters,
        per_file_ignores=config.per_file_ignores,
    )


def findings_for(filename: str | None) -> tuple[Finding, ...]:
    """policylint's findings for one template file; none for stdin or a missing file."""
    if not filename or filename == "-" or not os.path.isfile(filename):
        return ()
    stat = os.stat(filename)
    return _findings(filename, stat.st_size, stat.st_mtime_ns)


def to_match(finding: Finding, rule: Any = None) -> Any:
    """A cfn-lint RuleMatch at the finding's position (cfn-lint locations are 0-based);
    `rule` reports it under another rule (a sibling id for an overridden severity)."""
    span = finding.ref.span
    line, column = finding.line - 1, finding.column - 1
    end_line = (span.end_line - 1) if span and span.end_line else line
    end_column = (span.end_column - 1) if span and span.end_column else column
    message = f"[{finding.rule}] {render(finding.message)}"
    extra = {"rule": rule} if rule is not None else {}
    return RuleMatch(
        list(finding.ref.path), message, location=(line, column, end_line, end_column), **extra
    )


class _PolicylintRule:
    """What every generated rule does; not itself a CloudFormationLintRule, so cfn-lint does
    not collect it. A sibling (`WCF010` beside `ECF010`) reports nothing itself: the rule's
    main class reports the findings whose severity a check changed under the sibling's id."""

    policylint_id = ""
    policylint_severity = Severity.ERROR
    sibling = False

    def match(self, cfn: Any) -> list[Any]:
        if self.sibling:
            return []
        return [
            to_match(f, None if f.severity is self.policylint_severity else _sibling(f))
            for f in findings_for(getattr(cfn, "filename", None))
            if f.rule == self.policylint_id
        ]


def _sibling(finding: Finding) -> Any:
    return BY_ID[cfn_lint_id(finding.rule, finding.severity)]()


def rule_classes() -> list[type]:
    """Per policylint rule that has a check: its cfn-lint rule (catalog severity) and the
    siblings for the other severities."""
    from policylint.catalog import load_catalog
    from policylint.checks import all_checks

    checks = all_checks()
    classes: list[type] = []
    for doc in load_catalog().values():
        if doc.id not in checks:
            continue
        for severity in Severity:
            sibling = severity is not doc.severity
            namespace = {
                "__module__": __name__,
                "__doc__": doc.summary,
                "id": cfn_lint_id(doc.id, severity),
                "policylint_id": doc.id,
                "policylint_severity": severity,
                "sibling": sibling,
                "shortdesc": f"policylint {doc.id} {doc.name}"
                + (f" ({severity.value}-level findings)" if sibling else ""),
                "description": doc.summary,
                "source_url": doc.references[0].url if doc.references else DOCS_URL,
                "tags": ["policylint", "iam", "403"],
            }
            name = f"Policylint{cfn_lint_id(doc.id, severity)}"
            classes.append(type(name, (_PolicylintRule, CloudFormationLintRule), namespace))
    return classes


CLASSES = rule_classes()
BY_ID: dict[str, type] = {cls.id: cls for cls in CLASSES}  # type: ignore[attr-defined]
globals().update({cls.__name__: cls for cls in CLASSES})
