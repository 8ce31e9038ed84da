"""The intermediate representation: plain, frozen, target-neutral data.

Templates never see the raw spec; they see these values. Nothing here knows how
to print itself as Python, stubs or Markdown: ``generator.typemap`` does that,
from one table, for every target.

Two facts that OpenAPI tends to blur are kept apart on purpose: whether a field
is *required* (on ``Field``) and whether it may be *null* (a ``Nullable`` type).
A third state, "not given", exists only in the generated code (the ``NOT_GIVEN``
sentinel) and is never a value in the IR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as _Literal, Union

from generator.diagnostics import Location

__all__ = [
    "AliasSchema",
    "Any_",
    "Api",
    "Constraints",
    "EnumSchema",
    "ErrorStatus",
    "Example",
    "Field",
    "JsonValue",
    "ListOf",
    "LiteralOf",
    "MISSING",
    "MapOf",
    "MethodBinding",
    "Nullable",
    "ObjectSchema",
    "Operation",
    "Pagination",
    "Parameter",
    "Primitive",
    "Ref",
    "Resource",
    "Response",
    "Schema",
    "StreamInfo",
    "TypeExpr",
    "UnionMember",
    "UnionOf",
    "UnionSchema",
    "Usage",
]

JsonValue = Union[None, bool, int, float, str, list["JsonValue"], dict[str, "JsonValue"]]


class _Missing:
    """Marks the absence of a default (``None`` is a real default)."""

    _instance: "_Missing | None" = None

    def __new__(cls) -> "_Missing":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()

# ---------------------------------------------------------------------------
# Type expressions: how a value is shaped where it is used.


@dataclass(frozen=True)
class Primitive:
    kind: _Literal["str", "int", "float", "bool", "bytes", "date", "datetime"]


@dataclass(frozen=True)
class Any_:
    """Any JSON value (a schema that says nothing, or ``{}``)."""


@dataclass(frozen=True)
class Ref:
    """A named schema, by its key under ``components/schemas``."""

    name: str


@dataclass(frozen=True)
class ListOf:
    item: "TypeExpr"


@dataclass(frozen=True)
class MapOf:
    value: "TypeExpr"


@dataclass(frozen=True)
class LiteralOf:
    """A closed set of values: an enum, or a ``const`` (one value)."""

    values: tuple[JsonValue, ...]


@dataclass(frozen=True)
class Nullable:
    inner: "TypeExpr"


@dataclass(frozen=True)
class UnionMember:
    type: "TypeExpr"
    tag: str | None = None


@dataclass(frozen=True)
class UnionOf:
    members: tuple[UnionMember, ...]
    # The property whose value picks the member; None for an untagged union.
    discriminator: str | None = None


TypeExpr = Union[Primitive, Any_, Ref, ListOf, MapOf, LiteralOf, Nullable, UnionOf]

# ---------------------------------------------------------------------------
# Named schemas: each kind is its own small type.


@dataclass(frozen=True)
class Usage:
    """Which side of the wire reaches a schema; decides what code it becomes."""

    request: bool = False
    response: bool = False


@dataclass(frozen=True)
class Constraints:
    minimum: float | int | None = None
    maximum: float | int | None = None
    exclusive_minimum: float | int | None = None
    exclusive_maximum: float | int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None

    def is_empty(self) -> bool:
        return self == Constraints()


@dataclass(frozen=True)
class Field:
    name: str  # on the wire
    py_name: str  # in Python
    type: TypeExpr
    required: bool
    description: str = ""
    default: object = MISSING
    constraints: Constraints = field(default_factory=Constraints)
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()


@dataclass(frozen=True)
class ObjectSchema:
    name: str
    class_name: str
    fields: tuple[Field, ...]
    description: str = ""
    # Type of properties beyond ``fields``: None when the schema closes them.
    additional: TypeExpr | None = None
    usage: Usage = Usage()
    location: Location | None = None


@dataclass(frozen=True)
class EnumSchema:
    name: str
    class_name: str
    values: tuple[JsonValue, ...]
    description: str = ""
    usage: Usage = Usage()
    location: Location | None = None


@dataclass(frozen=True)
class UnionSchema:
    name: str
    class_name: str
    union: UnionOf
    description: str = ""
    usage: Usage = Usage()
    location: Location | None = None


@dataclass(frozen=True)
class AliasSchema:
    """A named schema that is neither object, enum nor union (a list, a string...)."""

    name: str
    class_name: str
    target: TypeExpr
    description: str = ""
    usage: Usage = Usage()
    location: Location | None = None


Schema = Union[ObjectSchema, EnumSchema, UnionSchema, AliasSchema]

# ---------------------------------------------------------------------------
# Operations and the resource tree.


@dataclass(frozen=True)
class Parameter:
    name: str  # on the wire
    py_name: str
    location: _Literal["path", "query", "header", "cookie"]
    type: TypeExpr
    required: bool
    description: str = ""
    # A value the client always sends (a header whose schema is ``const``).
    fixed: object = MISSING
    default: object = MISSING
    constraints: Constraints = field(default_factory=Constraints)
    # Arrays: comma-joined (style simple / form without explode) or repeated.
    explode: bool = False


@dataclass(frozen=True)
class Example:
    """One example the spec gives: a request body, a response body or an event stream.

    ``value`` is the JSON value as written (an event stream's example is its
    text). Examples only document; no code is generated from them. Where they
    are held they are left out of ``==`` and ``hash`` (a JSON object is a dict).
    """

    name: str  # its key under ``examples`` ("example" for a lone ``example``)
    media_type: str
    value: JsonValue
    summary: str = ""
    description: str = ""


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str = ""
    type: TypeExpr | None = None
    content_type: str | None = None
    headers: tuple[str, ...] = ()
    # Every media type's examples, in the spec's order.
    examples: tuple[Example, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class StreamInfo:
    """A response that becomes server-sent events when ``flag`` is true."""

    flag: str  # the body property, on the wire
    flag_py_name: str
    event_type: TypeExpr
    terminal_event: str | None
    error_event: str | None
    helper: str | None  # name of the accumulate-into-final-message method


@dataclass(frozen=True)
class Pagination:
    """A list whose answer is one page of items between two cursors (``x-pagination``).

    ``items`` and ``has_more`` name the page's fields; ``after`` and ``before``
    name the query parameters that ask for the next and the previous page, and
    ``last`` and ``first`` the page fields whose values they take.
    """

    item_type: TypeExpr
    items: str
    has_more: str | None
    after: str | None
    last: str | None
    before: str | None
    first: str | None


@dataclass(frozen=True)
class UrlFrom:
    """A download whose URL is a field of another operation's reply (``x-url-from``).

    ``operation_id`` names that operation; ``field`` is the reply's URL field
    (null until the download is ready) and ``state`` an optional field whose
    value the not-ready error quotes.
    """

    operation_id: str
    field: str
    state: str | None = None


@dataclass(frozen=True)
class MethodBinding:
    """One Python method generated from an operation: its place and its arguments."""

    resource: tuple[str, ...]  # ("beta", "messages")
    name: str
    parameters: tuple[Parameter, ...]  # exposed as keyword arguments
    fixed_query: tuple[tuple[str, JsonValue], ...] = ()
    # Values always sent in a header, after any the caller gives for it (an
    # ``x-variants`` entry's ``headers``), each once.
    fixed_header_items: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # lower case HTTP method
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    fixed_headers: tuple[tuple[str, str], ...]
    body_fields: tuple[Field, ...]  # the request body's properties, flattened
    body_type: TypeExpr | None  # the request body schema, when it is not an object
    body_required: bool
    body_media: str | None  # the request body's content type, when there is a body
    result: TypeExpr | None  # the success response's JSON type
    responses: tuple[Response, ...]
    stream: StreamInfo | None
    bindings: tuple[MethodBinding, ...]
    deprecated: bool = False
    location: Location | None = None
    # The request body's examples (its chosen media type's), in the spec's order.
    request_examples: tuple[Example, ...] = field(default=(), compare=False)
    pagination: Pagination | None = None
    # A JSON Lines answer (``application/x-jsonl``): the type of one line.
    lines: TypeExpr | None = None
    lines_media: str | None = None
    # Where the request goes instead of ``path``: a URL another reply hands out.
    url_from: UrlFrom | None = None
    # A binary request body (``body_type`` is bytes): the media types the caller
    # chooses from when there is more than one, or a wildcard (``image/*``).
    body_media_choices: tuple[str, ...] = ()
    # A binary download: the success response's media types, for ``Accept``.
    download_media: str | None = None
    # What the spec says of a body passed whole (``body_type`` without fields).
    body_description: str = ""


@dataclass(frozen=True)
class Resource:
    """A node of ``client.<a>.<b>``: its methods and its child resources."""

    path: tuple[str, ...]
    class_name: str
    methods: tuple[tuple[Operation, MethodBinding], ...]
    children: tuple[str, ...]


@dataclass(frozen=True)
class ErrorStatus:
    status: int
    class_name: str
    error_type: str | None  # the error body's ``type`` tag, for mid-stream errors
    description: str = ""


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    package: str
    package_version: str
    client_name: str
    async_client_name: str
    api_key_env: str | None
    api_key_header: str | None
    base_url_env: str | None
    default_base_url: str
    schemas: tuple[Schema, ...]
    operations: tuple[Operation, ...]
    resources: tuple[Resource, ...]
    errors: tuple[ErrorStatus, ...]
    spec_path: str
    spec_sha256: str
    # The other files the spec is bundled from, relative to its folder (sorted).
    spec_files: tuple[str, ...] = ()
