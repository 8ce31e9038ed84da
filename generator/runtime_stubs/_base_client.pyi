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

__all__ = [
    "AsyncAPIClient",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "SyncAPIClient",
]

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
    @property
    def auth_token(self) -> str | None: ...
    @property
    def default_headers(self) -> dict[str, str]: ...
    @property
    def default_query(self) -> dict[str, object]: ...
    def is_closed(self) -> bool:
        """Whether this client's connection pool is closed (then every call fails)."""

class DefaultHttpxClient(httpx.Client):
    """An ``httpx.Client`` with this client's defaults (timeout, pool size, redirects)."""

    def __init__(self, **kwargs: Any) -> None: ...

class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """The async twin of ``DefaultHttpxClient``."""

    def __init__(self, **kwargs: Any) -> None: ...

class SyncAPIClient(_ClientBase):
    """Base of the generated synchronous client."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int = ...,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None: ...
    def with_options(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        http_client: httpx.Client | None = None,
        max_retries: int | NotGiven = ...,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connections."""

    def copy(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        http_client: httpx.Client | None = None,
        max_retries: int | NotGiven = ...,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """The same as ``with_options``."""

    def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def get(self, path: str, *, cast_to: type[_T], options: Mapping[str, Any] | None = None) -> _T:
        """An undocumented endpoint, with this client's defaults, retries and errors."""

    def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
    def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
    def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
    def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
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
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        max_retries: int = ...,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None: ...
    def with_options(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        http_client: httpx.AsyncClient | None = None,
        max_retries: int | NotGiven = ...,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connections."""

    def copy(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = ...,
        http_client: httpx.AsyncClient | None = None,
        max_retries: int | NotGiven = ...,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """The same as ``with_options``."""

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def get(
        self, path: str, *, cast_to: type[_T], options: Mapping[str, Any] | None = None
    ) -> _T:
        """An undocumented endpoint, with this client's defaults, retries and errors."""

    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
    async def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
    async def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
    async def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T: ...
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
