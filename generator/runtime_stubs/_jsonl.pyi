"""Stubs of ``_jsonl``: JSON Lines downloads, parsed one line at a time."""

from types import TracebackType
from typing import AsyncIterator, Generic, Iterator, TypeVar

import httpx
from typing_extensions import Self

from ._errors import APIResponseValidationError
from ._streaming import StreamSpec

__all__ = ["AsyncJSONLDecoder", "JSONLDecodeError", "JSONLDecoder", "LineSpec"]

_T = TypeVar("_T")

class JSONLDecodeError(APIResponseValidationError):
    """One line of a JSON Lines download is not JSON or does not fit its type."""

    line_number: int
    def __init__(
        self, message: str, *, response: httpx.Response, line_number: int, body: object = None
    ) -> None: ...

class LineSpec(StreamSpec[_T]):
    """A response of JSON Lines, each line parsed as ``event_type``."""

class JSONLDecoder(Generic[_T]):
    """Iterate for one parsed item per line; the response closes at the end."""

    response: httpx.Response
    def __init__(self, response: httpx.Response, spec: StreamSpec[_T]) -> None: ...
    @property
    def request_id(self) -> str | None: ...
    def __iter__(self) -> Iterator[_T]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncJSONLDecoder(Generic[_T]):
    """The async twin of ``JSONLDecoder``."""

    response: httpx.Response
    def __init__(self, response: httpx.Response, spec: StreamSpec[_T]) -> None: ...
    @property
    def request_id(self) -> str | None: ...
    def __aiter__(self) -> AsyncIterator[_T]: ...
    async def close(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
