"""``client.messages.stream(...)``: stream events and accumulate the final message.

::

    with client.messages.stream(model=..., max_tokens=..., messages=...) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
        message = stream.get_final_message()

The accumulator works on the JSON objects the events were parsed from, not on
the models: appending to a ``str`` in a dict is cheap, and the final message is
validated once, at the end, by the generated ``Message`` model. Tool input
arrives as JSON text in pieces; it is parsed when its block stops, strictly, so
a malformed input is reported rather than silently truncated.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Generic,
    Iterator,
    TypeVar,
)

import httpx

from ._errors import APIResponseValidationError
from ._response import describe_validation_error, validator
from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "MessageAccumulator",
    "MessageStream",
    "MessageStreamManager",
]

_E = TypeVar("_E")
_M = TypeVar("_M", bound="pydantic.BaseModel")

_Raw = dict[str, Any]

_NEEDS_MESSAGE = frozenset(
    {
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    }
)


class MessageAccumulator:
    """Builds the message, as a JSON object, from the raw stream events."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.message: _Raw | None = None
        self._tool_json: dict[int, list[str]] = {}  # block index -> pieces of input JSON

    def add(self, event: _Raw) -> None:
        kind = event.get("type")
        if kind == "message_start":
            self.message = _copy_message(event["message"])
            return
        message = self.message
        if message is None:
            if kind in _NEEDS_MESSAGE:
                raise self._error(f"{kind} event before message_start")
            return
        content: list[_Raw] = message["content"]
        if kind == "content_block_start":
            content.append(_copy_block(event["content_block"]))
        elif kind == "content_block_delta":
            self._delta(content, event["index"], event["delta"])
        elif kind == "content_block_stop":
            self._finish_input(content, event["index"])
        elif kind == "message_delta":
            message.update(event.get("delta") or {})
            usage = event.get("usage")
            if isinstance(usage, dict):
                merged = dict(message.get("usage") or {})
                merged.update((key, value) for key, value in usage.items() if value is not None)
                message["usage"] = merged
        elif kind == "message_stop":
            for index in list(self._tool_json):
                self._finish_input(content, index)
        # Anything else (ping, events newer than this client) changes nothing.

    def _delta(self, content: list[_Raw], index: int, delta: _Raw) -> None:
        try:
            block = content[index]
        except IndexError:
            raise self._error(f"content_block_delta for unknown block {index}") from None
        kind = delta.get("type")
        if kind == "text_delta":
            block["text"] = block.get("text", "") + delta["text"]
        elif kind == "input_json_delta":
            self._tool_json.setdefault(index, []).append(delta["partial_json"])
        elif kind == "thinking_delta":
            block["thinking"] = block.get("thinking", "") + delta["thinking"]
        elif kind == "signature_delta":
            block["signature"] = delta["signature"]
        elif kind == "citations_delta":
            citations = block.get("citations")
            if not isinstance(citations, list):
                citations = block["citations"] = []
            citations.append(delta["citation"])

    def _finish_input(self, content: list[_Raw], index: int) -> None:
        pieces = self._tool_json.pop(index, None)
        if pieces is None:
            return
        text = "".join(pieces)
        try:
            content[index]["input"] = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise self._error(
                f"tool input of content block {index} is not valid JSON ({exc})"
            ) from exc

    def snapshot(self) -> _Raw:
        """The message so far, with in-progress tool input parsed as far as it goes."""
        if self.message is None:
            raise RuntimeError("no message_start event has arrived yet")
        if not self._tool_json:
            return self.message
        content = list(self.message["content"])
        for index, pieces in self._tool_json.items():
            text = "".join(pieces)
            partial: object = {}
            if text.strip():
                from pydantic_core import from_json  # loaded by the models already

                try:
                    partial = from_json(text, allow_partial=True)
                except ValueError:
                    partial = {}
            content[index] = {**content[index], "input": partial}
        return {**self.message, "content": content}

    def build(self, message_type: type[_M]) -> _M:
        parser = validator(message_type)
        try:
            built: _M = parser.validate_python(self.snapshot())
        except parser.error as exc:
            raise APIResponseValidationError(
                describe_validation_error(exc, message_type), response=self._response
            ) from exc
        return built

    def _error(self, message: str) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"malformed message stream: {message}", response=self._response
        )


def _copy_message(message: _Raw) -> _Raw:
    # Copies, so accumulating never writes into the event objects handed out.
    copied = dict(message)
    copied["content"] = [_copy_block(block) for block in message.get("content") or []]
    if isinstance(message.get("usage"), dict):
        copied["usage"] = dict(message["usage"])
    return copied


def _copy_block(block: _Raw) -> _Raw:
    copied = dict(block)
    if isinstance(block.get("citations"), list):
        copied["citations"] = list(block["citations"])
    return copied


def _text_of(event: _Raw) -> str | None:
    if event.get("type") == "content_block_delta":
        delta = event.get("delta")
        if isinstance(delta, dict) and delta.get("type") == "text_delta":
            text = delta.get("text")
            return text if isinstance(text, str) else None
    return None


def _final_text(message: _Raw) -> str:
    blocks = message.get("content") or []
    texts = [block["text"] for block in blocks if block.get("type") == "text"]
    if not texts:
        kinds = ", ".join(str(block.get("type")) for block in blocks) or "none"
        raise RuntimeError(f"the message has no text block (content blocks: {kinds})")
    return "".join(texts)


class _MessageStreamBase(Generic[_E, _M]):
    def __init__(self, response: httpx.Response, message_type: type[_M]) -> None:
        self.response = response
        self._message_type = message_type
        self._accumulator = MessageAccumulator(response)
        self._final: _M | None = None

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    @property
    def current_message_snapshot(self) -> _M:
        """The message accumulated so far, as a model."""
        return self._accumulator.build(self._message_type)

    def _final_message(self) -> _M:
        if self._final is None:
            self._final = self._accumulator.build(self._message_type)
        return self._final


class MessageStream(_MessageStreamBase[_E, _M]):
    """The events of one streamed message, accumulated as they pass.

    ``for event in stream``, ``stream.text_stream`` and ``get_final_message()``
    share one position: each continues where the others stopped.
    """

    def __init__(self, stream: Stream[_E], *, message_type: type[_M]) -> None:
        super().__init__(stream.response, message_type)
        self._stream = stream
        self._iterator = self._accumulate()

    def _accumulate(self) -> Generator[tuple[_E, _Raw], None, None]:
        for event, raw in self._stream._iter_pairs():
            self._accumulator.add(raw)
            yield event, raw

    def __iter__(self) -> Iterator[_E]:
        for event, _ in self._iterator:
            yield event

    def __next__(self) -> _E:
        return next(self._iterator)[0]

    @property
    def text_stream(self) -> Iterator[str]:
        """The text deltas, as they arrive."""
        for _, raw in self._iterator:
            text = _text_of(raw)
            if text is not None:
                yield text

    def until_done(self) -> None:
        for _ in self._iterator:
            pass

    def get_final_message(self) -> _M:
        """Read the rest of the stream; the complete message."""
        self.until_done()
        return self._final_message()

    def get_final_text(self) -> str:
        """The text blocks of the final message, joined; raises if there are none."""
        self.until_done()
        assert self._accumulator.message is not None
        return _final_text(self._accumulator.message)

    def close(self) -> None:
        self._iterator.close()
        self._stream.close()

    def __enter__(self) -> MessageStream[_E, _M]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class MessageStreamManager(Generic[_E, _M]):
    """What ``client.messages.stream(...)`` returns: the request starts on ``with``."""

    def __init__(self, api_request: Callable[[], Stream[_E]], *, message_type: type[_M]) -> None:
        self._api_request = api_request
        self._message_type = message_type
        self._stream: MessageStream[_E, _M] | None = None

    def __enter__(self) -> MessageStream[_E, _M]:
        self._stream = MessageStream(self._api_request(), message_type=self._message_type)
        return self._stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncMessageStream(_MessageStreamBase[_E, _M]):
    """The async twin of ``MessageStream``."""

    def __init__(self, stream: AsyncStream[_E], *, message_type: type[_M]) -> None:
        super().__init__(stream.response, message_type)
        self._stream = stream
        self._iterator = self._accumulate()

    async def _accumulate(self) -> AsyncGenerator[tuple[_E, _Raw], None]:
        async for event, raw in self._stream._iter_pairs():
            self._accumulator.add(raw)
            yield event, raw

    async def __aiter__(self) -> AsyncIterator[_E]:
        async for event, _ in self._iterator:
            yield event

    async def __anext__(self) -> _E:
        return (await self._iterator.__anext__())[0]

    @property
    async def text_stream(self) -> AsyncIterator[str]:
        async for _, raw in self._iterator:
            text = _text_of(raw)
            if text is not None:
                yield text

    async def until_done(self) -> None:
        async for _ in self._iterator:
            pass

    async def get_final_message(self) -> _M:
        await self.until_done()
        return self._final_message()

    async def get_final_text(self) -> str:
        await self.until_done()
        assert self._accumulator.message is not None
        return _final_text(self._accumulator.message)

    async def close(self) -> None:
        await self._iterator.aclose()
        await self._stream.close()

    async def __aenter__(self) -> AsyncMessageStream[_E, _M]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncMessageStreamManager(Generic[_E, _M]):
    """What the async ``client.messages.stream(...)`` returns; use ``async with``."""

    def __init__(
        self, api_request: Callable[[], Awaitable[AsyncStream[_E]]], *, message_type: type[_M]
    ) -> None:
        self._api_request = api_request
        self._message_type = message_type
        self._stream: AsyncMessageStream[_E, _M] | None = None

    async def __aenter__(self) -> AsyncMessageStream[_E, _M]:
        stream = await self._api_request()
        self._stream = AsyncMessageStream(stream, message_type=self._message_type)
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
