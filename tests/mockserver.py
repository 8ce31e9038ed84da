"""A real HTTP server on 127.0.0.1 for client tests, scripted one reply at a time.

::

    def test_retry(mock_server: MockServer) -> None:
        mock_server.enqueue(Reply.json({"type": "error", ...}, status=529), Reply.json(MESSAGE))
        client = Anthropic(api_key="k", base_url=mock_server.url)
        client.messages.create(...)
        assert len(mock_server.requests) == 2

Replies are served in the order they were queued; when the queue is empty the
``default`` reply (or ``handler(request)``) answers, and without either the
server answers 418 with ``x-should-retry: false`` so a missing script fails
fast instead of being retried. Every request is recorded, and so is every
connection opening and closing, which lets a test prove the client closed all
of its connections.

A ``Reply`` can be a plain body (sent with ``content-length``), a list of
chunks (sent with chunked transfer encoding, optionally ``chunk_delay`` apart,
which is how SSE streams are served), or a body ended by closing the
connection. ``delay`` waits before the status line (to trigger client
timeouts) and ``drop_after`` closes the connection after that many body bytes.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = ["MockServer", "RecordedRequest", "Reply", "mock_server", "sse_event", "sse_stream"]


def sse_event(event: str | None, data: object, *, line_end: str = "\n") -> bytes:
    """One SSE event; ``data`` that is not a ``str`` is JSON-encoded."""
    text = data if isinstance(data, str) else json.dumps(data)
    lines = ([f"event: {event}"] if event is not None else []) + [
        f"data: {line}" for line in text.split("\n")
    ]
    return (line_end.join(lines) + line_end + line_end).encode("utf-8")


def sse_stream(events: Iterable[Mapping[str, Any]], *, line_end: str = "\n") -> bytes:
    """A whole stream from event objects, each named after its ``type``."""
    return b"".join(sse_event(str(event["type"]), event, line_end=line_end) for event in events)


@dataclass
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: Sequence[bytes] | None = None
    chunk_delay: float = 0.0
    delay: float = 0.0
    drop_after: int | None = None
    close_delimited: bool = False

    @classmethod
    def json(
        cls, data: object, *, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Reply:
        return cls(
            status=status,
            headers={"content-type": "application/json", **(headers or {})},
            body=json.dumps(data).encode(),
        )

    @classmethod
    def sse(
        cls,
        body: bytes,
        *,
        chunk_size: int | None = None,
        chunk_delay: float = 0.0,
        drop_after: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """A ``text/event-stream`` reply, cut into ``chunk_size`` pieces (default: one per event)."""
        if chunk_size is None:
            chunks = [piece + b"\n\n" for piece in body.split(b"\n\n") if piece]
            if b"".join(chunks) != body:
                chunks = [body]
        else:
            chunks = [body[i : i + chunk_size] for i in range(0, len(body), chunk_size)]
        return cls(
            headers={"content-type": "text/event-stream", **(headers or {})},
            chunks=chunks,
            chunk_delay=chunk_delay,
            drop_after=drop_after,
        )


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


_FALLBACK = Reply.json(
    {"type": "error", "error": {"type": "mock_error", "message": "no reply scripted"}},
    status=418,
    headers={"x-should-retry": "false"},
)


class MockServer:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.default: Reply | None = None
        self.handler: Callable[[RecordedRequest], Reply] | None = None
        self.errors: list[BaseException] = []
        self.connections_opened = 0
        self.connections_closed = 0
        self._queue: list[Reply] = []
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def open_connections(self) -> int:
        with self._lock:
            return self.connections_opened - self.connections_closed

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until every connection the server accepted has been closed."""
        deadline = time.monotonic() + timeout
        while self.open_connections:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def start(self) -> MockServer:
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is None:
            return
        self._server.shutdown()
        with self._lock:
            live = list(self._sockets)
        for sock in live:  # wake handlers waiting on idle keep-alive connections
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.wait_idle(5.0)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5.0)
        self._server = None

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _reply_for(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.pop(0)
        if self.handler is not None:
            return self.handler(request)
        return self.default or _FALLBACK

    def _opened(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections_opened += 1
            self._sockets.add(sock)

    def _closed(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections_closed += 1
            self._sockets.discard(sock)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # 200 clients connect at once in the concurrency test

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], owner: MockServer
    ) -> None:
        self.owner = owner
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.owner._opened(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        try:
            super().shutdown_request(request)
        finally:
            self.owner._closed(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if error is not None:
            self.owner.errors.append(error)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms)
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        owner = self.server.owner
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            body = self._read_chunked()
        else:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        recorded = RecordedRequest(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        reply = owner._reply_for(recorded)
        if reply.delay and owner._stopping.wait(reply.delay):
            self.close_connection = True
            return
        try:
            self._send(reply, owner)
        except OSError:  # the client went away first, which some tests intend
            self.close_connection = True

    def _read_chunked(self) -> bytes:
        # A streamed upload (an iterator of bytes) arrives in chunks of any size.
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, reply: Reply, owner: MockServer) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        budget = reply.drop_after
        if reply.chunks is not None:
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for index, chunk in enumerate(reply.chunks):
                if index and reply.chunk_delay and owner._stopping.wait(reply.chunk_delay):
                    break
                if budget is not None:
                    chunk, budget = chunk[:budget], budget - len(chunk[:budget])
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                if budget == 0:
                    self.close_connection = True
                    return
            self.wfile.write(b"0\r\n\r\n")
            return
        if reply.close_delimited:
            self.send_header("connection", "close")
            self.close_connection = True
        else:
            self.send_header("content-length", str(len(reply.body)))
        self.end_headers()
        if budget is not None:
            self.wfile.write(reply.body[:budget])
            self.close_connection = True
        else:
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


@pytest.fixture
def mock_server() -> Iterator[MockServer]:
    """A started ``MockServer``, stopped after the test."""
    with MockServer() as server:
        yield server
