"""Safe YAML with CloudFormation short-form tags, built from the parser's event stream.

Building from events (not composed nodes) keeps it fast and iterative: no recursion, so deep
nesting is a clean InputError. Aliases share the anchored value; the total size they expand
to is bounded, so alias bombs are refused quickly. Plain scalars follow YAML 1.1 for null and
booleans; integers and floats only in canonical decimal form, everything else (dates such as
``2012-10-17``, octal, ``012345678901``) stays a string, as CloudFormation reads it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from policylint.errors import InputError
from policylint.parse import MAX_DEPTH
from policylint.source import Document, FileKind, SourceRef, Span

if TYPE_CHECKING:
    from policylint.source import DocPath

# Expanded values that aliases may add, beyond the document's own events.
MAX_ALIAS_EXPANSION = 100_000

_FUNCTIONS = {
    "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split",
    "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Contains", "Length", "ToJsonString",
    "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
}  # fmt: skip
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {
    "yes": True, "Yes": True, "YES": True, "true": True, "True": True, "TRUE": True,
    "on": True, "On": True, "ON": True, "no": False, "No": False, "NO": False,
    "false": False, "False": False, "FALSE": False, "off": False, "Off": False, "OFF": False,
}  # fmt: skip
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_STR_TAGS = {"!", "tag:yaml.org,2002:str"}
_CORE = "tag:yaml.org,2002:"


class _Frame:
    """An open mapping or sequence."""

    __slots__ = (
        "anchor", "container", "key", "key_mark", "merge", "outer", "path", "size", "start", "value"
    )  # fmt: skip

    def __init__(self, value: Any, container: Any, path: DocPath, outer: DocPath | None) -> None:
        self.value = value  # the container, or its short-form wrapper ({"Fn::If": [...]})
        self.container = container
        self.outer = outer  # the wrapper's path, if any
        self.path = path  # where the children live (inside a short-form wrapper, if any)
        self.start: tuple[int, int] = (1, 1)  # (line, column) where the member/item starts
        self.anchor: str | None = None
        self.key: str | None = None
        self.key_mark: tuple[int, int] | None = None
        self.merge = False
        self.size = 1


def load_yaml(text: str, file: str) -> Document:
    """Parse a CloudFormation YAML template into a Document with a span for every value."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return _Builder(file).build(loader_cls(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        if "nesting depth" in problem:  # libyaml >= 0.2.6 stops deep nesting itself
            problem = f"nesting deeper than {MAX_DEPTH} levels"
        raise InputError(f"invalid YAML: {problem}", SourceRef(file, (), Span(line, col))) from None
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        char = exc.character
        what = f"unacceptable character #x{char:04x}" if isinstance(char, int) else "bad input"
        message = f"invalid YAML: {what} (binary or non-text content?)"
        raise InputError(message, SourceRef(file, (), Span(line, col))) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", SourceRef(file, (), Span(1))) from None


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _plain(value: str) -> Any:
    """Implicit type of a plain scalar (see the module docstring)."""
    if value in _NULLS:
        return None
    b = _BOOLS.get(value)
    if b is not None:
        return b
    c = value[0]
    if c.isdigit() or c in "-+.":
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


class _Builder:
    """Turns parser events into plain data plus spans."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.spans: dict[DocPath, Span] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, expanded size)
        self.stack: list[_Frame] = []
        self.expansion = 0
        self.root: Any = None
        self.documents = 0

    def fail(self, message: str, mark: Any) -> InputError:
        span = Span(mark.line + 1, mark.column + 1)
        return InputError(f"invalid YAML: {message}", SourceRef(self.file, (), span))

    def build(self, loader: Any) -> Document:
        import yaml

        events = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.start_container,
            yaml.SequenceStartEvent: self.start_container,
            yaml.MappingEndEvent: self.end_container,
            yaml.SequenceEndEvent: self.end_container,
            yaml.AliasEvent: self.alias,
        }
        try:
            get = loader.get_event
            while True:
                event = get()
                kind = type(event)
                handler = events.get(kind)
                if handler is not None:
                    handler(event)
                elif kind is yaml.DocumentStartEvent:
                    self.documents += 1
                    if self.documents > 1:
                        raise self.fail("more than one YAML document in the file", event.start_mark)
                elif kind is yaml.StreamEndEvent:
                    break
        finally:
            loader.dispose()
        if self.documents == 0 or self.root is None:
            raise InputError("empty YAML document", SourceRef(self.file, (), Span(1)))
        return Document(self.file, FileKind.CFN_YAML, self.root, self.spans)

    # --- where the next value goes

    def slot(self, event: Any) -> tuple[DocPath, tuple[int, int]]:
        """The path and start position of a value that begins with `event`."""
        mark = event.start_mark
        if not self.stack:
            return (), (mark.line + 1, mark.column + 1)
        frame = self.stack[-1]
        container = frame.container
        if isinstance(container, list):
            return (*frame.path, len(container)), (mark.line + 1, mark.column + 1)
        assert frame.key is not None and frame.key_mark is not None
        return (*frame.path, frame.key), frame.key_mark

    def put(self, value: Any, size: int) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, list):
            container.append(value)
        else:
            container[frame.key] = value
            frame.key = None

    def record(self, path: DocPath, start: tuple[int, int], end: Any) -> None:
        self.spans[path] = Span(start[0], start[1], end.line + 1, end.column + 1)

    # --- events

    def scalar(self, event: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            self.key(frame, event)
            return
        tag = event.tag
        value: Any = event.value
        if tag is None:
            if event.style == "" or event.style is None:
                value = _plain(value)
        elif tag not in _STR_TAGS:
            value = self.tagged_scalar(tag, value, event)
        path, start = self.slot(event)
        self.record(path, start, event.end_mark)
        if isinstance(value, dict):
            for k, inner in value.items():
                self.record((*path, k), start, event.end_mark)
                if isinstance(inner, list):
                    for i in range(len(inner)):
                        self.record((*path, k, i), start, event.end_mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.put(value, 1)

    def tagged_scalar(self, tag: str, value: str, event: Any) -> Any:
        if tag.startswith(_CORE):
            name = tag[len(_CORE) :]
            if name == "int" and _INT.match(value):
                return int(value)
            if name == "float" and _FLOAT.match(value):
                return float(value)
            if name == "bool" and value in _BOOLS:
                return _BOOLS[value]
            if name == "null" and value in _NULLS:
                return None
            raise self.fail(f"unsupported tag !!{name} for {value!r}", event.start_mark)
        if tag == "!Ref":
            return {"Ref": value}
        if tag == "!Condition":
            return {"Condition": value}
        if tag == "!GetAtt":
            resource, _, attribute = value.partition(".")
            return {"Fn::GetAtt": [resource, attribute] if attribute else value}
        return {self.function(tag, event): value}

    def function(self, tag: str, event: Any) -> str:
        name = tag[1:] if tag.startswith("!") else tag
        if name not in _FUNCTIONS:
            message = f"unknown tag {tag} (only CloudFormation short forms are allowed)"
            raise self.fail(message, event.start_mark)
        return f"Fn::{name}"

    def key(self, frame: _Frame, event: Any) -> None:
        if event.tag is not None and event.tag not in _STR_TAGS:
            raise self.fail(f"a mapping key cannot carry the tag {event.tag}", event.start_mark)
        key = event.value
        if event.tag is None and event.style in ("", None) and key == "<<":
            frame.merge = True  # merge key: the value is merged when the mapping closes
        elif key in frame.container:
            raise self.fail(f"duplicate key {key!r}", event.start_mark)
        frame.key = key
        frame.key_mark = (event.start_mark.line + 1, event.start_mark.column + 1)

    def start_container(self, event: Any) -> None:
        import yaml

        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            raise self.fail("a mapping key must be a plain string", event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        container: Any = {} if type(event) is yaml.MappingStartEvent else []
        path, start = self.slot(event)
        inner = path
        value = container
        tag = event.tag
        if tag is not None and tag.startswith(_CORE):
            if tag[len(_CORE) :] not in ("map", "seq"):
                raise self.fail(f"unsupported tag !!{tag[len(_CORE) :]}", event.start_mark)
        elif tag is not None and tag != "!":
            fn = self.function(tag, event) if tag not in ("!Ref", "!Condition") else tag[1:]
            if tag == "!GetAtt":
                fn = "Fn::GetAtt"
            value = {fn: container}
            inner = (*path, fn)
        self.put(value, 0)
        frame = _Frame(value, container, inner, path if inner != path else None)
        frame.start = start
        frame.anchor = event.anchor
        self.stack.append(frame)

    def end_container(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.merge:
            self.merge(frame)
        self.record(frame.path, frame.start, event.end_mark)
        if frame.outer is not None:
            self.record(frame.outer, frame.start, event.end_mark)
        if self.stack:
            self.stack[-1].size += frame.size
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, frame.size)

    def merge(self, frame: _Frame) -> None:
        """YAML merge keys: merged entries never override the mapping's own keys."""
        container = frame.container
        merged = container.pop("<<", None)
        sources = merged if isinstance(merged, list) else [merged]
        for source in sources:
            if isinstance(source, dict):
                for k, v in source.items():
                    container.setdefault(k, v)

    def alias(self, event: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            raise self.fail("an alias cannot be a mapping key", event.start_mark)
        found = self.anchors.get(event.anchor)
        if found is None:
            raise self.fail(f"undefined alias *{event.anchor}", event.start_mark)
        value, size = found
        self.expansion += size
        if self.expansion > MAX_ALIAS_EXPANSION:
            message = f"aliases expand to more than {MAX_ALIAS_EXPANSION} values (alias bomb?)"
            raise self.fail(message, event.start_mark)
        path, start = self.slot(event)
        self.record(path, start, event.end_mark)
        self.put(value, size)
