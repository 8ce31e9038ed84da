"""Small value types shared by the client, its options and the generated methods.

Two sentinels keep three states apart that ``None`` alone cannot:

- ``NOT_GIVEN``: the caller said nothing, so the default applies;
- ``None``: a real value (``timeout=None`` means "no timeout", not "default");
- ``OMIT``: remove something the client would otherwise send (a default header).

``not_given`` and ``omit`` are the same two objects under the names the
official SDK uses; ``Omit`` is a kind of ``NotGiven``, so ``omit`` passed for a
method's parameter leaves it out, as it does there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, Mapping, TypeVar, Union

import httpx
from typing_extensions import Self, TypeAlias, TypeIs, override

__all__ = [
    "APIRequest",
    "Body",
    "Headers",
    "NOT_GIVEN",
    "NotGiven",
    "OMIT",
    "Omit",
    "not_given",
    "omit",
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

    def __new__(cls) -> Self:
        # One instance per class, so identity checks and pickling round-trips
        # agree. Read from the class's own namespace: ``Omit`` inherits the
        # attribute, not the instance.
        instance = cls.__dict__.get("_instance")
        if instance is None:
            instance = super().__new__(cls)
            cls._instance = instance
        return instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
not_given: Final = NOT_GIVEN


class Omit(NotGiven):
    """The type of ``OMIT``: remove a value the client would otherwise send.

    ``extra_headers={"anthropic-version": OMIT}`` drops that default header
    from the request, which neither ``None`` (ambiguous) nor ``NOT_GIVEN``
    ("keep the default") can say. As a method's argument it is simply not
    given.
    """

    _instance: Omit | None = None

    @override
    def __repr__(self) -> str:
        return "OMIT"

    def __reduce__(self) -> str:
        return "OMIT"


OMIT: Final = Omit()
omit: Final = OMIT

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
    itself carry a path prefix). ``json`` is the body (an object, or any other
    JSON value), or ``None`` for no body;
    ``content_type`` says how it goes on the wire (JSON, or a form whose nested
    objects and lists are spelled ``a[b]=1`` and ``a[0]=1``).

    ``fixed_headers`` are the constants the API asks for on this operation
    (``anthropic-version``); the client's ``default_headers`` override them.
    ``headers`` come from the call's own arguments and override both.

    ``url``, when set, is where the request goes instead of ``path``: a URL the
    API handed out (a download link), absolute or relative to the base URL. It
    is used as given: ``query`` is not added to it (only ``extra_query``), and
    on another origin than the base URL's the credentials are left out.
    """

    method: str
    path: str
    query: Mapping[str, object] = field(default_factory=dict)
    headers: Headers = field(default_factory=dict)
    json: object = None
    content_type: str = "application/json"
    fixed_headers: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None
    # A binary body (``_binary.FileContent``), sent as it is instead of ``json``.
    content: object = None


def strip_not_given(mapping: Mapping[str, _V | NotGiven] | None) -> dict[str, _V]:
    """A copy of ``mapping`` without its ``NOT_GIVEN`` values (``None`` is kept)."""
    if mapping is None:
        return {}
    return {key: value for key, value in mapping.items() if not isinstance(value, NotGiven)}


def is_given(value: _V | NotGiven) -> TypeIs[_V]:
    """Whether ``value`` was passed (``None`` counts as passed)."""
    return not isinstance(value, NotGiven)
