"""From a loaded spec to the normalised ``Model`` that ``compare`` reads.

Each component is normalised once and memoised; uses of it stay ``Ref`` nodes,
so a recursive spec (Stripe's refers to itself through hundreds of paths) costs
one pass over its text. Only ``allOf`` looks through a reference, and it guards
against a component that is (through other parts) a part of itself.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator import naming
from generator.diff.model import (
    NO_DEFAULT,
    AnyValue,
    Array,
    Body,
    Bounds,
    Member,
    Model,
    Node,
    Object,
    Operation,
    Param,
    Prop,
    Ref,
    Response,
    Scalar,
    UnionOf,
)
from generator.loader import Pointer, Spec
from generator.paging import pagination_settings

__all__ = ["normalize", "operation_key", "python_method"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_PREFIX = "#/components/schemas/"
_SCALARS = ("string", "integer", "number", "boolean")
_BOUND_KEYS = (
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties",
)
# Keywords that say nothing about which values a schema accepts.
_DOC_KEYS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "nullable",
     "readOnly", "writeOnly", "externalDocs", "xml", "discriminator", "$comment"}
)
_MAX_DEPTH = 64
# Where an implicit tag is looked for first when a union names no discriminator.
_LIKELY_TAGS = ("type", "object", "kind")


_VARIANT_SCHEMAS = (
    ("x-request-body", "request"), ("x-response", "response"), ("x-stream-event", "response"),
)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def operation_key(method: str, path: str) -> tuple[str, str]:
    """Operations are the same operation if method and path agree up to parameter names."""
    return (method.upper(), re.sub(r"\{[^}]*\}", "{}", path))


def python_method(resource: str, method: str) -> str:
    """``client.messages.batches.create``: each part of ``x-resource`` is an attribute, as the client spells it."""
    return ".".join(["client", *(naming.attribute_name(part) for part in resource.split(".")), method])


def normalize(spec: Spec) -> Model:
    return _Normalizer(spec).model()


class _Normalizer:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.doc = spec.data
        components = self.doc.get("components")
        self.raw_schemas: dict[str, Any] = {}
        if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
            self.raw_schemas = components["schemas"]
        self.components: dict[str, Node] = {}
        self.in_progress: set[str] = set()

    def model(self) -> Model:
        for name in sorted(self.raw_schemas):
            self.component(name)
        operations: dict[tuple[str, str], Operation] = {}
        paths = _mapping(self.doc.get("paths"))
        for path in sorted(paths):
            item = paths[path]
            if not isinstance(item, dict):
                continue
            for method in _HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    op = self.operation(path, method, item)
                    operations.setdefault(operation_key(method, path), op)
        return Model(self.spec.path, operations, dict(self.components))

    # -- references ---------------------------------------------------------------

    def lookup(self, ref: object) -> tuple[Any, Pointer] | None:
        """The raw value a local ``$ref`` points at, and its pointer."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return None
        node: Any = self.doc
        pointer: list[str | int] = []
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
                pointer.append(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                pointer.append(int(part))
            else:
                return None
        return node, tuple(pointer)

    def deref(self, raw: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        """Follows ``$ref`` chains (of parameters, responses, ...) to the object itself."""
        for _ in range(_MAX_DEPTH):
            if not (isinstance(raw, dict) and "$ref" in raw):
                break
            found = self.lookup(raw["$ref"])
            if found is None:
                break
            raw, pointer = found
        return raw, pointer

    def component_name(self, ref: object) -> str | None:
        if isinstance(ref, str) and ref.startswith(_SCHEMA_PREFIX):
            name = ref[len(_SCHEMA_PREFIX):].replace("~1", "/").replace("~0", "~")
            if name in self.raw_schemas:
                return name
        return None

    def component(self, name: str) -> Node:
        if name in self.components:
            return self.components[name]
        if name in self.in_progress:
            # Only allOf looks through references, so only an allOf cycle gets here.
            return AnyValue(pointer=("components", "schemas", name))
        self.in_progress.add(name)
        try:
            node = self.node(self.raw_schemas[name], ("components", "schemas", name))
        finally:
            self.in_progress.discard(name)
        self.components[name] = node
        return node

    def resolved(self, node: Node) -> Node:
        return self.component(node.name) if isinstance(node, Ref) else node

    # -- schemas ------------------------------------------------------------------

    def node(self, raw: Any, pointer: Pointer, depth: int = 0) -> Node:
        if not isinstance(raw, dict) or not raw or depth > _MAX_DEPTH:
            return AnyValue(pointer=pointer)
        meta = _meta(raw, pointer)
        if "$ref" in raw:
            name = self.component_name(raw["$ref"])
            if name is not None:
                return Ref(name=name, **meta)
            found = self.lookup(raw["$ref"])
            if found is None:
                return AnyValue(**meta)
            return _with_meta(self.node(found[0], pointer, depth + 1), meta)
        if "allOf" in raw and isinstance(raw["allOf"], list):
            return self.all_of(raw, pointer, meta, depth)
        for key in ("oneOf", "anyOf"):
            if isinstance(raw.get(key), list):
                return self.union(raw, key, pointer, meta, depth)
        types = raw.get("type")
        if isinstance(types, list):
            kinds = [t for t in types if t != "null"]
            if len(kinds) > 1:
                members = tuple(
                    Member(self.node({**raw, "type": kind}, pointer, depth + 1)) for kind in kinds
                )
                return UnionOf(members=members, **meta)
            types = kinds[0] if kinds else None
        return self.plain(raw, types, pointer, meta, depth)

    def plain(self, raw: dict[str, Any], kind: Any, pointer: Pointer, meta: dict[str, Any], depth: int) -> Node:
        enum = raw.get("enum")
        values = tuple(v for v in enum if v is not None) if isinstance(enum, list) else None
        if kind is None:
            sample = values[0] if values else raw.get("const")
            if "properties" in raw or "additionalProperties" in raw:
                kind = "object"
            elif "items" in raw:
                kind = "array"
            elif sample is not None:
                kind = _json_type(sample)
        if kind == "object":
            return self.object(raw, pointer, meta, depth)
        if kind == "array":
            items = self.node(raw.get("items"), pointer + ("items",), depth + 1)
            return Array(items=items, bounds=_bounds(raw), **meta)
        if kind in _SCALARS:
            if raw.get("const") is not None:
                values = (raw["const"],)
            return Scalar(
                type=kind,
                format=raw.get("format") if isinstance(raw.get("format"), str) else None,
                enum=values,
                bounds=_bounds(raw),
                **meta,
            )
        return AnyValue(**meta)

    def object(self, raw: dict[str, Any], pointer: Pointer, meta: dict[str, Any], depth: int) -> Object:
        props = _mapping(raw.get("properties"))
        properties = []
        for name in sorted(props):
            sub = props[name]
            python = sub.get("x-python-name") if isinstance(sub, dict) else None
            node = self.node(sub, pointer + ("properties", name), depth + 1)
            properties.append(Prop(name, str(python or naming.attribute_name(name)), node))
        required = raw.get("required")
        extra = raw.get("additionalProperties")
        additional: Node | None = None
        if extra is True:
            additional = AnyValue(pointer=pointer + ("additionalProperties",))
        elif isinstance(extra, dict):
            additional = self.node(extra, pointer + ("additionalProperties",), depth + 1)
        return Object(
            properties=tuple(properties),
            required=frozenset(str(r) for r in required) if isinstance(required, list) else frozenset(),
            additional=additional,
            bounds=_bounds(raw),
            **meta,
        )

    def all_of(self, raw: dict[str, Any], pointer: Pointer, meta: dict[str, Any], depth: int) -> Node:
        parts = raw["allOf"]
        rest = {k: v for k, v in raw.items() if k != "allOf"}
        shaped = any(k not in _DOC_KEYS and not k.startswith("x-") for k in rest)
        if len(parts) == 1 and all(k in _DOC_KEYS or k == "type" or k.startswith("x-") for k in rest):
            # The 3.0 way to put a description (or nullable) beside a $ref.
            return _with_meta(self.node(parts[0], pointer + ("allOf", 0), depth + 1), meta)
        nodes = [self.resolved(self.node(p, pointer + ("allOf", i), depth + 1)) for i, p in enumerate(parts)]
        if shaped:
            nodes.append(self.node(rest, pointer, depth + 1))
        merged = _merge(nodes, pointer)
        return replace(merged, **meta)

    def union(self, raw: dict[str, Any], key: str, pointer: Pointer, meta: dict[str, Any], depth: int) -> Node:
        options = raw[key]
        nullable = bool(meta["nullable"])
        picked: list[tuple[int, Any, Node]] = []
        for index, option in enumerate(options):
            if _is_null(option):
                nullable = True
                continue
            picked.append((index, option, self.node(option, pointer + (key, index), depth + 1)))
        meta = {**meta, "nullable": nullable}
        if not picked:
            return AnyValue(**meta)
        if len(picked) == 1:
            return _with_meta(picked[0][2], meta)
        prop, tags = self.tags(raw, [option for _, option, _ in picked])
        members = tuple(Member(node, tag) for (_, _, node), tag in zip(picked, tags))
        return UnionOf(members=members, discriminator=prop, **meta)

    def tags(self, raw: dict[str, Any], options: list[Any]) -> tuple[str | None, list[str | None]]:
        """The discriminator property and each member's tag, read from the raw spec.

        Reading the raw spec (not normalised components) keeps the answer
        independent of the order in which components happen to be normalised.
        """
        disc = raw.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            prop = disc["propertyName"]
            mapping = _mapping(disc.get("mapping"))
            by_ref = {ref: str(tag) for tag, ref in mapping.items()}
            tags: list[str | None] = []
            for option in options:
                ref = option.get("$ref") if isinstance(option, dict) else None
                tag = by_ref.get(ref) if ref else None
                if tag is None:
                    tag = self.tag_value(option, prop, 0)
                if tag is None and ref:
                    # OpenAPI's rule without a mapping: the schema's name is the tag.
                    tag = self.component_name(ref)
                tags.append(tag)
            return prop, tags
        props = [self.tag_props(option, 0) for option in options]
        if props and all(props):
            common = set(props[0]).intersection(*props[1:])
            for prop in [*_LIKELY_TAGS, *sorted(common)]:
                if prop in common:
                    values = [p[prop] for p in props]
                    if len(set(values)) == len(values):
                        return prop, list(values)
        return None, [None] * len(options)

    def tag_props(self, raw: Any, depth: int) -> dict[str, str]:
        """Properties of an object schema whose value is fixed (const or one enum value)."""
        raw, _ = self.deref(raw, ())
        if not isinstance(raw, dict) or depth > _MAX_DEPTH:
            return {}
        found: dict[str, str] = {}
        for part in raw.get("allOf") or []:
            found.update(self.tag_props(part, depth + 1))
        props = raw.get("properties")
        for name, sub in props.items() if isinstance(props, dict) else ():
            sub, _ = self.deref(sub, ())
            value = _fixed_value(sub)
            if value is not None:
                found[name] = value
        return found

    def tag_value(self, raw: Any, prop: str, depth: int) -> str | None:
        return self.tag_props(raw, depth).get(prop)

    # -- operations ---------------------------------------------------------------

    def operation(self, path: str, method: str, item: dict[str, Any]) -> Operation:
        raw = item[method]
        pointer: Pointer = ("paths", path, method)
        op_id = str(raw.get("operationId") or naming.snake_case(f"{method}_{path}"))
        params: dict[tuple[str, str], Param] = {}
        for source, base in ((item, ("paths", path)), (raw, pointer)):
            listed = source.get("parameters")
            for index, entry in enumerate(listed if isinstance(listed, list) else ()):
                param = self.parameter(entry, base + ("parameters", index))
                if param is not None:
                    params[(param.location, param.name)] = param
        tags = raw.get("tags") if isinstance(raw.get("tags"), list) else []
        resource = str(raw.get("x-resource") or (naming.snake_case(str(tags[0])) if tags else "default"))
        method_name = str(raw.get("x-method") or naming.attribute_name(op_id))
        methods = [python_method(resource, method_name)]
        variant_params: dict[str, str] = {}
        variant_roots: list[tuple[str, str, str]] = []
        variant_docs: dict[str, tuple[str | None, str | None]] = {}
        variant_headers: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
        variants = raw.get("x-variants") if isinstance(raw.get("x-variants"), list) else []
        for variant in variants:
            if not isinstance(variant, dict):
                continue
            name = python_method(str(variant.get("resource", resource)), str(variant.get("method", method_name)))
            methods.append(name)
            if "summary" in variant or "description" in variant:
                variant_docs[name] = (_text(variant.get("summary")), _text(variant.get("description")))
            headers = variant.get("headers")
            if isinstance(headers, dict) and headers:
                variant_headers[name] = tuple(sorted(
                    (str(k), (str(v),) if isinstance(v, str) else tuple(str(x) for x in v or ()))
                    for k, v in headers.items()
                ))
            for p in list(variant.get("parameters") or []) + list(variant.get("query") or {}):
                variant_params.setdefault(str(p), name)
            for key, direction in _VARIANT_SCHEMAS:
                target = variant.get(key)
                ref = target.get("$ref") if isinstance(target, dict) else None
                if isinstance(ref, str) and ref.startswith(_SCHEMA_PREFIX):
                    variant_roots.append((name, direction, _unescape(ref[len(_SCHEMA_PREFIX):])))
        responses: dict[str, Response] = {}
        listed = raw.get("responses")
        for status in sorted(listed) if isinstance(listed, dict) else ():
            responses[str(status)] = self.response(listed[status], pointer + ("responses", status), str(status))
        return Operation(
            method=method.upper(),
            path=path,
            operation_id=op_id,
            python_methods=tuple(methods),
            parameters=params,
            body=self.body(raw.get("requestBody"), pointer + ("requestBody",), raw.get("x-request-body")),
            responses=responses,
            pointer=pointer,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            deprecated=raw.get("deprecated") is True,
            variant_params=variant_params,
            variant_roots=tuple(variant_roots),
            pagination=_pagination(raw.get("x-pagination")),
            url_from=_url_from(raw.get("x-url-from")),
            variant_docs=variant_docs,
            variant_headers=variant_headers,
        )

    def parameter(self, entry: Any, pointer: Pointer) -> Param | None:
        raw, target = self.deref(entry, pointer)
        if not isinstance(raw, dict) or "name" not in raw:
            return None
        schema_pointer = (target if target else pointer) + ("schema",)
        schema = raw.get("schema")
        if schema is None and isinstance(raw.get("content"), dict) and raw["content"]:
            media = sorted(raw["content"])[0]
            schema = (raw["content"][media] or {}).get("schema")
            schema_pointer = schema_pointer[:-1] + ("content", media, "schema")
        node = self.node(schema, schema_pointer)
        name = str(raw["name"])
        location = str(raw.get("in", "query"))
        fixed_schema, _ = self.deref(schema, ())
        return Param(
            name=name,
            location=location,
            python_name=str(raw.get("x-python-name") or naming.attribute_name(name)),
            required=raw.get("required") is True,
            node=node,
            pointer=pointer,
            description=_text(raw.get("description")),
            deprecated=raw.get("deprecated") is True,
            fixed=location == "header" and isinstance(fixed_schema, dict) and "const" in fixed_schema,
        )

    def content(self, raw: dict[str, Any], pointer: Pointer) -> dict[str, Node]:
        listed = _mapping(raw.get("content"))
        result: dict[str, Node] = {}
        for media in sorted(listed):
            entry = listed[media] if isinstance(listed[media], dict) else {}
            result[str(media)] = self.node(entry.get("schema"), pointer + ("content", media, "schema"))
        return result

    def body(self, entry: Any, pointer: Pointer, own: Any = None) -> Body | None:
        """The request body; ``own`` is the operation's ``x-request-body``, the schema
        the generated method sends in place of the JSON body's standard one."""
        if entry is None:
            return None
        raw, target = self.deref(entry, pointer)
        if not isinstance(raw, dict):
            return None
        where = target if "$ref" in (entry if isinstance(entry, dict) else {}) else pointer
        content = self.content(raw, where)
        if own is not None:
            media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
            if media is not None:
                content[media] = self.node(own, pointer[:-1] + ("x-request-body",))
        return Body(
            required=raw.get("required") is True,
            content=content,
            pointer=pointer,
            description=_text(raw.get("description")),
        )

    def response(self, entry: Any, pointer: Pointer, status: str) -> Response:
        raw, target = self.deref(entry, pointer)
        raw = raw if isinstance(raw, dict) else {}
        where = target if isinstance(entry, dict) and "$ref" in entry else pointer
        exception = raw.get("x-exception")
        return Response(
            status=status,
            content=self.content(raw, where),
            pointer=pointer,
            description=_text(raw.get("description")),
            exception=str(exception) if exception else None,
        )


# -- helpers ----------------------------------------------------------------------


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _meta(raw: dict[str, Any], pointer: Pointer) -> dict[str, Any]:
    types = raw.get("type")
    enum = raw.get("enum")
    nullable = (
        raw.get("nullable") is True
        or (isinstance(types, list) and "null" in types)
        or (isinstance(enum, list) and None in enum)
    )
    return {
        "pointer": pointer,
        "nullable": nullable,
        "description": _text(raw.get("description")),
        "default": raw.get("default", NO_DEFAULT),
        "deprecated": raw.get("deprecated") is True,
    }


def _with_meta(node: Node, meta: dict[str, Any]) -> Node:
    """``node`` as seen from a use site that adds its own description or nullability."""
    return replace(
        node,
        pointer=meta["pointer"],
        nullable=node.nullable or bool(meta["nullable"]),
        description=meta["description"] or node.description,
        default=node.default if meta["default"] is NO_DEFAULT else meta["default"],
        deprecated=node.deprecated or bool(meta["deprecated"]),
    )


def _is_null(raw: Any) -> bool:
    return isinstance(raw, dict) and (
        raw.get("type") == "null" or raw.get("type") == ["null"] or ("const" in raw and raw["const"] is None)
    )


def _json_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _fixed_value(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    if "const" in raw and raw["const"] is not None:
        return str(raw["const"])
    enum = raw.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and enum[0] is not None:
        return str(enum[0])
    return None


def _bounds(raw: dict[str, Any]) -> Bounds:
    found: dict[str, object] = {k: raw[k] for k in _BOUND_KEYS if k in raw and raw[k] is not None}
    # 3.0 spells an exclusive bound as a flag beside the bound; 3.1 as the bound itself.
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if found.get(flag) is True and bound in found:
            found[flag] = found.pop(bound)
        elif isinstance(found.get(flag), bool):
            del found[flag]
    if found.get("uniqueItems") is False:
        del found["uniqueItems"]
    return tuple(sorted(found.items()))


def _merge(nodes: list[Node], pointer: Pointer) -> Node:
    """One schema accepting what every part accepts (the parts of an ``allOf``)."""
    parts = [n for n in nodes if not isinstance(n, AnyValue)]
    if not parts:
        return AnyValue(pointer=pointer)
    objects = [n for n in parts if isinstance(n, Object)]
    if objects:
        props: dict[str, Prop] = {}
        required: set[str] = set()
        additional: Node | None = None
        bounds: dict[str, object] = {}
        for obj in objects:
            for prop in obj.properties:
                before = props.get(prop.name)
                if before is not None and isinstance(before.node, Object) and isinstance(prop.node, Object):
                    prop = Prop(prop.name, prop.python_name, _merge([before.node, prop.node], prop.node.pointer))
                props[prop.name] = prop
            required |= obj.required
            additional = additional if additional is not None else obj.additional
            bounds.update(obj.bounds)
        return Object(
            pointer=pointer,
            properties=tuple(props[name] for name in sorted(props)),
            required=frozenset(required),
            additional=additional,
            bounds=tuple(sorted(bounds.items())),
        )
    scalars = [n for n in parts if isinstance(n, Scalar)]
    if scalars and all(s.type == scalars[0].type for s in scalars):
        enum: tuple[object, ...] | None = None
        bounds = {}
        for s in scalars:
            if s.enum is not None:
                enum = s.enum if enum is None else tuple(v for v in enum if v in s.enum)
            bounds.update(s.bounds)
        first = scalars[0]
        return replace(first, pointer=pointer, enum=enum, bounds=tuple(sorted(bounds.items())))
    return replace(parts[0], pointer=pointer)


def _url_from(node: Any) -> tuple[str, str] | None:
    """``x-url-from`` as (operationId, field), the two names that decide where a download goes."""
    if not isinstance(node, dict):
        return None
    return str(node.get("operation")), str(node.get("field"))


def _pagination(node: Any) -> tuple[tuple[str, str | None], ...] | None:
    """``x-pagination`` as comparable pairs: the page fields and cursor parameters it names."""
    if not isinstance(node, dict):
        return None
    settings = pagination_settings(node)
    return (
        ("items", settings.items),
        ("has-more", settings.has_more),
        ("next parameter", settings.cursor_parameter("next")),
        ("next cursor", settings.cursor_field("next")),
        ("previous parameter", settings.cursor_parameter("previous")),
        ("previous cursor", settings.cursor_field("previous")),
    )
