"""What every page shares: names, links, type cells, field tables, unions and diagrams."""

from __future__ import annotations

import re
from collections import deque
from typing import Any, Iterable, Iterator

from generator import ir, naming
from generator.docs.markdown import Table, cell, code, fenced, first_paragraph, prose
from generator.plan import _model_context
from generator.stubs import StaticTypeWriter
from generator.typemap import (
    Side,
    literal,
    module_name,
    schema_names,
    schema_refs,
    taken_names,
    type_refs,
)

__all__ = ["DIAGRAM_LIMIT", "FIELD_HEAD", "Site", "call_name", "constraint_text", "is_tagged"]

# At most four columns, as Redoc shows the same facts: the name (once, when the
# Python name is the wire name) with a "required" badge; the type with its
# allowed values, constraints and default; the description, which gets the width.
FIELD_HEAD = ["Field", "Type", "Description"]
# A class diagram wider than this many classes no longer reads once fitted to a page.
DIAGRAM_LIMIT = 16


def constraint_text(c: ir.Constraints) -> str:
    parts = []
    for value, text in (
        (c.minimum, "≥ {}"), (c.exclusive_minimum, "> {}"), (c.maximum, "≤ {}"),
        (c.exclusive_maximum, "< {}"), (c.min_length, "length ≥ {}"), (c.max_length, "length ≤ {}"),
        (c.min_items, "items ≥ {}"), (c.max_items, "items ≤ {}"),
    ):
        if value is not None:
            parts.append(text.format(literal(value)))
    if c.pattern is not None:
        parts.append("pattern " + code(c.pattern))
    return ", ".join(parts)


# Mermaid words that cannot name a class.
_MERMAID_WORDS = frozenset({
    "class", "classDiagram", "direction", "namespace", "note", "click", "style", "link",
    "callback", "cssClass", "classDef", "end", "call", "href",
})


class Site:
    """One API's pages as a whole: the names, links and tables they share."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.schemas = {s.name: s for s in api.schemas}
        self.used_by = used_by(api)
        # Computed once: every type cell asks for it, and it walks every schema.
        self.taken = taken_names(self.schemas)
        # Pages share most of their types and schemas (on a large API, every
        # operation's diagram holds hundreds of the same classes), so what is
        # derived from the IR alone is kept. The IR is frozen, so nothing goes stale.
        self._py_names = {s.name: _py_names(s) for s in api.schemas}
        self._pages = {name: f"schemas/{module_name(model)}.md"
                       for name, (model, _) in self._py_names.items()}
        self._writers: dict[Side, StaticTypeWriter] = {"model": self.writer("model"),
                                                        "param": self.writer("param")}
        self._spelled: dict[tuple[int, Side], tuple[ir.TypeExpr, str]] = {}
        self._blocks: dict[tuple[str, Side], tuple[str, tuple[tuple[str, str], ...]]] = {}
        self._schema_refs: dict[str, tuple[str, ...]] = {}
        self._reachable: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._tagged: dict[str, tuple[tuple[ir.UnionOf, str], ...]] = {}

    # -- names and links ------------------------------------------------------------

    def py_name(self, name: str, side: Side | None = None) -> str:
        model, param = self._py_names[name]
        return param if side == "param" else model

    def schema_page(self, name: str) -> str:
        return self._pages[name]

    def op_page(self, op: ir.Operation) -> str:
        return f"operations/{naming.snake_case(op.operation_id)}.md"

    def link(self, name: str, side: Side | None, base: str) -> str:
        return f"[{code(self.py_name(name, side))}]({base}{self.schema_page(name)})"

    def writer(self, side: Side) -> StaticTypeWriter:
        return StaticTypeWriter(self.schemas, side, taken=self.taken)

    def spell(self, t: ir.TypeExpr, side: Side) -> str:
        """``t`` as a type checker reads it on ``side``."""
        # By identity, as hashing a deep type costs about as much as spelling it;
        # the entry holds ``t`` so that its id cannot be reused while cached.
        # Spelling is pure here: a site's writers have no home module.
        key = (id(t), side)
        found = self._spelled.get(key)
        if found is None:
            found = self._spelled[key] = (t, self._writers[side].render(t))
        return found[1]

    def type_cell(self, t: ir.TypeExpr, side: Side, base: str, annotation: str | None = None) -> str:
        """The Python type as code, then a link to each schema it names."""
        spelled = annotation if annotation is not None else self.spell(t, side)
        if isinstance(t, ir.Ref) and spelled == self.py_name(t.name, side):
            return self.link(t.name, side, base)
        text = code(spelled)
        refs = list(dict.fromkeys(type_refs(t)))
        if refs:
            text += "<br>" + ", ".join(self.link(r, side, base) for r in refs)
        return text

    def values(self, t: ir.TypeExpr) -> tuple[ir.JsonValue, ...]:
        match t:
            case ir.Nullable(inner=inner) | ir.ListOf(item=inner):
                return self.values(inner)
            case ir.LiteralOf(values=values):
                return values
            case ir.Ref(name=name) if isinstance(self.schemas[name], ir.EnumSchema):
                schema = self.schemas[name]
                assert isinstance(schema, ir.EnumSchema)
                return schema.values
        return ()

    def row(self, wire: str, py: str, t: ir.TypeExpr, side: Side, base: str, *, required: bool,
            default: object, constraints: ir.Constraints, description: str, deprecated: bool = False,
            annotation: str | None = None, extra: Iterable[str] = ()) -> list[str]:
        name = code(wire) if py == wire else f"{code(wire)}<br>Python: {code(py)}"
        if required:
            name += "<br>**required**"
        kind = [self.type_cell(t, side, base, annotation)]
        # A Literal's type already spells its values; an enum's name does not.
        values = () if isinstance(_unwrap(t), ir.LiteralOf) else self.values(t)
        if values:
            kind.append("one of " + ", ".join(code(literal(v)) for v in values))
        limits = constraint_text(constraints)
        if limits:
            kind.append(limits)
        if default is not ir.MISSING:
            kind.append(f"default {code(literal(default))}")
        text = cell(description)
        if deprecated:
            text = "**Deprecated.** " + text
        return [name, *extra, "<br>".join(kind), text]

    def field_table(self, schema: ir.ObjectSchema, side: Side, base: str) -> Table:
        """A schema's fields as its Python side spells them (model attributes, or dict keys)."""
        table = Table(list(FIELD_HEAD))
        attrs: dict[str, tuple[str, str]] = {}
        if side == "model":
            ctx = _model_context(schema, self.py_name(schema.name, "model"), self.writer("model"))
            attrs = {f.name: (v["py_name"], v["annotation"]) for f, v in zip(schema.fields, ctx["fields"])}
        for f in schema.fields:
            py, annotation = attrs.get(f.name, (f.name, None))
            table.rows.append(self.row(
                f.name, py, f.type, side, base, required=f.required, default=f.default,
                constraints=f.constraints, description=f.description, deprecated=f.deprecated,
                annotation=annotation,
            ))
        return table

    # -- discriminated unions -----------------------------------------------------------

    def unions(self, roots: Iterable[ir.TypeExpr], side: Side, base: str,
               seen: set[str] | None = None) -> list[dict[str, Any]]:
        """Every tagged union reachable from ``roots``: one sub-table per variant, by tag.

        ``seen`` holds the unions already shown on the page, which are skipped.
        """
        seen = set() if seen is None else seen
        roots = list(roots)
        candidates: list[tuple[ir.UnionOf, str]] = [u for t in roots for u in _inline_tagged(t)]
        for name in self.reachable(roots):
            candidates += self._tagged_in(name)
        found = []
        for union, title in candidates:
            key = title if title in self.schemas else self.spell(union, "model")
            if key not in seen:
                seen.add(key)
                found.append(self.union_view(union, key, side, base))
        return found

    def _tagged_in(self, name: str) -> tuple[tuple[ir.UnionOf, str], ...]:
        """The tagged unions schema ``name`` is or holds in place, titled by name if it is one."""
        found = self._tagged.get(name)
        if found is None:
            match self.schemas[name]:
                case ir.UnionSchema(union=union) if is_tagged(union):
                    found = ((union, name),)
                case ir.ObjectSchema(fields=fields):
                    found = tuple(u for f in fields for u in _inline_tagged(f.type))
                case _:
                    found = ()
            self._tagged[name] = found
        return found

    def union_view(self, union: ir.UnionOf, title: str, side: Side, base: str) -> dict[str, Any]:
        named = title in self.schemas
        variants = []
        for member in union.members:
            assert isinstance(member.type, ir.Ref) and member.tag is not None
            schema = self.schemas[member.type.name]
            variants.append({
                "title": f"{code(f'{union.discriminator}: {literal(member.tag)}')} → "
                         f"{self.link(schema.name, side, base)}",
                "description": prose(first_paragraph(schema.description)),
                "table": self.field_table(schema, side, base) if isinstance(schema, ir.ObjectSchema) else None,
            })
        return {
            "title": code(self.py_name(title, side) if named else title),
            "link": self.link(title, side, base) if named else "",
            "tag": code(str(union.discriminator)),
            "variants": variants,
        }

    # -- diagrams ---------------------------------------------------------------------------

    def diagram(self, names: list[str], side: Side, *, sideways: bool = False) -> str:
        """A Mermaid class diagram of ``names``: fields as members, references as arrows.

        At most ``DIAGRAM_LIMIT`` classes, the first ones of ``names``; a
        sentence after the diagram says how many were left out. ``sideways``
        draws left to right: a union of many variants then stacks them in a
        column instead of a row too wide to read.
        """
        left_out = names[DIAGRAM_LIMIT:]
        names = names[:DIAGRAM_LIMIT]
        shown = set(names)
        lines = ["classDiagram"] + (["    direction LR"] if sideways else [])
        edges: list[str] = []
        for name in names:
            block, candidates = self._class_block(name, side)
            lines.append(block)
            edges += [edge for target, edge in candidates if target in shown]
        lines += edges
        drawn = fenced("\n".join(lines), "mermaid")
        if left_out:
            drawn += (f"\n\n{len(left_out)} more types are not drawn here: "
                      + ", ".join(code(self.py_name(n, side)) for n in left_out) + ".")
        return drawn

    def _class_block(self, name: str, side: Side) -> tuple[str, tuple[tuple[str, str], ...]]:
        """A schema's class in a diagram, and each arrow it may draw, by the schema it points to.

        Kept per schema and side: each operation's diagram repeats most of the
        same classes (hundreds of them on a large API), and only which arrows
        are drawn depends on the diagram.
        """
        found = self._blocks.get((name, side))
        if found is not None:
            return found
        schema = self.schemas[name]
        node = _node(self.py_name(name, side))
        members: list[str] = []
        edges: list[tuple[str, str]] = []
        match schema:
            case ir.ObjectSchema(fields=fields):
                for f in fields:
                    label = _label(f.name)
                    members.append(f"+{_label(self.spell(f.type, side))} {label}")
                    many = '"*" ' if isinstance(_unwrap(f.type), ir.ListOf) else ""
                    edges += [(r, f"    {node} --> {many}{_node(self.py_name(r, side))} : {label}")
                              for r in dict.fromkeys(type_refs(f.type))]
            case ir.UnionSchema(union=union):
                members.append("<<union>>")
                for m in union.members:
                    if isinstance(m.type, ir.Ref):
                        tag = f" : {_label(m.tag)}" if m.tag else ""
                        edges.append((m.type.name,
                                      f"    {node} <|-- {_node(self.py_name(m.type.name, side))}{tag}"))
                    else:
                        members.append(f"+{_label(self.spell(m.type, side))}")
            case ir.EnumSchema(values=values):
                members.append("<<enumeration>>")
                members += [_label(str(v)) for v in values]
            case ir.AliasSchema(target=target):
                members += ["<<alias>>", f"+{_label(self.spell(target, side))}"]
                edges += [(r, f"    {node} --> {_node(self.py_name(r, side))}")
                          for r in dict.fromkeys(type_refs(target))]
        lines = [f"    class {node} {{", *(f"        {m}" for m in members if m.strip("+")), "    }"]
        found = self._blocks[(name, side)] = ("\n".join(lines), tuple(edges))
        return found

    def reachable(self, roots: Iterable[ir.TypeExpr]) -> list[str]:
        """The schemas ``roots`` lead to, breadth first, each once."""
        start = tuple(r for t in roots for r in type_refs(t))
        found = self._reachable.get(start)
        if found is None:
            found = self._reachable[start] = self._walk(start)
        return list(found)

    def _walk(self, start: tuple[str, ...]) -> tuple[str, ...]:
        order: dict[str, None] = {}
        queue = deque(start)
        while queue:
            name = queue.popleft()
            if name in order:
                continue
            order[name] = None
            queue.extend(r for r in self._refs(name) if r not in order)
        return tuple(order)

    def _refs(self, name: str) -> tuple[str, ...]:
        found = self._schema_refs.get(name)
        if found is None:
            found = self._schema_refs[name] = tuple(schema_refs(self.schemas[name]))
        return found

    # -- pages ------------------------------------------------------------------------------


def _py_names(schema: ir.Schema) -> tuple[str, str]:
    """A schema's Python name for responses and for requests; each side falls back on the other."""
    names = schema_names(schema)
    return (names.model or names.param or schema.class_name, names.param or names.model or schema.class_name)


def _inline_tagged(t: ir.TypeExpr) -> Iterator[tuple[ir.UnionOf, str]]:
    """Tagged unions written in place (not named schemas) inside ``t``."""
    match t:
        case ir.UnionOf(members=members):
            if is_tagged(t):
                yield t, ""
            for m in members:
                yield from _inline_tagged(m.type)
        case ir.Nullable(inner=inner) | ir.ListOf(item=inner) | ir.MapOf(value=inner):
            yield from _inline_tagged(inner)
        case _:
            pass


def is_tagged(union: ir.UnionOf) -> bool:
    return union.discriminator is not None and all(
        m.tag is not None and isinstance(m.type, ir.Ref) for m in union.members
    )

def _unwrap(t: ir.TypeExpr) -> ir.TypeExpr:
    return _unwrap(t.inner) if isinstance(t, ir.Nullable) else t

def call_name(binding: ir.MethodBinding) -> str:
    return ".".join([*(naming.attribute_name(p) for p in binding.resource), binding.name])

def _node(name: str) -> str:
    node = re.sub(r"\W", "_", name, flags=re.ASCII)
    return node + "_" if node in _MERMAID_WORDS else node


def _label(text: str) -> str:
    """Text that Mermaid prints as it is: no quotes, brackets, commas or markup."""
    text = re.sub(r'"((?:[^"\\]|\\.)*)"', lambda m: m.group(1), text)
    text = text.replace("[", "~").replace("]", "~").replace(", ", "/")
    return re.sub(r"[^A-Za-z0-9_~/.\- ]", "", text, flags=re.ASCII).strip() or "?"

def used_by(api: ir.Api) -> dict[str, list[tuple[str, str]]]:
    """For each schema, what refers to it directly: (link text, page) pairs."""
    found: dict[str, list[tuple[str, str]]] = {}

    def add(t: ir.TypeExpr | None, text: str, page: str) -> None:
        if t is None:
            return
        for name in dict.fromkeys(type_refs(t)):
            entry = (text, page)
            if entry not in found.setdefault(name, []):
                found[name].append(entry)

    for op in api.operations:
        page = f"operations/{naming.snake_case(op.operation_id)}.md"
        title = " and ".join(code("client." + call_name(b)) for b in op.bindings) or code(op.operation_id)
        for f in op.body_fields:
            add(f.type, f"{title}: request body {code(f.name)}", page)
        add(op.body_type if not op.body_fields else None, f"{title}: request body", page)
        for p in op.parameters:
            add(p.type, f"{title}: parameter {code(p.name)}", page)
        for r in op.responses:
            add(r.type, f"{title}: response {code(r.status)}", page)
        if op.stream is not None:
            add(op.stream.event_type, f"{title}: stream events", page)
    for schema in api.schemas:
        names = schema_names(schema)
        page = f"schemas/{module_name(names.model or names.param or schema.class_name)}.md"
        match schema:
            case ir.ObjectSchema(fields=fields, additional=additional):
                for f in fields:
                    add(f.type, f"{code(schema.name)}, field {code(f.name)}", page)
                add(additional, f"{code(schema.name)}, other properties", page)
            case ir.UnionSchema(union=union):
                for m in union.members:
                    add(m.type, f"{code(schema.name)}" + (f", variant {code(m.tag)}" if m.tag else ""), page)
            case ir.AliasSchema(target=target):
                add(target, code(schema.name), page)
    return found
