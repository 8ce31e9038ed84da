"""Server-sent events: an incremental decoder and the typed event streams.

The decoder follows the WHATWG "event stream" format. Bytes may arrive split
anywhere (inside a line, inside a CRLF, inside a multi-byte UTF-8 character),
so it splits *bytes* into lines and decodes only complete lines: the bytes CR
and LF never occur inside a multi-byte UTF-8 sequence. Splitting decoded text
instead would be wrong twice over: a character could be cut in half, and
``str.splitlines`` also breaks on characters such as U+2028 that are legal
inside JSON strings.

A ``Stream`` never ends short without saying so: it raises unless the
terminal event (``message_stop``) arrived. A mid-stream ``event: error``
raises the class the generated tables map its ``error.type`` to.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import (
    Any,
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Generic,
    Iterator,
    Mapping,
    TypeVar,
)

import httpx
import pydantic
import pydantic_core
from typing_extensions import Self

from ._errors import (
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    IncompleteStreamError,
    make_stream_error,
)
from ._response import describe_validation_error, type_adapter

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream", "StreamSpec"]

_T = TypeVar("_T")
_Item = TypeVar("_Item")


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event. ``event`` is ``None`` when the server named none."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Turns byte chunks into ``ServerSentEvent`` values, one ``feed`` at a time."""

    def __init__(self) -> None:
        self._partial: list[bytes] = []  # pieces of a line whose end has not arrived
        self._skip_lf = False  # the last chunk ended in CR, which may be half a CRLF
        self._first_line = True
        self._event: str | None = None
        self._data: list[str] = []
        self._last_id: str | None = None
        self._retry: int | None = None

    @property
    def pending(self) -> bool:
        """Whether an event has started but not been dispatched (useful at EOF)."""
        return bool(self._data or self._partial)

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if not chunk:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
                if not chunk:
                    return []
        if b"\n" not in chunk and b"\r" not in chunk:
            self._partial.append(chunk)
            return []
        if self._partial:
            self._partial.append(chunk)
            chunk = b"".join(self._partial)
            self._partial = []
        # bytes.splitlines breaks on CR, LF and CRLF only (unlike str.splitlines).
        lines = chunk.splitlines(keepends=True)
        if not lines[-1].endswith((b"\r", b"\n")):
            self._partial.append(lines.pop())
        elif lines[-1].endswith(b"\r"):
            self._skip_lf = True
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line.rstrip(b"\r\n").decode("utf-8", errors="replace"))
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if self._first_line:
            self._first_line = False
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value or None
        elif name == "id":
            if "\x00" not in value:
                self._last_id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        # An event without any data line is not dispatched (per the standard).
        event = None
        if self._data:
            event = ServerSentEvent(
                data="\n".join(self._data), event=self._event, id=self._last_id, retry=self._retry
            )
        self._data = []
        self._event = None
        return event


@dataclass(frozen=True)
class StreamSpec(Generic[_T]):
    """What the generated code knows about one operation's event stream.

    ``event_type`` is the type each ``data:`` is parsed into (usually the
    event union); write ``StreamSpec[RawMessageStreamEvent](event_type=...)``
    since a union cannot be inferred from a value. Events named in
    ``known_events``, or every event if it is ``None``, are parsed and
    yielded; others (``ping``, events newer than the client) are skipped.
    An event without an ``event:`` line takes its name from the
    ``name_field`` of its data (``None``: it stays unnamed).
    """

    event_type: Any
    terminal_event: str = "message_stop"
    error_event: str = "error"
    known_events: frozenset[str] | None = None
    name_field: str | None = "type"


class _StreamBase(Generic[_T]):
    def __init__(
        self,
        response: httpx.Response,
        *,
        spec: StreamSpec[_T],
        error_types: Mapping[str, type[APIStatusError]],
        status_errors: Mapping[int, type[APIStatusError]],
    ) -> None:
        self.response = response
        self._spec = spec
        self._adapter = type_adapter(spec.event_type)
        self._error_types = error_types
        self._status_errors = status_errors
        self._started = False
        self._closed = False
        self._count = 0
        self._done = False

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    def _claim(self) -> None:
        if self._started:
            raise RuntimeError("a stream can be iterated only once")
        self._started = True

    def _handle(self, sse: ServerSentEvent, parse: Callable[[str], _Item]) -> _Item | None:
        """The parsed item for ``sse``, ``None`` to skip it; raises for an error event."""
        spec = self._spec
        name = sse.event if sse.event is not None else self._name_in_data(sse.data)
        if name == spec.error_event:
            raise make_stream_error(
                self._json(sse.data),
                response=self.response,
                error_types=self._error_types,
                status_errors=self._status_errors,
            )
        if spec.known_events is not None and name is not None:
            if name not in spec.known_events:
                return None
        item = parse(sse.data)
        self._count += 1
        if name == spec.terminal_event:
            self._done = True
        return item

    def _name_in_data(self, data: str) -> str | None:
        # An event sent without an ``event:`` line (legal SSE) is named by the
        # ``name_field`` of its data, so its end and its errors are still seen.
        if self._spec.name_field is None:
            return None
        try:
            raw = pydantic_core.from_json(data)
        except ValueError:
            return None  # parsing it reports the problem
        name = raw.get(self._spec.name_field) if isinstance(raw, dict) else None
        return name if isinstance(name, str) else None

    def _parse(self, data: str) -> _T:
        try:
            parsed: _T = self._adapter.validate_json(data)
        except pydantic.ValidationError as exc:
            raise self._invalid(exc, data) from exc
        return parsed

    def _parse_pair(self, data: str) -> tuple[_T, dict[str, Any]]:
        raw = self._json(data)
        if not isinstance(raw, dict):
            raise APIResponseValidationError(
                f"stream event is not a JSON object: {data[:200]!r}", response=self.response
            )
        try:
            parsed: _T = self._adapter.validate_python(raw)
        except pydantic.ValidationError as exc:
            raise self._invalid(exc, data) from exc
        return parsed, raw

    def _json(self, data: str) -> object:
        try:
            return pydantic_core.from_json(data)
        except ValueError as exc:
            raise APIResponseValidationError(
                f"stream event is not valid JSON ({exc}): {data[:200]!r}", response=self.response
            ) from exc

    def _invalid(self, exc: pydantic.ValidationError, data: str) -> APIResponseValidationError:
        body: object = None
        try:
            body = pydantic_core.from_json(data)
        except ValueError:
            pass
        return APIResponseValidationError(
            describe_validation_error(exc, self._spec.event_type), response=self.response, body=body
        )

    def _transport_error(self, exc: httpx.TransportError) -> Exception:
        request = self.response.request
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"stream timed out after {self._count} events", request=request)
        return IncompleteStreamError(
            f"stream interrupted after {self._count} events: {type(exc).__name__}: {exc}",
            request=request,
            events_received=self._count,
        )

    def _premature_end(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            f"stream ended after {self._count} events without {self._spec.terminal_event!r}",
            request=self.response.request,
            events_received=self._count,
        )


class Stream(_StreamBase[_T]):
    """The parsed events of one streaming response; iterate it once.

    Leaving the loop early (``break``, an exception), leaving a ``with`` block
    or calling ``close()`` closes the connection.
    """

    def __iter__(self) -> Iterator[_T]:
        return self._run(self._parse)

    def _iter_pairs(self) -> Iterator[tuple[_T, dict[str, Any]]]:
        """Each event with the JSON object it was parsed from (for accumulators)."""
        return self._run(self._parse_pair)

    def _run(self, parse: Callable[[str], _Item]) -> Generator[_Item, None, None]:
        self._claim()
        events = self._events()
        try:
            for sse in events:
                # After the terminal event the rest is read and ignored, so the
                # connection can go back to the pool.
                if not self._done:
                    item = self._handle(sse, parse)
                    if item is not None:
                        yield item
            if not self._done and not self._closed:
                raise self._premature_end()
        finally:
            events.close()
            self.close()

    def _events(self) -> Generator[ServerSentEvent, None, None]:
        decoder = SSEDecoder()
        try:
            for chunk in self.response.iter_bytes():
                yield from decoder.feed(chunk)
        except httpx.StreamClosed:
            if not self._closed:
                raise
        except httpx.TransportError as exc:
            # Once the terminal event is in, the answer is complete.
            if not self._done:
                raise self._transport_error(exc) from exc

    def close(self) -> None:
        self._closed = True
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(_StreamBase[_T]):
    """The async twin of ``Stream``.

    ``break`` closes the connection only when the event loop finalises the
    iterator; use ``async with`` (or ``await stream.close()``) to close it at
    once.
    """

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._run(self._parse)

    def _iter_pairs(self) -> AsyncIterator[tuple[_T, dict[str, Any]]]:
        return self._run(self._parse_pair)

    async def _run(self, parse: Callable[[str], _Item]) -> AsyncGenerator[_Item, None]:
        self._claim()
        events = self._events()
        try:
            async for sse in events:
                if not self._done:
                    item = self._handle(sse, parse)
                    if item is not None:
                        yield item
            if not self._done and not self._closed:
                raise self._premature_end()
        finally:
            await events.aclose()
            await self.close()

    async def _events(self) -> AsyncGenerator[ServerSentEvent, None]:
        decoder = SSEDecoder()
        try:
            async for chunk in self.response.aiter_bytes():
                for event in decoder.feed(chunk):
                    yield event
        except httpx.StreamClosed:
            if not self._closed:
                raise
        except httpx.TransportError as exc:
            if not self._done:
                raise self._transport_error(exc) from exc

    async def close(self) -> None:
        self._closed = True
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
