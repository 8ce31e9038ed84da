"""How the normalised model reads in Python words, for the report.

The report speaks to users of the generated package, so a change is named by
what they wrote: ``client.messages.create(top_k=...)``, ``Usage.output_tokens``,
``int | None``. Every name goes through ``generator.naming``, as the generator's
own names do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from generator import naming
from generator.diff.model import AnyValue, Array, Node, Object, Ref, Scalar, UnionOf

__all__ = ["Subject", "field_type", "literal", "py_type", "shape", "short_hash"]

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_LITERAL_LIMIT = 6

# One step of a Python path: a property, a list item, a dict value, a union member.
Part = tuple[Literal["prop", "item", "value", "member"], str]


@dataclass(frozen=True)
class Subject:
    """What a change touches, as a user of the generated package would name it.

    ``class``: a model or TypedDict (``Usage.output_tokens``); ``args``: the
    keyword arguments of a method (``client.messages.create(top_k=...)``);
    ``result``: what a method returns (``client.charges.retrieve().amount``).
    """

    kind: Literal["class", "args", "result", "header"]
    base: str
    parts: tuple[Part, ...] = ()
    request_style: bool = False
    owner: str | None = None  # for ``args``: the class of the whole body

    def add(self, part: Part) -> "Subject":
        return Subject(self.kind, self.base, self.parts + (part,), self.request_style, self.owner)

    def render(self) -> str:
        if self.kind == "header":
            return f"the `{self.parts[0][1] if self.parts else ''}` header sent by `{self.base}()`"
        if self.kind == "args":
            if not self.parts and self.owner:
                return f"`{self.owner}`"
            if not self.parts or self.parts[0][0] != "prop":
                return f"`{self.base}(...){_subscripts(self.parts)}`"
            return f"`{self.base}({self.parts[0][1]}=...){_subscripts(self.parts[1:])}`"
        head = f"{self.base}()" if self.kind == "result" else self.base
        return f"`{head}{_attributes(self.parts)}`"

    def code(self) -> str:
        """The subject without its backticks, for composing ``X: a -> b``."""
        return self.render().strip("`")


def _attributes(parts: tuple[Part, ...]) -> str:
    out = []
    for kind, name in parts:
        out.append({"prop": f".{name}", "item": "[i]", "value": "[key]", "member": f"<{name}>"}[kind])
    return "".join(out)


def _subscripts(parts: tuple[Part, ...]) -> str:
    out = []
    for kind, name in parts:
        out.append({"prop": f"[{name!r}]", "item": "[i]", "value": "[key]", "member": f"<{name}>"}[kind])
    return "".join(out)


def literal(values: tuple[object, ...], limit: int = _LITERAL_LIMIT) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    more = f", ... (+{len(values) - limit})" if len(values) > limit else ""
    return f"Literal[{shown}{more}]"


def py_type(node: Node | None, context: str = "Object") -> str:
    """The Python type a schema becomes; ``context`` names an inline object's class."""
    if node is None:
        return "object"
    text = _bare_type(node, context)
    if node.nullable and not text.endswith("| None") and text != "object":
        text += " | None"
    return text


def _bare_type(node: Node, context: str) -> str:
    match node:
        case Ref():
            return naming.class_name(node.name)
        case Scalar():
            if node.enum is not None:
                return literal(node.enum)
            if node.type == "string" and node.format == "binary":
                return "bytes"
            return _SCALARS[node.type]
        case Array():
            return f"list[{py_type(node.items, context + 'Item')}]"
        case Object():
            if node.properties:
                return context
            if node.additional is not None:
                return f"dict[str, {py_type(node.additional, context + 'Value')}]"
            return "dict[str, object]"
        case UnionOf():
            names: list[str] = []
            for index, member in enumerate(node.members):
                label = member.tag or f"Variant{index + 1}"
                name = py_type(member.node, context + naming.class_name(label))
                if name not in names:
                    names.append(name)
            return " | ".join(names)
        case AnyValue():
            return "object"
    raise TypeError(node)  # pragma: no cover


def field_type(node: Node, required: bool, request_style: bool, context: str) -> str:
    """The annotation of a field: response models say ``X | None``, request dicts ``NotRequired[X]``."""
    text = py_type(node, context)
    if required:
        return text
    if request_style:
        return f"NotRequired[{text}]"
    return text if text.endswith("| None") else f"{text} | None"


def shape(node: Node | None) -> tuple[object, ...]:
    """A hashable description of what a schema accepts, without its documentation.

    Union members are sorted, so a reordered union has the same shape.
    """
    match node:
        case None:
            return ("none",)
        case AnyValue():
            return ("any", node.nullable)
        case Ref():
            return ("ref", node.name, node.nullable)
        case Scalar():
            enum = tuple(sorted(repr(v) for v in node.enum)) if node.enum is not None else None
            return ("scalar", node.type, node.format, enum, _bounds(node.bounds), node.nullable)
        case Array():
            return ("array", shape(node.items), _bounds(node.bounds), node.nullable)
        case Object():
            props = tuple((p.name, shape(p.node)) for p in node.properties)
            required = tuple(sorted(node.required))
            return ("object", props, required, shape(node.additional), _bounds(node.bounds), node.nullable)
        case UnionOf():
            members = sorted((repr((m.tag, shape(m.node))) for m in node.members))
            return ("union", node.discriminator, tuple(members), node.nullable)
    raise TypeError(node)  # pragma: no cover


def _bounds(bounds: tuple[tuple[str, object], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((k, repr(v)) for k, v in bounds)


def short_hash(value: object) -> str:
    return hashlib.sha1(repr(value).encode("utf-8")).hexdigest()[:8]
