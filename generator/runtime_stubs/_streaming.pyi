"""Stubs of ``_streaming``: the typed event streams."""

from types import TracebackType
from typing import Any, AsyncIterator, Generic, Iterable, Iterator, Mapping, TypeVar

import httpx
from typing_extensions import Self

from ._errors import APIStatusError

__all__ = ["AsyncStream", "ServerSentEvent", "Stream", "StreamSpec"]

_T = TypeVar("_T")

class ServerSentEvent:
    """One dispatched event. ``event`` is ``None`` when the server named none."""

    @property
    def data(self) -> str: ...
    @property
    def event(self) -> str | None: ...
    @property
    def id(self) -> str | None: ...
    @property
    def retry(self) -> int | None: ...
    def __init__(
        self, data: str, event: str | None = None, id: str | None = None, retry: int | None = None
    ) -> None: ...

class StreamSpec(Generic[_T]):
    """What the generated code knows about one operation's event stream."""

    @property
    def event_type(self) -> Any: ...
    @property
    def terminal_event(self) -> str: ...
    @property
    def error_event(self) -> str: ...
    @property
    def known_events(self) -> frozenset[str] | None: ...
    @property
    def name_field(self) -> str | None: ...
    def __init__(
        self,
        event_type: Any,
        terminal_event: str = "message_stop",
        error_event: str = "error",
        known_events: frozenset[str] | None = None,
        name_field: str | None = "type",
    ) -> None: ...

class Stream(Generic[_T]):
    """The parsed events of one streaming response; iterate it once."""

    response: httpx.Response
    def __init__(
        self,
        response: httpx.Response,
        *,
        spec: StreamSpec[_T],
        error_types: Mapping[str, type[APIStatusError]],
        status_errors: Mapping[int, type[APIStatusError]],
        secrets: Iterable[str] = (),
    ) -> None: ...
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

class AsyncStream(Generic[_T]):
    """The async twin of ``Stream``; use ``async with`` to close it at once."""

    response: httpx.Response
    def __init__(
        self,
        response: httpx.Response,
        *,
        spec: StreamSpec[_T],
        error_types: Mapping[str, type[APIStatusError]],
        status_errors: Mapping[int, type[APIStatusError]],
        secrets: Iterable[str] = (),
    ) -> None: ...
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
