"""The generated client against hostile or broken servers, all real ones on 127.0.0.1.

A key echoed back in a stream's ``error`` event, redirects to another origin,
redirect loops, bodies that claim gzip and are not, malformed events, and a
server that drips its answer one byte at a time: each ends in one of the
client's own exceptions, without the API key, and without hanging.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.client_expectations import events_of
from tests.client_support import (
    API_KEY,
    HELLO,
    MODEL,
    client,  # noqa: F401
    message_example,
    run_async,
    sleeps,  # noqa: F401
    stream_example,
)
from tests.mockserver import MockServer, Reply, mock_server, sse_event, sse_stream  # noqa: F401

import anthropic_messages  # isort: skip
from anthropic_messages import Anthropic, AsyncAnthropic  # isort: skip


def args(**extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 1024, "messages": HELLO, **extra}


def shown(error: BaseException) -> list[str]:
    """Every way an exception is commonly shown: str, repr, args and the traceback."""
    return [
        str(error),
        repr(error),
        repr(error.args),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]


# --- 1. the API key in a stream's error event -------------------------------------


def echoing_stream() -> bytes:
    start, *_ = events_of(stream_example("text"))
    echo = {
        "type": "error",
        "error": {"type": "authentication_error", "message": f"bad x-api-key: {API_KEY}"},
    }
    return sse_stream([start]) + sse_event("error", echo)


def test_key_echoed_in_a_stream_error_event_is_masked(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(Reply.sse(echoing_stream(), headers={"request-id": "req_e"}))
    with pytest.raises(anthropic_messages.AuthenticationError) as caught:
        list(client.messages.create(**args(stream=True)))
    for text in shown(caught.value):
        assert API_KEY not in text
    assert str(caught.value) == "401 authentication_error: bad x-api-key: *** (request-id req_e)"


def test_key_echoed_in_a_stream_error_event_is_masked_async(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(echoing_stream()))

    async def body(made: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.AuthenticationError) as caught:
            async with made.messages.stream(**args()) as stream:
                await stream.get_final_message()
        for text in shown(caught.value):
            assert API_KEY not in text
        assert "***" in str(caught.value)

    run_async(mock_server, body)


# --- 2. redirects keep credentials to their origin --------------------------------

CREDENTIALS = {"authorization": f"Bearer {API_KEY}", "x-gateway": f"key={API_KEY}"}


def redirect_to(url: str, status: int) -> Reply:
    return Reply(status=status, headers={"location": url})


@pytest.fixture
def other_server() -> Iterator[MockServer]:
    """A second server, on another port: another origin."""
    with MockServer() as server:
        yield server


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_goes_without_credentials(
    mock_server: MockServer, other_server: MockServer, status: int
) -> None:
    mock_server.enqueue(redirect_to(other_server.url + "/v1/messages", status))
    other_server.enqueue(Reply.json(message_example("text")))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, default_headers=CREDENTIALS) as c:
        message = c.messages.create(**args())
    assert message.to_dict() == message_example("text")
    (first,) = mock_server.requests
    (moved,) = other_server.requests
    assert first.headers["x-api-key"] == API_KEY
    assert first.headers["authorization"] == CREDENTIALS["authorization"]
    assert API_KEY not in json.dumps(moved.headers)
    assert moved.headers["anthropic-version"] and moved.headers["user-agent"]
    if status in (307, 308):  # the method and body are kept, as the status says
        assert moved.method == "POST" and moved.json() == first.json()


def test_credentials_stripped_once_stay_stripped(
    mock_server: MockServer, other_server: MockServer
) -> None:
    # away and back again: the server that bounced it back could read the key
    mock_server.enqueue(
        redirect_to(other_server.url + "/hop", 307), Reply.json(message_example("text"))
    )
    other_server.enqueue(redirect_to(mock_server.url + "/v1/messages", 307))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url) as c:
        c.messages.create(**args())
    first, back = mock_server.requests
    assert first.headers["x-api-key"] == API_KEY and "x-api-key" not in back.headers


def test_a_redirect_within_the_origin_keeps_credentials(mock_server: MockServer) -> None:
    mock_server.enqueue(
        redirect_to(mock_server.url + "/v2/messages", 308), Reply.json(message_example("text"))
    )
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, default_headers=CREDENTIALS) as c:
        c.messages.create(**args())
    first, moved = mock_server.requests
    assert moved.path == "/v2/messages"
    for name in ("x-api-key", "authorization", "x-gateway"):
        assert moved.headers[name] == first.headers[name]


def test_a_redirect_to_another_origin_goes_without_credentials_async(
    mock_server: MockServer, other_server: MockServer
) -> None:
    mock_server.enqueue(redirect_to(other_server.url + "/v1/messages", 307))
    other_server.enqueue(Reply.sse(stream_example("text")))

    async def body(made: AsyncAnthropic) -> None:
        events = [event async for event in await made.messages.create(**args(stream=True))]
        assert events[-1].type == "message_stop"

    run_async(mock_server, body, default_headers=CREDENTIALS)
    (moved,) = other_server.requests
    assert API_KEY not in json.dumps(moved.headers)
    assert mock_server.requests[0].headers["x-api-key"] == API_KEY


def test_a_client_that_does_not_follow_redirects_is_respected(mock_server: MockServer) -> None:
    mock_server.enqueue(redirect_to(mock_server.url + "/v2/messages", 307))
    http = httpx.Client(follow_redirects=False)
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, http_client=http) as c:
        with pytest.raises(anthropic_messages.APIStatusError) as caught:
            c.messages.create(**args())
    http.close()
    assert caught.value.status_code == 307 and len(mock_server.requests) == 1


# --- 4. redirect loops and undecodable bodies are the client's own errors ----------


def test_a_redirect_loop_is_a_connection_error(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.default = redirect_to(mock_server.url + "/v1/messages", 307)
    with pytest.raises(anthropic_messages.APIConnectionError, match="too many redirects"):
        client.messages.create(**args())
    # httpx's limit (20 redirects), and a loop is not retried: it would loop again
    assert len(mock_server.requests) == 21 and sleeps == []


def test_a_redirect_loop_is_a_connection_error_async(mock_server: MockServer) -> None:
    mock_server.default = redirect_to("/v1/messages", 302)

    async def body(made: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.APIConnectionError, match="too many redirects"):
            await made.messages.create(**args())

    run_async(mock_server, body)
    assert len(mock_server.requests) == 21


BROKEN_GZIP = {"content-type": "application/json", "content-encoding": "gzip"}


def test_a_body_that_is_not_gzip_is_a_connection_error(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.default = Reply(headers=BROKEN_GZIP, body=b'{"type": "message"}')
    with pytest.raises(anthropic_messages.APIConnectionError, match="could not be decoded"):
        client.messages.create(**args())
    assert len(mock_server.requests) == 3 and len(sleeps) == 2  # retried, as a read failure is


def test_a_body_that_is_not_gzip_is_a_connection_error_async(mock_server: MockServer) -> None:
    mock_server.default = Reply(headers=BROKEN_GZIP, body=b"\x1f\x8b not really")

    async def body(made: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.APIConnectionError, match="could not be decoded"):
            await made.messages.create(**args())

    run_async(mock_server, body, max_retries=0)


def test_a_stream_that_is_not_gzip_is_an_incomplete_stream(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(
        Reply(
            headers={"content-type": "text/event-stream", "content-encoding": "gzip"},
            chunks=[b"event: ping\ndata: {}\n\n"],
        )
    )
    with pytest.raises(anthropic_messages.IncompleteStreamError, match="DecodingError"):
        list(client.messages.create(**args(stream=True)))

    mock_server.enqueue(
        Reply(
            headers={"content-type": "text/event-stream", "content-encoding": "gzip"},
            chunks=[b"event: ping\ndata: {}\n\n"],
        )
    )

    async def body(made: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.IncompleteStreamError, match="DecodingError"):
            [event async for event in await made.messages.create(**args(stream=True))]

    run_async(mock_server, body)


# --- 5. a malformed event says which event and which field -------------------------


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}},
            "malformed content_block_delta event: delta.text: Field required",
        ),
        (
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": 5}},
            "malformed content_block_delta event: delta.text: Input should be a valid string",
        ),
        (
            {"type": "message_delta", "delta": {}, "usage": {"output_tokens": "many"}},
            "malformed message_delta event: usage.output_tokens: Input should be a valid integer,"
            " unable to parse string as an integer",
        ),
    ],
    ids=["missing", "wrong-type", "nested"],
)
def test_a_malformed_event_names_its_type_and_field(
    client: Anthropic, mock_server: MockServer, event: dict[str, Any], message: str
) -> None:
    start, *_ = events_of(stream_example("text"))
    mock_server.enqueue(Reply.sse(sse_stream([start, event])))
    with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
        list(client.messages.create(**args(stream=True)))
    assert str(caught.value) == message
    assert caught.value.body == event


def test_a_malformed_event_names_its_type_and_field_async(mock_server: MockServer) -> None:
    start, *_ = events_of(stream_example("text"))
    bad = {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use"}}
    mock_server.enqueue(Reply.sse(sse_stream([start, bad])))

    async def body(made: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
            async with made.messages.stream(**args()) as stream:
                await stream.get_final_message()
        assert str(caught.value).startswith(
            "malformed content_block_start event: content_block.id: Field required"
        )

    run_async(mock_server, body)


# --- 3. a server that drips its answer ---------------------------------------------


class DripServer:
    """Answers every request with ``head`` at once, then ``drip`` one byte every ``interval`` s."""

    def __init__(self, head: bytes, drip: bytes, interval: float) -> None:
        self.head = head
        self.drip = drip
        self.interval = interval
        self.requests = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def seconds_to_finish(self) -> float:
        return len(self.drip) * self.interval

    def __enter__(self) -> DripServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in [self._accepting, *self._threads]:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        self._listener.settimeout(0.05)  # closing a socket does not wake an accept()
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._answer, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(65536)  # the whole request: small, and sent at once
                self.requests += 1
                conn.sendall(self.head)
                for byte in self.drip:
                    if self._stop.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:  # the client gave up, as it should
                return


def dripping(body: bytes, content_type: str, *, headers_too: bool) -> DripServer:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: %s\r\ncontent-length: %d\r\n\r\n" % (
        content_type.encode(),
        len(body),
    )
    if headers_too:
        return DripServer(b"", head + body, interval=0.05)
    return DripServer(head, body, interval=0.05)


TIMEOUT = 1.0


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_dripping_answer_times_out(headers_too: bool) -> None:
    body = json.dumps(message_example("text")).encode()
    with dripping(body, "application/json", headers_too=headers_too) as server:
        # Every read gets a byte well within the timeout; only the whole can trip it.
        assert server.interval < TIMEOUT / 4 and server.seconds_to_finish > 10 * TIMEOUT
        with Anthropic(api_key=API_KEY, base_url=server.url, timeout=TIMEOUT, max_retries=0) as c:
            started = time.monotonic()
            with pytest.raises(anthropic_messages.APITimeoutError):
                c.messages.create(**args())
            took = time.monotonic() - started
    assert took < server.seconds_to_finish / 2
    assert server.requests == 1


def test_a_dripping_answer_times_out_async() -> None:
    body = json.dumps(message_example("text")).encode()
    with dripping(body, "application/json", headers_too=True) as server:

        async def main() -> float:
            async with AsyncAnthropic(
                api_key=API_KEY, base_url=server.url, timeout=TIMEOUT, max_retries=1
            ) as made:
                made._sleep = lambda _: asyncio.sleep(0)
                started = time.monotonic()
                with pytest.raises(anthropic_messages.APITimeoutError):
                    await made.messages.create(**args())
                return time.monotonic() - started

        took = asyncio.run(main())
    assert took < server.seconds_to_finish / 2
    assert server.requests == 2  # a timeout is retried, each attempt bounded


def test_a_stream_whose_headers_drip_times_out() -> None:
    with dripping(stream_example("text"), "text/event-stream", headers_too=True) as server:
        with Anthropic(api_key=API_KEY, base_url=server.url, timeout=TIMEOUT, max_retries=0) as c:
            started = time.monotonic()
            with pytest.raises(anthropic_messages.APITimeoutError):
                c.messages.create(**args(stream=True))
            took = time.monotonic() - started
    assert took < server.seconds_to_finish / 2


def test_a_slow_stream_may_take_longer_than_the_timeout(mock_server: MockServer) -> None:
    # Events keep only the per-read timeout: a stream lasts as long as the answer.
    body = stream_example("text")
    mock_server.enqueue(Reply.sse(body, chunk_delay=0.3))
    assert (len(events_of(body)) - 1) * 0.3 > 2 * TIMEOUT
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, timeout=TIMEOUT, max_retries=0) as c:
        events = list(c.messages.create(**args(stream=True)))
    assert events[-1].type == "message_stop"


def test_a_prompt_answer_on_a_reused_connection_is_unaffected(mock_server: MockServer) -> None:
    # The deadline is per attempt: later calls on the same connection get their own.
    mock_server.default = Reply.json(message_example("text"))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, timeout=0.5, max_retries=0) as c:
        for _ in range(3):
            c.messages.create(**args())
            time.sleep(0.3)
    assert len(mock_server.requests) == 3 and mock_server.connections_opened == 1
