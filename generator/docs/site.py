"""What every page shares: names, links, type cells, field tables, unions and diagrams."""

from __future__ import annotations

import re
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

__all__ = ["FIELD_HEAD", "Site", "call_name", "constraint_text", "is_tagged"]

FIELD_HEAD = ["Wire name", "Python", "Type", "Required", "Default", "Constraints", "Values", "Description"]


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
    return "<br>".join(parts)


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

    # -- names and links ------------------------------------------------------------

    def py_name(self, name: str, side: Side | None = None) -> str:
        names = schema_names(self.schemas[name])
        if side == "param":
            return names.param or names.model or self.schemas[name].class_name
        return names.model or names.param or self.schemas[name].class_name

    def schema_page(self, name: str) -> str:
        return f"schemas/{module_name(self.py_name(name))}.md"

    def op_page(self, op: ir.Operation) -> str:
        return f"operations/{naming.snake_case(op.operation_id)}.md"

    def link(self, name: str, side: Side | None, base: str) -> str:
        return f"[{code(self.py_name(name, side))}]({base}{self.schema_page(name)})"

    def writer(self, side: Side) -> StaticTypeWriter:
        return StaticTypeWriter(self.schemas, side, taken=self.taken)

    def type_cell(self, t: ir.TypeExpr, side: Side, base: str, annotation: str | None = None) -> str:
        """The Python type as code, then a link to each schema it names."""
        spelled = annotation if annotation is not None else self.writer(side).render(t)
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
        values = ", ".join(code(literal(v)) for v in self.values(t))
        text = cell(description)
        if deprecated:
            text = "**Deprecated.** " + text
        return [code(wire), *extra, code(py), self.type_cell(t, side, base, annotation),
                "yes" if required else "no",
                "" if default is ir.MISSING else code(literal(default)),
                constraint_text(constraints), values, text]

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
            schema = self.schemas[name]
            match schema:
                case ir.UnionSchema(union=union) if is_tagged(union):
                    candidates.append((union, name))
                case ir.ObjectSchema(fields=fields):
                    candidates += [u for f in fields for u in _inline_tagged(f.type)]
        found = []
        for union, title in candidates:
            key = title if title in self.schemas else self.writer("model").render(union)
            if key not in seen:
                seen.add(key)
                found.append(self.union_view(union, key, side, base))
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

    def diagram(self, names: list[str], side: Side) -> str:
        """A Mermaid class diagram of ``names``: fields as members, references as arrows."""
        shown = set(names)
        writer = self.writer(side)
        lines = ["classDiagram"]
        edges: list[str] = []
        for name in names:
            schema = self.schemas[name]
            node = _node(self.py_name(name, side))
            members: list[str] = []
            match schema:
                case ir.ObjectSchema(fields=fields):
                    for f in fields:
                        members.append(f"+{_label(writer.render(f.type))} {_label(f.name)}")
                        many = '"*" ' if isinstance(_unwrap(f.type), ir.ListOf) else ""
                        edges += [f"{node} --> {many}{_node(self.py_name(r, side))} : {_label(f.name)}"
                                  for r in dict.fromkeys(type_refs(f.type)) if r in shown]
                case ir.UnionSchema(union=union):
                    members.append("<<union>>")
                    for m in union.members:
                        if isinstance(m.type, ir.Ref) and m.type.name in shown:
                            tag = f" : {_label(m.tag)}" if m.tag else ""
                            edges.append(f"{node} <|-- {_node(self.py_name(m.type.name, side))}{tag}")
                        elif not isinstance(m.type, ir.Ref):
                            members.append(f"+{_label(writer.render(m.type))}")
                case ir.EnumSchema(values=values):
                    members.append("<<enumeration>>")
                    members += [_label(str(v)) for v in values]
                case ir.AliasSchema(target=target):
                    members += ["<<alias>>", f"+{_label(writer.render(target))}"]
                    edges += [f"{node} --> {_node(self.py_name(r, side))}"
                              for r in dict.fromkeys(type_refs(target)) if r in shown]
            lines.append(f"    class {node} {{")
            lines += [f"        {m}" for m in members if m.strip("+")]
            lines.append("    }")
        lines += [f"    {e}" for e in edges]
        return fenced("\n".join(lines), "mermaid")

    def reachable(self, roots: Iterable[ir.TypeExpr]) -> list[str]:
        order: list[str] = []
        queue = [r for t in roots for r in type_refs(t)]
        while queue:
            name = queue.pop(0)
            if name in order:
                continue
            order.append(name)
            queue.extend(schema_refs(self.schemas[name]))
        return order

    # -- pages ------------------------------------------------------------------------------


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
