"""One walk over the spec that every check shares.

The walk follows the OpenAPI structure (paths, operations, parameters, media
types, schemas and their subschemas) rather than every mapping, so that a
property that happens to be named ``example`` or ``$ref`` is never mistaken for
one. It never follows a ``$ref``: each object is visited once, where it is
written, which is also where its diagnostics point. References are resolved on
demand through one cache, so a schema used a thousand times is looked up once.

Nothing here trusts the document's shape: the walk runs beside the structural
check, on specs that may be broken anywhere, and skips what it cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import unquote

from generator.diagnostics import Location
from generator.loader import Pointer, Spec

__all__ = ["Document", "ExampleSite", "Operation", "Ref", "pointer_text"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords whose value is one subschema, a list of them, or a map of them.
_ONE = (
    "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema", "items",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")

# How deep a chain of `$ref`s to `$ref`s may go before we call it a loop.
_MAX_HOPS = 32

_MISSING = object()


@dataclass(frozen=True)
class Ref:
    """A ``$ref`` as written: where (the object holding it) and what."""

    pointer: Pointer
    target: str


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    pointer: Pointer
    node: dict[str, Any]
    path_item: dict[str, Any]
    path_pointer: Pointer
    # Path templates get parameter checks; webhook and callback keys are not URLs.
    is_path: bool


@dataclass(frozen=True)
class ExampleSite:
    """A value that must match a schema: an example or a default."""

    kind: str  # "example" or "default"
    pointer: Pointer  # where the value is written
    value: Any
    schema_pointer: Pointer  # the schema object it must match
    media_type: str | None = None
    # Where it is used, when the value lives elsewhere (a components/examples entry).
    used_at: Pointer | None = None


@dataclass
class Document:
    spec: Spec
    version: str  # "3.0" or "3.1" (anything else is judged as 3.1)
    refs: list[Ref] = field(default_factory=list)
    schemas: list[tuple[Pointer, dict[str, Any]]] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    parameters: list[tuple[Pointer, dict[str, Any]]] = field(default_factory=list)
    responses: list[tuple[Pointer, dict[str, Any]]] = field(default_factory=list)
    examples: list[ExampleSite] = field(default_factory=list)
    # Security requirements name schemes rather than referring to them.
    security_uses: list[tuple[Pointer, str]] = field(default_factory=list)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, spec: Spec) -> Document:
        raw = spec.data.get("openapi")
        version = "3.0" if isinstance(raw, str) and raw.startswith("3.0") else "3.1"
        doc = cls(spec, version)
        _Walker(doc).root(spec.data)
        return doc

    @property
    def data(self) -> dict[str, Any]:
        return self.spec.data

    def at(self, pointer: Pointer) -> Location:
        return self.spec.at(*pointer)

    def resolve(self, target: str) -> tuple[Pointer, Any] | None:
        """The pointer and value a local ``$ref`` names, or None if it names nothing."""
        found = self._cache.get(target, _MISSING)
        if found is _MISSING:
            found = self._lookup(target)
            self._cache[target] = found
        return found  # type: ignore[no-any-return]

    def _lookup(self, target: str) -> tuple[Pointer, Any] | None:
        parts = parse_local_ref(target)
        if parts is None:
            return None
        node: Any = self.data
        pointer: list[str | int] = []
        for part in parts:
            if isinstance(node, dict) and part in node:
                node = node[part]
                pointer.append(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                pointer.append(int(part))
            else:
                return None
        return tuple(pointer), node

    def deref(self, node: Any, pointer: Pointer) -> tuple[Pointer, Any] | None:
        """Follow ``$ref`` chains from ``node``; None if one dangles, loops or is external."""
        for _ in range(_MAX_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return pointer, node
            found = self.resolve(node["$ref"])
            if found is None:
                return None
            pointer, node = found
        return None

    def node_at(self, pointer: Pointer) -> Any:
        """The value at ``pointer`` (which must exist, as pointers from the walk do)."""
        node: Any = self.data
        for part in pointer:
            node = node[part]
        return node

    def physical(self, parts: tuple[Any, ...]) -> Pointer:
        """Where a path that may pass through ``$ref``s (as a validator walks) is written."""
        node: Any = self.data
        pointer: Pointer = ()
        for part in parts:
            found = self.deref(node, pointer)
            if found is None:
                break
            pointer, node = found
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                break
            pointer = (*pointer, part)
        return pointer

    def object_shape(self, node: Any, pointer: Pointer) -> tuple[
        dict[str, tuple[Pointer, Any]], set[str]
    ]:
        """An object schema's properties and required names, through refs and ``allOf``."""
        properties: dict[str, tuple[Pointer, Any]] = {}
        required: set[str] = set()
        seen: set[int] = set()
        stack = [(pointer, node)]
        while stack:
            found = self.deref(stack[-1][1], stack[-1][0])
            stack.pop()
            if found is None or not isinstance(found[1], dict) or id(found[1]) in seen:
                continue
            where, schema = found
            seen.add(id(schema))
            props = schema.get("properties")
            if isinstance(props, dict):
                for name, sub in props.items():
                    properties.setdefault(name, ((*where, "properties", name), sub))
            names = schema.get("required")
            if isinstance(names, list):
                required.update(n for n in names if isinstance(n, str))
            parts = schema.get("allOf")
            if isinstance(parts, list):
                stack.extend(((*where, "allOf", i), part) for i, part in enumerate(parts))
        return properties, required


def parse_local_ref(target: str) -> tuple[str, ...] | None:
    """``#/a/b~1c`` as ``("a", "b/c")``; None for a ref that is not local to this file."""
    if not target.startswith("#"):
        return None
    fragment = unquote(target[1:])
    if fragment == "":
        return ()
    if not fragment.startswith("/"):
        return None  # a plain-name anchor; OpenAPI documents do not use them
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/"))


def pointer_text(pointer: Pointer) -> str:
    """A pointer as a JSON pointer fragment, for messages: ``#/paths/~1v1~1messages``."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
    return "#/" + "/".join(parts)


class _Walker:
    """Visits each OpenAPI object where it is written, recording what checks need."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def root(self, data: dict[str, Any]) -> None:
        for template, item in _items(data.get("paths")):
            self.path_item(("paths", template), item, template, is_path=True)
        for name, item in _items(data.get("webhooks")):
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
                for name, node in _items(components.get(kind)):
                    walk(("components", kind, name), node)
            for name, item in _items(components.get("pathItems")):
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
        for i, param in _enumerate(item.get("parameters")):
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
        for i, param in _enumerate(op.get("parameters")):
            self.parameter((*pointer, "parameters", i), param)
        if "requestBody" in op:
            self.request_body((*pointer, "requestBody"), op["requestBody"])
        for code, response in _items(op.get("responses")):
            self.response((*pointer, "responses", code), response)
        self.callbacks_map((*pointer, "callbacks"), op.get("callbacks"))
        self.security((*pointer, "security"), op.get("security"))

    def callbacks_map(self, pointer: Pointer, callbacks: Any) -> None:
        for name, callback in _items(callbacks):
            self.callbacks((*pointer, name), callback)

    def callbacks(self, pointer: Pointer, callback: Any) -> None:
        if self.ref(pointer, callback):
            return
        for expression, item in _items(callback):
            self.path_item((*pointer, expression), item, expression, is_path=False)

    def security(self, pointer: Pointer, requirements: Any) -> None:
        for i, requirement in _enumerate(requirements):
            for name, _scopes in _items(requirement):
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
        for name, header in _items(response.get("headers")):
            self.header((*pointer, "headers", name), header)
        self.content((*pointer, "content"), response.get("content"))
        for name, link in _items(response.get("links")):
            self.ref((*pointer, "links", name), link)

    def content(self, pointer: Pointer, content: Any) -> None:
        for media_type, media in _items(content):
            if not isinstance(media, dict):
                continue
            where = (*pointer, media_type)
            if "schema" in media:
                self.schema((*where, "schema"), media["schema"])
                self.examples_of(where, media, (*where, "schema"), media_type)
            else:
                for name, example in _items(media.get("examples")):
                    self.example_object((*where, "examples", name), example)
            for name, encoding in _items(media.get("encoding")):
                for header_name, header in _items(
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
        for name, example in _items(owner.get("examples")):
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
                for i, value in _enumerate(schema.get("examples")):
                    self.doc.examples.append(
                        ExampleSite("example", (*where, "examples", i), value, where)
                    )
            children: list[tuple[Pointer, Any]] = []
            for key in _ONE:
                if isinstance(schema.get(key), dict):
                    children.append(((*where, key), schema[key]))
            for key in _LIST:
                for i, sub in _enumerate(schema.get(key)):
                    children.append(((*where, key, i), sub))
            for key in _MAP:
                for name, sub in _items(schema.get(key)):
                    children.append(((*where, key, name), sub))
            stack.extend(reversed(children))


def _items(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        yield from node.items()


def _enumerate(node: Any) -> Iterator[tuple[int, Any]]:
    if isinstance(node, list):
        yield from enumerate(node)
