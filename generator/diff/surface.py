"""The names users type, read from the generator's own IR, and the changes to them.

Most of the diff compares the two specs' meaning; this module compares what
the generator makes of them. A Python name can change while every JSON name
stays: a model field ``date`` becomes ``date_`` once the model uses the type
``date``; a body field's argument becomes ``body_limit`` once a parameter is
called ``limit``; an inline object's class follows the operationId it is named
after, a union position, or a duplicate's number; a schema's ``...Param`` and
``...Model`` names follow the directions it is used in. None of this is
re-derived here: each side is built into the IR (``generator.build``) and read
through the same functions the templates are fed from
(``generator.typemap.schema_sides``, ``generator.plan.model_attributes``), so the
report cannot drift from the generated package.

Each name is keyed by what it stands for on the wire, which both versions
share: a schema by the place that first reaches it (``Report.when``,
``POST /v1/messages body.metadata``), a field by its JSON name, an argument
by its parameter's location and name. A side that does not build (the
generator would refuse it) has no Python names, and nothing is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping

from generator import ir, naming
from generator.build import build_api
from generator.diagnostics import Location
from generator.diff.changes import Change
from generator.diff.model import Model, Object, Ref
from generator.diff.normalize import operation_key, python_method
from generator.diff.rules import Direction, judge
from generator.loader import Spec
from generator.plan import free_name, model_attributes
from generator.typemap import TypeWriter, schema_cycles, schema_sides, taken_names

__all__ = ["Named", "Surface", "surface_changes", "surface_of"]


@dataclass(frozen=True)
class Named:
    """One Python name: its spelling, and what a user sees it on."""

    name: str
    owner: str  # the class (of an attribute) or the method (of an argument); "" for a class
    location: Location | None
    directions: frozenset[Direction]
    base: str = ""  # what the name is before the generator steps around a clash


@dataclass
class Surface:
    """The Python names of one generated package, keyed by wire identity."""

    classes: dict[tuple[str, str], Named] = field(default_factory=dict)  # (place, side)
    attributes: dict[tuple[str, str], Named] = field(default_factory=dict)  # (place, JSON name)
    arguments: dict[tuple[tuple[str, str], str, str], Named] = field(default_factory=dict)
    exceptions: dict[int, Named] = field(default_factory=dict)  # status -> exception class
    helpers: dict[tuple[tuple[str, str], str], Named] = field(default_factory=dict)  # (operation, method) -> helper
    methods: dict[tuple[tuple[str, str], str], Location | None] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)  # schema name -> place
    titles: dict[tuple[str, str], str] = field(default_factory=dict)  # operation key -> "POST /v1/x"


def surface_of(spec: Spec) -> Surface | None:
    """The names ``spec`` generates, or None if the generator would refuse it."""
    try:
        api = build_api(spec)
    # The diff reads specs the generator refuses (and build_api expects a validated
    # one): such a side has no generated names, which is not the diff's error to raise.
    except Exception:  # noqa: BLE001
        return None
    return _Reader(spec, api).read()


class _Reader:
    def __init__(self, spec: Spec, api: ir.Api) -> None:
        self.spec, self.api = spec, api
        self.schemas = {s.name: s for s in api.schemas}
        components = spec.data.get("components")
        raw = components.get("schemas") if isinstance(components, dict) else None
        self.components = set(raw) if isinstance(raw, dict) else set()
        self.surface = Surface()
        self.cycles = schema_cycles(self.schemas)
        self.taken = taken_names(self.schemas)

    def read(self) -> Surface:
        for name in sorted(self.components & set(self.schemas)):
            self.place(name, name)
        seen: set[tuple[str, str]] = set()
        for op in sorted(self.api.operations, key=lambda o: operation_key(o.method, o.path)):
            key = operation_key(op.method, op.path)
            title = f"{op.method.upper()} {op.path}"
            self.surface.titles.setdefault(key, title)
            # The first IR operation of a path and method is the operation itself; the
            # rest are x-variants with types of their own, named by their method.
            prefix = title if key not in seen else f"{title} method {_method(op.bindings[0])}"
            seen.add(key)
            self.operation(op, key, prefix)
        where = self.error_responses()
        for error in self.api.errors:
            self.surface.exceptions[error.status] = Named(
                error.class_name, "", where.get(error.status), frozenset({"response"}),
            )
        return self.surface

    def error_responses(self) -> dict[int, Location]:
        """Where each error status is first declared: the response its exception is named from."""
        found: dict[int, Location] = {}
        paths = self.spec.data.get("paths")
        for path, item in sorted(paths.items()) if isinstance(paths, dict) else ():
            for method, op in item.items() if isinstance(item, dict) else ():
                responses = op.get("responses") if isinstance(op, dict) else None
                for status in responses if isinstance(responses, dict) else ():
                    if str(status).isdigit():
                        found.setdefault(int(status), self.spec.at("paths", path, method, "responses", status))
        return found

    # -- schemas ---------------------------------------------------------------------

    def place(self, name: str, where: str) -> None:
        """Records the schema ``name`` as first reached at ``where``, then what it reaches."""
        if name in self.surface.places or name not in self.schemas:
            return
        self.surface.places[name] = where
        schema = self.schemas[name]
        usage = schema.usage
        sides: tuple[tuple[Direction, bool], ...] = (("request", usage.request), ("response", usage.response))
        directions = frozenset(d for d, on in sides if on)
        for side, py_name in schema_sides(schema):
            self.surface.classes[(where, side)] = Named(py_name, "", schema.location, directions)
            if side == "model" and isinstance(schema, ir.ObjectSchema):
                writer = TypeWriter(self.schemas, "model", home=name, cycles=self.cycles, taken=self.taken)
                for f, attr in zip(schema.fields, model_attributes(schema, writer)):
                    self.surface.attributes[(where, f.name)] = Named(
                        attr, py_name, self.field_location(name, f.name, schema), directions, f.py_name,
                    )
        match schema:
            case ir.ObjectSchema():
                for f in schema.fields:
                    self.visit(f.type, f"{where}.{f.name}")
                if schema.additional is not None:
                    self.visit(schema.additional, f"{where}{{}}")
            case ir.UnionSchema():
                self.visit(schema.union, where)
            case ir.AliasSchema():
                self.visit(schema.target, where)

    def field_location(self, name: str, json_name: str, schema: ir.Schema) -> Location | None:
        if name in self.components:
            return self.spec.at("components", "schemas", name, "properties", json_name)
        return schema.location

    def visit(self, t: ir.TypeExpr | None, where: str) -> None:
        """Walks a type to the schemas it names; only inline ones are placed here."""
        match t:
            case ir.Ref(name=name):
                if name not in self.components:
                    self.place(name, where)
            case ir.ListOf(item=item):
                self.visit(item, f"{where}[]")
            case ir.MapOf(value=value):
                self.visit(value, f"{where}{{}}")
            case ir.Nullable(inner=inner):
                self.visit(inner, where)
            case ir.UnionOf(members=members):
                for index, member in enumerate(members):
                    self.visit(member.type, f"{where}<{member.tag or index + 1}>")

    # -- operations ------------------------------------------------------------------

    def operation(self, op: ir.Operation, key: tuple[str, str], prefix: str) -> None:
        for p in op.parameters:
            self.visit(p.type, f"{prefix} {p.location}.{p.name}")
        for f in op.body_fields:
            self.visit(f.type, f"{prefix} body.{f.name}")
        if not op.body_fields:
            self.visit(op.body_type, f"{prefix} body")
        for response in op.responses:
            self.visit(response.type, f"{prefix} response {response.status}")
        if op.stream is not None:
            self.visit(op.stream.event_type, f"{prefix} stream")
        self.visit(op.lines, f"{prefix} lines")
        flag = op.stream.flag if op.stream is not None else None
        for binding in op.bindings:
            method = _method(binding)
            self.surface.methods[(key, method)] = op.location
            if op.stream is not None and op.stream.helper:
                helper = python_method(".".join(binding.resource), op.stream.helper)
                self.surface.helpers[(key, method)] = Named(
                    helper, method, op.location, frozenset({"response"}), op.stream.flag_py_name,
                )
            arguments = self.surface.arguments
            for p in binding.parameters:
                arguments[(key, method, f"{p.location}.{p.name}")] = Named(
                    p.py_name, method, op.location, frozenset({"request"}),
                )
            for f in op.body_fields:
                if f.name != flag:
                    arguments[(key, method, f"body.{f.name}")] = Named(
                        f.py_name, method, op.location, frozenset({"request"}), naming.attribute_name(f.name),
                    )
            if not op.body_fields and op.body_type is not None:
                arguments[(key, method, "body")] = Named(
                    free_name("body", binding), method, op.location, frozenset({"request"}), "body",
                )
            if op.body_media_choices:
                arguments[(key, method, "content-type")] = Named(
                    free_name("content_type", binding), method, op.location, frozenset({"request"}), "content_type",
                )


def _method(binding: ir.MethodBinding) -> str:
    """A method as the rest of the report spells it (``generator.diff.normalize``)."""
    return python_method(".".join(binding.resource), binding.name)


# -- comparing two surfaces ---------------------------------------------------------------


def surface_changes(
    old_spec: Spec, old: Surface | None, new_spec: Spec, new: Surface | None,
    old_model: Model, new_model: Model, renames: Mapping[str, str],
) -> list[Change]:
    """Every Python name that changed while what it names on the wire did not.

    ``renames`` (old component -> new) carries the places under a renamed
    component across; the rename itself is ``component.renamed``'s to report.
    A parameter whose own name changed (``x-python-name``) is
    ``python.renamed``'s, so it is left out here.
    """
    if old is None or new is None:
        return []
    out: list[Change] = []
    out += _classes(old, new, renames)
    out += _attributes(old, new, renames)
    out += _arguments(old_spec, old, new_spec, new, old_model, new_model)
    out += _exceptions(old_spec, old, new_spec, new)
    out += _helpers(old, new)
    return out


def _exceptions(old_spec: Spec, old: Surface, new_spec: Spec, new: Surface) -> Iterator[Change]:
    """An error status whose exception class has another name (``x-exception``, or the default's)."""
    for status, before in sorted(old.exceptions.items()):
        after = new.exceptions.get(status)
        if after is None or after.name == before.name:
            continue
        yield _change(
            "python.class-renamed", f"response {status}", frozenset({"response"}),
            f"the exception for status {status} is `{after.name}` (was `{before.name}`)",
            f"`{before.name}` is now `{after.name}`: `except {before.name}` and code that imports it break; "
            "the status and its JSON are unchanged",
            before.location or old_spec.at("paths"), after.location or new_spec.at("paths"),
        )


def _helpers(old: Surface, new: Surface) -> Iterator[Change]:
    """The streaming helper of a method (``x-streaming.helper``): renamed, or gone."""
    for (key, method), before in sorted(old.helpers.items()):
        after = new.helpers.get((key, method))
        if (after is not None and after.name == before.name) or (key, method) not in new.methods:
            continue  # unchanged, or the method itself went (reported as such)
        title = new.titles.get(key, old.titles.get(key, ""))
        path = f"{title} method {before.name}"
        short = before.name.rsplit(".", 1)[1]
        if after is None:
            yield _change(
                "operation.method-removed", path, frozenset({"response"}),
                f"x-streaming no longer names the helper `{short}`",
                f"`{before.name}()` removed; `{method}(..., {before.base}=True)` still streams",
                before.location, new.methods[(key, method)],
            )
        else:
            yield _change(
                "python.name-changed", path, frozenset({"response"}),
                f"x-streaming helper `{short}` -> `{after.name.rsplit('.', 1)[1]}`",
                f"`{before.name}()` is now `{after.name}()`: code that calls `{before.name}()` breaks; "
                "the HTTP request is unchanged",
                before.location, after.location,
            )


def _moved(place: str, renames: Mapping[str, str]) -> str:
    """``place`` in the new version's words: a renamed component's places move with it."""
    head, dot, rest = place.partition(".")
    bracket = min((i for i in (head.find("["), head.find("{"), head.find("<")) if i >= 0), default=-1)
    if bracket >= 0:
        head, rest, dot = head[:bracket], head[bracket:] + dot + rest, ""
    return renames.get(head, head) + dot + rest


def _change(
    rule: str, path: str, directions: frozenset[Direction], message: str, python: str,
    old: Location | None, new: Location | None,
) -> Change:
    verdict = judge(rule, directions)
    label = "both" if len(directions) == 2 else next(iter(directions)) if directions else "none"
    return Change(
        rule=rule, path=path, direction=label, impact=verdict.impact, bump=verdict.bump,
        section=verdict.section, message=message, python=python, reason=verdict.reason,
        old=old, new=new,
    )


def _classes(old: Surface, new: Surface, renames: Mapping[str, str]) -> Iterator[Change]:
    """Per place: a side's class under another name, or a side's class gone while the place stays."""
    before_by_place: dict[str, dict[str, Named]] = {}
    for (place, side), named in old.classes.items():
        before_by_place.setdefault(place, {})[side] = named
    after_by_place: dict[str, dict[str, Named]] = {}
    for (place, side), named in new.classes.items():
        after_by_place.setdefault(place, {})[side] = named
    taken = {named.name: (place, side) for (place, side), named in new.classes.items()}
    reported: set[str] = set()
    for place in sorted(before_by_place):
        moved = _moved(place, renames)
        if place in renames or moved not in after_by_place:
            continue  # a renamed component is component.renamed's; a place gone is reported as such
        before, after = before_by_place[place], after_by_place[moved]
        pairs = [(before[side], after[side], side) for side in sorted(before) if side in after]
        lost = [(before[side], side) for side in sorted(before) if side not in after]
        gained = [after[side] for side in sorted(after) if side not in before]
        if len(lost) == 1 and len(gained) == 1:
            pairs.append((lost[0][0], gained[0], "both"))
            lost = []
        said: list[tuple[Named, Named, str]] = []
        for old_named, new_named, side in pairs:
            if old_named.name != new_named.name and old_named.name not in reported:
                reported.add(old_named.name)
                said.append((old_named, new_named, side))
        if said:
            # One change per place: a class both sides reach may be renamed on both at once.
            what = {"param": "request TypedDict", "model": "class"}
            yield _change(
                "python.class-renamed", moved,
                frozenset().union(*(a.directions | b.directions for a, b, _ in said)),
                "; ".join(
                    f"the generated {what.get(side, 'class')} at `{moved}` is named `{b.name}` (was `{a.name}`); "
                    f"{_class_cause(a, b)}" for a, b, side in said
                ),
                "; ".join(
                    f"`{a.name}` is now `{b.name}`: {_breaks(a.name, taken, moved)}" for a, b, _ in said
                ) + "; the JSON is unchanged",
                said[0][0].location, said[0][1].location,
            )
        for gone, side in lost:
            if gone.name in reported:
                continue
            reported.add(gone.name)
            kept = ", ".join(f"`{n.name}`" for n in after.values())
            if side == "param":
                why, now = f"no request uses `{moved}` any more", f"its model {kept} stays"
            else:
                why, now = f"only requests use `{moved}` now", f"as {kept}"
            yield _change(
                "python.class-removed", moved, gone.directions,
                f"{why}, so its class `{gone.name}` is not generated",
                f"`{gone.name}` is gone ({why}; {now}): {_breaks(gone.name, taken, moved)}",
                gone.location, next(iter(after.values())).location,
            )


def _breaks(name: str, taken: Mapping[str, tuple[str, str]], here: str) -> str:
    if name not in taken:
        return f"code that imports or names `{name}` breaks"
    place, side = taken[name]
    if place == here:
        kind = "request TypedDict" if side == "param" else "response model"
        return f"`{name}` is now its {kind}, so code that uses it as the other breaks"
    return f"`{name}` now names the class at `{place}`, so code that names it gets that one"


def _class_cause(before: Named, after: Named) -> str:
    old, new = before.name, after.name
    if new == old + "Model" or old == new + "Model":
        return "a schema whose name ends in `Params` is the response model `...ParamsModel` only while requests use it too"
    if new == old + "Param" or old == new + "Param":
        return "a schema that requests alone use is the TypedDict `...Param`; any other is the model"
    def unnumbered(name: str) -> str:
        for suffix in ("Param", "Model"):
            name = name.removesuffix(suffix)
        return name.rstrip("0123456789")

    if unnumbered(old) == unnumbered(new):
        return "a class name two schemas want is numbered, in the order the generator meets them"
    return "an inline schema's class is named after the operationId, property, tag or position where it stands"


def _attributes(old: Surface, new: Surface, renames: Mapping[str, str]) -> Iterator[Change]:
    for (place, json_name), before in sorted(old.attributes.items()):
        after = new.attributes.get((_moved(place, renames), json_name))
        if after is None or after.name == before.name:
            continue
        path = f"{_moved(place, renames)}.{json_name}"
        yield _change(
            "python.name-changed", path, before.directions | after.directions,
            f"property `{json_name}`: attribute `{before.name}` -> `{after.name}`; "
            f"{_attribute_cause(before, after)}",
            f"`{before.owner}.{before.name}` is now `{after.owner}.{after.name}`: code that reads "
            f"`.{before.name}` breaks; the JSON field `{json_name}` is unchanged",
            before.location, after.location,
        )


def _attribute_cause(before: Named, after: Named) -> str:
    if after.base == "date" and after.name != "date":
        return "the model now uses the type `date`, which an attribute `date` would hide"
    if before.base == "date" and before.name != "date" and after.name == "date":
        return "the model no longer uses the type `date`"
    if after.base != after.name or before.base != before.name:
        return "the name is one pydantic or the model needs, and another field now takes (or frees) its escape"
    return "the generator spells the field differently"


def _arguments(
    old_spec: Spec, old: Surface, new_spec: Spec, new: Surface, old_model: Model, new_model: Model,
) -> Iterator[Change]:
    # Which wire name each argument name means in the new version, per method.
    taken = {(key, method, named.name): wire for (key, method, wire), named in new.arguments.items()}
    for (key, method, wire), before in sorted(old.arguments.items()):
        after = new.arguments.get((key, method, wire))
        if after is None or after.name == before.name:
            continue
        location, _, name = wire.partition(".")
        if location != "body" and wire != "content-type":
            old_param = old_model.operations.get(key, None)
            new_param = new_model.operations.get(key, None)
            ids = (location, name)
            if old_param and new_param and ids in old_param.parameters and ids in new_param.parameters:
                if old_param.parameters[ids].python_name != new_param.parameters[ids].python_name:
                    continue  # x-python-name changed: python.renamed
        title = new.titles.get(key, old.titles.get(key, ""))
        path = f"{title} {wire}" + (f" method {method}" if method != _primary(new_model, key, method) else "")
        what = {"body": "the body", "content-type": "the body's media type"}.get(wire, f"{location} parameter `{name}`")
        if location == "body" and name:
            what = f"body property `{name}`"
        yield _change(
            "python.name-changed", path, frozenset({"request"}),
            f"the argument for {what} is `{after.name}` (was `{before.name}`); {_argument_cause(before, after)}",
            f"`{method}({before.name}=...)` is now `{method}({after.name}=...)`: "
            f"{_calls(before.name, taken.get((key, method, before.name)))}; the JSON is unchanged",
            _argument_at(old_spec, old_model, key, wire) or before.location,
            _argument_at(new_spec, new_model, key, wire) or after.location,
        )


def _argument_at(spec: Spec, model: Model, key: tuple[str, str], wire: str) -> Location | None:
    """Where the spec declares the parameter or body property an argument stands for."""
    op = model.operations.get(key)
    location, _, name = wire.partition(".")
    if op is None or not name:
        return None
    if location != "body":
        param = op.parameters.get((location, name))
        return spec.at(*param.pointer) if param is not None else None
    for node in (op.body.content.values() if op.body else ()):
        target = model.components.get(node.name) if isinstance(node, Ref) else node
        if isinstance(target, Object):
            prop = next((p for p in target.properties if p.name == name), None)
            if prop is not None:
                return spec.at(*prop.node.pointer)
    return None


def _calls(name: str, now: str | None) -> str:
    if now is None:
        return f"calls that pass `{name}=` break"
    location, _, wire = now.partition(".")
    what = f"the {location} parameter `{wire}`" if location != "body" else f"the body property `{wire}`"
    return f"calls that pass `{name}=` now set {what} instead"


def _primary(model: Model, key: tuple[str, str], method: str) -> str:
    op = model.operations.get(key)
    return op.python_methods[0] if op is not None else method


def _argument_cause(before: Named, after: Named) -> str:
    if after.name == f"body_{after.base}":
        return f"a parameter of the same method is now called `{after.base}` too, so the body property's argument is prefixed"
    if before.name == f"body_{before.base}":
        return f"no parameter of the method is called `{before.base}` any more"
    return "the name is one the method needs itself, or another argument now takes its escape"
