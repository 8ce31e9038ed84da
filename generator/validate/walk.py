"""One walk over the spec, recording what the checks need.

The walk follows the OpenAPI structure (paths, operations, parameters, media
types, schemas and their subschemas) rather than every mapping, so that a
property that happens to be named ``example`` or ``$ref`` is never mistaken for
one. It never follows a ``$ref``: each object is visited once, where it is
written, which is also where its diagnostics point.
"""

from __future__ import annotations

from typing import Any

from generator.loader import Pointer, Spec
from generator.validate.document import (
    Document,
    ExampleSite,
    Operation,
    Ref,
    enumerate_list,
    items,
)

__all__ = ["build_document"]

# The keys of an `x-variants` entry that name a schema of the variant's own.
_VARIANT_SCHEMAS = ("x-request-body", "x-response", "x-stream-event")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords whose value is one subschema, a list of them, or a map of them.
_ONE = (
    "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema", "items",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def build_document(spec: Spec) -> Document:
    raw = spec.data.get("openapi")
    version = "3.0" if isinstance(raw, str) and raw.startswith("3.0") else "3.1"
    doc = Document(spec, version)
    _Walker(doc).root(spec.data)
    return doc


class _Walker:
    """Visits each OpenAPI object where it is written, recording what checks need."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def root(self, data: dict[str, Any]) -> None:
        for template, item in items(data.get("paths")):
            self.path_item(("paths", template), item, template, is_path=True)
        for name, item in items(data.get("webhooks")):
            self.path_item(("webhooks", name), item, name, is_path=False)
        components = data.get("components")
        walkers = {
            "schemas": self.schema,
            "parameters": self.parameter,
            "headers": self.header,
            "responses": self.response,
            "requestBodies": self.request_body,
            "examples": self.example_object,
            "callbacks": self.callbacks,
            "securitySchemes": self.reference_only,
            "links": self.reference_only,
        }
        if isinstance(components, dict):
            for kind, walk in walkers.items():
                for name, node in items(components.get(kind)):
                    walk(("components", kind, name), node)
            for name, item in items(components.get("pathItems")):
                self.path_item(("components", "pathItems", name), item, name, is_path=False)
        self.security(("security",), data.get("security"))

    def ref(self, pointer: Pointer, node: Any) -> bool:
        """Record a ``$ref`` held by ``node``; True if ``node`` is a reference."""
        if isinstance(node, dict) and "$ref" in node:
            target = node["$ref"]
            if isinstance(target, str):
                self.doc.refs.append(Ref(pointer, target))
                return True
        return False

    def reference_only(self, pointer: Pointer, node: Any) -> None:
        self.ref(pointer, node)

    def path_item(self, pointer: Pointer, item: Any, template: str, is_path: bool) -> None:
        if self.ref(pointer, item) or not isinstance(item, dict):
            return
        for i, param in enumerate_list(item.get("parameters")):
            self.parameter((*pointer, "parameters", i), param)
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                op_pointer = (*pointer, method)
                self.doc.operations.append(
                    Operation(template, method, op_pointer, op, item, pointer, is_path)
                )
                self.operation(op_pointer, op)

    def operation(self, pointer: Pointer, op: dict[str, Any]) -> None:
        for i, param in enumerate_list(op.get("parameters")):
            self.parameter((*pointer, "parameters", i), param)
        if "requestBody" in op:
            self.request_body((*pointer, "requestBody"), op["requestBody"])
        # The generator's own body and reply schemas (spec/README.md) are uses
        # like any other: they must resolve, and what they name is not unused.
        self.ref((*pointer, "x-request-body"), op.get("x-request-body"))
        for i, variant in enumerate_list(op.get("x-variants")):
            for key in _VARIANT_SCHEMAS:
                if isinstance(variant, dict):
                    self.ref((*pointer, "x-variants", i, key), variant.get(key))
        for code, response in items(op.get("responses")):
            self.response((*pointer, "responses", code), response)
        self.callbacks_map((*pointer, "callbacks"), op.get("callbacks"))
        self.security((*pointer, "security"), op.get("security"))

    def callbacks_map(self, pointer: Pointer, callbacks: Any) -> None:
        for name, callback in items(callbacks):
            self.callbacks((*pointer, name), callback)

    def callbacks(self, pointer: Pointer, callback: Any) -> None:
        if self.ref(pointer, callback):
            return
        for expression, item in items(callback):
            self.path_item((*pointer, expression), item, expression, is_path=False)

    def security(self, pointer: Pointer, requirements: Any) -> None:
        for i, requirement in enumerate_list(requirements):
            for name, _scopes in items(requirement):
                self.doc.security_uses.append(((*pointer, i, name), name))

    def parameter(self, pointer: Pointer, param: Any) -> None:
        if self.ref(pointer, param) or not isinstance(param, dict):
            return
        self.doc.parameters.append((pointer, param))
        self.header(pointer, param)

    def header(self, pointer: Pointer, node: Any) -> None:
        """A header, or the part of a parameter that a header shares."""
        if self.ref(pointer, node) or not isinstance(node, dict):
            return
        if "schema" in node:
            self.schema((*pointer, "schema"), node["schema"])
            self.examples_of(pointer, node, (*pointer, "schema"), None)
        self.content((*pointer, "content"), node.get("content"))

    def request_body(self, pointer: Pointer, body: Any) -> None:
        if self.ref(pointer, body) or not isinstance(body, dict):
            return
        self.content((*pointer, "content"), body.get("content"))

    def response(self, pointer: Pointer, response: Any) -> None:
        if self.ref(pointer, response) or not isinstance(response, dict):
            return
        self.doc.responses.append((pointer, response))
        for name, header in items(response.get("headers")):
            self.header((*pointer, "headers", name), header)
        self.content((*pointer, "content"), response.get("content"))
        for name, link in items(response.get("links")):
            self.ref((*pointer, "links", name), link)

    def content(self, pointer: Pointer, content: Any) -> None:
        for media_type, media in items(content):
            if not isinstance(media, dict):
                continue
            where = (*pointer, media_type)
            if "schema" in media:
                self.schema((*where, "schema"), media["schema"])
                self.examples_of(where, media, (*where, "schema"), media_type)
            else:
                for name, example in items(media.get("examples")):
                    self.example_object((*where, "examples", name), example)
            for name, encoding in items(media.get("encoding")):
                for header_name, header in items(
                    encoding.get("headers") if isinstance(encoding, dict) else None
                ):
                    self.header((*where, "encoding", name, "headers", header_name), header)

    def example_object(self, pointer: Pointer, example: Any) -> None:
        self.ref(pointer, example)

    def examples_of(
        self, pointer: Pointer, owner: dict[str, Any], schema: Pointer, media_type: str | None
    ) -> None:
        """The ``example`` and ``examples`` of a parameter, header or media type."""
        if "example" in owner:
            self.doc.examples.append(
                ExampleSite("example", (*pointer, "example"), owner["example"], schema, media_type)
            )
        for name, example in items(owner.get("examples")):
            where = (*pointer, "examples", name)
            if self.ref(where, example):
                found = self.doc.deref(example, where)
                if found is None or not isinstance(found[1], dict) or "value" not in found[1]:
                    continue
                self.doc.examples.append(ExampleSite(
                    "example", (*found[0], "value"), found[1]["value"], schema, media_type,
                    used_at=where,
                ))
            elif isinstance(example, dict) and "value" in example:
                self.doc.examples.append(
                    ExampleSite("example", (*where, "value"), example["value"], schema, media_type)
                )

    def schema(self, pointer: Pointer, node: Any) -> None:
        # Iterative: a deeply nested schema must not exhaust the Python stack.
        stack = [(pointer, node)]
        while stack:
            where, schema = stack.pop()
            self.ref(where, schema)
            if not isinstance(schema, dict):
                continue
            self.doc.schemas.append((where, schema))
            for kind in ("default", "example"):
                if kind in schema:
                    self.doc.examples.append(
                        ExampleSite(kind, (*where, kind), schema[kind], where)
                    )
            if self.doc.version == "3.1":
                for i, value in enumerate_list(schema.get("examples")):
                    self.doc.examples.append(
                        ExampleSite("example", (*where, "examples", i), value, where)
                    )
            children: list[tuple[Pointer, Any]] = []
            for key in _ONE:
                if isinstance(schema.get(key), dict):
                    children.append(((*where, key), schema[key]))
            for key in _LIST:
                for i, sub in enumerate_list(schema.get(key)):
                    children.append(((*where, key, i), sub))
            for key in _MAP:
                for name, sub in items(schema.get(key)):
                    children.append(((*where, key, name), sub))
            stack.extend(reversed(children))
