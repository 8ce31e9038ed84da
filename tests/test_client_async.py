"""``AsyncAnthropic`` end to end: the main cases of the sync modules, and 200 streams at once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.client_expectations import (
    FINAL_MESSAGES,
    KINDS,
    RETRIED_STATUSES,
    STATUS_CLASSES,
    TEXT_DELTAS,
    classes,
    events_of,
    expected_classes,
)
from tests.client_support import (
    API_KEY,
    HELLO,
    MODEL,
    error_example,
    message_example,
    overloaded,
    run_async,
    stream_example,
)
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

import anthropic_messages  # isort: skip
from anthropic_messages import AsyncAnthropic  # isort: skip
from anthropic_messages.types import (  # isort: skip
    Message,
    PingEvent,
    RawMessageStartEvent,
    RedactedThinkingBlock,
    TextBlock,
    ThinkingBlock,
)


def args(**extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 1024, "messages": HELLO, **extra}


def test_async_replies_and_the_wire(mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json(message_example("text")), Reply.json(message_example("thinking"))
    )

    async def body(client: AsyncAnthropic) -> None:
        text = await client.messages.create(**args())
        assert type(text) is Message and text.to_dict() == message_example("text")
        thinking = await client.beta.messages.create(**args(), betas=["a", "b"])
        assert [type(b) for b in thinking.content] == [
            ThinkingBlock,
            RedactedThinkingBlock,
            TextBlock,
        ]

    run_async(mock_server, body)
    plain, beta = mock_server.requests
    assert (plain.method, plain.path, plain.query) == ("POST", "/v1/messages", {})
    assert plain.json() == args()
    assert plain.headers["x-api-key"] == API_KEY
    assert plain.headers["anthropic-version"] == "2023-06-01"
    assert plain.headers["content-type"] == "application/json"
    assert plain.headers["user-agent"] == f"anthropic_messages/{anthropic_messages.__version__}"
    assert "anthropic-beta" not in plain.headers
    assert beta.query == {"beta": ["true"]} and beta.headers["anthropic-beta"] == "a,b"


def test_async_unknown_block_and_stop_reason(mock_server: MockServer) -> None:
    reply = {
        **message_example("text"),
        "stop_reason": "future_stop_2099",
        "content": [{"type": "future_block_2099", "id": "srvtoolu_1"}],
    }
    mock_server.enqueue(Reply.json(reply))

    async def body(client: AsyncAnthropic) -> None:
        message = await client.messages.create(**args())
        assert message.stop_reason == "future_stop_2099"
        (block,) = message.content
        assert isinstance(block, anthropic_messages.UnknownVariant)
        assert block.to_dict() == reply["content"][0]

    run_async(mock_server, body)


@pytest.mark.parametrize("kind", KINDS)
def test_async_streams(mock_server: MockServer, kind: str) -> None:
    mock_server.enqueue(Reply.sse(stream_example(kind)), Reply.sse(stream_example(kind)))

    async def body(client: AsyncAnthropic) -> None:
        stream = await client.messages.create(**args(stream=True))
        assert isinstance(stream, anthropic_messages.AsyncStream)
        async with stream:
            events = [event async for event in stream]
        assert classes(events) == expected_classes(stream_example(kind))
        assert [e.to_dict() for e in events] == events_of(stream_example(kind))
        async with client.messages.stream(**args()) as helper:
            texts = [text async for text in helper.text_stream]
            final = await helper.get_final_message()
        assert texts == TEXT_DELTAS[kind]
        assert final == Message.model_validate(FINAL_MESSAGES[kind])

    run_async(mock_server, body)
    assert all(r.json()["stream"] is True for r in mock_server.requests)


@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
def test_async_error_statuses(mock_server: MockServer, status: int) -> None:
    error_body = error_example(status)
    mock_server.default = Reply.json(error_body, status=status, headers={"request-id": "req_as"})
    sleeps: list[float] = []

    async def body(client: AsyncAnthropic) -> None:
        with pytest.raises(STATUS_CLASSES[status]) as caught:
            await client.messages.create(**args())
        error = caught.value
        assert (error.status_code, error.request_id, error.body) == (status, "req_as", error_body)

    run_async(mock_server, body, sleeps=sleeps)
    assert len(mock_server.requests) == (3 if status in RETRIED_STATUSES else 1)
    assert len(sleeps) == len(mock_server.requests) - 1


def test_async_undocumented_status(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(status=418, body=b"I'm a teapot"))

    async def body(client: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.APIStatusError) as caught:
            await client.messages.create(**args())
        assert type(caught.value) is anthropic_messages.APIStatusError
        assert caught.value.status_code == 418

    run_async(mock_server, body)


def test_async_retries(mock_server: MockServer) -> None:
    mock_server.enqueue(
        overloaded(**{"retry-after": "0"}),
        overloaded(**{"retry-after": "0"}),
        Reply.json(message_example("text")),
        overloaded(**{"x-should-retry": "false"}),
        overloaded(),
        overloaded(),
    )
    sleeps: list[float] = []

    async def body(client: AsyncAnthropic) -> None:
        assert type(await client.messages.create(**args())) is Message
        assert len(mock_server.requests) == 3
        with pytest.raises(anthropic_messages.OverloadedError):
            await client.messages.create(**args())
        assert len(mock_server.requests) == 4
        with pytest.raises(anthropic_messages.OverloadedError):
            await client.with_options(max_retries=0).messages.create(**args())
        assert len(mock_server.requests) == 5
        with pytest.raises(anthropic_messages.OverloadedError):
            await client.with_options(max_retries=0).messages.create(**args())

    run_async(mock_server, body, sleeps=sleeps)
    assert sleeps == [0.0, 0.0]
    assert [r.headers["x-retry-count"] for r in mock_server.requests[:3]] == ["0", "1", "2"]


def test_async_timeout(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(message_example("text"))
    mock_server.default.delay = 2.0

    async def body(client: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.APITimeoutError):
            await client.messages.create(**args())

    run_async(mock_server, body, timeout=0.2, max_retries=0)


def test_async_broken_streams(mock_server: MockServer) -> None:
    text = stream_example("text")
    cut = text.index(b"event: content_block_delta") + 30
    malformed = text[: cut - 30] + b"event: content_block_delta\ndata: {oops\n\n" + text[cut - 30 :]
    mock_server.enqueue(
        Reply.sse(text, drop_after=cut),
        Reply.sse(malformed),
        Reply.sse(stream_example("error"), headers={"request-id": "req_mid"}),
        Reply.sse(text[: text.index(b"event: message_stop")]),
    )

    async def body(client: AsyncAnthropic) -> None:
        with pytest.raises(anthropic_messages.IncompleteStreamError) as dropped:
            async with client.messages.stream(**args()) as stream:
                await stream.get_final_message()
        assert dropped.value.events_received == 3
        with pytest.raises(anthropic_messages.APIResponseValidationError):
            async with await client.messages.create(**args(stream=True)) as events:
                async for _ in events:
                    pass
        received: list[Any] = []
        with pytest.raises(anthropic_messages.OverloadedError) as overloaded_error:
            async with await client.messages.create(**args(stream=True)) as events:
                async for event in events:
                    received.append(event)
        assert [type(e) for e in received] == [RawMessageStartEvent, PingEvent]
        assert overloaded_error.value.request_id == "req_mid"
        with pytest.raises(anthropic_messages.IncompleteStreamError, match="message_stop"):
            async with client.messages.stream(**args()) as stream:
                await stream.get_final_text()

    run_async(mock_server, body)
    assert len(mock_server.requests) == 4  # a stream is never retried once it has begun


def test_async_raw_response(mock_server: MockServer) -> None:
    mock_server.enqueue(
        overloaded(**{"retry-after": "0"}),
        Reply.json(message_example("tool_use"), headers={"request-id": "req_raw"}),
    )

    async def body(client: AsyncAnthropic) -> None:
        raw = await client.messages.with_raw_response.create(**args())
        assert isinstance(raw, anthropic_messages.AsyncAPIResponse)
        assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req_raw", 1)
        assert json.loads(raw.content) == message_example("tool_use")
        message = raw.parse()
        assert type(message) is Message and message.stop_reason == "tool_use"

    run_async(mock_server, body)


def test_two_hundred_concurrent_streams(mock_server: MockServer) -> None:
    template = stream_example("text").decode()

    def reply(request: RecordedRequest) -> Reply:
        n = request.json()["metadata"]["user_id"]
        body = template.replace('"text": "Hello"', f'"text": "Hello {n}"').encode()
        return Reply.sse(body, chunk_size=64, chunk_delay=0.001)

    mock_server.handler = reply
    finals: dict[str, str] = {}
    failures: list[BaseException] = []
    pools: list[httpx.AsyncClient] = []

    async def one(client: AsyncAnthropic, n: str) -> None:
        try:
            async with client.messages.stream(**args(metadata={"user_id": n})) as stream:
                finals[n] = "".join([text async for text in stream.text_stream])
                assert (await stream.get_final_message()).content[0].text == finals[n]  # type: ignore[union-attr]
        except BaseException as exc:  # collected, so one failure shows them all
            failures.append(exc)

    async def body(client: AsyncAnthropic) -> None:
        pools.append(client._http)
        await asyncio.gather(*(one(client, str(n)) for n in range(200)))

    run_async(mock_server, body, timeout=httpx.Timeout(20.0))
    assert failures == []
    assert finals == {str(n): f"Hello {n}, world!" for n in range(200)}
    assert len(mock_server.requests) == 200 and mock_server.errors == []
    assert 1 <= mock_server.connections_opened <= 200
    (pool,) = pools
    assert pool.is_closed
    assert mock_server.wait_idle(), f"{mock_server.open_connections} connections left open"
