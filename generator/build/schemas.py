"""Schema Objects to IR schemas and type expressions."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from generator import ir, naming
from generator.build.common import (
    _ANNOTATIONS,
    _PRIMITIVES,
    _SCHEMA_PREFIX,
    _Base,
    _annotation_only,
    _constraints,
    _is_object,
    _nullable,
    _nullable_marker,
    _shaping_parts,
    _tag_values,
    _text,
    _unescape,
)
from generator.diagnostics import Location
from generator.loader import Pointer
from generator.validate.generatable import UNSUPPORTED_KEYWORDS


class _SchemaBuilder(_Base):
    # -- schemas ----------------------------------------------------------------

    @cached_property
    def component_names(self) -> frozenset[str]:
        components = self.doc.get("components")
        raw = components.get("schemas") if isinstance(components, dict) else None
        return frozenset(raw) if isinstance(raw, dict) else frozenset()

    def named_schema(self, name: str) -> None:
        if name in self.named or name in self.in_progress:
            return
        pointer: Pointer = ("components", "schemas", name)
        raw = self.doc["components"]["schemas"][name]
        self.in_progress.add(name)
        self.named[name] = self.classify(name, raw, pointer)
        self.in_progress.discard(name)

    def classify(self, name: str, raw: Any, pointer: Pointer) -> ir.Schema:
        class_name = naming.class_name(name)
        location = self.spec.at(*pointer)
        raw = raw if isinstance(raw, dict) else {}
        description = _text(raw.get("description"))
        self.check_supported(raw, pointer)
        shaping, nullable = _shaping_parts(raw)
        if "allOf" in raw and len(shaping) == 1 and not raw.get("properties"):
            index, part = shaping[0]
            # One inline object part is the object itself, not an alias of a
            # hoisted copy under the same name (which would refer to itself).
            if not (isinstance(part, dict) and "$ref" not in part and _is_object(part)):
                target = self.type_of(part, name, pointer + ("allOf", index))
                if nullable:
                    target = _nullable(target)
                return ir.AliasSchema(name, class_name, target, description, location=location)
        if _is_object(raw):
            merged = self.merge_all_of(raw, pointer)
            fields = self.fields(merged, name, pointer)
            return ir.ObjectSchema(
                name, class_name, fields, description, self.additional(merged, name, pointer),
                location=location,
            )
        if "enum" in raw and not _nullable_marker(raw) and None not in raw["enum"]:
            return ir.EnumSchema(name, class_name, tuple(raw["enum"]), description, location=location)
        target = self.type_of(raw, name, pointer, hoist=False)
        if isinstance(target, ir.UnionOf):
            return ir.UnionSchema(name, class_name, target, description, location=location)
        return ir.AliasSchema(name, class_name, target, description, location=location)

    def check_supported(self, raw: dict[str, Any], pointer: Pointer) -> None:
        for key in UNSUPPORTED_KEYWORDS:
            if key in raw:
                self.problem(
                    "E401", pointer + (key,), f"the `{key}` keyword is not supported by the generator yet",
                    hint="describe the accepted values without it, or open an issue",
                )

    def merge_all_of(self, raw: dict[str, Any], pointer: Pointer) -> dict[str, Any]:
        """One object schema from ``allOf`` parts: properties and requirements add up."""
        if "allOf" not in raw:
            return raw
        properties: dict[str, Any] = {}
        required: list[str] = []
        additional: Any = raw.get("additionalProperties")
        for index, part in enumerate(raw["allOf"]):
            part = self.resolve(part)
            if not isinstance(part, dict) or _annotation_only(part):
                continue
            part = self.merge_all_of(part, pointer + ("allOf", index))
            if not (_is_object(part) or _object_fragment(part)):
                self.problem(
                    "E402", pointer + ("allOf", index),
                    "an `allOf` part that is not an object cannot be merged",
                    hint="only object schemas may be combined with allOf",
                )
                continue
            properties.update(part.get("properties") or {})
            required.extend(r for r in part.get("required") or [] if r not in required)
            if additional is None and "additionalProperties" in part:
                additional = part["additionalProperties"]
        properties.update(raw.get("properties") or {})
        required.extend(r for r in raw.get("required") or [] if r not in required)
        merged = {k: v for k, v in raw.items() if k != "allOf"}
        merged.update(type="object", properties=properties, required=required)
        if additional is not None:
            merged["additionalProperties"] = additional
        return merged

    def fields(self, raw: dict[str, Any], owner: str, pointer: Pointer) -> tuple[ir.Field, ...]:
        required = set(raw.get("required") or [])
        result = []
        for prop in sorted(raw.get("properties") or {}):
            prop_schema = raw["properties"][prop]
            prop_pointer = pointer + ("properties", prop)
            resolved = self.resolve(prop_schema)
            resolved = resolved if isinstance(resolved, dict) else {}
            result.append(
                ir.Field(
                    name=prop,
                    py_name=naming.attribute_name(prop),
                    type=self.type_of(prop_schema, owner + naming.class_name(prop), prop_pointer),
                    required=prop in required,
                    description=_text(
                        (prop_schema.get("description") if isinstance(prop_schema, dict) else None)
                        or _part_description(prop_schema)
                        or resolved.get("description")
                    ),
                    # A default beside a `$ref` (3.1) wins over the target's own.
                    default=(
                        prop_schema["default"]
                        if isinstance(prop_schema, dict) and "default" in prop_schema
                        else resolved.get("default", ir.MISSING)
                    ),
                    constraints=_constraints(resolved),
                    deprecated=bool(resolved.get("deprecated", False)),
                )
            )
        return tuple(result)

    def additional(self, raw: dict[str, Any], owner: str, pointer: Pointer) -> ir.TypeExpr | None:
        extra = raw.get("additionalProperties")
        if extra is None or extra is False:
            return None
        if extra is True or extra == {}:
            return ir.Any_()
        return self.type_of(extra, owner + "Value", pointer + ("additionalProperties",))

    def type_of(self, schema: Any, context: str, pointer: Pointer, hoist: bool = True) -> ir.TypeExpr:
        """The type of a schema used in place; inline objects become named schemas."""
        if schema is True or schema is None or schema == {}:
            return ir.Any_()
        if not isinstance(schema, dict):
            return ir.Any_()
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref.startswith(_SCHEMA_PREFIX) and "/" not in ref[len(_SCHEMA_PREFIX):]:
                name = _unescape(ref[len(_SCHEMA_PREFIX):])
                self.named_schema(name)
                return ir.Ref(name)
            target = self.resolve(schema)
            if target is schema:
                self.problem("E403", pointer + ("$ref",), f"unsupported reference `{ref}`")
                return ir.Any_()
            return self.type_of(target, context, pointer, hoist)
        self.check_supported(schema, pointer)
        if _nullable_marker(schema):
            rest = dict(schema)
            rest.pop("nullable", None)
            types = rest.get("type")
            if isinstance(types, list):
                rest["type"] = [t for t in types if t != "null"]
                if len(rest["type"]) == 1:
                    rest["type"] = rest["type"][0]
            if "enum" in rest:
                rest["enum"] = [v for v in rest["enum"] if v is not None]
            return _nullable(self.type_of(rest, context, pointer, hoist))
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.union_of(schema, key, context, pointer)
        if "allOf" in schema:
            shaping, nullable = _shaping_parts(schema)
            if len(shaping) == 1 and not schema.get("properties"):
                index, part = shaping[0]
                inner = self.type_of(part, context, pointer + ("allOf", index), hoist)
                return _nullable(inner) if nullable else inner
            return self.hoist(context, schema, pointer)
        if "const" in schema:
            return ir.LiteralOf((schema["const"],))
        if "enum" in schema:
            return ir.LiteralOf(tuple(schema["enum"]))
        kind = schema.get("type")
        if isinstance(kind, list):
            members = [ir.UnionMember(self.type_of({**schema, "type": k}, context, pointer)) for k in kind]
            return ir.UnionOf(tuple(members)) if len(members) > 1 else members[0].type
        if _is_object(schema):
            if schema.get("properties"):
                return self.hoist(context, schema, pointer) if hoist else ir.Any_()
            extra = self.additional(schema, context, pointer)
            return ir.MapOf(extra if extra is not None else ir.Any_())
        if kind == "array":
            items = schema.get("items", {})
            return ir.ListOf(self.type_of(items, context + "Item", pointer + ("items",)))
        if kind == "string" and schema.get("format") == "binary":
            return ir.Primitive("bytes")
        if kind == "string" and schema.get("format") == "date-time":
            return ir.Primitive("datetime")
        if kind == "string" and schema.get("format") == "date":
            return ir.Primitive("date")
        return _PRIMITIVES.get(str(kind), ir.Any_())

    def hoist(self, name: str, schema: dict[str, Any], pointer: Pointer) -> ir.Ref:
        """Give an inline object a name of its own, derived from where it stands."""
        base, n = name, 2
        here = self.spec.at(*pointer)
        while self.taken_elsewhere(name, here):
            name, n = f"{base}{n}", n + 1
        if name not in self.named:
            self.named[name] = self.classify(name, schema, pointer)
        return ir.Ref(name)

    def taken_elsewhere(self, name: str, here: Location) -> bool:
        """Whether ``name`` belongs to another schema: hoisted already, or a component.

        Components count before they are built: an inline object met first
        (``Item.meta`` while building ``Item``) must not take the name of the
        component ``ItemMeta`` built after it, or that component is lost.
        """
        if name in self.named:
            return self.named[name].location != here
        return name in self.component_names and self.spec.at("components", "schemas", name) != here

    def union_of(self, schema: dict[str, Any], key: str, context: str, pointer: Pointer) -> ir.TypeExpr:
        options = schema[key]
        disc = schema.get("discriminator") or {}
        prop = disc.get("propertyName")
        mapping = disc.get("mapping") or {}
        variants: list[tuple[ir.TypeExpr, tuple[str, ...]]] = []
        nullable = False
        for index, option in enumerate(options):
            if isinstance(option, dict) and option.get("type") == "null":
                nullable = True
                continue
            tags: tuple[str, ...] = ()
            if prop:
                ref = option.get("$ref") if isinstance(option, dict) else None
                tags = tuple(str(k) for k, v in mapping.items() if ref is not None and v == ref)
                tags = tags or _tag_values(self.resolve(option), prop)
            member_context = (
                context + naming.class_name(tags[0]) if tags else f"{context}Variant{index + 1}"
            )
            variants.append((self.type_of(option, member_context, pointer + (key, index)), tags))
        if not variants:
            return ir.Any_()
        if prop and _usable_tag(self, options, [t for _, t in variants], prop):
            # A variant answering to several tags is listed once per tag.
            members = [ir.UnionMember(t, tag) for t, tags in variants for tag in tags]
        else:
            # Validation warned (E204-E206, E208): decode by trying each variant instead.
            members = [ir.UnionMember(t, None) for t, _ in variants]
            prop = None
        result: ir.TypeExpr = (
            members[0].type if len(variants) == 1 else ir.UnionOf(tuple(members), prop)
        )
        return ir.Nullable(result) if nullable else result


def _usable_tag(
    builder: _SchemaBuilder, options: list[Any], per_variant: list[tuple[str, ...]], prop: str
) -> bool:
    """Every variant has tag values of its own and requires the tag, so the tag alone picks it."""
    tags = [tag for tags in per_variant for tag in tags]
    if any(not tags for tags in per_variant) or len(set(tags)) != len(tags):
        return False
    variants = [
        builder.resolve(o) for o in options if not (isinstance(o, dict) and o.get("type") == "null")
    ]
    return all(_requires(builder, v, prop) for v in variants)


def _requires(builder: _SchemaBuilder, schema: Any, prop: str) -> bool:
    if not isinstance(schema, dict):
        return False
    required = schema.get("required")
    if isinstance(required, list) and prop in required:
        return True
    return any(_requires(builder, builder.resolve(part), prop) for part in schema.get("allOf") or [])


def _part_description(schema: Any) -> Any:
    """A description written in an annotation-only ``allOf`` part beside a ``$ref``."""
    if not isinstance(schema, dict):
        return None
    return next(
        (p["description"] for p in schema.get("allOf") or [] if _annotation_only(p) and "description" in p),
        None,
    )


# What an untyped ``allOf`` part may say and still be read as part of the object:
# `allOf: [{required: [a]}, {properties: {...}}]` splits one object in two.
_OBJECT_KEYWORDS = frozenset({"required", "properties", "additionalProperties",
                              "minProperties", "maxProperties"})


def _object_fragment(part: dict[str, Any]) -> bool:
    return "type" not in part and any(k in _OBJECT_KEYWORDS for k in part) and all(
        k in _OBJECT_KEYWORDS or k in _ANNOTATIONS or str(k).startswith("x-") for k in part
    )
