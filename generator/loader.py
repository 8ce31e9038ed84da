"""Strict loading of a spec: YAML in, JSON-typed data plus a source map out.

PyYAML speaks YAML 1.1, where an unquoted ``2023-06-01`` is a date and ``on`` is
``True``. A spec is JSON in YAML clothing, so anything that would not survive a
round trip through JSON is reported (with a hint to quote it) instead of being
silently converted. Duplicate keys, which PyYAML resolves by keeping the last,
are errors too.

The source map is kept beside the data rather than inside it, so every later
stage works on plain ``dict``/``list`` values and still reports ``file:line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Union

import yaml

from generator.diagnostics import Diagnostic, Location, SpecError, UsageError

__all__ = ["Pointer", "SourceMap", "Spec", "decode", "load_part", "load_spec", "load_text"]

# A JSON pointer as a tuple of keys and indices: ("paths", "/v1/messages", "post").
Pointer = tuple[Union[str, int], ...]

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_JSON_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_JSON_BOOL = ("true", "false", "True", "False", "TRUE", "FALSE")
# Far above any real spec (Stripe's 4 MB spec has about 100,000 values), far
# below what an alias bomb ("billion laughs") expands to.
MAX_NODES = 2_000_000
# The positions of one container: its own, and each key's (or item's).
_Pos = tuple[int, int]


class SourceMap:
    """Maps JSON pointers into the loaded data back to 1-based line:col.

    A bundled spec (``generator.bundle``) holds parts of other files: each
    place where one is grafted in is a ``graft``, keyed by its container and
    key, giving the location shown for that entry and the file its contents
    were written in. Below a graft, positions are read in that file.
    """

    def __init__(self, path: str, root: Any, positions: dict[int, tuple[_Pos, dict[Any, _Pos]]]):
        self.path = path
        self._root = root
        self._positions = positions
        self._grafts: dict[tuple[int, Any], tuple[Location, str]] = {}
        # Every file's data stays alive, so no id() above is reused by another object.
        self._keep: list[Any] = []

    def add_file(self, root: Any, positions: dict[int, tuple[_Pos, dict[Any, _Pos]]]) -> None:
        """Take in the positions of another file's data (``bundle`` grafts parts of it)."""
        self._keep.append(root)
        self._positions.update(positions)

    def graft(self, container: Any, key: Any, shown: Location, contents_path: str) -> None:
        """``container[key]`` is shown at ``shown``; what it holds was written in ``contents_path``."""
        self._keep.append(container)
        self._grafts[(id(container), key)] = (shown, contents_path)

    def graft_of(self, container: Any, key: Any) -> tuple[Location, str] | None:
        return self._grafts.get((id(container), key))

    def register(self, container: Any, like: Any) -> None:
        """A container made by the bundler sits where ``like`` (an existing node) is written."""
        self._keep.append(container)
        entry = self._positions.get(id(like))
        self._positions[id(container)] = (entry[0] if entry else (1, 1), {})

    def locate(self, pointer: Iterable[str | int]) -> Location:
        """The position of the key (or item) at ``pointer``.

        A pointer that leads nowhere (a missing key, say) resolves to its
        deepest existing ancestor, which is where a reader should look.
        """
        node = self._root
        path = shown = self.path
        line, col = self._positions.get(id(node), ((1, 1), {}))[0]
        for part in pointer:
            if isinstance(node, dict):
                if part not in node:
                    break
            elif not (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
                break
            graft = self._grafts.get((id(node), part)) if self._grafts else None
            if graft is not None:
                where, path = graft
                shown, line, col = where.path, where.line, where.col
            else:
                entry = self._positions.get(id(node))
                if entry is None:
                    break
                line, col = entry[1].get(part, (line, col))
                shown = path
            node = node[part]
        return Location(shown, line, col)


@dataclass(frozen=True)
class Spec:
    """A loaded spec: its data, where each part came from, and its bytes."""

    path: str
    data: dict[str, Any]
    source: SourceMap
    raw: bytes
    # Findings of the YAML layer that did not stop the load (validation reports them).
    findings: tuple[Diagnostic, ...] = ()
    # The other files a bundled spec was made from: (path relative to the
    # root spec's folder, shown path, bytes), sorted.
    parts: tuple[tuple[str, str, bytes], ...] = ()

    def at(self, *pointer: str | int) -> Location:
        return self.source.locate(pointer)

    def text_of(self, path: str) -> bytes | None:
        """The bytes of the file shown as ``path`` (the root or one of its parts)."""
        if path == self.path:
            return self.raw
        return next((raw for _, shown, raw in self.parts if shown == path), None)


def load_spec(path: Path | str, display_path: str | None = None) -> Spec:
    """Read and strictly load the spec at ``path``, with the files its ``$ref``s name.

    ``display_path`` is the name used in diagnostics; it defaults to the path
    as given, so that output never depends on the current machine's layout.
    Other files the spec refers to are bundled in (``generator.bundle``),
    shown relative to it. Raises UsageError if the file cannot be read,
    SpecError if it (or a file it refers to) is not strict, JSON-typed YAML
    or a reference cannot be bundled.
    """
    from generator.bundle import bundle

    shown = display_path if display_path is not None else str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read spec: {exc.strerror or exc}") from None
    spec = load_text(decode(raw, shown), shown, raw)
    return bundle(spec, Path(path).parent, Path(path).name)


def decode(raw: bytes, shown: str) -> str:
    """``raw`` as text; SpecError (E001, located) if it is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        raise SpecError([Diagnostic(
            "E001", f"the file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot start "
            "or continue a character here", Location(shown, line, col),
            hint="save the spec as UTF-8",
        )]) from None


def _offset_location(text: str, path: str, offset: int) -> Location:
    """``offset`` (in characters) as a line and column."""
    line = text.count("\n", 0, offset) + 1
    return Location(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def load_text(text: str, path: str, raw: bytes | None = None) -> Spec:
    data, builder = load_part(text, path)
    if not isinstance(data, dict):
        builder.problems.append(
            Diagnostic(
                "E008",
                "the spec must be a mapping at the top level",
                Location(path, 1, 1),
                hint="an OpenAPI document starts with `openapi: 3.1.0`",
            )
        )
    if builder.problems:
        raise SpecError(builder.problems + builder.findings)
    assert isinstance(data, dict)
    source = SourceMap(path, data, builder.positions)
    return Spec(
        path, data, source, raw if raw is not None else text.encode("utf-8"), tuple(builder.findings)
    )


def load_part(text: str, path: str) -> tuple[Any, "_Builder"]:
    """The JSON value of one YAML file and the builder that made it (its positions, problems).

    Raises SpecError only for a file that is not YAML at all; the builder's
    ``problems`` and ``findings`` hold the rest.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError([Diagnostic(
            "E001", f"invalid YAML: {problem}", Location(path, line, col),
            hint=_yaml_hint(exc, text),
        )]) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML forbids (a NUL, say): PyYAML gives only its offset.
        raise SpecError([Diagnostic(
            "E001", "invalid YAML: unacceptable character "
            f"U+{ord(exc.character) if isinstance(exc.character, str) else exc.character:04X}",
            _offset_location(text, path, exc.position),
            hint="control characters are not allowed in YAML; remove it or write it escaped "
            "in a double-quoted string",
        )]) from None
    except yaml.YAMLError as exc:
        raise SpecError(
            [Diagnostic("E001", f"invalid YAML: {exc}", Location(path, 1, 1))]
        ) from None
    builder = _Builder(path)
    data = None if root is None else builder.build(root)
    return data, builder


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """What usually causes the parser's complaint, in the words of someone editing the file."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    at = mark.index if mark is not None else -1
    if "tab" in problem or (0 <= at < len(text) and text[at] == "\t"):
        return "YAML indents with spaces, never tabs: replace the tab with spaces"
    where = f"{opened.line + 1}:{opened.column + 1}" if opened is not None else None
    if where and "quoted scalar" in context:
        return f"the quote opened at {where} is never closed"
    if where and ("flow sequence" in context or "flow mapping" in context):
        bracket = "[" if "sequence" in context else "{"
        return (f"the `{bracket}` opened at {where} is not closed before this point; if it "
                "starts a plain value rather than a list or mapping, quote that value")
    if at >= len(text.rstrip()):
        return "the file ends too early: a bracket, brace or quote opened before is not closed"
    if "mapping values are not allowed" in problem:
        return ("a value that holds `: ` must be quoted (\"...\"), or this line is indented "
                "too far")
    if "expected key" in problem and "block mapping" in context:
        return ("this line does not fit the mapping above it: check its indentation, and that "
                "every quote above it is closed")
    return None


class _Builder:
    """Turns a composed YAML node tree into JSON-typed values, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []
        self.findings: list[Diagnostic] = []
        self.positions: dict[int, tuple[_Pos, dict[Any, _Pos]]] = {}
        self.count = 0

    def _loc(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    @staticmethod
    def _pos(node: yaml.Node) -> _Pos:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self._problem(
                    "E005", node,
                    f"the document expands to more than {MAX_NODES:,} values",
                    hint="YAML aliases (`*name`) that repeat large anchors multiply the size; "
                    "write the values out, or use $ref",
                )
            return None
        if depth > 200:
            self._problem("E005", node, "nesting is too deep (or an alias refers to itself)")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            children: dict[Any, _Pos] = {}
            for index, child in enumerate(node.value):
                children[index] = self._pos(child)
                items.append(self.build(child, depth + 1))
            self.positions[id(items)] = (self._pos(node), children)
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        children: dict[Any, _Pos] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                first = children[key]
                self.problems.append(
                    Diagnostic(
                        "E002",
                        f"duplicate key `{key}`",
                        self._loc(key_node),
                        hint="YAML would silently keep only the last value; remove one",
                        related=(Location(self.path, *first),),
                    )
                )
                continue
            children[key] = self._pos(key_node)
            result[key] = self.build(value_node, depth + 1)
        self.positions[id(result)] = (self._pos(node), children)
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self._problem("E006", node, "a mapping key must be a plain string")
            return None
        if node.tag == _TAG + "merge":
            self._problem(
                "E005", node, "YAML merge keys (`<<`) are not JSON",
                hint="write the merged keys out, or use `allOf` in a schema",
            )
            return None
        if node.tag == _TAG + "int" and _JSON_INT.match(node.value):
            # Status codes written unquoted (`200:`) mean the string, as in JSON.
            return str(node.value)
        if node.tag != _TAG + "str":
            value = self._scalar(node)
            if isinstance(value, str):
                return value
            if self.problems and self.problems[-1].location == self._loc(node):
                return None
            self._problem(
                "E006", node, f"mapping key `{node.value}` is not a string",
                hint=f"quote it: '{node.value}'",
            )
            return None
        return str(node.value)

    def _scalar(self, node: yaml.Node) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        tag, text = node.tag, node.value
        if tag == _TAG + "str":
            if not node.style and _JSON_FLOAT.match(text):
                # `1e3` unquoted: a string to YAML 1.1 (it wants a decimal point),
                # a number to JSON and YAML 1.2, and in a JSON file; a spec is
                # JSON in YAML clothing, so it is the number.
                return float(text)
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if text in _JSON_BOOL:
                return text.lower() == "true"
            self._problem(
                "E003", node,
                f"`{text}` is a boolean in YAML 1.1 but a string to most readers",
                hint=f"quote it ('{text}') for a string, or write true/false",
            )
            return None
        if tag == _TAG + "int":
            if _JSON_INT.match(text):
                return int(text)
            if ":" in text:
                # `18:00`: base 60 in YAML 1.1, the string it looks like in 1.2.
                self.findings.append(Diagnostic(
                    "E009", f"`{text}` is a base-60 number in YAML 1.1, not a string",
                    self._loc(node), hint=f"quote it: '{text}'",
                ))
                return text
            self._problem(
                "E005", node, f"`{text}` is an integer only in YAML 1.1 (octal, hex or base 60)",
                hint=f"quote it ('{text}') for a string, or write the decimal number",
            )
            return None
        if tag == _TAG + "float":
            if _JSON_FLOAT.match(text):
                return float(text)
            self._problem(
                "E005", node, f"`{text}` is not a JSON number",
                hint=f"quote it ('{text}') for a string, or write a plain decimal number",
            )
            return None
        if tag == _TAG + "timestamp":
            # YAML 1.2 (and JSON) read it as the string it looks like, which is
            # what the author meant: report it, keep the string, check on.
            self.findings.append(Diagnostic(
                "E004", f"`{text}` is a date in YAML 1.1, not a string", self._loc(node),
                hint=f"quote it: '{text}'",
            ))
            return text
        self._problem(
            "E005", node, f"the YAML tag `{tag}` has no JSON equivalent",
            hint="remove the tag; a spec may hold only JSON values",
        )
        return None

    def _problem(self, code: str, node: yaml.Node, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, self._loc(node), hint=hint))
