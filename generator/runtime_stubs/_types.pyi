"""Stubs of ``_types``: the sentinels and option types every method accepts."""

from typing import Final, Literal, Mapping, TypeVar, Union

import httpx
from typing_extensions import TypeAlias, TypeIs

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
    "not_given",
    "omit",
    "strip_not_given",
]

_V = TypeVar("_V")

class NotGiven:
    """The type of ``NOT_GIVEN``: an argument the caller did not pass (``None`` is a value)."""

    def __bool__(self) -> Literal[False]: ...

NOT_GIVEN: Final[NotGiven]
not_given: Final[NotGiven]

class Omit(NotGiven):
    """The type of ``OMIT``: remove a value the client would otherwise send."""

OMIT: Final[Omit]
omit: Final[Omit]

Timeout: TypeAlias = Union[float, httpx.Timeout, None]
Headers: TypeAlias = Mapping[str, Union[str, Omit, NotGiven]]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = Mapping[str, object]

class RequestOptions:
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: Timeout | NotGiven
    max_retries: int | NotGiven
    def __init__(
        self,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int | NotGiven = ...,
    ) -> None: ...

class APIRequest:
    method: str
    path: str
    query: Mapping[str, object]
    headers: Headers
    json: object
    content_type: str
    fixed_headers: Mapping[str, str]
    url: str | None
    content: object
    def __init__(
        self,
        method: str,
        path: str,
        query: Mapping[str, object] = ...,
        headers: Headers = ...,
        json: object = None,
        content_type: str = "application/json",
        fixed_headers: Mapping[str, str] = ...,
        url: str | None = None,
        content: object = None,
    ) -> None: ...

def strip_not_given(mapping: Mapping[str, _V | NotGiven] | None) -> dict[str, _V]: ...
def is_given(value: _V | NotGiven) -> TypeIs[_V]: ...
