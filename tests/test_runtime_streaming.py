"""Typed event streams (sync and async) over a real local server."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime._errors import (
    APIResponseValidationError,
    APITimeoutError,
    IncompleteStreamError,
)
from generator.runtime._response import APIResponse, AsyncAPIResponse
from generator.runtime._streaming import AsyncStream, Stream
from tests.mockserver import MockServer, Reply, mock_server, sse_event, sse_stream  # noqa: F401
from tests.test_runtime_fakes import (
    API_KEY,
    AsyncClient,
    Client,
    ContentBlockDeltaEvent,
    MessageStartEvent,
    MessageStopEvent,
    STREAM_SPEC,
    OverloadedError,
    RateLimitError,
    error_body,
    text_stream_events,
)

EVENTS = text_stream_events(["Hel", "lo", " w\u00f6rld \U0001f600"])
WIRE = sse_stream(EVENTS)


@pytest.fixture
def client(mock_server: MockServer) -> Iterator[Client]:
    with Client(api_key=API_KEY, base_url=mock_server.url) as made:
        made._sleep = lambda _: None
        yield made


def open_stream(client: Client) -> Stream[object]:
    stream = client.create(model="m", stream=True)
    assert isinstance(stream, Stream)
    return stream


def test_events_are_parsed_in_order(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE))
    with open_stream(client) as stream:
        events = list(stream)
    assert [e.type for e in events] == [e["type"] for e in EVENTS]  # type: ignore[attr-defined]
    assert isinstance(events[0], MessageStartEvent) and isinstance(events[-1], MessageStopEvent)
    seen = mock_server.requests[0]
    assert seen.headers["accept"] == "text/event-stream" and seen.json()["stream"] is True
    assert stream.response.is_closed


@pytest.mark.parametrize("chunk_size", [1, 3, 64])
def test_any_chunking_with_crlf(client: Client, mock_server: MockServer, chunk_size: int) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(EVENTS, line_end="\r\n"), chunk_size=chunk_size))
    with open_stream(client) as stream:
        deltas = [e.delta["text"] for e in stream if isinstance(e, ContentBlockDeltaEvent)]
    assert "".join(deltas) == "Hello w\u00f6rld \U0001f600"


@pytest.mark.parametrize("chunk_size", [None, 3], ids=["per-event", "pieces"])
def test_bytes_that_are_not_utf8_are_replaced_however_the_events_arrive(
    client: Client, mock_server: MockServer, chunk_size: int | None
) -> None:
    wire = sse_stream(text_stream_events(["H~~", "llo"])).replace(b"~~", b"\xff")
    mock_server.enqueue(Reply.sse(wire, chunk_size=chunk_size))
    with open_stream(client) as stream:
        deltas = [e.delta["text"] for e in stream if isinstance(e, ContentBlockDeltaEvent)]
    assert deltas == ["H\ufffd", "llo"]


def test_ping_and_unknown_events_are_skipped(client: Client, mock_server: MockServer) -> None:
    wire = sse_event("ping", {"type": "ping"}) + sse_event("brand_new", {"type": "x"}) + WIRE
    mock_server.enqueue(Reply.sse(wire))
    with open_stream(client) as stream:
        assert len(list(stream)) == len(EVENTS)


def test_error_event_raises_the_mapped_class(client: Client, mock_server: MockServer) -> None:
    wire = sse_stream(EVENTS[:3]) + sse_event("error", error_body("overloaded_error", "Overloaded"))
    mock_server.enqueue(Reply.sse(wire, headers={"request-id": "req_9"}))
    seen: list[object] = []
    with pytest.raises(OverloadedError) as caught:
        for event in open_stream(client):
            seen.append(event)
    assert len(seen) == 3
    error = caught.value
    assert error.status_code == 529 and error.request_id == "req_9"
    assert error.body == error_body("overloaded_error", "Overloaded")
    assert str(error) == "529 overloaded_error: Overloaded (request-id req_9)"
    assert error.response.is_closed


def test_stream_ending_before_terminal_event_raises(
    client: Client, mock_server: MockServer
) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(EVENTS[:-1])))
    with pytest.raises(IncompleteStreamError) as caught:
        list(open_stream(client))
    assert caught.value.events_received == len(EVENTS) - 1


def test_close_delimited_stream_cut_short_raises(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply(headers={"content-type": "text/event-stream"}, body=WIRE[:-30], close_delimited=True)
    )
    with pytest.raises(IncompleteStreamError):
        list(open_stream(client))


@pytest.mark.parametrize("cut", [5, len(WIRE) // 2, len(WIRE) - 5])
def test_connection_dropped_mid_stream_raises(
    client: Client, mock_server: MockServer, cut: int
) -> None:
    mock_server.enqueue(Reply.sse(WIRE, chunk_size=16, drop_after=cut))
    with pytest.raises(IncompleteStreamError) as caught:
        list(open_stream(client))
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert len(mock_server.requests) == 1  # events may have been handed out: no retry


def test_read_timeout_mid_stream(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE, chunk_delay=1.0))
    with Client(api_key=API_KEY, base_url=mock_server.url, timeout=0.2) as client:
        with pytest.raises(APITimeoutError):
            list(open_stream(client))


def test_malformed_event_json(client: Client, mock_server: MockServer) -> None:
    wire = sse_stream(EVENTS[:2]) + b'event: content_block_delta\ndata: {"type": "content_blo\n\n'
    mock_server.enqueue(Reply.sse(wire))
    with pytest.raises(APIResponseValidationError):
        list(open_stream(client))


def test_event_that_does_not_fit_the_union(client: Client, mock_server: MockServer) -> None:
    wire = sse_event("content_block_delta", {"type": "content_block_delta", "index": "x"})
    mock_server.enqueue(Reply.sse(wire))
    with pytest.raises(APIResponseValidationError) as caught:
        list(open_stream(client))
    assert caught.value.body == {"type": "content_block_delta", "index": "x"}


@pytest.mark.parametrize("chunk_size", [None, 1 << 16], ids=["per-event", "one-chunk"])
def test_each_event_is_delivered_before_a_later_error(
    client: Client, mock_server: MockServer, chunk_size: int | None
) -> None:
    wire = sse_stream(EVENTS[:3]) + sse_event("error", error_body("overloaded_error", "x"))
    mock_server.enqueue(Reply.sse(wire, chunk_size=chunk_size))
    seen: list[object] = []
    with pytest.raises(OverloadedError):
        for event in open_stream(client):
            seen.append(event)
    assert len(seen) == 3


def test_nothing_after_the_terminal_event_is_parsed(
    client: Client, mock_server: MockServer
) -> None:
    # In the same chunk as message_stop: read (the connection is reused) but never parsed.
    wire = WIRE + b"event: content_block_delta\ndata: not json\n\n"
    mock_server.default = Reply.sse(wire, chunk_size=1 << 16)
    for _ in range(2):
        assert len(list(open_stream(client))) == len(EVENTS)
    assert mock_server.connections_opened == 1


def test_a_compressed_stream_is_decoded(client: Client, mock_server: MockServer) -> None:
    headers = {"content-encoding": "gzip"}
    mock_server.enqueue(Reply.sse(gzip.compress(WIRE), chunk_size=40, headers=headers))
    with open_stream(client) as stream:
        assert [e.type for e in stream] == [e["type"] for e in EVENTS]  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["identity", " Identity ", ""])
def test_a_stream_without_a_real_encoding_is_read_as_it_arrives(
    client: Client, mock_server: MockServer, encoding: str
) -> None:
    # Read straight from the response's byte stream (not through iter_bytes):
    # the same events, the response consumed and closed after.
    mock_server.enqueue(Reply.sse(WIRE, chunk_size=7, headers={"content-encoding": encoding}))
    with open_stream(client) as stream:
        assert [e.type for e in stream] == [e["type"] for e in EVENTS]  # type: ignore[attr-defined]
        assert stream.response.is_stream_consumed and stream.response.is_closed
        with pytest.raises(httpx.StreamConsumed):
            stream.response.read()


def test_a_compressed_stream_is_decoded_async(mock_server: MockServer) -> None:
    headers = {"content-encoding": "gzip"}
    mock_server.enqueue(Reply.sse(gzip.compress(WIRE), chunk_size=40, headers=headers))

    async def body(client: AsyncClient) -> None:
        async with await client.create(model="m", stream=True) as stream:  # type: ignore[union-attr]
            assert [e.type async for e in stream] == [e["type"] for e in EVENTS]  # type: ignore[attr-defined]

    run_async(mock_server, body)


def test_a_dropped_stream_names_its_request(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE, chunk_size=16, drop_after=40))
    with pytest.raises(IncompleteStreamError) as caught:
        list(open_stream(client))
    cause = caught.value.__cause__
    assert isinstance(cause, httpx.TransportError)
    assert cause.request.url.path.endswith("/messages")


def test_stream_is_retried_before_its_first_byte(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json(error_body("rate_limit_error", "slow down"), status=429), Reply.sse(WIRE)
    )
    assert len(list(open_stream(client))) == len(EVENTS)
    assert [r.headers["x-retry-count"] for r in mock_server.requests] == ["0", "1"]


def test_stream_error_status_raises_before_streaming(
    client: Client, mock_server: MockServer
) -> None:
    mock_server.default = Reply.json(error_body("rate_limit_error", "slow down"), status=429)
    with pytest.raises(RateLimitError):
        client.with_options(max_retries=0).create(model="m", stream=True)


def test_break_closes_the_connection(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE, chunk_delay=0.01))
    stream = open_stream(client)
    for _ in stream:
        break
    assert stream.response.is_closed
    assert mock_server.wait_idle()


def test_with_block_closes_an_unread_stream(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE, chunk_delay=0.01))
    with open_stream(client) as stream:
        pass
    assert stream.response.is_closed
    assert mock_server.wait_idle()
    assert list(stream) == []  # closed by the caller: ends quietly


def test_stream_iterates_once(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE))
    with open_stream(client) as stream:
        list(stream)
        with pytest.raises(RuntimeError):
            list(stream)


def test_completed_stream_returns_its_connection_to_the_pool(
    client: Client, mock_server: MockServer
) -> None:
    mock_server.default = Reply.sse(WIRE)
    for _ in range(3):
        assert len(list(open_stream(client))) == len(EVENTS)
    assert mock_server.connections_opened == 1


def test_raw_stream_response(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(WIRE, headers={"request-id": "req_s"}))
    raw = client.with_raw_response.create(model="m", stream=True)
    assert isinstance(raw, APIResponse)
    with raw:
        assert raw.request_id == "req_s"
        stream = raw.parse()
        assert isinstance(stream, Stream) and raw.parse() is stream
        assert len(list(stream)) == len(EVENTS)


# --- async ----------------------------------------------------------------------


def run_async(mock_server: MockServer, body: object) -> None:
    async def main() -> None:
        async with AsyncClient(api_key=API_KEY, base_url=mock_server.url) as client:

            async def no_sleep(_: float) -> None:
                return None

            client._sleep = no_sleep
            await body(client)  # type: ignore[operator]

    asyncio.run(main())


def test_async_stream_events_and_errors(mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json(error_body("overloaded_error", "busy"), status=529),
        Reply.sse(WIRE, chunk_size=5),
        Reply.sse(sse_stream(EVENTS[:2]) + sse_event("error", error_body("overloaded_error", "x"))),
        Reply.sse(WIRE, drop_after=100),
        Reply.sse(sse_stream(EVENTS[:-1])),
    )

    async def body(client: AsyncClient) -> None:
        stream = await client.create(model="m", stream=True)
        assert isinstance(stream, AsyncStream)
        async with stream:
            assert [e.type async for e in stream] == [e["type"] for e in EVENTS]  # type: ignore[attr-defined]
        with pytest.raises(OverloadedError):
            async with await client.create(model="m", stream=True) as stream:  # type: ignore[union-attr]
                async for _ in stream:
                    pass
        for _ in range(2):
            with pytest.raises(IncompleteStreamError):
                async with await client.create(model="m", stream=True) as stream:  # type: ignore[union-attr]
                    async for _ in stream:
                        pass

    run_async(mock_server, body)
    assert len(mock_server.requests) == 5


def test_async_break_and_close(mock_server: MockServer) -> None:
    mock_server.default = Reply.sse(WIRE, chunk_delay=0.01)

    async def body(client: AsyncClient) -> None:
        async with await client.create(model="m", stream=True) as stream:  # type: ignore[union-attr]
            async for _ in stream:
                break
        assert stream.response.is_closed
        raw = await client.with_raw_response.create(model="m", stream=True)
        assert isinstance(raw, AsyncAPIResponse)
        await raw.close()

    run_async(mock_server, body)
    assert mock_server.wait_idle()


# ------------------------------------------------------------ any framing, one answer
#
# A live stream sends each event in a chunk of its own, and the stream reads
# such a chunk a shorter way than the decoder's (``Stream._items``). Whatever
# the framing, the events must be the ones the decoder reads from the whole
# body at once.

_STYLES = ("plain", "crlf", "no-space", "two-data-lines", "comment-first", "id-line")


def _framed(event: dict[str, Any], style: str) -> bytes:
    name, data = event["type"], json.dumps(event)
    return {
        "plain": f"event: {name}\ndata: {data}\n\n",
        "crlf": f"event: {name}\r\ndata: {data}\r\n\r\n",
        "no-space": f"event:{name}\ndata:{data}\n\n",
        "two-data-lines": f"event: {name}\ndata: {{\ndata: {data[1:]}\n\n",
        "comment-first": f": keep-alive\nevent: {name}\ndata: {data}\n\n",
        "id-line": f"event: {name}\nid: 7\ndata: {data}\n\n",
    }[style].encode()


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def _response(chunks: list[bytes]) -> httpx.Response:
    return httpx.Response(
        200,
        headers={"content-type": "text/event-stream"},
        stream=_Chunks(chunks),
        request=httpx.Request("POST", "http://127.0.0.1/v1/messages"),
    )


def _read(chunks: list[bytes]) -> list[dict[str, Any]]:
    stream: Stream[Any] = Stream(
        _response(chunks), spec=STREAM_SPEC, error_types={}, status_errors={}
    )
    return [{"class": type(event).__name__, **event.model_dump()} for event in stream]


async def _aread(chunks: list[bytes]) -> list[dict[str, Any]]:
    stream: AsyncStream[Any] = AsyncStream(
        _response(chunks), spec=STREAM_SPEC, error_types={}, status_errors={}
    )
    return [{"class": type(event).__name__, **event.model_dump()} async for event in stream]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_events_are_the_same_however_they_are_framed_and_chunked(data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.text(max_size=6), min_size=1, max_size=8))
    events = text_stream_events(pieces)
    chunks: list[bytes] = []
    for event in events:
        # Mostly the live shape (one plain event per chunk), so that the short
        # way is taken, left and taken again between the other framings.
        style = data.draw(st.sampled_from(("plain",) * 6 + _STYLES))
        framed = _framed(event, style)
        how = data.draw(st.sampled_from(("own", "own", "own", "glued", "split")))
        if how == "glued" and chunks:
            chunks[-1] += framed
        elif how == "split":
            cut = data.draw(st.integers(1, len(framed) - 1))
            chunks += [framed[:cut], framed[cut:]]
        else:
            chunks.append(framed)
    expected = _read([b"".join(chunks)])
    assert [event["type"] for event in expected] == [event["type"] for event in events]
    assert _read(chunks) == expected
    assert asyncio.run(_aread(chunks)) == expected


def test_a_chunk_that_looks_like_the_last_event_but_holds_more_is_read_whole() -> None:
    # Each chunk starts like the deltas before it, but holds something else too.
    delta = text_stream_events(["a"])[2]
    plain = _framed(delta, "plain")
    line = plain[: plain.index(b"\n\n") + 1]
    chunks = [
        *(_framed(event, "plain") for event in text_stream_events(["a", "b"])[:4]),
        line + b"data: \n\n",  # a second data line: the data is the JSON plus "\n"
        plain + plain,  # two events
        line + b"\r\n",  # CRLF after LF: one event, ended by a CR line end
        plain.replace(b", ", b",\rdata: ", 1),  # a CR ends a line too: two data lines
        plain[:-1],  # the event's end arrives with the next chunk
        b"\n",
        *(_framed(event, "plain") for event in text_stream_events(["a", "b"])[4:]),
    ]
    got = _read(chunks)
    assert [event["type"] for event in got].count("content_block_delta") == 2 + 1 + 2 + 1 + 1 + 1
    assert got == _read([b"".join(chunks)])
