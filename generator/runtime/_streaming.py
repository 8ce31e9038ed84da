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
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Generic,
    Iterable,
    Iterator,
    Mapping,
    TypeVar,
    cast,
)

import httpx
from typing_extensions import Self

from ._errors import (
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    IncompleteStreamError,
    make_stream_error,
)
from ._response import describe_problems, invalid_json, validator

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "AsyncStream",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamSpec",
    "describe_event_error",
]

_T = TypeVar("_T")


@dataclass(frozen=True)  # not slots=True: Python 3.9 has no such option
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
        self._data: str | None = None  # the data lines so far, joined by LF
        self._last_id: str | None = None
        self._retry: int | None = None
        # Nothing is carried over between chunks and the byte order mark has been
        # looked for: a chunk that holds one whole event can take the short way.
        self._clean = False

    @property
    def clean(self) -> bool:
        """Whether nothing is carried over: the next chunk starts a line, and an event."""
        return self._clean

    @property
    def pending(self) -> bool:
        """Whether an event has started but not been dispatched (useful at EOF)."""
        return self._data is not None or bool(self._partial)

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        return [
            ServerSentEvent(_text(data), event, last_id, retry)
            for data, event, last_id, retry in self.decode(chunk)
        ]

    def decode(self, chunk: bytes) -> list[tuple[str | bytes, str | None, str | None, int | None]]:
        """What ``feed`` gives, each event as a plain ``(data, event, id, retry)`` tuple.

        The streams use this form: a tuple costs a fraction of an object, and
        this loop runs for every line of every stream. ``data`` is the bytes of
        the data line when the chunk was one whole event (the short way below),
        not yet decoded: pydantic reads JSON from bytes as well, and a stream
        decodes them (``_text``) only when that fails.
        """
        if not chunk:
            return []
        if self._clean and chunk.startswith(b"event: ") and chunk.endswith(b"\n\n"):
            # The shape a live stream sends in each chunk: one whole event, an
            # ``event:`` line and one ``data:`` line, and nothing carried over
            # from the chunk before. Read in a few C calls; it gives what the
            # loop below would.
            end = chunk.find(b"\n")
            last = len(chunk) - 2
            if (
                chunk.startswith(b"data: ", end + 1)
                and chunk.find(b"\n", end + 7) == last
                and b"\r" not in chunk
            ):
                named = chunk[7:end].decode("utf-8", "replace") or None
                return [(chunk[end + 7 : last], named, self._last_id, self._retry)]
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
                if not chunk:
                    return []
        if b"\r" in chunk:
            # Every line end becomes LF, so one split finds them all. A final CR
            # may be the first half of a CRLF whose LF starts the next chunk.
            self._skip_lf = chunk[-1:] == b"\r"
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end < 0:
            self._partial.append(chunk)
            self._clean = False
            return []
        complete = chunk[:end]
        if self._partial:
            self._partial.append(complete)
            complete = b"".join(self._partial)
        self._partial = [chunk[end + 1 :]] if end + 1 < len(chunk) else []
        # Decoded as a whole: LF never occurs inside a multi-byte sequence, so
        # this is what decoding line by line would give, in one call.
        text = complete.decode("utf-8", errors="replace")
        if self._first_line:
            self._first_line = False
            text = text.removeprefix("\ufeff")
        events: list[tuple[str | bytes, str | None, str | None, int | None]] = []
        event = self._event
        data = self._data
        # str.split, not splitlines: U+2028 and friends may occur inside JSON.
        for line in text.split("\n"):
            if not line:
                # An event without any data line is not dispatched (per the standard).
                if data is not None:
                    events.append((data, event, self._last_id, self._retry))
                    data = None
                event = None
            elif line.startswith("data:"):
                value = line[6:] if line[5:6] == " " else line[5:]
                data = value if data is None else f"{data}\n{value}"
            elif line.startswith("event:"):
                event = (line[7:] if line[6:7] == " " else line[6:]) or None
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data":
                    data = value if data is None else f"{data}\n{value}"
                elif name == "event":
                    event = value or None
                elif name == "id":
                    if "\x00" not in value:
                        self._last_id = value
                elif name == "retry":
                    if value.isascii() and value.isdigit():
                        self._retry = int(value)
                # Anything else, comments (an empty name) included, is ignored.
        self._event = event
        self._data = data
        self._clean = data is None and event is None and not self._partial and not self._skip_lf
        return events


def _encoded(response: httpx.Response) -> bool:
    """Whether the body must be read through httpx's decoders (or has been read already).

    Also true for a response that is consumed or closed, so that reading it
    raises what httpx raises then.
    """
    encoding = response.headers.get("content-encoding")
    return (
        response.is_stream_consumed
        or response.is_closed
        or (encoding is not None and encoding.strip().lower() not in ("", "identity"))
    )


def _text(data: str | bytes) -> str:
    # What the decoder's loop makes of a data line: bytes that are not UTF-8 replaced.
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


@dataclass(frozen=True)
class StreamSpec(Generic[_T]):
    """What the generated code knows about one operation's event stream.

    ``event_type`` is the type each ``data:`` is parsed into (usually the
    event union); write ``StreamSpec[RawMessageStreamEvent](event_type=...)``
    since a union cannot be inferred from a value. Events named in
    ``known_events``, or every event if it is ``None``, are parsed and
    yielded; others are skipped, and so are the keep-alive events named in
    ``skip_events`` (``ping``), which carry nothing for the caller. An event
    newer than the client is not skipped by default: it parses as the
    union's fallback (``UnknownVariant``), so its data is not lost.
    An event without an ``event:`` line takes its name from the
    ``name_field`` of its data (``None``: it stays unnamed).
    """

    event_type: Any
    terminal_event: str = "message_stop"
    error_event: str = "error"
    known_events: frozenset[str] | None = None
    name_field: str | None = "type"
    skip_events: frozenset[str] = frozenset({"ping"})


def describe_event_error(exc: pydantic.ValidationError, event: object) -> str:
    """Which event failed, and where: ``malformed content_block_delta event: delta.text: ...``.

    pydantic's locations include the tag of every union member they went
    through (``content_block_delta.delta.text_delta.text``); those are dropped
    by walking ``event``, the JSON the error is about, so that what remains is
    the path of fields as they appear in the event.
    """
    kind = event.get("type") if isinstance(event, dict) else None
    head = f"malformed {kind} event" if isinstance(kind, str) else "malformed stream event"
    return describe_problems(head, exc, lambda loc: _field_path(loc, event) or "<event>")


def _field_path(loc: tuple[int | str, ...], node: object) -> str:
    path: list[str] = []
    last = len(loc) - 1
    for position, part in enumerate(loc):
        # Only a field or a union's tag leads deeper, and a tag is never the last
        # part (a member is chosen, then fails inside): what is not a key is a tag.
        if (
            position < last
            and isinstance(node, dict)
            and (part not in node or part == node.get("type"))
        ):
            continue
        path.append(str(part))
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return ".".join(path)


class _StreamBase(Generic[_T]):
    def __init__(
        self,
        response: httpx.Response,
        *,
        spec: StreamSpec[_T],
        error_types: Mapping[str, type[APIStatusError]],
        status_errors: Mapping[int, type[APIStatusError]],
        secrets: Iterable[str] = (),
    ) -> None:
        # pydantic comes with the first stream, not with the client (see ``validator``).
        from pydantic_core import from_json

        self.response = response
        self._spec = spec
        self._validator = validator(spec.event_type)
        self._from_json = from_json
        self._error_types = error_types
        self._status_errors = status_errors
        self._secrets = tuple(secrets)  # masked out of ``error`` events (an echoed API key)
        self._started = False
        self._closed = False
        self._count = 0
        self._done = False
        self._ordinary: set[str] = set()  # event names that are only parsed and yielded
        self._head = b"\r"  # see ``_items``
        self._head_name: str | None = None
        self._owner: object = None  # the client that made it, kept alive with it

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    def _claim(self) -> None:
        if self._started:
            raise RuntimeError("a stream can be iterated only once")
        self._started = True

    def _items(
        self,
        chunks: Iterable[bytes],
        decoder: SSEDecoder,
        expand: Callable[[Any], tuple[Any, ...]] | None,
    ) -> Iterator[Any]:
        """The parsed items of the events in ``chunks``; raises for an error event.

        Stops after the terminal event. ``expand``, if given, turns each parsed
        event into the items to yield in its place (the ``messages.stream()``
        helper's events). Every event of every stream passes through this loop,
        so an event of a name seen before that parses costs no call of ours.
        """
        spec = self._spec
        known, error, terminal = (
            spec.known_events,
            spec.error_event,
            spec.terminal_event,
        )
        skip = spec.skip_events
        parse = self._validator.fast.validate_json
        invalid = self._validator.error
        ordinary = self._ordinary
        count = self._count
        # The shortest way of all, for a chunk that is one whole event of the
        # same ordinary name as the last one that took the long way: a live
        # stream sends its deltas in a row, one chunk each. ``head`` is that
        # event's first line and the start of its data line; the checks below
        # make sure nothing else is in the chunk, so it decodes as the decoder
        # would. It is used only while the decoder carries nothing over, and
        # otherwise is CR, which fails the checks of any chunk it starts.
        head = self._head if decoder.clean else b"\r"
        start = len(head)
        try:
            for chunk in chunks:
                # (Each check is the cheapest of its kind: ``find`` of one byte
                # is a ``memchr``, where ``in`` and ``endswith`` cost twice as
                # much, measured in instructions per event.)
                if (
                    chunk.startswith(head)
                    and chunk.find(b"\n", start) == len(chunk) - 2
                    and chunk[-1] == 10  # LF
                    and chunk.find(b"\r") < 0
                ):
                    data: str | bytes = chunk[start:-2]
                    try:
                        item = parse(data)
                    except invalid as exc:
                        item = self._parse_again(data, exc)
                    count += 1
                    if expand is None:
                        yield item
                    else:
                        yield from expand(item)
                    continue
                for data, name, _, _ in decoder.decode(chunk):
                    if name not in ordinary:
                        if name is None:
                            name = self._name_in_data(data)
                        if name == error:
                            raise self._stream_error(data)
                        if name in skip or (
                            known is not None and name is not None and name not in known
                        ):
                            continue
                        if name == terminal:
                            try:
                                item = parse(data)
                            except invalid as exc:
                                item = self._parse_again(data, exc)
                            count += 1
                            self._done = True
                            if expand is None:
                                yield item
                            else:
                                yield from expand(item)
                            return
                        if name is not None and len(ordinary) < 64:
                            # Named, parsed and yielded, and not the last: from now on
                            # an event of this name takes the short way.
                            ordinary.add(name)
                    if name != self._head_name and name is not None:
                        self._head_name = name
                        self._head = b"event: %s\ndata: " % name.encode()
                    try:
                        item = parse(data)
                    except invalid as exc:
                        item = self._parse_again(data, exc)
                    count += 1
                    if expand is None:
                        yield item
                    else:
                        yield from expand(item)
                head = self._head if decoder.clean else b"\r"
                start = len(head)
        finally:
            self._count = count

    def _name_in_data(self, data: str | bytes) -> str | None:
        # An event sent without an ``event:`` line (legal SSE) is named by the
        # ``name_field`` of its data, so its end and its errors are still seen.
        if self._spec.name_field is None:
            return None
        try:
            raw = self._from_json(_text(data))
        except ValueError:
            return None  # parsing it reports the problem
        name = raw.get(self._spec.name_field) if isinstance(raw, dict) else None
        return name if isinstance(name, str) else None

    def _stream_error(self, data: str | bytes) -> APIStatusError:
        return make_stream_error(
            self._json(_text(data)),
            response=self.response,
            error_types=self._error_types,
            status_errors=self._status_errors,
            secrets=self._secrets,
        )

    def _parse_again(self, data: str | bytes, exc: pydantic.ValidationError) -> Any:
        """``data``, which the fast schema rejected with ``exc``, parsed leniently."""
        if isinstance(data, bytes):
            ascii_only = data.isascii()
            data = _text(data)
            if not ascii_only:
                # Bytes that are not UTF-8 fail in pydantic; decoded with replacement
                # they may parse, as they would have on the decoder's long way.
                try:
                    return self._validator.fast.validate_json(data)
                except self._validator.error as again:
                    exc = again
        lenient = self._validator.lenient
        if lenient is not None:
            try:
                return lenient.validate_json(data)
            except self._validator.error as lenient_exc:
                exc = lenient_exc
        raise self._invalid(exc, data) from exc

    def _json(self, data: str) -> object:
        try:
            return self._from_json(data)
        except ValueError as exc:
            raise APIResponseValidationError(
                f"stream event is not valid JSON ({exc}): {data[:200]!r}",
                response=self.response,
            ) from exc

    def _invalid(self, exc: pydantic.ValidationError, data: str) -> APIResponseValidationError:
        return invalid_json(exc, data, self.response, describe_event_error)

    def _transport_error(self, exc: httpx.RequestError) -> Exception:
        request = self.response.request
        try:
            exc.request
        except RuntimeError:  # read from the byte stream itself, which leaves it unset
            exc.request = request
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
        return self._run(None)

    def _run(self, expand: Callable[[Any], tuple[Any, ...]] | None) -> Generator[Any, None, None]:
        self._claim()
        decoder = SSEDecoder()
        response = self.response
        chunks: Iterator[bytes]
        if _encoded(response):
            chunks = response.iter_bytes()
        else:
            # Without a content encoding the bytes on the wire are the body: read
            # from the response's own byte stream, which skips the decoder and
            # the re-chunker of ``iter_bytes`` and the generator and chunker of
            # ``iter_raw``, per chunk, which is per event when the server sends
            # one chunk per event (as the API does). What ``iter_raw`` would do
            # besides is done here: the response is marked consumed, and closed
            # at the end (``finally``).
            response.is_stream_consumed = True
            chunks = iter(cast("httpx.SyncByteStream", response.stream))
        try:
            try:
                # One generator for the whole stream: no frame of ours is made
                # per chunk.
                yield from self._items(chunks, decoder, expand)
                # After the terminal event the rest is read and ignored, so the
                # connection can go back to the pool.
                for _ in chunks:
                    pass
            except httpx.StreamClosed:
                if not self._closed:
                    raise
            except (httpx.TransportError, httpx.DecodingError) as exc:
                # Once the terminal event is in, the answer is complete.
                if not self._done:
                    raise self._transport_error(exc) from exc
            if not self._done and not self._closed:
                raise self._premature_end()
        finally:
            if isinstance(chunks, Generator):  # as httpx makes it, though typed as an iterator
                chunks.close()
            self.close()

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
        return self._run(None)

    async def _run(
        self, expand: Callable[[Any], tuple[Any, ...]] | None
    ) -> AsyncGenerator[Any, None]:
        self._claim()
        decoder = SSEDecoder()
        response = self.response
        chunks: AsyncIterator[bytes]
        if _encoded(response):
            chunks = response.aiter_bytes()
        else:
            response.is_stream_consumed = True  # as in ``Stream._run``
            chunks = cast("httpx.AsyncByteStream", response.stream).__aiter__()
        try:
            try:
                async for chunk in chunks:
                    if not self._done:
                        for item in self._items((chunk,), decoder, expand):
                            yield item
            except httpx.StreamClosed:
                if not self._closed:
                    raise
            except (httpx.TransportError, httpx.DecodingError) as exc:
                if not self._done:
                    raise self._transport_error(exc) from exc
            if not self._done and not self._closed:
                raise self._premature_end()
        finally:
            if isinstance(chunks, AsyncGenerator):
                await chunks.aclose()
            await self.close()

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
