"""Lazy objects the evaluator traverses: `var`, `local`, resources, data sources, modules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policylint.terraform.expressions import Lazy
from policylint.values import Unknown

if TYPE_CHECKING:
    from policylint.terraform.module import Module


class VarScope(Lazy):
    def __init__(self, module: Module) -> None:
        self.module = module
        self.label = f"{module.prefix}var"

    def get(self, key: str) -> Any:
        return self.module.variable(key)


class LocalScope(Lazy):
    def __init__(self, module: Module) -> None:
        self.module = module
        self.label = f"{module.prefix}local"

    def get(self, key: str) -> Any:
        return self.module.local(key)


class TypeScope(Lazy):
    """`aws_s3_bucket` (then `.name`) or `data.aws_s3_bucket`."""

    def __init__(self, module: Module, mode: str, rtype: str) -> None:
        self.module = module
        self.mode = mode
        self.rtype = rtype
        prefix = "data." if mode == "data" else ""
        self.label = f"{module.prefix}{prefix}{rtype}"

    def get(self, key: str) -> Any:
        return self.module.resource_value(self.mode, self.rtype, key)


class DataScope(Lazy):
    def __init__(self, module: Module) -> None:
        self.module = module
        self.label = f"{module.prefix}data"

    def get(self, key: str) -> Any:
        return TypeScope(self.module, "data", key)


class ModuleScope(Lazy):
    def __init__(self, module: Module) -> None:
        self.module = module
        self.label = f"{module.prefix}module"

    def get(self, key: str) -> Any:
        return self.module.module_value(key)


class ModuleOutputs(Lazy):
    """A local module instance: its outputs."""

    def __init__(self, child: Module) -> None:
        self.child = child
        self.label = child.prefix.rstrip(".")

    def get(self, key: str) -> Any:
        return self.child.output(key)


def unknown_ref(label: str) -> Unknown:
    return Unknown(label)
