"""Stubs of ``_message_stream``: stream events and accumulate the final message."""

from types import TracebackType
from typing import AsyncIterator, Awaitable, Callable, Generic, Iterator, TypeVar

import httpx

from ._models import BaseModel
from ._streaming import AsyncStream, Stream

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "MessageStream",
    "MessageStreamManager",
]

_E = TypeVar("_E")
_M = TypeVar("_M", bound=BaseModel)

class _MessageStreamBase(Generic[_E, _M]):
    response: httpx.Response
    @property
    def request_id(self) -> str | None: ...
    @property
    def current_message_snapshot(self) -> _M:
        """The message accumulated so far, as a model."""

class MessageStream(_MessageStreamBase[_E, _M]):
    """The events of one streamed message, accumulated as they pass."""

    def __init__(self, stream: Stream[_E], *, message_type: type[_M]) -> None: ...
    def __iter__(self) -> Iterator[_E]: ...
    def __next__(self) -> _E: ...
    @property
    def text_stream(self) -> Iterator[str]:
        """The text deltas, as they arrive."""

    def until_done(self) -> None: ...
    def get_final_message(self) -> _M:
        """Read the rest of the stream; the complete message."""

    def get_final_text(self) -> str:
        """The text blocks of the final message, joined; raises if there are none."""

    def close(self) -> None: ...
    def __enter__(self) -> MessageStream[_E, _M]: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class MessageStreamManager(Generic[_E, _M]):
    """What ``client.messages.stream(...)`` returns: the request starts on ``with``."""

    def __init__(
        self, api_request: Callable[[], Stream[_E]], *, message_type: type[_M]
    ) -> None: ...
    def __enter__(self) -> MessageStream[_E, _M]: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncMessageStream(_MessageStreamBase[_E, _M]):
    """The async twin of ``MessageStream``."""

    def __init__(self, stream: AsyncStream[_E], *, message_type: type[_M]) -> None: ...
    def __aiter__(self) -> AsyncIterator[_E]: ...
    async def __anext__(self) -> _E: ...
    @property
    def text_stream(self) -> AsyncIterator[str]: ...
    async def until_done(self) -> None: ...
    async def get_final_message(self) -> _M: ...
    async def get_final_text(self) -> str: ...
    async def close(self) -> None: ...
    async def __aenter__(self) -> AsyncMessageStream[_E, _M]: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncMessageStreamManager(Generic[_E, _M]):
    """What the async ``client.messages.stream(...)`` returns; use ``async with``."""

    def __init__(
        self, api_request: Callable[[], Awaitable[AsyncStream[_E]]], *, message_type: type[_M]
    ) -> None: ...
    async def __aenter__(self) -> AsyncMessageStream[_E, _M]: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
