"""Small value types shared by the client, its options and the generated methods.

Two sentinels keep three states apart that ``None`` alone cannot:

- ``NOT_GIVEN``: the caller said nothing, so the default applies;
- ``None``: a real value (``timeout=None`` means "no timeout", not "default");
- ``OMIT``: remove something the client would otherwise send (a default header).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, Mapping, TypeVar, Union

import httpx
from typing_extensions import TypeAlias, TypeIs, override

__all__ = [
    "APIRequest",
    "Body",
    "Headers",
    "NOT_GIVEN",
    "NotGiven",
    "OMIT",
    "Omit",
    "Query",
    "RequestOptions",
    "Timeout",
    "is_given",
    "strip_not_given",
]

_V = TypeVar("_V")


class NotGiven:
    """The type of ``NOT_GIVEN``: an argument the caller did not pass.

    ``None`` cannot play this part because it is often a meaningful value:
    ``timeout=None`` disables the timeout, while leaving ``timeout`` out keeps
    the client's default. Like httpx's ``USE_CLIENT_DEFAULT``, the sentinel is a
    single falsy instance, so ``if timeout:`` style checks stay short and
    ``isinstance(value, NotGiven)`` narrows the type::

        def create(..., timeout: float | None | NotGiven = NOT_GIVEN) -> Message: ...
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance, so identity checks and pickling round-trips agree.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class Omit:
    """The type of ``OMIT``: remove a value the client would otherwise send.

    ``extra_headers={"anthropic-version": OMIT}`` drops that default header
    from the request, which neither ``None`` (ambiguous) nor ``NOT_GIVEN``
    ("keep the default") can say.
    """

    _instance: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "OMIT"

    def __reduce__(self) -> str:
        return "OMIT"


OMIT: Final = Omit()

Timeout: TypeAlias = Union[float, httpx.Timeout, None]
"""Seconds for every phase, an ``httpx.Timeout`` per phase, or ``None`` for none."""

Headers: TypeAlias = Mapping[str, Union[str, Omit, NotGiven]]
"""Extra headers; ``OMIT`` removes a header, ``NOT_GIVEN`` leaves the default alone."""

Query: TypeAlias = Mapping[str, object]
"""Extra query parameters; booleans are sent as ``true``/``false``."""

Body: TypeAlias = Mapping[str, object]
"""Extra top-level JSON body properties, merged over the method's own."""


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides that every generated method accepts."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


@dataclass(frozen=True)
class APIRequest:
    """One API call as the generated method describes it, before client defaults.

    ``path`` starts with ``/`` and is joined to the client's base URL (which may
    itself carry a path prefix). ``json`` is the body, or ``None`` for no body;
    ``content_type`` says how it goes on the wire (JSON, or a form whose nested
    objects and lists are spelled ``a[b]=1`` and ``a[0]=1``).
    """

    method: str
    path: str
    query: Mapping[str, object] = field(default_factory=dict)
    headers: Headers = field(default_factory=dict)
    json: Mapping[str, object] | None = None
    content_type: str = "application/json"


def strip_not_given(mapping: Mapping[str, _V | NotGiven] | None) -> dict[str, _V]:
    """A copy of ``mapping`` without its ``NOT_GIVEN`` values (``None`` is kept)."""
    if mapping is None:
        return {}
    return {key: value for key, value in mapping.items() if not isinstance(value, NotGiven)}


def is_given(value: _V | NotGiven) -> TypeIs[_V]:
    """Whether ``value`` was passed (``None`` counts as passed)."""
    return not isinstance(value, NotGiven)
