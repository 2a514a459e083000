"""A template's sections, parameter values and pseudo parameters, checked for shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from policylint.findings import InputProblem
from policylint.values import Unknown, sym

if TYPE_CHECKING:
    from policylint.source import DocPath, Document, SourceRef

PSEUDO = (
    "AWS::AccountId",
    "AWS::Region",
    "AWS::Partition",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::URLSuffix",
)
NO_VALUE = "AWS::NoValue"


class Template:
    """Sections of one template plus the problems found while reading them."""

    def __init__(self, doc: Document, overrides: Mapping[str, str]) -> None:
        self.doc = doc
        self.file = doc.file
        self.problems: list[InputProblem] = []
        data = doc.data if isinstance(doc.data, dict) else {}
        if not isinstance(doc.data, dict):
            self.problem("a CloudFormation template must be a mapping", ())
        self.data = data
        self.resources: dict[str, dict[str, Any]] = {}
        self.conditions = self.section("Conditions")
        self.mappings = self.section("Mappings")
        self.pseudo: dict[str, Any] = {name: sym(name) for name in PSEUDO}
        for name in PSEUDO:
            if name in overrides:
                self.pseudo[name] = overrides[name]
        self.parameters: dict[str, Any] = {}
        self.parameter_types: dict[str, str] = {}
        self._read_parameters(overrides)
        self._read_resources()

    def ref(self, path: DocPath) -> SourceRef:
        return self.doc.ref(path)

    def problem(self, message: str, path: DocPath) -> None:
        self.problems.append(InputProblem(message, self.doc.ref(path)))

    def owner(self, logical: str) -> str:
        """The model id of a resource."""
        return f"{self.file}#{logical}"

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(f"{name} must be a mapping", (name,))
            return {}
        return value

    def _read_resources(self) -> None:
        for logical, body in self.section("Resources").items():
            path: DocPath = ("Resources", logical)
            if logical.startswith("Fn::ForEach::"):
                continue  # AWS::LanguageExtensions loops: not expanded, so not modelled
            if not isinstance(body, dict):
                self.problem(f"resource {logical} must be a mapping", path)
                continue
            rtype = body.get("Type")
            if not isinstance(rtype, str):
                self.problem(f"resource {logical} needs a Type string", path)
                continue
            self.resources[logical] = body

    def _read_parameters(self, overrides: Mapping[str, str]) -> None:
        for name, spec in self.section("Parameters").items():
            path: DocPath = ("Parameters", name)
            if not isinstance(spec, dict):
                self.problem(f"parameter {name} must be a mapping", path)
                spec = {}
            ptype = spec.get("Type")
            ptype = ptype if isinstance(ptype, str) else "String"
            self.parameter_types[name] = ptype
            if name in overrides:
                raw: Any = overrides[name]
            elif "Default" in spec:
                raw = spec["Default"]
            else:
                raw = None
            self.parameters[name] = self._parameter_value(name, ptype, raw, path)

    def _parameter_value(self, name: str, ptype: str, raw: Any, path: DocPath) -> Any:
        if ptype.startswith("AWS::SSM::Parameter::Value<"):
            return sym(f"Param:{name}")  # resolved from SSM at deploy time
        is_list = ptype == "CommaDelimitedList" or ptype.startswith("List<")
        if raw is None:
            if is_list:
                return Unknown(f"parameter {name} has no value", self.ref(path))
            return sym(f"Param:{name}")
        if isinstance(raw, (dict, list)) and not is_list:
            self.problem(f"parameter {name}: a {ptype} value must be a string", path)
            return sym(f"Param:{name}")
        if is_list:
            if isinstance(raw, list):
                return [scalar_text(x) for x in raw]
            return [part.strip() for part in scalar_text(raw).split(",")]
        return scalar_text(raw)


def scalar_text(value: Any) -> str:
    """A scalar as CloudFormation turns it into a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)
