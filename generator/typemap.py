"""How IR types read in Python: one table, used by every target.

Response models and request shapes spell the same schema differently: a
response list is a ``List`` (the client built it), a request list an
``Iterable`` (the caller may pass any), a response enum is open to values a
newer server adds, a request enum is closed. ``TypeWriter`` knows both sides;
the ``.py`` templates, the ``.pyi`` stubs and the Markdown docs all go through it.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from typing import Literal, Mapping

from generator import ir, naming
from generator.graph import schema_cycles, schema_refs, type_refs

__all__ = [
    "HELPERS",
    "Side",
    "SchemaNames",
    "TypeWriter",
    "docstring",
    "literal",
    "module_name",
    "python_names",
    "schema_cycles",
    "schema_names",
    "schema_sides",
    "schema_refs",
    "taken_names",
    "type_refs",
]

Side = Literal["model", "param"]

# Spelling of each construct per side: (model, param), each as (helper, pattern);
# ``{h}`` is where the helper's name goes (it may be imported under another name).
_TABLE: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "list": (("List", "{h}[{0}]"), ("Iterable", "{h}[{0}]")),
    "map": (("Dict", "{h}[str, {0}]"), ("Dict", "{h}[str, {0}]")),
    "nullable": (("Optional", "{h}[{0}]"), ("Optional", "{h}[{0}]")),
    "union": (("Union", "{h}[{0}]"), ("Union", "{h}[{0}]")),
}
_ANY = "object"
_PRIMITIVES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "bytes": "bytes"}
# Where each helper a generated type module uses comes from.
HELPERS: dict[str, str] = {
    **{n: "typing" for n in ("Annotated", "Dict", "Iterable", "List", "Literal", "Optional", "Union")},
    **{n: "typing_extensions" for n in ("NotRequired", "Required", "TypeAlias", "TypedDict")},
    "Field": "pydantic",
    **{n: "runtime" for n in (
        "BaseModel", "Discriminated", "LenientDate", "LenientDateTime", "OpenEnum", "UnknownVariant",
    )},
    "date": "datetime",
    "datetime": "datetime",
}


@dataclass(frozen=True)
class SchemaNames:
    """The Python names a schema takes: a model for responses, a shape for requests."""

    model: str | None
    param: str | None


def schema_names(schema: ir.Schema) -> SchemaNames:
    return python_names(
        schema.class_name, schema.usage.request, schema.usage.response, isinstance(schema, ir.EnumSchema)
    )


def python_names(class_name: str, request: bool, response: bool, is_enum: bool) -> SchemaNames:
    """The names a schema called ``class_name`` takes, given the sides that reach it.

    The one naming rule: ``schema_names`` applies it to the IR, ``generator.diff``
    to the two versions it compares. A schema no operation reaches is a model.
    """
    if is_enum:
        # A closed list of values reads the same on both sides: one alias serves.
        return SchemaNames(model=class_name, param=class_name)
    ends_param = class_name.endswith(("Param", "Params"))
    model = param = None
    if response or not request:
        model = f"{class_name}Model" if ends_param and request else class_name
    if request:
        param = class_name if ends_param else f"{class_name}Param"
    return SchemaNames(model=model, param=param)


def schema_sides(schema: ir.Schema) -> list[tuple[Side, str]]:
    """Each side a schema is generated for, with its Python name there (model first)."""
    names = schema_names(schema)
    sides: list[tuple[Side, str]] = []
    if names.model:
        sides.append(("model", names.model))
    if names.param and names.param != names.model:
        sides.append(("param", names.param))
    return sides


def module_name(py_name: str) -> str:
    # A schema `From` is the module `from_.py`: `from .from import From` is a syntax error.
    return naming.safe_identifier(naming.snake_case(py_name))


def taken_names(schemas: Mapping[str, ir.Schema]) -> frozenset[str]:
    """Every Python name the schemas take, on either side."""
    names: set[str] = set()
    for schema in schemas.values():
        found = schema_names(schema)
        names.update(n for n in (found.model, found.param) if n)
    return frozenset(names)


@dataclass
class TypeWriter:
    """Renders type expressions for one side, remembering what they need imported.

    Import sets hold import specs: a name, or ``Name as _Name`` when the name is
    taken by a schema of the API (a schema called ``List`` or ``BaseModel``
    must not shadow the helper, nor the helper the schema).
    """

    schemas: dict[str, ir.Schema]
    side: Side
    refs: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)
    extensions: set[str] = field(default_factory=set)
    pydantic: set[str] = field(default_factory=set)
    # Standard-library imports besides typing's: (module, import spec).
    stdlib: set[tuple[str, str]] = field(default_factory=set)
    # The schema whose module is being written, and the cycles it may be part of:
    # an alias in the same cycle is spelled out in place instead of imported,
    # since an alias is evaluated on import and a cycle of imports would break.
    home: str | None = None
    cycles: Mapping[str, int] = field(default_factory=dict)
    # Every name a schema takes (computed when not given).
    taken: frozenset[str] | None = None
    # Names the module defines or imports itself: a schema with one of these
    # names is imported as ``Name as _Name``.
    avoid: frozenset[str] = frozenset()
    _expanding: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.taken is None:
            self.taken = taken_names(self.schemas)

    def helper(self, name: str) -> str:
        """The local spelling of helper ``name``, recording its import."""
        assert self.taken is not None
        spelled = f"_{name}" if name in self.taken else name
        spec = name if spelled == name else f"{name} as {spelled}"
        kind = HELPERS[name]
        if kind not in ("typing", "typing_extensions", "pydantic", "runtime"):
            self.stdlib.add((kind, spec))
            return spelled
        target = {
            "typing": self.typing,
            "typing_extensions": self.extensions,
            "pydantic": self.pydantic,
            "runtime": self.runtime,
        }[kind]
        target.add(spec)
        return spelled

    def name_of(self, schema_name: str) -> str:
        names = schema_names(self.schemas[schema_name])
        chosen = names.model if self.side == "model" else names.param
        # A schema reached only from the other side still needs a name here.
        return chosen or names.model or names.param or self.schemas[schema_name].class_name

    def _spell(self, key: str, inner: str) -> str:
        helper, pattern = _TABLE[key][0 if self.side == "model" else 1]
        return pattern.format(inner, h=self.helper(helper))

    def render(self, t: ir.TypeExpr) -> str:
        match t:
            case ir.Primitive(kind="datetime"):
                return self._datetime()
            case ir.Primitive(kind="date"):
                return self._datetime("date")
            case ir.Primitive(kind=kind):
                return _PRIMITIVES[kind]
            case ir.Any_():
                return _ANY
            case ir.Ref(name=name):
                return self._ref(name)
            case ir.ListOf(item=item):
                return self._spell("list", self.render(item))
            case ir.MapOf(value=value):
                return self._spell("map", self.render(value))
            case ir.Nullable(inner=inner):
                return self._spell("nullable", self.render(inner))
            case ir.LiteralOf(values=values):
                return self._literal(values)
            case ir.UnionOf():
                return self._union(t)
        raise TypeError(f"unknown type expression {t!r}")

    def _ref(self, name: str) -> str:
        schema = self.schemas[name]
        if self._inline(name):
            assert isinstance(schema, (ir.AliasSchema, ir.UnionSchema))
            self._expanding.append(name)
            try:
                return self.render(schema.target if isinstance(schema, ir.AliasSchema) else schema.union)
            finally:
                self._expanding.pop()
        py = self.name_of(name)
        local = f"_{py}" if py in self.avoid else py
        self.refs.add(py if local == py else f"{py} as {local}")
        if self.side == "model" and isinstance(schema, ir.EnumSchema):
            return self._open(local)
        return local

    def _inline(self, name: str) -> bool:
        if not isinstance(self.schemas[name], (ir.AliasSchema, ir.UnionSchema)):
            return False
        cycle = self.cycles.get(name)
        if cycle is None or self.home is None or self.cycles.get(self.home) != cycle:
            return False
        if name in self._expanding:
            # Only objects may close a cycle (build.py refuses alias-only cycles).
            raise TypeError(f"schema {name!r} refers to itself through aliases only")
        return True

    def _literal(self, values: tuple[ir.JsonValue, ...]) -> str:
        if all(v is None for v in values):
            return "None"
        if any(isinstance(v, (float, list, dict)) for v in values):
            # Literal cannot hold these; the widest honest type is the value's kind.
            kinds = sorted({self._kind_of(v) for v in values if v is not None})
            inner = kinds[0] if len(kinds) == 1 else self._spell("union", ", ".join(kinds))
            return self._spell("nullable", inner) if None in values else inner
        text = self.helper("Literal") + "[" + ", ".join(literal(v) for v in values) + "]"
        if self.side == "model" and len(values) > 1:
            return self._open(text)
        return text

    def _kind_of(self, value: object) -> str:
        if isinstance(value, list):
            return self._spell("list", _ANY)
        if isinstance(value, dict):
            return self._spell("map", _ANY)
        return {bool: "bool", int: "int", float: "float", str: "str"}[type(value)]

    def _datetime(self, kind: Literal["date", "datetime"] = "datetime") -> str:
        # Replies parse ISO 8601 into ``datetime`` (or ``date``) and keep any
        # text that is not one as it came (a reply never fails on a date's
        # spelling); requests take a ``datetime`` (``date``) or the text to send
        # as it is.
        name = self.helper(kind)
        if self.side == "model":
            marker = "LenientDateTime" if kind == "datetime" else "LenientDate"
            return f"{self.helper('Annotated')}[{name}, {self.helper(marker)}()]"
        return self._spell("union", f"str, {name}")

    def _open(self, text: str) -> str:
        return f"{self.helper('Annotated')}[{text}, {self.helper('OpenEnum')}()]"

    def _union(self, t: ir.UnionOf) -> str:
        members = [self.render(m.type) for m in t.members]
        unique = _unique(members)
        if len(unique) == 1:
            return unique[0]
        plain = self._spell("union", ", ".join(unique))
        tagged = t.discriminator is not None and all(
            m.tag is not None and isinstance(m.type, ir.Ref) for m in t.members
        )
        if self.side != "model" or not tagged:
            return plain
        variants = ", ".join(f"{literal(m.tag)}: {r}" for m, r in zip(t.members, members))
        return (
            f"{self.helper('Annotated')}[{plain}, {self.helper('Discriminated')}("
            f"{literal(t.discriminator)}, {{{variants}}}, {self.helper('UnknownVariant')})]"
        )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def literal(value: object) -> str:
    """A JSON value as Python source that evaluates to it, and to nothing else."""
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def _string(text: str) -> str:
    # json.dumps escapes quotes, backslashes and control characters, and keeps
    # non-ASCII readable; a JSON string literal is also a valid Python one. What
    # it leaves raw but a reader (or ``str.splitlines``) would not see as one
    # character of text -- DEL, line and paragraph separators, bidi controls,
    # lone surrogates -- is escaped too.
    quoted = json.dumps(text, ensure_ascii=False)
    if not quoted.isprintable():
        quoted = "".join(_escape_unprintable(ch) for ch in quoted)
    # Black's choice of quotes: double, unless single quotes need fewer escapes.
    if text.count('"') > text.count("'"):
        body = quoted[1:-1].replace('\\"', '"').replace("'", "\\'")
        return f"'{body}'"
    return quoted


def _escape_unprintable(ch: str) -> str:
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def docstring(text: str, indent: str = "") -> str:
    """``text`` as a triple-quoted literal that stays text, whatever it contains.

    Backslashes and quotes are escaped and control characters spelled out, so
    no description can end the string early or become code. The result is
    already in the shape black gives docstrings, so black leaves it alone.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return '""""""'
    # Black dedents the lines after the first to their common margin; do it first.
    rest = textwrap.dedent("\n".join(lines[1:])).split("\n") if len(lines) > 1 else []
    escaped = [_escape_doc_line(line) for line in [lines[0].lstrip(), *rest]]
    if escaped[0].startswith('"'):
        escaped[0] = " " + escaped[0]  # as black pads it: four quotes would end the string
    if len(escaped) == 1:
        body = escaped[0]
        return f'"""{body}"""' if not body.endswith('"') else f'"""{body} """'
    inner = "\n".join((indent + line) if line else "" for line in escaped[1:])
    closing = f"\n{indent}"
    return f'"""{escaped[0]}\n{inner}{closing}"""'


def _escape_doc_line(line: str) -> str:
    line = line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\t", "    ")
    if not line.isprintable():
        line = "".join(_escape_unprintable(ch) for ch in line)
    return line.rstrip()
