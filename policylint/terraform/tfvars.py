"""Variable values: .tfvars / .tfvars.json files and the files Terraform loads by itself."""

from __future__ import annotations

import os
from typing import Any

from policylint.errors import InputError
from policylint.source import SourceRef
from policylint.terraform.expressions import Evaluator, plain
from policylint.terraform.functions import FUNCTIONS
from policylint.values import Unknown


def parse_tfvars(text: str, file: str) -> dict[str, Any]:
    """Values of a .tfvars (HCL) or .tfvars.json file; raises InputError with a position."""
    if file.endswith(".json"):
        from policylint.parse.json_doc import load_json
        from policylint.source import FileKind

        doc = load_json(text, file, FileKind.TF_VARS)
        if not isinstance(doc.data, dict):
            raise InputError("a .tfvars.json file must hold an object", doc.ref(()))
        return dict(doc.data)
    from policylint.terraform.hcl import parse_body

    body = parse_body(text, file)

    def no_refs(name: str, line: int) -> Any:
        return Unknown(f"{name} in {file}:{line}")

    ev = Evaluator(no_refs, FUNCTIONS, origin=file)
    return {name: plain(ev.eval(attr.expr)) for name, attr in body.attrs.items()}


def read_tfvars(path: str) -> dict[str, Any]:
    """A -var-file: read and parse (InputError if unreadable or malformed)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read variables file: {exc}", SourceRef(path)) from None
    return parse_tfvars(text, path)


def auto_tfvars(directory: str) -> list[str]:
    """terraform.tfvars(.json) then *.auto.tfvars(.json), in Terraform's order."""
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError:
        return []
    first = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    auto = [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return [os.path.join(directory, n) if directory else n for n in first + auto]


def parse_var_option(text: str) -> tuple[str, Any]:
    """`-var name=value`: a string value (lists and maps written in HCL are parsed)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"invalid -var {text!r}: expected NAME=VALUE")
    value = value.strip()
    if value[:1] in ("[", "{"):
        try:
            parsed = parse_tfvars(f"v = {value}\n", "-var")
            return name.strip(), parsed["v"]
        except (InputError, KeyError):
            pass
    return name.strip(), value
