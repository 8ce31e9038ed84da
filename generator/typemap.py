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
from typing import Literal

from generator import ir, naming

__all__ = [
    "Side",
    "SchemaNames",
    "TypeWriter",
    "docstring",
    "literal",
    "module_name",
    "schema_names",
]

Side = Literal["model", "param"]

# Spelling of each construct per side: (model, param).
_TABLE: dict[str, tuple[str, str]] = {
    "list": ("List[{0}]", "Iterable[{0}]"),
    "map": ("Dict[str, {0}]", "Dict[str, {0}]"),
    "nullable": ("Optional[{0}]", "Optional[{0}]"),
    "union": ("Union[{0}]", "Union[{0}]"),
    "any": ("object", "object"),
}
_PRIMITIVES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "bytes": "bytes"}
_TYPING_NAMES = {"List", "Iterable", "Dict", "Optional", "Union", "Literal", "Annotated"}


@dataclass(frozen=True)
class SchemaNames:
    """The Python names a schema takes: a model for responses, a shape for requests."""

    model: str | None
    param: str | None


def schema_names(schema: ir.Schema) -> SchemaNames:
    base = schema.class_name
    ends_param = base.endswith(("Param", "Params"))
    model = param = None
    if schema.usage.response or not schema.usage.request:
        model = f"{base}Model" if ends_param and schema.usage.request else base
    if schema.usage.request:
        param = base if ends_param else f"{base}Param"
    if isinstance(schema, ir.EnumSchema):
        # A closed list of values reads the same on both sides: one alias serves.
        return SchemaNames(model=base, param=base)
    return SchemaNames(model=model, param=param)


def module_name(py_name: str) -> str:
    return naming.snake_case(py_name)


@dataclass
class TypeWriter:
    """Renders type expressions for one side, remembering what they need imported."""

    schemas: dict[str, ir.Schema]
    side: Side
    refs: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)

    def name_of(self, schema_name: str) -> str:
        names = schema_names(self.schemas[schema_name])
        chosen = names.model if self.side == "model" else names.param
        # A schema reached only from the other side still needs a name here.
        return chosen or names.model or names.param or self.schemas[schema_name].class_name

    def _spell(self, key: str, inner: str) -> str:
        template = _TABLE[key][0 if self.side == "model" else 1]
        self.typing.update(n for n in _TYPING_NAMES if template.startswith(n + "["))
        return template.format(inner)

    def render(self, t: ir.TypeExpr) -> str:
        match t:
            case ir.Primitive(kind=kind):
                return _PRIMITIVES[kind]
            case ir.Any_():
                return _TABLE["any"][0]
            case ir.Ref(name=name):
                py = self.name_of(name)
                self.refs.add(py)
                if self.side == "model" and isinstance(self.schemas[name], ir.EnumSchema):
                    return self._open(py)
                return py
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

    def _literal(self, values: tuple[ir.JsonValue, ...]) -> str:
        if all(v is None for v in values):
            return "None"
        if any(isinstance(v, (float, list, dict)) for v in values):
            # Literal cannot hold these; the widest honest type is the value's kind.
            kinds = sorted({_kind_of(v) for v in values if v is not None})
            inner = kinds[0] if len(kinds) == 1 else self._spell("union", ", ".join(kinds))
            return self._spell("nullable", inner) if None in values else inner
        self.typing.add("Literal")
        text = "Literal[" + ", ".join(literal(v) for v in values) + "]"
        if self.side == "model" and len(values) > 1:
            return self._open(text)
        return text

    def _open(self, text: str) -> str:
        self.typing.add("Annotated")
        self.runtime.add("OpenEnum")
        return f"Annotated[{text}, OpenEnum()]"

    def _union(self, t: ir.UnionOf) -> str:
        members = [self.render(m.type) for m in t.members]
        plain = self._spell("union", ", ".join(_unique(members)))
        tagged = t.discriminator is not None and all(
            m.tag is not None and isinstance(m.type, ir.Ref) for m in t.members
        )
        if self.side != "model" or not tagged:
            return plain
        self.typing.add("Annotated")
        self.runtime.update(("Discriminated", "UnknownVariant"))
        variants = ", ".join(f"{literal(m.tag)}: {r}" for m, r in zip(t.members, members))
        return (
            f"Annotated[{plain}, Discriminated({literal(t.discriminator)}, "
            f"{{{variants}}}, UnknownVariant)]"
        )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _kind_of(value: object) -> str:
    return {bool: "bool", int: "int", float: "float", str: "str", list: "List[object]"}.get(
        type(value), "Dict[str, object]"
    )


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
    # non-ASCII readable; a JSON string literal is also a valid Python one.
    return json.dumps(text, ensure_ascii=False)


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
    if len(escaped) == 1:
        body = escaped[0]
        return f'"""{body}"""' if not body.endswith('"') else f'"""{body} """'
    inner = "\n".join((indent + line) if line else "" for line in escaped[1:])
    closing = f"\n{indent}"
    return f'"""{escaped[0]}\n{inner}{closing}"""'


def _escape_doc_line(line: str) -> str:
    line = line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\t", "    ")
    return "".join(
        ch if ch >= " " or ch == "\n" else f"\\x{ord(ch):02x}" for ch in line
    ).rstrip()
