"""How the normalised model reads in Python words, for the report.

The report speaks to users of the generated package, so a change is named by
what they wrote: ``client.messages.create(top_k=...)``, ``Usage.output_tokens``,
``int | None``. Every name goes through ``generator.naming``, as the generator's
own names do, and a schema is called what the generator calls it on the side
that uses it (``generator.typemap.python_names``): a response model ``Usage``,
a request TypedDict ``UsageParam``, both when both sides reach it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Mapping

from generator import naming
from generator.diff.model import AnyValue, Array, Model, Node, Object, Ref, Scalar, UnionOf
from generator.loader import Spec
from generator.typemap import SchemaNames, python_names

__all__ = [
    "MODELS",
    "Spelling",
    "Subject",
    "component_names",
    "page_names",
    "field_type",
    "literal",
    "py_type",
    "shape",
    "short_hash",
]

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_LITERAL_LIMIT = 6

# One step of a Python path: a property, a list item, a dict value, a union member.
Part = tuple[Literal["prop", "item", "value", "member"], str]
# Which half of the generated package: response models, or request TypedDicts.
Side = Literal["model", "param"]


def _pick(names: SchemaNames, side: Side) -> str:
    """The name a schema has on ``side``; one the side does not reach still has its other name."""
    chosen = names.model if side == "model" else names.param
    found = chosen or names.model or names.param
    assert found is not None
    return found


def component_names(spec: Spec, model: Model, reach: Mapping[str, Iterable[str]]) -> dict[str, SchemaNames]:
    """Every component's Python names in one version, by the generator's rule.

    ``reach`` gives the directions (request, response) each component is reached
    from; the spec as written tells an enum (one name on both sides) from a
    ``const`` (an alias, named per side).
    """
    components = spec.data.get("components")
    raw = components.get("schemas") if isinstance(components, dict) else None
    raw_schemas: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    found = {}
    for name, node in model.components.items():
        sides = set(reach.get(name, ()))
        enum = _is_enum(node, raw_schemas.get(name))
        found[name] = python_names(naming.class_name(name), "request" in sides, "response" in sides, enum)
    return found


def page_names(model: Model, found: Mapping[str, SchemaNames]) -> dict[str, SchemaNames]:
    """A paginated reply's schema goes by the type its method returns: ``SyncCursorPage[Item]``.

    Users never meet the page schema's own class; ``list()`` returns the page
    type of its items (the async client's ``AsyncCursorPage`` reads the same).
    """
    pages: dict[str, set[str]] = {}
    for op in model.operations.values():
        if op.pagination is None:
            continue
        items = dict(op.pagination).get("items") or "data"
        roots = [
            node.name for status, response in op.responses.items() if status.startswith("2")
            for media, node in response.content.items() if media == "application/json" and isinstance(node, Ref)
        ]
        roots += [name for _, direction, name in op.variant_roots if direction == "response"]
        for root in roots:
            page = model.components.get(root)
            prop = next((p for p in page.properties if p.name == items), None) if isinstance(page, Object) else None
            item = prop.node if prop is not None else None
            if isinstance(item, Array) and isinstance(item.items, Ref) and item.items.name in found:
                pages.setdefault(root, set()).add(_pick(found[item.items.name], "model"))
    return {
        page: SchemaNames(model=f"SyncCursorPage[{next(iter(items))}]", param=found[page].param)
        for page, items in pages.items() if len(items) == 1 and page in found
    }


def _is_enum(node: Node, raw: object) -> bool:
    """Whether the generator makes this component an enum (generator.build's classify)."""
    if not isinstance(raw, dict) or not isinstance(node, Scalar) or node.enum is None or node.nullable:
        return False
    values = raw.get("enum")
    return isinstance(values, list) and None not in values and "allOf" not in raw


@dataclass(frozen=True)
class Spelling:
    """How one side of the generated package, in one version of the spec, spells types.

    ``request``/``response``: the directions of the place being spelled; an
    inline object there is hoisted into a class of its own, named by the same
    rule as a component reached from those directions.
    """

    side: Side
    components: Mapping[str, SchemaNames] = field(default_factory=dict)
    request: bool = False
    response: bool = False

    @property
    def request_style(self) -> bool:
        return self.side == "param"

    def component(self, name: str) -> str:
        names = self.components.get(name) or python_names(naming.class_name(name), False, False, False)
        return _pick(names, self.side)

    def inline(self, context: str) -> str:
        return _pick(python_names(context, self.request, self.response, False), self.side)


# Response-model spelling with no knowledge of a version: for labels.
MODELS = Spelling("model")


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
    request_style: bool = False  # named on the request side (TypedDicts, keyword arguments)
    owner: str | None = None  # for ``args``: the class of the whole body
    # For a ``class`` both sides reach under two names: the request TypedDict
    # (``UsageParam``); ``base`` is then the response model (``Usage``).
    also: str | None = None

    def add(self, part: Part) -> "Subject":
        return Subject(self.kind, self.base, self.parts + (part,), self.request_style, self.owner, self.also)

    @property
    def side(self) -> Side:
        return "param" if self.request_style else "model"

    def sides(self) -> tuple["Subject", ...]:
        """The one-sided subjects this one names: two for a class both sides reach."""
        if self.also is None:
            return (self,)
        return (
            Subject(self.kind, self.base, self.parts, False, self.owner),
            Subject(self.kind, self.also, self.parts, True, self.owner),
        )

    def render(self) -> str:
        if self.also is not None:
            return " / ".join(side.render() for side in self.sides())
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
        """The subject without its backticks, for composing ``X: a -> b`` (one side only)."""
        assert self.also is None, "a subject naming two classes has no single spelling"
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


def py_type(node: Node | None, context: str = "Object", spelling: Spelling = MODELS) -> str:
    """The Python type a schema becomes on one side; ``context`` names an inline object's class."""
    if node is None:
        return "object"
    text = _bare_type(node, context, spelling)
    if node.nullable and not text.endswith("| None") and text != "object":
        text += " | None"
    return text


def _bare_type(node: Node, context: str, spelling: Spelling) -> str:
    match node:
        case Ref():
            return spelling.component(node.name)
        case Scalar():
            if node.enum is not None:
                return literal(node.enum)
            if node.type == "string" and node.format == "binary":
                return "bytes"
            if node.type == "string" and node.format in ("date", "date-time"):
                name = "datetime" if node.format == "date-time" else "date"
                return f"str | {name}" if spelling.request_style else name
            return _SCALARS[node.type]
        case Array():
            return f"list[{py_type(node.items, context + 'Item', spelling)}]"
        case Object():
            if node.properties:
                return spelling.inline(context)
            if node.additional is not None:
                return f"dict[str, {py_type(node.additional, context + 'Value', spelling)}]"
            return "dict[str, object]"
        case UnionOf():
            names: list[str] = []
            for index, member in enumerate(node.members):
                label = member.tag or f"Variant{index + 1}"
                name = py_type(member.node, context + naming.class_name(label), spelling)
                if name not in names:
                    names.append(name)
            return " | ".join(names)
        case AnyValue():
            return "object"
    raise TypeError(node)  # pragma: no cover


def field_type(node: Node, required: bool, context: str, spelling: Spelling) -> str:
    """The annotation of a field: response models say ``X | None``, request dicts ``NotRequired[X]``."""
    text = py_type(node, context, spelling)
    if required:
        return text
    if spelling.request_style:
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
