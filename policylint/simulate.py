"""`policylint simulate FILE|-`: decide IAM requests offline, one JSON line per request."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from policylint.errors import InputError, PolicyError
from policylint.policy.decision import PolicySet, Request
from policylint.policy.document import PolicyDocument
from policylint.policy.evaluate import evaluate
from policylint.policy.parse import json_path, parse_policy
from policylint.source import FileKind
from policylint.values import render

if TYPE_CHECKING:
    from policylint.policy.decision import Decision
    from policylint.source import DocPath, Document, SourceRef

_KEYS = frozenset(
    {
        "id",
        "identity_policies",
        "resource_policy",
        "permission_boundaries",
        "scps",
        "rcps",
        "session_policy",
        "principal",
        "principal_account",
        "action",
        "resource",
        "resource_account",
        "resource_is_key_policy",
        "context",
    }
)


class RequestError(Exception):
    """A malformed request: message and JSON path inside the input."""

    def __init__(self, message: str, path: str, ref: SourceRef | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.ref = ref


class _Reader:
    """Turns one request object into (Request, PolicySet), with refs into the input file."""

    def __init__(self, doc: Document, base: DocPath) -> None:
        self.doc = doc
        self.base = base

    def fail(self, message: str, *path: str | int) -> RequestError:
        full = self.base + path
        return RequestError(message, json_path(full), self.doc.ref(full))

    def policy(self, value: Any, *path: str | int) -> PolicyDocument:
        at = self.doc.ref(self.base + path)
        try:
            parsed = parse_policy(value, at=at, doc=self.doc)
        except PolicyError as exc:
            where = json_path(self.base + path) + exc.path.removeprefix("$")
            raise RequestError(exc.message, where, exc.ref or at) from None
        name = json_path(path).removeprefix("$.")
        return PolicyDocument(
            statements=parsed.statements,
            version=parsed.version,
            ref=parsed.ref,
            name=name,
            unknown=parsed.unknown,
        )

    def policies(self, value: Any, *path: str | int) -> tuple[PolicyDocument, ...]:
        if not isinstance(value, list):
            raise self.fail("expected a list of policy documents", *path)
        return tuple(self.policy(v, *path, i) for i, v in enumerate(value))

    def levels(self, value: Any, *path: str | int) -> tuple[tuple[PolicyDocument, ...], ...]:
        # A flat list is one level (attached to the account); a list of lists is one per level.
        if not isinstance(value, list):
            raise self.fail("expected a list of policies or a list of lists of policies", *path)
        if value and all(isinstance(v, list) for v in value):
            return tuple(self.policies(v, *path, i) for i, v in enumerate(value))
        return (self.policies(value, *path),)

    def string(self, raw: Mapping[str, Any], key: str, *, required: bool) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing required key {key!r}", key)
            return None
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string", key)
        return value

    def context(self, value: Any) -> dict[str, str | tuple[str, ...]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail("context must be an object", "context")
        out: dict[str, str | tuple[str, ...]] = {}
        for key, v in value.items():
            if isinstance(v, list):
                out[key] = tuple(self.scalar(x, "context", key, i) for i, x in enumerate(v))
            else:
                out[key] = self.scalar(v, "context", key)
        return out

    def scalar(self, v: Any, *path: str | int) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return str(v)
        if isinstance(v, str):
            return v
        raise self.fail("context values must be strings, numbers, booleans or lists of them", *path)

    def read(self, raw: Any) -> tuple[Request, PolicySet]:
        if not isinstance(raw, Mapping):
            raise self.fail("a request must be a JSON object")
        for key in raw:
            if key not in _KEYS:
                raise self.fail(f"unknown request key {key!r}", key)
        get = raw.get
        policies = PolicySet(
            identity=self.policies(get("identity_policies") or [], "identity_policies"),
            resource=None
            if get("resource_policy") is None
            else self.policy(raw["resource_policy"], "resource_policy"),
            boundaries=None
            if get("permission_boundaries") is None
            else self.policies(raw["permission_boundaries"], "permission_boundaries"),
            scps=None if get("scps") is None else self.levels(raw["scps"], "scps"),
            rcps=None if get("rcps") is None else self.levels(raw["rcps"], "rcps"),
            session=None
            if get("session_policy") is None
            else self.policy(raw["session_policy"], "session_policy"),
            resource_is_key_policy=bool(get("resource_is_key_policy", False)),
        )
        request = Request(
            principal=self.string(raw, "principal", required=True) or "",
            action=self.string(raw, "action", required=True) or "",
            resource=self.string(raw, "resource", required=True) or "",
            resource_account=self.string(raw, "resource_account", required=False),
            principal_account=self.string(raw, "principal_account", required=False),
            context=self.context(get("context")),
        )
        return request, policies


def explanation(decision: Decision) -> dict[str, Any]:
    """The JSON form of a decision's reasons."""
    statements = []
    for m in decision.statements:
        s = m.statement
        entry: dict[str, Any] = {
            "layer": m.layer.value,
            "policy": m.policy.name,
            "effect": s.effect.value,
            "sid": s.sid,
            "index": s.index,
        }
        if s.ref is not None:
            entry["file"], entry["line"] = s.ref.file, s.ref.line
        statements.append(entry)
    out: dict[str, Any] = {
        "layer": decision.layer.value if decision.layer else None,
        "statements": statements,
        "missing_keys": list(decision.missing_keys),
        "reasons": [render(r) for r in decision.reasons],
    }
    if decision.unknown_reasons:
        out["unknown_reasons"] = [render(r) for r in decision.unknown_reasons]
        out["possible"] = [o.value for o in decision.possible]
    return out


def _text(rid: Any, request: Request, decision: Decision) -> str:
    lines = [f"request {rid}: {request.principal} {request.action} {request.resource}"]
    lines.append(f"  decision: {decision.outcome.value}")
    if decision.layer:
        lines.append(f"  deciding layer: {decision.layer.value}")
    lines += [f"  - {render(r)}" for r in decision.reasons]
    lines += [f"  ? {render(r)}" for r in decision.unknown_reasons]
    return "\n".join(lines)


def _load(text: str, file: str) -> Document:
    from policylint.parse.json_doc import load_json

    return load_json(text, file, FileKind.CFN_JSON)


def simulate(text: str, file: str, fmt: str, out: TextIO, err: TextIO) -> int:
    """Decide every request in `text`; returns the exit code."""
    try:
        doc = _load(text, file)
    except InputError as exc:
        print(f"policylint simulate: {exc}", file=err)
        return 2
    data = doc.data
    items: list[tuple[Any, DocPath]]
    if isinstance(data, list):
        items = [(item, (i,)) for i, item in enumerate(data)]
    else:
        items = [(data, ())]
    code = 0
    for n, (raw, base) in enumerate(items):
        rid = raw.get("id", n) if isinstance(raw, Mapping) else n
        try:
            request, policies = _Reader(doc, base).read(raw)
        except RequestError as exc:
            code = 2
            where = exc.ref.display() if exc.ref else file
            path = exc.path
            print(f"{where}: request {rid!r}: {path}: {exc.message}", file=err)
            if fmt == "text":
                print(f"request {rid}: error at {path}: {exc.message}", file=out)
            else:
                error = {"message": exc.message, "path": path}
                print(json.dumps({"id": rid, "decision": None, "error": error}), file=out)
            continue
        decision = evaluate(request, policies)
        if fmt == "text":
            print(_text(rid, request, decision), file=out)
        else:
            line = {"id": rid, "decision": decision.outcome.value}
            line["explanation"] = explanation(decision)
            print(json.dumps(line), file=out)
    return code


def run(argv: list[str]) -> int:
    """Entry point for `policylint simulate`."""
    parser = argparse.ArgumentParser(
        prog="policylint simulate",
        description="Evaluate AWS requests against IAM policies offline (no credentials).",
    )
    parser.add_argument("file", metavar="FILE", help="JSON request(s), or - for stdin")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if args.file == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        try:
            with open(args.file, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"policylint simulate: cannot read {args.file}: {exc}", file=sys.stderr)
            return 2
        name = args.file
    return simulate(text, name, args.format, sys.stdout, sys.stderr)


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
