"""The normalised model two spec versions are compared on.

Each kind of schema is its own small frozen type. What normalisation has
already done, so comparison never has to think about it again:

* ``$ref`` to a component is a ``Ref`` by name (components are compared once,
  by name, which keeps recursive specs finite); any other ``$ref`` is inlined;
* ``allOf`` is merged into one schema;
* nullability, however it was spelled (3.0 ``nullable: true``, 3.1
  ``type: [X, "null"]``, a ``{type: "null"}`` member of ``anyOf``/``oneOf``, a
  ``null`` in ``enum``), is one flag;
* a union member carries its discriminator tag when it has one.

Every node remembers the JSON pointer it came from, for ``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from generator.loader import Pointer

__all__ = [
    "AnyValue",
    "Array",
    "Body",
    "Bounds",
    "Member",
    "Model",
    "Node",
    "Object",
    "Operation",
    "Param",
    "Prop",
    "Ref",
    "Response",
    "Scalar",
    "UnionOf",
    "NO_DEFAULT",
]


class _NoDefault:
    """Marks a schema without ``default`` (``None`` is a real default)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT = _NoDefault()

# Bounds as sorted (keyword, value) pairs: minimum, maxLength, pattern, ...
Bounds = tuple[tuple[str, object], ...]


@dataclass(frozen=True, eq=False, kw_only=True)
class _Meta:
    """What every kind of schema may carry besides its shape."""

    pointer: Pointer
    nullable: bool = False
    description: str | None = None
    default: object = NO_DEFAULT
    deprecated: bool = False


@dataclass(frozen=True, eq=False, kw_only=True)
class AnyValue(_Meta):
    """A schema that accepts anything (``{}``, or nothing the model can express)."""


@dataclass(frozen=True, eq=False, kw_only=True)
class Ref(_Meta):
    """A use of the component schema ``name``."""

    name: str


@dataclass(frozen=True, eq=False, kw_only=True)
class Scalar(_Meta):
    type: str  # string, integer, number, boolean
    format: str | None = None
    enum: tuple[object, ...] | None = None  # a `const` is an enum of one value
    bounds: Bounds = ()


@dataclass(frozen=True, eq=False, kw_only=True)
class Array(_Meta):
    items: "Node"
    bounds: Bounds = ()


@dataclass(frozen=True, eq=False)
class Prop:
    name: str
    python_name: str
    node: "Node"


@dataclass(frozen=True, eq=False, kw_only=True)
class Object(_Meta):
    properties: tuple[Prop, ...] = ()  # sorted by name
    required: frozenset[str] = frozenset()
    additional: "Node | None" = None  # the value schema of a map; None if not a map
    bounds: Bounds = ()


@dataclass(frozen=True, eq=False)
class Member:
    node: "Node"
    tag: str | None = None  # the discriminator value, if the union has one


@dataclass(frozen=True, eq=False, kw_only=True)
class UnionOf(_Meta):
    members: tuple[Member, ...]
    discriminator: str | None = None


Node = Union[AnyValue, Ref, Scalar, Array, Object, UnionOf]


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # query, header, path, cookie
    python_name: str
    required: bool
    node: Node
    pointer: Pointer
    description: str | None = None
    deprecated: bool = False
    fixed: bool = False  # a header with a `const` schema, sent by the client itself


@dataclass(frozen=True)
class Body:
    required: bool
    content: dict[str, Node]  # media type -> schema
    pointer: Pointer
    description: str | None = None


@dataclass(frozen=True)
class Response:
    status: str
    content: dict[str, Node]
    pointer: Pointer
    description: str | None = None
    exception: str | None = None  # x-exception


@dataclass(frozen=True)
class Operation:
    method: str  # GET, POST, ...
    path: str
    operation_id: str
    python_methods: tuple[str, ...]  # "client.messages.create", then the x-variants
    parameters: dict[tuple[str, str], Param]  # (in, name) -> parameter
    body: Body | None
    responses: dict[str, Response]
    pointer: Pointer
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    # Parameter names that only an x-variant exposes (and which method that is).
    variant_params: dict[str, str] = field(default_factory=dict)
    # Components a variant uses as its own request body, reply or stream event
    # (``x-request-body``, ``x-response``, ``x-stream-event``): (method, direction, name).
    variant_roots: tuple[tuple[str, str, str], ...] = ()
    # ``x-pagination`` with its defaults filled in, as (key, value) pairs; None: not paginated.
    pagination: tuple[tuple[str, str | None], ...] | None = None
    # ``x-url-from`` as (operation, field): where the download's URL comes from; None: its path.
    url_from: tuple[str, str] | None = None
    # The docstrings an x-variants method has of its own: method -> (summary, description).
    variant_docs: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # The header values an x-variants method always sends (its entry's ``headers``):
    # method -> ((header, values), ...), sorted.
    variant_headers: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Model:
    """One normalised spec: its operations and its named schemas."""

    path: str
    operations: dict[tuple[str, str], Operation]  # (METHOD, path with {} holes) -> operation
    components: dict[str, Node]
