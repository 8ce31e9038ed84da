"""Stubs of ``_response``: the raw responses behind ``with_raw_response``."""

from types import TracebackType
from typing import Callable, Generic, TypeVar

import httpx
from typing_extensions import Self

__all__ = ["APIResponse", "AsyncAPIResponse"]

_T = TypeVar("_T")

class _ResponseBase(Generic[_T]):
    http_response: httpx.Response
    retries_taken: int
    def __init__(
        self, http_response: httpx.Response, *, parser: Callable[[], _T], retries_taken: int
    ) -> None: ...
    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> httpx.Headers: ...
    @property
    def request_id(self) -> str | None: ...
    @property
    def url(self) -> httpx.URL: ...
    @property
    def content(self) -> bytes: ...
    @property
    def text(self) -> str: ...
    def parse(self) -> _T:
        """The value the plain method returns; built once, then cached."""

class APIResponse(_ResponseBase[_T]):
    """A raw response from the sync client. A stream's must be closed (or consumed)."""

    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncAPIResponse(_ResponseBase[_T]):
    """A raw response from the async client; ``parse()`` needs no ``await``."""

    async def close(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
