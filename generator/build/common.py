"""What every stage of the IR build shares: the document, its problems, ``$ref`` resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostic
from generator.loader import Pointer, Spec

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_PREFIX = "#/components/schemas/"
_JSON_TYPES = ("application/json",)
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_PRIMITIVES: dict[str, ir.TypeExpr] = {
    "string": ir.Primitive("str"),
    "integer": ir.Primitive("int"),
    "number": ir.Primitive("float"),
    "boolean": ir.Primitive("bool"),
}


@dataclass
class _Base:
    spec: Spec
    problems: list[Diagnostic] = field(default_factory=list)
    # Named schemas by their spec name, including the ones hoisted from inline objects.
    named: dict[str, ir.Schema] = field(default_factory=dict)
    in_progress: set[str] = field(default_factory=set)

    @property
    def doc(self) -> dict[str, Any]:
        return self.spec.data

    def problem(self, code: str, pointer: Pointer, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, self.spec.at(*pointer), hint=hint))
    def resolve(self, schema: Any) -> Any:
        """Follow ``$ref`` chains to the schema they name (cycles end at the ref)."""
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen or not ref.startswith("#/"):
                break
            seen.add(ref)
            schema = _pointer_get(self.doc, ref)
        return schema


def _nullable(inner: ir.TypeExpr) -> ir.TypeExpr:
    return inner if isinstance(inner, ir.Nullable) else ir.Nullable(inner)


def _nullable_marker(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(types, list) and "null" in types)
        or ("enum" in schema and None in (schema.get("enum") or []) and len(schema["enum"]) > 1)
    )


# Keywords that say something about a value without constraining it: an `allOf`
# part made of these only (`{nullable: true}`, `{description: ...}` beside a
# `$ref`, the 3.0 way of annotating one) adds no shape to merge.
_ANNOTATIONS = frozenset({
    "description", "title", "nullable", "deprecated", "readOnly", "writeOnly", "default",
    "example", "examples", "externalDocs", "$comment", "xml",
})


def _annotation_only(part: Any) -> bool:
    return isinstance(part, dict) and bool(part) and all(
        k in _ANNOTATIONS or str(k).startswith("x-") for k in part
    )


def _shaping_parts(schema: dict[str, Any]) -> tuple[list[tuple[int, Any]], bool]:
    """The ``allOf`` parts that constrain the value (with their index), and whether one says nullable."""
    parts = schema.get("allOf") or []
    shaping = [(i, p) for i, p in enumerate(parts) if not _annotation_only(p)]
    nullable = any(_annotation_only(p) and p.get("nullable") is True for p in parts)
    return shaping, nullable


def _is_object(schema: dict[str, Any]) -> bool:
    if "allOf" in schema and not any(k in schema for k in ("oneOf", "anyOf")):
        return True
    kind = schema.get("type")
    return kind == "object" or (kind is None and "properties" in schema)


def _tag_values(schema: Any, prop: str) -> tuple[str, ...]:
    """The string values a variant's tag may take (``const``, or each of an ``enum``)."""
    if not isinstance(schema, dict):
        return ()
    tag = (schema.get("properties") or {}).get(prop) or {}
    if isinstance(tag.get("const"), str):
        return (tag["const"],)
    enum = tag.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return tuple(enum)
    for part in schema.get("allOf") or []:
        found = _tag_values(part, prop)
        if found:
            return found
    return ()



def _constraints(schema: dict[str, Any]) -> ir.Constraints:
    if not isinstance(schema, dict):
        return ir.Constraints()
    exclusive_min = schema.get("exclusiveMinimum")
    exclusive_max = schema.get("exclusiveMaximum")
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    # OpenAPI 3.0 spells exclusive bounds as booleans beside minimum/maximum.
    if exclusive_min is True:
        exclusive_min, minimum = minimum, None
    if exclusive_max is True:
        exclusive_max, maximum = maximum, None
    return ir.Constraints(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_min if not isinstance(exclusive_min, bool) else None,
        exclusive_maximum=exclusive_max if not isinstance(exclusive_max, bool) else None,
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        pattern=schema.get("pattern"),
        min_items=schema.get("minItems"),
        max_items=schema.get("maxItems"),
    )


def _text(value: Any) -> str:
    return str(value).strip() if value else ""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _pointer_get(doc: Any, ref: str) -> Any:
    node = doc
    for token in ref[2:].split("/") if ref != "#" else []:
        token = _unescape(token)
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node
