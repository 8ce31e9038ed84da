"""Schema checks: discriminated unions (E203-E208), ``required`` (E201), ``nullable`` (E213).

A discriminated union becomes a tagged union of classes, so each variant must
carry its tag as a required property with exactly one value, and the mapping
(when written) must say the same thing the variants do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from generator.diagnostics import Diagnostic, Location
from generator.loader import Pointer
from generator.validate.document import Document, pointer_text
from generator.validate.refs import external_ref, mapping_ref
from generator.validate.text import did_you_mean, short_repr

__all__ = ["check_discriminators", "check_nullable", "check_required"]


def check_required(doc: Document) -> Iterator[Diagnostic]:
    for pointer, schema in doc.schemas:
        required = schema.get("required")
        if not isinstance(required, list) or not isinstance(schema.get("properties"), dict):
            continue
        properties, _ = doc.object_shape(schema, pointer)
        for i, name in enumerate(required):
            if isinstance(name, str) and name not in properties:
                yield Diagnostic(
                    "E201", f"`required` names `{name}`, which is not a property",
                    doc.at((*pointer, "required", i)),
                    hint=did_you_mean(name, properties) or "remove it, or declare the property",
                )


def check_nullable(doc: Document) -> Iterator[Diagnostic]:
    if doc.version != "3.1":
        return
    for pointer, schema in doc.schemas:
        if "nullable" not in schema:
            continue
        kind = schema.get("type")
        if isinstance(kind, str):
            hint = f'write `type: [{kind}, "null"]` instead'
        else:
            hint = "write `anyOf: [<the schema>, {type: \"null\"}]` instead"
        yield Diagnostic(
            "E213", "`nullable` is not part of OpenAPI 3.1; the generator reads it as in 3.0",
            doc.at((*pointer, "nullable")), hint=hint,
        )


@dataclass(frozen=True)
class _Variant:
    label: str
    entry: Pointer  # where the union lists it
    pointer: Pointer  # where it is defined
    tags: tuple[str, ...]  # several when the tag is an `enum` of strings; empty when unusable
    tag_pointer: Pointer | None
    node_id: int  # the resolved schema's identity, which mapping targets are matched by


def check_discriminators(doc: Document) -> Iterator[Diagnostic]:
    for pointer, schema in doc.schemas:
        disc = schema.get("discriminator")
        if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
            continue
        keyword = next((k for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list)), None)
        if keyword is None:
            continue  # the allOf-inheritance style; nothing here to check it against
        prop = disc["propertyName"]
        variants: dict[int, _Variant] = {}
        problems: list[Diagnostic] = []
        for i, node in enumerate(schema[keyword]):
            variant = _variant(doc, (*pointer, keyword, i), node, prop, problems)
            if variant is not None:
                variants[variant.node_id] = variant
        yield from problems
        yield from _duplicate_tags(doc, prop, variants.values())
        mapping = disc.get("mapping")
        if isinstance(mapping, dict):
            yield from _check_mapping(doc, (*pointer, "discriminator", "mapping"), mapping,
                                      prop, variants)


def _variant(
    doc: Document, entry: Pointer, node: Any, prop: str, problems: list[Diagnostic]
) -> _Variant | None:
    found = doc.deref(node, entry)
    if found is None or not isinstance(found[1], dict):
        return None  # a dangling ref, reported where it is written
    where, schema = found
    if "properties" not in schema and any(k in schema for k in ("oneOf", "anyOf")):
        return None  # a nested union: checked as a union of its own
    if schema.get("type") == "null":
        return None  # `anyOf: [..., {type: "null"}]`: the null is not a variant
    label = str(where[-1]) if where[:2] == ("components", "schemas") and len(where) == 3 \
        else f"{entry[-2]}[{entry[-1]}]"
    related = (doc.at(entry),) if where != entry else ()
    properties, required = doc.object_shape(schema, where)
    if prop not in properties:
        problems.append(Diagnostic(
            "E204", f"union variant `{label}` does not declare the tag property `{prop}`",
            doc.at(where), related=related,
            hint=f"add `{prop}: {{type: string, const: <tag>}}` to its properties and `required`",
        ))
        return _Variant(label, entry, where, (), None, id(schema))
    tag_pointer, tag_schema = properties[prop]
    if prop not in required:
        problems.append(Diagnostic(
            "E205", f"union variant `{label}` does not require its tag property `{prop}`",
            doc.at(tag_pointer), related=related,
            hint=f"add `{prop}` to the variant's `required` list",
        ))
    resolved = doc.deref(tag_schema, tag_pointer)
    tag_schema = resolved[1] if resolved is not None else {}
    values = _tag_values(tag_schema)
    if not values or not all(isinstance(v, str) for v in values):
        odd = next((v for v in values if not isinstance(v, str)), None)
        what = "no value" if not values else f"the non-string value {short_repr(odd)}"
        problems.append(Diagnostic(
            "E206", f"tag property `{prop}` of union variant `{label}` has {what}",
            doc.at(tag_pointer), related=related,
            hint="give it string values: `const: <tag>`, or an `enum` of the tags it answers to",
        ))
        return _Variant(label, entry, where, (), tag_pointer, id(schema))
    return _Variant(label, entry, where, tuple(values), tag_pointer, id(schema))


def _tag_values(schema: Any) -> list[Any]:
    if not isinstance(schema, dict):
        return []
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return list(enum) if isinstance(enum, list) else []


def _duplicate_tags(doc: Document, prop: str, variants: Iterable[_Variant]) -> Iterator[Diagnostic]:
    first: dict[str, _Variant] = {}
    for variant in variants:
        if variant.tag_pointer is None:
            continue
        for tag in variant.tags:
            if tag in first and first[tag] is not variant:
                other = first[tag]
                yield Diagnostic(
                    "E208",
                    f"union variants `{other.label}` and `{variant.label}` both have "
                    f"`{prop}: {tag}`",
                    doc.at(variant.tag_pointer), related=_related(doc, other),
                    hint="each variant needs its own tag value, or the union cannot tell them apart",
                )
                break
            first.setdefault(tag, variant)


def _check_mapping(
    doc: Document, pointer: Pointer, mapping: dict[str, Any], prop: str,
    variants: dict[int, _Variant],
) -> Iterator[Diagnostic]:
    for key, target in mapping.items():
        where = doc.at((*pointer, key))
        if not isinstance(target, str):
            continue
        ref = mapping_ref(target)
        if not ref.startswith("#"):
            yield external_ref(ref, where)
            continue
        found = doc.resolve(ref)
        found = doc.deref(found[1], found[0]) if found is not None else None
        if found is None:
            yield Diagnostic(
                "E203", f"discriminator mapping `{key}` points at nothing: `{target}`", where,
                hint=_schema_hint(doc, target),
            )
            continue
        variant = variants.get(id(found[1]))
        if variant is None:
            yield Diagnostic(
                "E207", f"discriminator mapping `{key}` points at `{target}`, "
                "which is not one of the union's variants", where,
                hint="map each tag to one of the schemas listed in `oneOf`",
            )
            continue
        if variant.tags and key not in variant.tags:
            yield Diagnostic(
                "E207", f"discriminator mapping `{key}` points at `{variant.label}`, "
                f"whose `{prop}` is `{' or '.join(variant.tags)}`", where, related=_related(doc, variant),
                hint=f"the mapping key must be the variant's tag: `{variant.tags[0]}`",
            )
    for variant in variants.values():
        for tag in variant.tags:
            if tag not in mapping:
                yield Diagnostic(
                    "E207", f"discriminator mapping has no entry for `{variant.label}` "
                    f"(`{prop}: {tag}`)", doc.at(pointer), related=(doc.at(variant.entry),),
                    hint=f"add `{tag}: '{pointer_text(variant.pointer)}'` to the mapping",
                )


def _related(doc: Document, variant: _Variant) -> tuple[Location, ...]:
    return (doc.at(variant.tag_pointer),) if variant.tag_pointer is not None else ()


def _schema_hint(doc: Document, target: str) -> str | None:
    components = doc.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return None
    name = target.rsplit("/", 1)[-1]
    hint = did_you_mean(name, schemas)
    if hint is None:
        return None
    close = hint.split("`")[1]
    return f"did you mean `#/components/schemas/{close}`?"
