"""Stubs of ``_base_client``: what every generated client inherits.

Retries: 408, 409, 429 and 5xx answers, connection failures and timeouts are
retried up to ``max_retries`` times (default 2) with exponential backoff that
honours ``retry-after``.
"""

from types import TracebackType
from typing import Any, Literal, Mapping, TypeVar, overload

import httpx
from typing_extensions import Self

from ._streaming import AsyncStream, Stream, StreamSpec
from ._types import APIRequest, NotGiven, RequestOptions, Timeout

__all__ = ["AsyncAPIClient", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "SyncAPIClient"]

_T = TypeVar("_T")
_E = TypeVar("_E")

DEFAULT_TIMEOUT: httpx.Timeout
DEFAULT_MAX_RETRIES: int

class _ClientBase:
    base_url: httpx.URL
    timeout: Timeout
    max_retries: int
    @property
    def api_key(self) -> str: ...

class SyncAPIClient(_ClientBase):
    """Base of the generated synchronous client."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int = ...,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None: ...
    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int | NotGiven = ...,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connections."""

    @property
    def is_closed(self) -> bool: ...
    def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: Literal[False] = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: Literal[False] = False,
    ) -> _T: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: Literal[True],
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> Stream[_E]: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: bool,
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> _T | Stream[_E]: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: bool = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: bool = False,
    ) -> Any: ...

class AsyncAPIClient(_ClientBase):
    """Base of the generated asynchronous client; mirrors ``SyncAPIClient``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int = ...,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None: ...
    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int | NotGiven = ...,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connections."""

    @property
    def is_closed(self) -> bool: ...
    async def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: Literal[False] = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: Literal[False] = False,
    ) -> _T: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: Literal[True],
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> AsyncStream[_E]: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: bool,
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> _T | AsyncStream[_E]: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: bool = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: bool = False,
    ) -> Any: ...
