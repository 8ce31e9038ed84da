"""The async client: the same contract as the sync one, and many streams at once."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable

import httpx
import pytest

from generator.runtime._errors import APIStatusError, APITimeoutError, IncompleteStreamError
from generator.runtime._response import APIResponse, AsyncAPIResponse
from generator.runtime._types import RequestOptions
from tests.mockserver import (
    MockServer,
    RecordedRequest,
    Reply,
    mock_server,
    sse_stream,
)  # noqa: F401
from tests.test_runtime_fakes import (
    API_KEY,
    STATUS_ERRORS,
    AsyncClient,
    Client,
    Message,
    OverloadedError,
    error_body,
    message,
    text_stream_events,
)


def run(
    mock_server: MockServer, body: Callable[[AsyncClient, list[float]], Awaitable[None]], **kw: Any
) -> list[float]:
    sleeps: list[float] = []

    async def record(delay: float) -> None:
        sleeps.append(delay)

    async def main() -> None:
        async with AsyncClient(api_key=API_KEY, base_url=mock_server.url, **kw) as client:
            client._sleep = record
            await body(client, sleeps)
        assert client.is_closed()

    asyncio.run(main())
    return sleeps


def test_async_json_retries_and_raw(mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json(
            error_body("overloaded_error", "busy"), status=529, headers={"retry-after": "0"}
        ),
        Reply(status=503),
        Reply.json(message()),
        Reply.json(message(), headers={"request-id": "req_a"}),
    )

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        result = await client.create(model="m", messages=[])
        assert isinstance(result, Message) and result.content[0].text == "Hello!"  # type: ignore[union-attr]
        raw = await client.with_raw_response.create(model="m")
        assert isinstance(raw, AsyncAPIResponse) and raw.request_id == "req_a"
        assert isinstance(raw.parse(), Message)

    sleeps = run(mock_server, body)
    assert sleeps[0] == 0.0 and 0.75 <= sleeps[1] <= 1.0
    assert [r.headers["x-retry-count"] for r in mock_server.requests] == ["0", "1", "2", "0"]


@pytest.mark.parametrize("status", sorted(STATUS_ERRORS))
def test_async_status_mapping(mock_server: MockServer, status: int) -> None:
    mock_server.default = Reply.json(error_body("whatever", "no"), status=status)

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        with pytest.raises(STATUS_ERRORS[status]):
            await client.create(model="m")

    run(mock_server, body, max_retries=0)


def test_async_should_retry_and_per_call_retries(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(
        error_body("overloaded_error", "busy"), status=529, headers={"x-should-retry": "false"}
    )

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        with pytest.raises(OverloadedError):
            await client.create(model="m")
        assert len(mock_server.requests) == 1
        mock_server.default = Reply(status=500)
        with pytest.raises(APIStatusError):
            await client.with_options(max_retries=1).create(model="m")
        assert len(mock_server.requests) == 3
        with pytest.raises(APIStatusError):
            await client.create(model="m", options=RequestOptions(max_retries=0))
        assert len(mock_server.requests) == 4

    run(mock_server, body)


def test_async_timeout(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(message(), headers={})
    mock_server.default.delay = 2.0

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        with pytest.raises(APITimeoutError):
            await client.create(model="m")

    run(mock_server, body, timeout=0.2, max_retries=0)


def test_two_hundred_concurrent_streams(mock_server: MockServer) -> None:
    def reply(request: RecordedRequest) -> Reply:
        n = request.json()["n"]
        events = text_stream_events([f"stream {n}", " done"])
        return Reply.sse(sse_stream(events), chunk_size=40, chunk_delay=0.001)

    mock_server.handler = reply
    finals: list[str] = []
    failures: list[BaseException] = []

    async def one(client: AsyncClient, n: int) -> None:
        try:
            async with client.stream(model="m", n=n) as stream:
                finals.append(await stream.get_final_text())
        except BaseException as exc:  # collected, so one failure shows them all
            failures.append(exc)

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        await asyncio.gather(*(one(client, n) for n in range(200)))

    run(mock_server, body, timeout=httpx.Timeout(20.0))
    assert failures == []
    assert sorted(finals) == sorted(f"stream {n} done" for n in range(200))
    assert len(mock_server.requests) == 200
    assert mock_server.wait_idle(), f"{mock_server.open_connections} connections left open"


def test_async_incomplete_stream_raises(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(text_stream_events(["a"])[:-2])))

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        with pytest.raises(IncompleteStreamError):
            async with client.stream(model="m") as stream:
                await stream.get_final_message()

    run(mock_server, body)


def test_raw_flag_is_private_to_each_task_and_thread(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(message())

    async def body(client: AsyncClient, sleeps: list[float]) -> None:
        calls = [
            client.with_raw_response.create(model="m") if n % 2 else client.create(model="m")
            for n in range(40)
        ]
        results = await asyncio.gather(*calls)
        for n, result in enumerate(results):
            assert isinstance(result, AsyncAPIResponse if n % 2 else Message)

    run(mock_server, body)

    with Client(api_key=API_KEY, base_url=mock_server.url) as client:

        def call(n: int) -> object:
            return client.with_raw_response.create(model="m") if n % 2 else client.create(model="m")

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(call, range(40)))
    for n, result in enumerate(results):
        assert isinstance(result, APIResponse if n % 2 else Message)


def test_the_default_wait_between_retries_really_waits(mock_server: MockServer) -> None:
    # The one test that keeps the client's own ``_sleep`` (asyncio, imported on first use).
    mock_server.enqueue(
        Reply.json(
            error_body("overloaded_error", "busy"), status=529, headers={"retry-after": "0.05"}
        ),
        Reply.json(message()),
    )

    async def main() -> float:
        async with AsyncClient(api_key=API_KEY, base_url=mock_server.url) as client:
            loop = asyncio.get_running_loop()
            start = loop.time()
            assert isinstance(await client.create(model="m"), Message)
            return loop.time() - start

    assert asyncio.run(main()) >= 0.05
    assert len(mock_server.requests) == 2
