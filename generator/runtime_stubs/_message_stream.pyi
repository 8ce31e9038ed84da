"""Stubs of ``_message_stream``: stream events and accumulate the final message."""

from types import TracebackType
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generic,
    Iterator,
    Literal,
    TypeVar,
    Union,
)

import httpx
from typing_extensions import TypeAlias

from ._models import BaseModel
from ._streaming import AsyncStream, Stream

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "CitationEvent",
    "ContentBlockStopEvent",
    "InputJsonEvent",
    "MessageStopEvent",
    "MessageStreamEvent",
    "MessageStream",
    "MessageStreamManager",
    "SignatureEvent",
    "TextEvent",
    "ThinkingEvent",
]

_E = TypeVar("_E")
_M = TypeVar("_M", bound=BaseModel)
_B = TypeVar("_B")

class TextEvent(BaseModel):
    """A piece of text (``text``) and the whole text of its block so far (``snapshot``)."""

    type: Literal["text"]
    text: str
    snapshot: str

class CitationEvent(BaseModel):
    """A citation added to a text block, and all of that block's citations so far."""

    type: Literal["citation"]
    citation: Any
    snapshot: list[Any]

class ThinkingEvent(BaseModel):
    """A piece of thinking, and the block's thinking so far."""

    type: Literal["thinking"]
    thinking: str
    snapshot: str

class SignatureEvent(BaseModel):
    """The signature of a thinking block."""

    type: Literal["signature"]
    signature: str

class InputJsonEvent(BaseModel):
    """A piece of a tool's input JSON, and the input so far, parsed as far as it goes."""

    type: Literal["input_json"]
    partial_json: str
    snapshot: object

class MessageStopEvent(BaseModel, Generic[_M]):
    """The end of the message, with the whole ``message``."""

    type: Literal["message_stop"]
    message: _M

class ContentBlockStopEvent(BaseModel, Generic[_B]):
    """The end of content block ``index``, with the finished ``content_block``."""

    type: Literal["content_block_stop"]
    index: int
    content_block: _B

MessageStreamEvent: TypeAlias = Union[
    _E,
    TextEvent,
    CitationEvent,
    ThinkingEvent,
    SignatureEvent,
    InputJsonEvent,
    MessageStopEvent[_M],
    ContentBlockStopEvent[_B],
]

class _MessageStreamBase(Generic[_E, _M, _B]):
    response: httpx.Response
    @property
    def request_id(self) -> str | None: ...
    @property
    def current_message_snapshot(self) -> _M:
        """The message accumulated so far, as a model."""

class MessageStream(_MessageStreamBase[_E, _M, _B]):
    """The events of one streamed message, accumulated as they pass."""

    def __init__(self, stream: Stream[Any], *, message_type: type[_M]) -> None: ...
    def __iter__(self) -> Iterator[MessageStreamEvent[_E, _M, _B]]: ...
    def __next__(self) -> MessageStreamEvent[_E, _M, _B]: ...
    @property
    def text_stream(self) -> Iterator[str]:
        """The text deltas, as they arrive."""

    def until_done(self) -> None: ...
    def get_final_message(self) -> _M:
        """Read the rest of the stream; the complete message."""

    def get_final_text(self) -> str:
        """The text blocks of the final message, joined; raises if there are none."""

    def close(self) -> None: ...
    def __enter__(self) -> MessageStream[_E, _M, _B]: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class MessageStreamManager(Generic[_E, _M, _B]):
    """What ``client.messages.stream(...)`` returns: the request starts on ``with``."""

    def __init__(
        self, api_request: Callable[[], Stream[Any]], *, message_type: type[_M]
    ) -> None: ...
    def __enter__(self) -> MessageStream[_E, _M, _B]: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncMessageStream(_MessageStreamBase[_E, _M, _B]):
    """The async twin of ``MessageStream``."""

    def __init__(self, stream: AsyncStream[Any], *, message_type: type[_M]) -> None: ...
    def __aiter__(self) -> AsyncIterator[MessageStreamEvent[_E, _M, _B]]: ...
    async def __anext__(self) -> MessageStreamEvent[_E, _M, _B]: ...
    @property
    def text_stream(self) -> AsyncIterator[str]: ...
    async def until_done(self) -> None: ...
    async def get_final_message(self) -> _M: ...
    async def get_final_text(self) -> str: ...
    async def close(self) -> None: ...
    async def __aenter__(self) -> AsyncMessageStream[_E, _M, _B]: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncMessageStreamManager(Generic[_E, _M, _B]):
    """What the async ``client.messages.stream(...)`` returns; use ``async with``."""

    def __init__(
        self, api_request: Callable[[], Awaitable[AsyncStream[Any]]], *, message_type: type[_M]
    ) -> None: ...
    async def __aenter__(self) -> AsyncMessageStream[_E, _M, _B]: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
