"""``client.messages.stream(...)``: accumulating the final message, sync and async."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from generator.runtime._errors import APIResponseValidationError, IncompleteStreamError
from generator.runtime._message_stream import MessageAccumulator
from tests.client_expectations import helper_event_types
from tests.mockserver import MockServer, Reply, mock_server, sse_stream  # noqa: F401
from tests.test_runtime_fakes import (
    API_KEY,
    AsyncClient,
    Client,
    Message,
    MessageStartEvent,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
    end_events,
    start_events,
    text_events,
    text_stream_events,
)


@pytest.fixture
def client(mock_server: MockServer) -> Iterator[Client]:
    with Client(api_key=API_KEY, base_url=mock_server.url) as made:
        yield made


def delta(index: int, **fields: Any) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": fields}


def block_start(index: int, **block: Any) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def block_stop(index: int) -> dict[str, Any]:
    return {"type": "content_block_stop", "index": index}


TOOL_JSON = '{"city": "Par\u00eds", "days": [1, 2], "nested": {"ok": true}}'
TOOL_EVENTS = [
    *start_events(),
    *text_events(["Let me check."]),
    block_start(1, type="tool_use", id="toolu_1", name="weather", input={}),
    delta(1, type="input_json_delta", partial_json=""),
    *(
        delta(1, type="input_json_delta", partial_json=TOOL_JSON[i : i + 7])
        for i in range(0, len(TOOL_JSON), 7)
    ),
    block_stop(1),
    block_start(2, type="tool_use", id="toolu_2", name="noargs", input={}),
    delta(2, type="input_json_delta", partial_json=""),
    block_stop(2),
    *end_events(stop_reason="tool_use", output_tokens=42),
]

THINKING_EVENTS = [
    *start_events(),
    block_start(0, type="thinking", thinking="", signature=""),
    delta(0, type="thinking_delta", thinking="Hmm, "),
    delta(0, type="thinking_delta", thinking="let me think."),
    delta(0, type="signature_delta", signature="sig-abc"),
    block_stop(0),
    *text_events(["42"], index=1),
    *end_events(),
]

CITATION_1 = {"type": "char_location", "cited_text": "sky", "document_index": 0}
CITATION_2 = {"type": "char_location", "cited_text": "blue", "document_index": 0}
CITATION_EVENTS = [
    *start_events(),
    block_start(0, type="text", text=""),
    delta(0, type="citations_delta", citation=CITATION_1),
    delta(0, type="text_delta", text="The sky "),
    delta(0, type="citations_delta", citation=CITATION_2),
    delta(0, type="text_delta", text="is blue."),
    block_stop(0),
    *end_events(),
]


def test_text_stream_and_final_message(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(text_stream_events(["Hel", "lo", "!"])), chunk_size=9))
    with client.stream(model="m", max_tokens=5, messages=[]) as stream:
        assert list(stream.text_stream) == ["Hel", "lo", "!"]
        final = stream.get_final_message()
        assert stream.get_final_text() == "Hello!"
    assert isinstance(final, Message)
    assert final.content == [TextBlock(type="text", text="Hello!")]
    assert (final.stop_reason, final.usage.output_tokens, final.usage.input_tokens) == (
        "end_turn",
        7,
        10,
    )
    assert stream.response.is_closed
    assert mock_server.requests[0].json()["stream"] is True


def test_events_and_snapshot_share_one_position(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(text_stream_events(["a", "b", "c"]))))
    with client.stream(model="m") as stream:
        first = next(iter(stream))
        assert isinstance(first, MessageStartEvent)
        assert stream.current_message_snapshot.content == []
        next(stream), next(stream)  # block start, the delta "a"
        text_event = next(stream)  # the helper's own event for that delta
        assert (text_event.type, text_event.text, text_event.snapshot) == ("text", "a", "a")  # type: ignore[union-attr]
        assert stream.current_message_snapshot.content[0].text == "a"  # type: ignore[union-attr]
        assert next(stream.text_stream) == "b"
        assert stream.get_final_text() == "abc"
    # Accumulating never wrote into the events handed out.
    assert first.message.content == []


def test_tool_use_input_is_parsed_at_block_stop(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(TOOL_EVENTS)))
    with client.stream(model="m") as stream:
        partial_seen: list[object] = []
        for event in stream:
            snapshot = stream.current_message_snapshot
            if len(snapshot.content) > 1:
                partial_seen.append(snapshot.content[1].input)  # type: ignore[union-attr]
        final = stream.get_final_message()
    text, tool, noargs = final.content
    assert isinstance(tool, ToolUseBlock) and isinstance(noargs, ToolUseBlock)
    assert tool.input == json.loads(TOOL_JSON) and noargs.input == {}
    assert final.stop_reason == "tool_use" and final.usage.output_tokens == 42
    assert {"city": "Par\u00eds"} in partial_seen  # partial JSON parsed as far as it goes
    assert stream.get_final_text() == "Let me check."


def test_thinking_and_signature(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(THINKING_EVENTS)))
    with client.stream(model="m") as stream:
        final = stream.get_final_message()
    thinking, text = final.content
    assert thinking == ThinkingBlock(
        type="thinking", thinking="Hmm, let me think.", signature="sig-abc"
    )
    assert isinstance(text, TextBlock) and text.text == "42"


def test_thinking_events_carry_their_snapshot(client: Client, mock_server: MockServer) -> None:
    # Thinking is kept as pieces, like text: each event's snapshot is joined when
    # read (here last event first), and agrees with the block at its stop and in
    # the final message; thinking in a block that did not start as thinking is
    # accumulated too.
    from generator.runtime._message_stream import ThinkingEvent

    pieces = ["Hmm, ", "let me ", "think", "."]
    events = [
        *start_events(),
        block_start(0, type="thinking", thinking="Pre: ", signature=""),
        *(delta(0, type="thinking_delta", thinking=piece) for piece in pieces),
        delta(0, type="signature_delta", signature="sig-abc"),
        block_stop(0),
        block_start(1, type="text", text=""),
        delta(1, type="thinking_delta", thinking="odd"),
        block_stop(1),
        *end_events(),
    ]
    mock_server.enqueue(Reply.sse(sse_stream(events), chunk_size=1 << 16))
    with client.stream(model="m") as stream:
        seen = list(stream)
        final = stream.get_final_message()
    made = [event for event in seen if event.type == "thinking"]
    wanted = ["Pre: " + "".join(pieces[: i + 1]) for i in range(len(pieces))] + ["odd"]
    assert [event.snapshot for event in reversed(made)] == wanted[::-1]  # type: ignore[union-attr]
    for event, want in zip(made, wanted):
        assert isinstance(event, ThinkingEvent)
        plain = ThinkingEvent(type="thinking", thinking=event.thinking, snapshot=want)
        assert event == plain and repr(event) == repr(plain)
        assert event.model_dump() == plain.model_dump()
        assert event.model_fields_set == plain.model_fields_set
    stop = next(event for event in seen if event.type == "content_block_stop")
    assert stop.content_block.thinking == wanted[3]  # type: ignore[union-attr]
    assert final.content[0].thinking == wanted[3]  # type: ignore[union-attr]
    assert final.content[1].text == ""  # type: ignore[union-attr]
    assert final.content[1].model_extra == {"thinking": "odd"}


def test_citations_are_appended(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(CITATION_EVENTS)))
    with client.stream(model="m") as stream:
        final = stream.get_final_message()
    (block,) = final.content
    assert isinstance(block, TextBlock)
    assert block.text == "The sky is blue." and block.citations == [CITATION_1, CITATION_2]


def test_message_delta_updates_every_usage_field_given() -> None:
    accumulator = MessageAccumulator(httpx.Response(200, request=httpx.Request("POST", "http://t")))
    for event in [
        *start_events(cache_read_input_tokens=5),
        {
            "type": "message_delta",
            "delta": {"stop_reason": "max_tokens", "stop_sequence": None, "container": {"id": "c"}},
            "usage": {
                "output_tokens": 9,
                "input_tokens": None,
                "server_tool_use": {"web_search_requests": 1},
            },
        },
    ]:
        accumulator.add(event)
    message = accumulator.snapshot()
    assert message["usage"] == {
        "input_tokens": 10,
        "output_tokens": 9,
        "cache_read_input_tokens": 5,
        "server_tool_use": {"web_search_requests": 1},
    }
    assert message["stop_reason"] == "max_tokens" and message["container"] == {"id": "c"}


def test_invalid_tool_json_is_reported(client: Client, mock_server: MockServer) -> None:
    events = [
        *start_events(),
        block_start(0, type="tool_use", id="t", name="n", input={}),
        delta(0, type="input_json_delta", partial_json='{"a": tru'),
        block_stop(0),
        *end_events(),
    ]
    mock_server.enqueue(Reply.sse(sse_stream(events)))
    with client.stream(model="m") as stream:
        with pytest.raises(APIResponseValidationError, match="not valid JSON"):
            stream.get_final_message()


def test_event_before_message_start_is_reported() -> None:
    accumulator = MessageAccumulator(httpx.Response(200, request=httpx.Request("POST", "http://t")))
    with pytest.raises(APIResponseValidationError, match="before message_start"):
        accumulator.add(block_stop(0))


def test_incomplete_stream_fails_the_final_message(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(text_stream_events(["x"])[:-1])))
    with client.stream(model="m") as stream:
        with pytest.raises(IncompleteStreamError):
            stream.get_final_message()


def test_get_final_text_without_text_blocks_raises(client: Client, mock_server: MockServer) -> None:
    events = [
        *start_events(),
        block_start(0, type="tool_use", id="t", name="n", input={}),
        block_stop(0),
        *end_events(stop_reason="tool_use"),
    ]
    mock_server.enqueue(Reply.sse(sse_stream(events)))
    with client.stream(model="m") as stream:
        with pytest.raises(RuntimeError, match="no text block"):
            stream.get_final_text()
        assert stream.get_final_message().content[0].input == {}  # type: ignore[union-attr]


def test_leaving_with_early_closes_the_connection(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(text_stream_events(["a"] * 50)), chunk_delay=0.01))
    with client.stream(model="m") as stream:
        next(iter(stream.text_stream))
    assert stream.response.is_closed
    assert mock_server.wait_idle()


def test_async_message_stream(mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.sse(sse_stream(text_stream_events(["Hel", "lo"])), chunk_size=4),
        Reply.sse(sse_stream(TOOL_EVENTS)),
        Reply.sse(sse_stream(THINKING_EVENTS)),
        Reply.sse(sse_stream(CITATION_EVENTS)),
    )

    async def main() -> None:
        async with AsyncClient(api_key=API_KEY, base_url=mock_server.url) as client:
            async with client.stream(model="m") as stream:
                assert [t async for t in stream.text_stream] == ["Hel", "lo"]
                assert (await stream.get_final_message()).content[0].text == "Hello"  # type: ignore[union-attr]
                assert await stream.get_final_text() == "Hello"
            async with client.stream(model="m") as stream:
                types = [event.type async for event in stream]  # type: ignore[attr-defined]
                assert types == helper_event_types(TOOL_EVENTS)
                final = await stream.get_final_message()
                assert final.content[1].input == json.loads(TOOL_JSON)  # type: ignore[union-attr]
            async with client.stream(model="m") as stream:
                final = await stream.get_final_message()
                assert final.content[0].signature == "sig-abc"  # type: ignore[union-attr]
            async with client.stream(model="m") as stream:
                first = await stream.__anext__()
                assert isinstance(first, MessageStartEvent)
                final = await stream.get_final_message()
                assert final.content[0].citations == [CITATION_1, CITATION_2]  # type: ignore[union-attr]

    asyncio.run(main())
    assert mock_server.wait_idle()


def test_text_events_read_late_behave_as_plain_models(
    client: Client, mock_server: MockServer
) -> None:
    # Each event's snapshot is joined when first read; read in any order, after
    # the stream has ended, or not read but printed, compared, dumped, copied or
    # pickled, it is what that event's snapshot was when it was made.
    import copy
    import pickle

    import pydantic_core

    from generator.runtime._message_stream import TextEvent

    pieces = ["Hel", "lo", " w\u00f6rld", "!"]
    mock_server.enqueue(Reply.sse(sse_stream(text_stream_events(pieces)), chunk_size=1 << 16))
    with client.stream(model="m") as stream:
        texts = [event for event in stream if event.type == "text"]
    assert stream.get_final_text() == "Hello w\u00f6rld!"
    wanted = ["Hel", "Hello", "Hello w\u00f6rld", "Hello w\u00f6rld!"]
    plain = [TextEvent(type="text", text=p, snapshot=w) for p, w in zip(pieces, wanted)]
    assert [e.snapshot for e in texts[2:]] == wanted[2:]  # type: ignore[union-attr]
    assert texts[1] == plain[1] and plain[0] == texts[0] and texts[0] != texts[1]
    dumped = texts[0].model_dump()  # type: ignore[union-attr]
    assert dumped == {"type": "text", "text": "Hel", "snapshot": "Hel"}
    for made, want in zip(texts, plain):
        assert isinstance(made, TextEvent)
        assert repr(made) == repr(want) and str(made) == str(want)
        assert made.to_dict() == want.to_dict() and made.to_json() == want.to_json()
        assert made.model_dump_json() == want.model_dump_json()
        assert pydantic_core.to_json([made]) == pydantic_core.to_json([want])
        assert dict(made) == dict(want) and made.model_fields_set == want.model_fields_set
        for copied in (copy.copy(made), copy.deepcopy(made), pickle.loads(pickle.dumps(made))):
            assert copied == want and copied.snapshot == want.snapshot
        assert made.model_copy(update={"text": "x"}).snapshot == want.snapshot
        assert vars(made) == vars(want)
    with pytest.raises(AttributeError):
        texts[0].no_such_field  # type: ignore[union-attr]


def test_text_after_a_delta_the_helper_does_not_know(
    client: Client, mock_server: MockServer
) -> None:
    # Snapshots, the block at its stop and the final text agree whichever way
    # each delta was accumulated, and with current_message_snapshot read between.
    events = [
        *start_events(),
        block_start(0, type="text", text="A"),
        delta(0, type="text_delta", text="b"),
        delta(0, type="text_delta", text="c"),
        block_stop(0),
        *end_events(),
    ]
    mock_server.enqueue(Reply.sse(sse_stream(events)))
    with client.stream(model="m") as stream:
        seen = []
        for event in stream:
            if event.type == "text":
                seen.append(event)
                assert stream.current_message_snapshot.content[0].text == event.snapshot  # type: ignore[union-attr]
            elif event.type == "content_block_stop":
                assert event.content_block.text == "Abc"  # type: ignore[union-attr]
    assert [e.snapshot for e in seen] == ["Ab", "Abc"]  # type: ignore[union-attr]
    assert stream.get_final_message().content[0].text == "Abc"  # type: ignore[union-attr]
