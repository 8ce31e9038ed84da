"""Compare two normalised schemas found at the same place.

The owner (``compare._Comparer``) decides which places to compare; this module
knows what can differ between two schemas and which rule each difference is.

A class that both sides of the package reach has two names (``Usage``,
``UsageParam``) and may spell the same field two ways (``int | None``,
``NotRequired[int]``): ``sided`` words a change once if both read alike, else
once per side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from generator import naming
from generator.diff.model import NO_DEFAULT, AnyValue, Array, Model, Node, Object, Prop, Ref, Scalar, UnionOf
from generator.diff.python import Spelling, Subject, field_type, py_type, shape, short_hash

if TYPE_CHECKING:
    from generator.diff.compare import Where, _Comparer

__all__ = ["SchemaComparer", "alike", "rename_refs"]

_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_ENUM_SHOWN = 6
_MAX_ALIASES = 16

T = TypeVar("T")
Types = Callable[[Spelling, Spelling], tuple[str, str]]  # (old, new) spellings -> (before, after)


def transition(subject: Subject, before: str, after: str) -> str:
    """``Usage.output_tokens: int -> int | None`` in the subject's own spelling."""
    if subject.kind in ("class", "result") and subject.also is None:
        return f"`{subject.code()}: {before} -> {after}`"
    return f"{subject.render()}: `{before}` -> `{after}`"


def _transition_or_same(subject: Subject, types: tuple[str, str]) -> str:
    before, after = types
    if before == after:
        return f"{subject.render()}: still `{after}` in Python"
    return transition(subject, before, after)


def _values(values: Iterable[object]) -> str:
    items = [repr(v) for v in values]
    if len(items) > _ENUM_SHOWN:
        items = items[:_ENUM_SHOWN] + [f"... (+{len(items) - _ENUM_SHOWN})"]
    return ", ".join(items)


def _word(node: Node) -> str:
    match node:
        case Ref():
            return f"`{node.name}`"
        case Scalar():
            return f"`{node.type}`" + (" enum" if node.enum is not None else "")
        case Array():
            return "`array`"
        case Object():
            return "`object`"
        case UnionOf():
            return "union of " + ", ".join(_word(m.node) for m in node.members)
    return "any value"


def _kind(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"scalar:{node.type}"
    return type(node).__name__


def _same_kind(old: Node, new: Node) -> bool:
    """Whether every value of ``old`` is (loosely) a value of ``new``: for widening."""
    if isinstance(old, Scalar) and isinstance(new, Scalar):
        return old.type == new.type or (old.type, new.type) == ("integer", "number")
    if isinstance(old, Ref) and isinstance(new, Ref):
        return old.name == new.name
    return type(old) is type(new) and not isinstance(old, Ref)


def rename_refs(node: Node, renames: dict[str, str]) -> Node:
    """``node`` with references to renamed components pointing at their new names."""
    if not renames:
        return node
    match node:
        case Ref():
            return replace(node, name=renames.get(node.name, node.name))
        case Object():
            props = tuple(replace(p, node=rename_refs(p.node, renames)) for p in node.properties)
            extra = rename_refs(node.additional, renames) if node.additional is not None else None
            return replace(node, properties=props, additional=extra)
        case UnionOf():
            return replace(node, members=tuple(replace(m, node=rename_refs(m.node, renames)) for m in node.members))
        case Array():
            return replace(node, items=rename_refs(node.items, renames))
    return node


def alike(old: Node, new: Node) -> bool:
    """Whether two differently named components are plausibly one, renamed and edited."""
    if type(old) is not type(new):
        return False
    if isinstance(old, Object) and isinstance(new, Object):
        before = {p.name for p in old.properties}
        after = {p.name for p in new.properties}
        return len(before & after) * 2 >= max(len(before), len(after), 1)
    if isinstance(old, UnionOf) and isinstance(new, UnionOf):
        before = {m.tag or _member_name(m.node) for m in old.members}
        after = {m.tag or _member_name(m.node) for m in new.members}
        return len(before & after) * 2 >= max(len(before), len(after), 1)
    if isinstance(old, Scalar) and isinstance(new, Scalar):
        return old.type == new.type
    return True


def _member_label(node: Node, context: str) -> str:
    """An untagged member's name in a path: its type, but an enum by its kind alone.

    A path names the place, so it must not change with the place: `model<Literal>`
    stays put while the enum gains values (`anyOf: [string, enum]` is how specs
    list known values of an open string).
    """
    if isinstance(node, Scalar) and node.enum is not None:
        return "Literal"
    return py_type(node, context)


def _member_name(node: Node) -> str:
    return node.name if isinstance(node, Ref) else repr(shape(node))


@dataclass
class _Matched:
    old: Node | None
    new: Node | None
    label: str = ""


class SchemaComparer:
    def __init__(self, host: "_Comparer") -> None:
        self.host = host

    def sided(
        self, where: "Where", payload: Callable[[Spelling, Spelling], T], say: Callable[[Subject, T], str],
        merge: bool = True,
    ) -> str:
        """Python words for a change at ``where``, for each side of the package that has it.

        ``payload`` is what a side spells its own way (types, from the old and the
        new version's spelling); ``say`` words it for a subject. A class both sides
        reach gets one clause naming both classes when the payloads agree and
        ``merge`` allows, else one clause per side.
        """
        found = [(one, payload(*self.host.spellings(one, where))) for one in where.subject.sides()]
        if merge and len({repr(p) for _, p in found}) == 1:
            return say(where.subject, found[0][1])
        return "; ".join(dict.fromkeys(say(one, p) for one, p in found))

    def transition(self, where: "Where", types: Types) -> str:
        return self.sided(where, types, lambda subject, pair: transition(subject, *pair))

    # -- entry point ------------------------------------------------------------------

    def node(self, old: Node, new: Node, where: "Where") -> None:
        host = self.host
        host.docs(old.description, new.description, where)
        self.default(old, new, where)
        if old.deprecated != new.deprecated:
            rule = "schema.deprecated" if new.deprecated else "schema.undeprecated"
            state = "deprecated" if new.deprecated else "no longer deprecated"
            host.emit(rule, where, state, f"{where.subject.render()} is {state}")
        if isinstance(old, Ref) and isinstance(new, Ref):
            self.nullability(old, new, where)
            self.refs(old, new, where)
            return
        if isinstance(old, Ref) or isinstance(new, Ref):
            key = (id(old), id(new))
            if key in host.active:
                return
            host.active.add(key)
            try:
                self.ref_and_inline(old, new, where)
            finally:
                host.active.discard(key)
            return
        self.nullability(old, new, where)
        self.shape(old, new, where)

    def ref_and_inline(self, old: Node, new: Node, where: "Where") -> None:
        """A component on one side, an inline schema on the other: compare what they accept."""
        renamed = self.host.renames
        if isinstance(old, Ref) and isinstance(new, UnionOf):
            if any(isinstance(m.node, Ref) and m.node.name == renamed.get(old.name, old.name) for m in new.members):
                self.kind_change(old, new, where, "schema.type-widened")
                return
        if isinstance(new, Ref) and isinstance(old, UnionOf):
            if any(isinstance(m.node, Ref) and renamed.get(m.node.name, m.node.name) == new.name for m in old.members):
                self.kind_change(old, new, where, "schema.type-narrowed")
                return
        resolved_old = self.resolve(old, self.host.old)
        resolved_new = self.resolve(new, self.host.new)
        self.nullability(resolved_old, resolved_new, where)
        # Compared as resolved, but spelled as used: the old field's type is the
        # component's class (`LabelParam`), not an inline class named after the field.
        self.shape(resolved_old, resolved_new, where, spelled=(old, new))

    @staticmethod
    def resolve(node: Node, model: Model) -> Node:
        for _ in range(_MAX_ALIASES):
            if not isinstance(node, Ref):
                return node
            target = model.components.get(node.name)
            if target is None:
                break
            node = replace(target, nullable=target.nullable or node.nullable)
        return AnyValue(pointer=node.pointer, nullable=node.nullable)

    # -- what every kind of schema has ------------------------------------------------------

    def default(self, old: Node, new: Node, where: "Where") -> None:
        if repr(old.default) == repr(new.default):
            return
        if old.default is NO_DEFAULT:
            text = f"default {new.default!r} added"
        elif new.default is NO_DEFAULT:
            text = f"default {old.default!r} removed"
        else:
            text = f"default {old.default!r} -> {new.default!r}"
        self.host.emit("schema.default-changed", where, text, f"{where.subject.render()}: {text}")

    def nullability(self, old: Node, new: Node, where: "Where") -> None:
        if old.nullable == new.nullable:
            return
        rule = "schema.became-nullable" if new.nullable else "schema.not-nullable"
        text = "now allows null" if new.nullable else "no longer allows null"

        def types(spelling: Spelling, _: Spelling) -> tuple[str, str]:
            # Both spelled from the old schema: other differences are reported on their own.
            before = py_type(replace(old, nullable=old.nullable), where.context, spelling)
            return before, py_type(replace(old, nullable=new.nullable), where.context, spelling)

        self.host.emit(rule, where, text, self.transition(where, types))

    def refs(self, old: Ref, new: Ref, where: "Where") -> None:
        host = self.host
        if old.name == new.name or host.renames.get(old.name) == new.name:
            return
        if host.can_pair(old.name, new.name):
            host.pair(old.name, new.name)
            return
        # A named union that lists the old component (ToolParam -> ToolUnionParam, one of
        # whose members is ToolParam) accepts all it did, and more; and the other way round.
        new_target = self.resolve(new, host.new)
        if isinstance(new_target, UnionOf) and any(
            isinstance(m.node, Ref) and m.node.name == host.renames.get(old.name, old.name)
            for m in new_target.members
        ):
            self.kind_change(old, new, where, "schema.type-widened")
            return
        old_target = self.resolve(old, host.old)
        if isinstance(old_target, UnionOf) and any(
            isinstance(m.node, Ref) and host.renames.get(m.node.name, m.node.name) == new.name
            for m in old_target.members
        ):
            self.kind_change(old, new, where, "schema.type-narrowed")
            return
        python = self.sided(
            where, lambda o, n: (o.component(old.name), n.component(new.name)), _transition_or_same,
        )
        if self.same_structure(old.name, new.name):
            host.emit(
                "schema.ref-changed", where, f"`$ref` `{old.name}` -> `{new.name}` (same structure)", python,
            )
        else:
            host.emit("schema.type-changed", where, f"`$ref` `{old.name}` -> `{new.name}`", python)

    def same_structure(self, old_name: str, new_name: str) -> bool:
        """Whether the old component accepts just what the new one does (docs aside)."""
        host = self.host
        key = (old_name, new_name)
        if key in host.alike_cache:
            return host.alike_cache[key]
        if key in host.assumed:
            return True
        host.assumed.add(key)
        saved = host.sink
        host.sink = []
        try:
            self.node(host.old.components[old_name], host.new.components[new_name], host.component_where(old_name, new_name))
            result = all(change.section == "docs" for change in host.sink)
        finally:
            host.sink = saved
            host.assumed.discard(key)
        host.alike_cache[key] = result
        return result

    # -- by kind ----------------------------------------------------------------------

    def shape(self, old: Node, new: Node, where: "Where", spelled: tuple[Node, Node] | None = None) -> None:
        match old, new:
            case Scalar(), Scalar():
                self.scalar(old, new, where)
            case Array(), Array():
                self.bounds(old.bounds, new.bounds, where)
                child = where.child("[]", ("item", ""), where.context + "Item", old.items.pointer, new.items.pointer)
                self.node(old.items, new.items, child)
            case Object(), Object():
                self.object(old, new, where)
            case UnionOf(), UnionOf():
                self.union(old, new, where)
            case AnyValue(), AnyValue():
                pass
            case _:
                self.kind_change(old, new, where, spelled=spelled)

    def kind_change(
        self, old: Node, new: Node, where: "Where", rule: str | None = None,
        spelled: tuple[Node, Node] | None = None,
    ) -> None:
        if rule is None:
            if isinstance(new, AnyValue):
                rule = "schema.type-widened"
            elif isinstance(old, AnyValue):
                rule = "schema.type-narrowed"
            elif isinstance(new, UnionOf) and any(_same_kind(old, m.node) for m in new.members):
                rule = "schema.type-widened"
            elif isinstance(old, UnionOf) and any(_same_kind(m.node, new) for m in old.members):
                rule = "schema.type-narrowed"
            else:
                rule = "schema.type-changed"
        before, after = spelled or (old, new)
        self.host.emit(
            rule, where, f"type {_word(old)} -> {_word(new)}",
            self.transition(where, lambda o, n: (py_type(before, where.context, o), py_type(after, where.context, n))),
        )

    def scalar(self, old: Scalar, new: Scalar, where: "Where") -> None:
        host = self.host
        if old.type != new.type:
            pair = (old.type, new.type)
            rule = (
                "schema.type-widened" if pair == ("integer", "number")
                else "schema.type-narrowed" if pair == ("number", "integer")
                else "schema.type-changed"
            )
            self.kind_change(old, new, where, rule)
            return
        if old.format != new.format:
            types = [
                (py_type(old, where.context, o), py_type(new, where.context, n))
                for o, n in (host.spellings(one, where) for one in where.subject.sides())
            ]
            python = self.sided(
                where, lambda o, n: (py_type(old, where.context, o), py_type(new, where.context, n)),
                _transition_or_same,
            )
            rule = (
                "schema.format-added" if old.format is None
                else "schema.format-removed" if new.format is None
                else "schema.format-changed"
            )
            # A format that changes the Python type (`date-time` makes a `datetime`)
            # breaks code written against the package whatever the wire says.
            retyped = any(before != after for before, after in types)
            message = (
                f"format `{new.format}` added" if old.format is None
                else f"format `{old.format}` removed" if new.format is None
                else f"format `{old.format}` -> `{new.format}`"
            )
            host.emit(rule, where, message, python,
                      python_breaking=True if retyped else None)
        self.enum(old, new, where)
        self.bounds(old.bounds, new.bounds, where)

    def enum(self, old: Scalar, new: Scalar, where: "Where") -> None:
        host, subject = self.host, where.subject
        if old.enum is None and new.enum is None:
            return
        both = self.transition(where, lambda o, n: (py_type(old, where.context, o), py_type(new, where.context, n)))
        if old.enum is None or new.enum is None:
            rule = "schema.type-narrowed" if old.enum is None else "schema.type-widened"
            text = "now limited to listed values" if old.enum is None else "no longer limited to listed values"
            host.emit(rule, where, text, both)
            return
        gone = [v for v in old.enum if v not in new.enum]
        came = [v for v in new.enum if v not in old.enum]
        if len(old.enum) == 1 and len(new.enum) == 1 and gone:
            host.emit("schema.const-changed", where, f"constant {old.enum[0]!r} -> {new.enum[0]!r}", both)
            return
        short = len(old.enum) <= _ENUM_SHOWN and len(new.enum) <= _ENUM_SHOWN
        bare = replace(old, nullable=False), replace(new, nullable=False)
        values = self.transition(where, lambda o, n: (py_type(bare[0], spelling=o), py_type(bare[1], spelling=n)))
        if gone:
            python = values if short else f"{subject.render()}: `Literal` loses {_values(gone)}"
            host.emit("enum.value-removed", where, f"enum values removed: {_values(gone)}", python)
        if came:
            python = values if short else f"{subject.render()}: `Literal` gains {_values(came)}"
            host.emit("enum.value-added", where, f"new enum values: {_values(came)}", python)

    def bounds(self, old_bounds: tuple[tuple[str, object], ...], new_bounds: tuple[tuple[str, object], ...], where: "Where") -> None:
        old, new = dict(old_bounds), dict(new_bounds)
        tighter: list[str] = []
        looser: list[str] = []
        for key in sorted(set(old) | set(new)):
            before, after = old.get(key), new.get(key)
            if repr(before) == repr(after):
                continue
            if before is None:
                tighter.append(f"{key} {after!r} added")
            elif after is None:
                looser.append(f"{key} {before!r} removed")
            else:
                text = f"{key} {before!r} -> {after!r}"
                numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (before, after))
                if numeric and key in _LOWER:
                    (tighter if after > before else looser).append(text)  # type: ignore[operator]
                elif numeric and key in _UPPER:
                    (tighter if after < before else looser).append(text)  # type: ignore[operator]
                else:
                    tighter.append(text)  # a new pattern or multipleOf: assume the worse
        for rule, items in (("bounds.tightened", tighter), ("bounds.relaxed", looser)):
            if items:
                text = "; ".join(items)
                self.host.emit(rule, where, text, f"{where.subject.render()}: {text} (checked by the server, not by Python types)")

    # -- objects ------------------------------------------------------------------------

    def object(self, old: Object, new: Object, where: "Where") -> None:
        host = self.host
        self.bounds(old.bounds, new.bounds, where)
        if old.additional is not None and new.additional is not None:
            child = where.child("{}", ("value", ""), where.context + "Value", old.additional.pointer, new.additional.pointer)
            self.node(old.additional, new.additional, child)
        elif old.additional is not None or new.additional is not None:
            rule = "schema.type-widened" if new.additional is not None else "schema.type-narrowed"
            text = "now accepts" if new.additional is not None else "no longer accepts"
            extra = new.additional or old.additional
            python = self.sided(
                where, lambda o, n: py_type(extra, where.context + "Value", n if new.additional is not None else o),
                lambda subject, spelled: f"{subject.render()} {text} extra keys of `{spelled}`",
            )
            host.emit(rule, where, f"{text} additional properties", python)
        before = {p.name: p for p in old.properties}
        after = {p.name: p for p in new.properties}
        gone = [name for name in before if name not in after]
        came = [name for name in after if name not in before]
        renamed = self.renamed_props(old, new, gone, came)
        for name in sorted(set(before) & set(after)):
            self.field(before[name], after[name], old, new, where)
        for old_name, new_name in renamed:
            a, b = before[old_name], after[new_name]
            place = where.child(f".{new_name}", ("prop", b.python_name), where.context + naming.class_name(new_name), a.node.pointer, b.node.pointer)
            host.emit(
                "field.renamed", place, f"property `{old_name}` renamed to `{new_name}`",
                self.renamed(where, a.python_name, b.python_name),
            )
        done = {name for pair in renamed for name in pair}
        for name in gone:
            if name not in done:
                prop = before[name]
                place = where.child(f".{name}", ("prop", prop.python_name), where.context, prop.node.pointer, new.pointer + ("properties", name))
                host.emit("field.removed", place, f"property `{name}` removed", f"{place.subject.render()} removed")
        for name in came:
            if name not in done:
                self.added_field(after[name], new, where)

    def renamed(self, where: "Where", before: str, after: str) -> str:
        """``X.before`` renamed to ``X.after``, for each class the parent at ``where`` is."""
        return self.sided(
            where, lambda o, n: None,
            lambda s, _: f"{s.add(('prop', before)).render()} renamed to {s.add(('prop', after)).render()}",
            merge=False,
        )

    def added_field(self, prop: Prop, new: Object, where: "Where") -> None:
        required = prop.name in new.required
        context = where.context + naming.class_name(prop.name)
        place = where.child(f".{prop.name}", ("prop", prop.python_name), context, where.old + ("properties", prop.name), prop.node.pointer)
        if place.subject.kind == "args":
            state = "required" if required else "optional"
            python = self.sided(
                place, lambda o, n: py_type(prop.node, context, n),
                lambda subject, spelled: f"{subject.render()} added (`{spelled}`, {state})",
            )
        else:
            python = self.sided(
                place, lambda o, n: field_type(prop.node, required, context, n),
                lambda subject, spelled: f"`{subject.code()}: {spelled}` added", merge=False,
            )
        rule = "field.added-required" if required else "field.added"
        self.host.emit(rule, place, f"new {'required ' if required else ''}property `{prop.name}`", python)

    def field(self, before: Prop, after: Prop, old: Object, new: Object, where: "Where") -> None:
        name = after.name
        context = where.context + naming.class_name(name)
        place = where.child(f".{name}", ("prop", after.python_name), context, before.node.pointer, after.node.pointer)
        subject = place.subject
        was, now = name in old.required, name in new.required
        if was != now:
            state = "required" if now else "optional"
            if subject.kind == "args":
                python = f"{subject.render()} is now {state}"
            else:
                python = self.transition(
                    place,
                    lambda o, n: (field_type(before.node, was, context, o), field_type(after.node, now, context, n)),
                )
            self.host.emit(f"field.became-{state}", place, f"property `{name}` became {state}", python)
        if before.python_name != after.python_name:
            self.host.emit(
                "python.renamed", place, f"x-python-name `{before.python_name}` -> `{after.python_name}`",
                self.renamed(where, before.python_name, after.python_name),
            )
        self.node(before.node, after.node, place)

    def renamed_props(self, old: Object, new: Object, gone: list[str], came: list[str]) -> list[tuple[str, str]]:
        """Pairs of a vanished and a new property with the same schema: a rename, if unambiguous."""
        if not gone or not came:
            return []
        renames = self.host.renames

        def key(prop: Prop, obj: Object) -> object:
            node = rename_refs(prop.node, renames) if obj is old else prop.node
            return (shape(node), prop.name in obj.required)

        props_old = {p.name: p for p in old.properties}
        props_new = {p.name: p for p in new.properties}
        before: dict[object, list[str]] = {}
        for name in gone:
            before.setdefault(key(props_old[name], old), []).append(name)
        after: dict[object, list[str]] = {}
        for name in came:
            after.setdefault(key(props_new[name], new), []).append(name)
        return sorted(
            (names[0], after[k][0]) for k, names in before.items() if len(names) == 1 and len(after.get(k, [])) == 1
        )

    # -- unions ------------------------------------------------------------------------

    def union(self, old: UnionOf, new: UnionOf, where: "Where") -> None:
        host = self.host
        if old.discriminator and new.discriminator and old.discriminator != new.discriminator:
            host.emit(
                "union.discriminator-changed", where,
                f"discriminator `{old.discriminator}` -> `{new.discriminator}`",
                f"{where.subject.render()}: variants are told apart by `{new.discriminator}`",
            )
        use_tags = all(m.tag for m in old.members) and all(m.tag for m in new.members)
        renames = host.renames

        def key(node: Node, tag: str | None, is_old: bool) -> object:
            if use_tags:
                return ("tag", tag)
            if isinstance(node, Ref):
                return ("ref", renames.get(node.name, node.name) if is_old else node.name)
            return ("shape", shape(rename_refs(node, renames) if is_old else node))

        pending_old = [(key(m.node, m.tag, True), m.node, m.tag) for m in old.members]
        pending_new = [(key(m.node, m.tag, False), m.node, m.tag) for m in new.members]
        pairs: list[_Matched] = []
        for entry in list(pending_old):
            match = next((e for e in pending_new if e[0] == entry[0]), None)
            if match is not None:
                pending_old.remove(entry)
                pending_new.remove(match)
                pairs.append(_Matched(entry[1], match[1], match[2] or ""))
        if not use_tags:
            self.pair_by_kind(pending_old, pending_new, pairs)
        pairs += [_Matched(node, None, tag or "") for _, node, tag in pending_old]
        pairs += [_Matched(None, node, tag or "") for _, node, tag in pending_new]
        self.label(pairs, where.context)
        for pair in sorted(pairs, key=lambda p: p.label):
            self.member(pair, old, new, where)

    def pair_by_kind(self, pending_old: list, pending_new: list, pairs: list[_Matched]) -> None:  # type: ignore[type-arg]
        """Pairs leftover members that are the only ones of their kind on both sides."""
        for kind in sorted({_kind(e[1]) for e in pending_old}):
            olds = [e for e in pending_old if _kind(e[1]) == kind]
            news = [e for e in pending_new if _kind(e[1]) == kind]
            if len(olds) != 1 or len(news) != 1:
                continue
            a, b = olds[0][1], news[0][1]
            if isinstance(a, Ref) and isinstance(b, Ref) and not self.host.can_pair(a.name, b.name):
                continue
            pending_old.remove(olds[0])
            pending_new.remove(news[0])
            pairs.append(_Matched(a, b, ""))

    @staticmethod
    def label(pairs: list[_Matched], context: str) -> None:
        """Names each member for the report: its tag, its class, else its type (made unique)."""
        for pair in pairs:
            if not pair.label:
                node = pair.new if pair.new is not None else pair.old
                assert node is not None
                pair.label = naming.class_name(node.name) if isinstance(node, Ref) else _member_label(node, context)
        counts: dict[str, int] = {}
        for pair in pairs:
            counts[pair.label] = counts.get(pair.label, 0) + 1
        for pair in pairs:
            if counts[pair.label] > 1:
                node = pair.new if pair.new is not None else pair.old
                pair.label += "#" + short_hash(shape(node))

    def member(self, pair: _Matched, old: UnionOf, new: UnionOf, where: "Where") -> None:
        host = self.host
        label = pair.label
        context = where.context + naming.class_name(label)
        if pair.new is None:
            assert pair.old is not None
            place = where.child(f"<{label}>", ("member", label), context, pair.old.pointer, where.new)
            old_member = pair.old
            host.emit(
                "union.member-removed", place, f"union member {label} removed",
                self.sided(
                    where, lambda o, n: py_type(old_member, context, o),
                    lambda subject, spelled: f"{subject.render()} loses member `{spelled}`",
                ),
            )
        elif pair.old is None:
            place = where.child(f"<{label}>", ("member", label), context, where.old, pair.new.pointer)
            new_member = pair.new
            host.emit(
                "union.member-added", place, f"new union member {label}",
                self.sided(
                    where, lambda o, n: py_type(new_member, context, n),
                    lambda subject, spelled: f"{subject.render()} gains member `{spelled}`",
                ),
            )
        else:
            place = where.child(f"<{label}>", ("member", label), context, pair.old.pointer, pair.new.pointer)
            self.node(pair.old, pair.new, place)
