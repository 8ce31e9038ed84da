"""The shared view of a spec that every check works on.

``Document`` holds what one walk of the spec found (see ``walk``) and resolves
references on demand through one cache, so a schema used a thousand times is
looked up once. Nothing here trusts the document's shape: checks run beside the
structural one, on specs that may be broken anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import unquote

from generator.diagnostics import Location
from generator.loader import Pointer, Spec

__all__ = [
    "Document",
    "ExampleSite",
    "Operation",
    "Ref",
    "items",
    "enumerate_list",
    "parse_local_ref",
    "pointer_text",
]

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


def items(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        yield from node.items()


def enumerate_list(node: Any) -> Iterator[tuple[int, Any]]:
    if isinstance(node, list):
        yield from enumerate(node)
