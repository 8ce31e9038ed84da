"""Streams of the generated client: ``create(stream=True)`` and ``messages.stream(...)``.

Each of the spec's stream examples (text, tool use with ``input_json_delta``,
thinking with ``signature_delta``, citations; ``ping`` events included) is
served by a real local server, then broken in the ways a network or a newer
server breaks it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pydantic
import pytest

from tests.client_expectations import (
    DELTA_CLASSES,
    FINAL_MESSAGES,
    KINDS,
    TEXT_DELTAS,
    classes,
    delivered,
    event_names,
    events_of,
    expected_classes,
    helper_event_types,
)
from tests.client_support import (
    HELLO,
    MODEL,
    client,  # noqa: F401
    overloaded,
    run_async,
    sleeps,  # noqa: F401
    stream_example,
)
from tests.mockserver import MockServer, Reply, mock_server, sse_event, sse_stream  # noqa: F401

import anthropic_messages  # isort: skip
from anthropic_messages import Anthropic, UnknownVariant  # isort: skip
from anthropic_messages._streaming import describe_event_error  # isort: skip
from anthropic_messages.types import (  # isort: skip
    BetaRawMessageStopEvent,
    BetaTextBlock,
    Message,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    RawMessageStreamEvent,
    TextBlock,
    ToolUseBlock,
)


def stream_args(**extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 1024, "messages": HELLO, **extra}


# --- create(stream=True): typed events ------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_create_stream_yields_typed_events(
    client: Anthropic, mock_server: MockServer, kind: str
) -> None:
    body = stream_example(kind)
    mock_server.enqueue(Reply.sse(body, headers={"request-id": f"req_{kind}"}))
    with client.messages.create(**stream_args(stream=True)) as stream:
        assert isinstance(stream, anthropic_messages.Stream)
        assert stream.request_id == f"req_{kind}"
        events = list(stream)
    assert classes(events) == expected_classes(body)
    assert [e.to_dict() for e in events] == delivered(body)
    (seen,) = mock_server.requests
    assert seen.json() == {**stream_args(), "stream": True}
    assert seen.headers["accept"] == "text/event-stream"


def test_the_examples_have_pings_and_every_delta() -> None:
    # The examples are what the tests rely on: pings, and every delta kind.
    assert "ping" in event_names(stream_example("text"))
    deltas = {
        event["delta"]["type"]
        for kind in KINDS
        for event in events_of(stream_example(kind))
        if event["type"] == "content_block_delta"
    }
    assert deltas == set(DELTA_CLASSES)


def test_stream_split_anywhere_with_crlf(client: Anthropic, mock_server: MockServer) -> None:
    body = stream_example("thinking").replace(b"\n", b"\r\n")
    mock_server.enqueue(Reply.sse(body, chunk_size=7))
    events = list(client.messages.create(**stream_args(stream=True)))
    assert classes(events) == expected_classes(stream_example("thinking"))


def test_events_without_event_lines(client: Anthropic, mock_server: MockServer) -> None:
    # Legal SSE: the name then comes from the data's "type".
    def unnamed(kind: str) -> bytes:
        return re.sub(rb"^event: .*\n", b"", stream_example(kind), flags=re.MULTILINE)

    mock_server.enqueue(Reply.sse(unnamed("tool_use")), Reply.sse(unnamed("error")))
    with client.messages.stream(**stream_args()) as stream:
        assert stream.get_final_message().to_dict() == FINAL_MESSAGES["tool_use"]
    with pytest.raises(anthropic_messages.OverloadedError):
        list(client.messages.create(**stream_args(stream=True)))


# --- messages.stream(...): accumulated --------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_stream_helper_text_and_final_message(
    client: Anthropic, mock_server: MockServer, kind: str
) -> None:
    mock_server.enqueue(Reply.sse(stream_example(kind), headers={"request-id": "req_h"}))
    with client.messages.stream(**stream_args()) as stream:
        assert stream.request_id == "req_h"
        assert list(stream.text_stream) == TEXT_DELTAS[kind]
        final = stream.get_final_message()
    assert type(final) is Message
    assert final == Message.model_validate(FINAL_MESSAGES[kind])
    assert final.to_dict() == FINAL_MESSAGES[kind]
    assert mock_server.requests[0].json() == {**stream_args(), "stream": True}


def test_stream_helper_events_then_final_message(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(Reply.sse(stream_example("tool_use")))
    with client.messages.stream(**stream_args()) as stream:
        first = next(iter(stream))
        assert isinstance(first, RawMessageStartEvent)
        rest = list(stream)
        final = stream.get_final_message()
    expected = helper_event_types(events_of(stream_example("tool_use")))
    assert [event.type for event in rest] == expected[1:]
    assert rest[-1].type == "message_stop" and rest[-1].message is final
    stops = [event for event in rest if event.type == "content_block_stop"]
    assert [stop.content_block for stop in stops] == final.content
    (block,) = final.content
    assert isinstance(block, ToolUseBlock) and block.input == {"city": "Paris"}


def test_stream_helper_final_text(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(stream_example("thinking")))
    with client.messages.stream(**stream_args()) as stream:
        assert stream.get_final_text() == "27 * 453 = 12231"


def test_beta_stream_on_the_wire(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(stream_example("text")), Reply.sse(stream_example("text")))
    with client.beta.messages.stream(**stream_args(), betas=["output-128k-2025-02-19"]) as s:
        assert s.get_final_message().content[0] == BetaTextBlock(type="text", text="Hello, world!")
    events = list(client.beta.messages.create(**stream_args(stream=True), betas=["a", "b"]))
    assert isinstance(events[-1], BetaRawMessageStopEvent)
    helper, plain = mock_server.requests
    assert helper.query == plain.query == {"beta": ["true"]}
    assert helper.headers["anthropic-beta"] == "output-128k-2025-02-19"
    assert plain.headers["anthropic-beta"] == "a,b"
    assert helper.json()["stream"] is True and plain.json()["stream"] is True


def test_stream_retries_before_the_first_byte(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.enqueue(overloaded(**{"retry-after": "0"}), Reply.sse(stream_example("text")))
    with client.messages.stream(**stream_args()) as stream:
        assert stream.get_final_text() == "Hello, world!"
    assert len(mock_server.requests) == 2 and sleeps == [0.0]


def long_text_stream(pieces: list[str]) -> list[dict[str, Any]]:
    """The text example with ``pieces`` as its deltas (after the first, the helper's short way)."""
    start, block_start, _, delta, _, *end = events_of(stream_example("text"))
    deltas = [{**delta, "delta": {"type": "text_delta", "text": piece}} for piece in pieces]
    return [start, block_start, *deltas, *end]


PIECES = ["Hel", "lo", ", w\u00f6rld", "!", " ", " ", "again"]
SNAPSHOTS = ["".join(PIECES[: i + 1]) for i in range(len(PIECES))]


def check_text_events(made: list[Any]) -> None:
    """Each helper-made text event behaves as the model built from its values."""
    import copy
    import pickle

    import pydantic_core

    from anthropic_messages._message_stream import TextEvent

    plain = [TextEvent(type="text", text=p, snapshot=w) for p, w in zip(PIECES, SNAPSHOTS)]
    assert [event.text for event in made] == PIECES
    # Read out of order, and not at all for some until they are printed or dumped.
    assert made[4].snapshot == SNAPSHOTS[4] and made[1].snapshot == SNAPSHOTS[1]
    for event, want in zip(made, plain):
        assert isinstance(event, TextEvent) and isinstance(event, pydantic.BaseModel)
        assert event.type == "text"
        assert repr(event) == repr(want) and str(event) == str(want)
        assert event == want and want == event
        assert event.model_dump() == want.model_dump()
        assert event.model_dump_json() == want.model_dump_json()
        assert event.to_dict() == want.to_dict() and event.to_json() == want.to_json()
        assert pydantic_core.to_json(event) == pydantic_core.to_json(want)
        assert event.model_fields_set == want.model_fields_set == {"type", "text", "snapshot"}
        assert event.model_extra == {} and vars(event) == vars(want)
        for copied in (copy.copy(event), copy.deepcopy(event), pickle.loads(pickle.dumps(event))):
            assert copied == want and copied.snapshot == want.snapshot
        assert event.snapshot == want.snapshot
    assert made[0] != made[1]
    with pytest.raises(AttributeError):
        made[2].no_such_field_2099


def test_helper_text_events_are_plain_models(client: Anthropic, mock_server: MockServer) -> None:
    # All events in one chunk, so the helper's short way makes nearly all of them.
    body = sse_stream(long_text_stream(PIECES))
    mock_server.enqueue(Reply.sse(body, chunk_size=1 << 16), Reply.sse(body, chunk_size=1 << 16))
    with client.messages.stream(**stream_args()) as stream:
        made = [event for event in stream if event.type == "text"]
        assert stream.get_final_text() == SNAPSHOTS[-1]
    check_text_events(made)
    # Assigned before it was ever read, a snapshot stays what was assigned.
    with client.messages.stream(**stream_args()) as stream:
        made = [event for event in stream if event.type == "text"]
    made[3].snapshot = "mine"
    made[5].text = "other"
    assert made[3].model_dump() == {"type": "text", "text": "!", "snapshot": "mine"}
    assert made[5].to_dict() == {"type": "text", "text": "other", "snapshot": SNAPSHOTS[5]}
    assert made[6].snapshot == SNAPSHOTS[6]


def test_async_helper_text_events_are_plain_models(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(sse_stream(long_text_stream(PIECES)), chunk_size=1 << 16))
    made: list[Any] = []

    async def body(client: anthropic_messages.AsyncAnthropic) -> None:
        async with client.messages.stream(**stream_args()) as stream:
            made.extend([event async for event in stream if event.type == "text"])
            assert await stream.get_final_text() == SNAPSHOTS[-1]

    run_async(mock_server, body)
    check_text_events(made)


def test_helper_error_after_many_text_deltas_closes_the_stream(
    client: Anthropic, mock_server: MockServer
) -> None:
    # A delta for a block that never started, after the helper has taken its short
    # way for a while: reported, and the connection is closed at once.
    events = long_text_stream(["a"] * 20)
    orphan = {
        "type": "content_block_delta",
        "index": 3,
        "delta": {"type": "text_delta", "text": "x"},
    }
    events.insert(12, orphan)
    mock_server.enqueue(Reply.sse(sse_stream(events), chunk_size=1 << 16))
    seen: list[str] = []
    with client.messages.stream(**stream_args()) as stream:
        with pytest.raises(anthropic_messages.APIResponseValidationError, match="block 3"):
            for event in stream:
                seen.append(event.type)
        assert stream.response.is_closed
        assert list(stream) == []
    assert seen.count("text") == 10
    assert mock_server.wait_idle()


# --- what a newer server may stream ---------------------------------------------


def test_unknown_events_blocks_deltas_and_stop_reason(
    client: Anthropic, mock_server: MockServer
) -> None:
    start, *middle, delta, stop = events_of(stream_example("text"))
    delta = {**delta, "delta": {**delta["delta"], "stop_reason": "future_stop_2099"}}
    newer = [
        start,
        {"type": "future_event_2099", "note": "new"},
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "future_block_2099", "id": "srvtoolu_1", "input": {}},
        },
        {"type": "content_block_delta", "index": 0, "delta": {"type": "future_delta_2099", "x": 1}},
        {"type": "content_block_stop", "index": 0},
        *[{**e, "index": 1} if "index" in e else e for e in middle],
        delta,
        stop,
    ]
    mock_server.enqueue(Reply.sse(sse_stream(newer)), Reply.sse(sse_stream(newer)))
    events = list(client.messages.create(**stream_args(stream=True)))
    assert isinstance(events[1], UnknownVariant) and getattr(events[1], "note") == "new"
    assert isinstance(events[2], RawContentBlockStartEvent)
    assert isinstance(events[2].content_block, UnknownVariant)
    assert isinstance(events[3], RawContentBlockDeltaEvent)
    assert isinstance(events[3].delta, UnknownVariant)
    with client.messages.stream(**stream_args()) as stream:
        assert list(stream.text_stream) == ["Hello", ", world!"]
        final = stream.get_final_message()
    unknown, text = final.content
    assert isinstance(unknown, UnknownVariant)
    assert unknown.to_dict() == {"type": "future_block_2099", "id": "srvtoolu_1", "input": {}}
    assert isinstance(text, TextBlock) and text.text == "Hello, world!"
    stop_reason: object = final.stop_reason  # a value the Literal does not list
    assert stop_reason == "future_stop_2099"


# --- broken streams ----------------------------------------------------------------


def test_error_event_mid_stream(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(stream_example("error"), headers={"request-id": "req_e"}))
    received: list[Any] = []
    with pytest.raises(anthropic_messages.OverloadedError) as caught:
        for event in client.messages.create(**stream_args(stream=True)):
            received.append(event)
    assert [type(e) for e in received] == [RawMessageStartEvent]  # the ping is not handed out
    error = caught.value
    assert error.status_code == 529 and error.request_id == "req_e"
    assert error.error_type == "overloaded_error"
    assert error.body == events_of(stream_example("error"))[-1]
    assert (
        str(error) == "529 overloaded_error: The API is temporarily overloaded. (request-id req_e)"
    )
    assert len(mock_server.requests) == 1  # events were delivered: never retried


def test_error_event_through_the_helper(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(stream_example("error")))
    with pytest.raises(anthropic_messages.OverloadedError):
        with client.messages.stream(**stream_args()) as stream:
            stream.get_final_message()


@pytest.mark.parametrize("helper", [False, True])
def test_connection_dropped_mid_stream(
    client: Anthropic, mock_server: MockServer, helper: bool
) -> None:
    body = stream_example("text")
    cut = body.index(b"event: content_block_delta") + 30  # inside the first text delta
    mock_server.enqueue(Reply.sse(body, drop_after=cut))
    with pytest.raises(anthropic_messages.IncompleteStreamError) as caught:
        if helper:
            with client.messages.stream(**stream_args()) as stream:
                stream.get_final_message()
        else:
            list(client.messages.create(**stream_args(stream=True)))
    assert caught.value.events_received == 2  # message_start, content_block_start (not ping)
    assert isinstance(caught.value, anthropic_messages.APIConnectionError)
    assert len(mock_server.requests) == 1


def test_stream_ending_before_message_stop(client: Anthropic, mock_server: MockServer) -> None:
    body = stream_example("tool_use")
    cut = body.index(b"event: message_delta")
    mock_server.enqueue(Reply.sse(body[:cut]))
    with pytest.raises(anthropic_messages.IncompleteStreamError, match="message_stop") as caught:
        with client.messages.stream(**stream_args()) as stream:
            stream.get_final_message()
    assert caught.value.events_received == len(event_names(body[:cut]))


@pytest.mark.parametrize(
    "bad",
    [
        b'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": \n\n',
        b"event: content_block_delta\ndata: not json at all\n\n",
        sse_event("content_block_delta", {"type": "content_block_delta", "index": "first"}),
    ],
    ids=["truncated-json", "not-json", "wrong-shape"],
)
def test_malformed_event_is_a_validation_error(
    client: Anthropic, mock_server: MockServer, bad: bytes
) -> None:
    body = stream_example("text")
    cut = body.index(b"event: content_block_delta")
    mock_server.enqueue(Reply.sse(body[:cut] + bad + body[cut:]))
    mock_server.enqueue(Reply.sse(body[:cut] + bad + body[cut:]))
    with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
        list(client.messages.create(**stream_args(stream=True)))
    assert caught.value.status_code == 200
    with pytest.raises(anthropic_messages.APIResponseValidationError):
        with client.messages.stream(**stream_args()) as stream:
            stream.get_final_message()


@pytest.mark.parametrize(
    "event",
    [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use"}},
        {"type": "message_delta", "delta": {}, "usage": {"output_tokens": "many"}},
    ],
    ids=["delta", "block", "event"],
)
def test_a_malformed_known_event_reports_what_the_lenient_union_reports(
    client: Anthropic, mock_server: MockServer, event: dict[str, Any]
) -> None:
    body = stream_example("text")
    cut = body.index(b"event: content_block_delta")
    mock_server.enqueue(Reply.sse(body[:cut] + sse_event(event["type"], event) + body[cut:]))
    with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
        list(client.messages.create(**stream_args(stream=True)))
    with pytest.raises(pydantic.ValidationError) as alone:
        pydantic.TypeAdapter(RawMessageStreamEvent).validate_json(json.dumps(event))
    assert str(caught.value) == describe_event_error(alone.value, event)
    assert caught.value.body == event


def test_unknown_tags_in_one_big_chunk(client: Anthropic, mock_server: MockServer) -> None:
    start, *rest = events_of(stream_example("text"))
    newer = [start, {"type": "x_event"}, *rest]
    first = next(i for i, e in enumerate(newer) if e["type"] == "content_block_delta")
    newer[first] = {**newer[first], "delta": {"type": "x_delta"}}
    mock_server.enqueue(Reply.sse(sse_stream(newer), chunk_size=1 << 16))
    events = list(client.messages.create(**stream_args(stream=True)))
    assert len(events) == len(newer) - sum(1 for e in newer if e["type"] == "ping")
    assert isinstance(events[1], UnknownVariant) and events[1].to_dict() == {"type": "x_event"}
    shift = sum(1 for e in newer[:first] if e["type"] == "ping")
    assert isinstance(events[first - shift], RawContentBlockDeltaEvent)
    assert isinstance(events[first - shift].delta, UnknownVariant)
    assert isinstance(events[-1], RawMessageStopEvent)


def test_inconsistent_stream_is_a_validation_error(
    client: Anthropic, mock_server: MockServer
) -> None:
    start, *_ = events_of(stream_example("text"))
    orphan = {
        "type": "content_block_delta",
        "index": 4,
        "delta": {"type": "text_delta", "text": "x"},
    }
    mock_server.enqueue(Reply.sse(sse_stream([start, orphan])))
    with pytest.raises(anthropic_messages.APIResponseValidationError, match="block 4"):
        with client.messages.stream(**stream_args()) as stream:
            stream.get_final_message()

    events = events_of(stream_example("tool_use"))
    events[3]["delta"]["partial_json"] = '{"city": Par'  # not JSON once joined
    mock_server.enqueue(Reply.sse(sse_stream(events)))
    with pytest.raises(anthropic_messages.APIResponseValidationError, match="not valid JSON"):
        with client.messages.stream(**stream_args()) as stream:
            stream.get_final_message()


def test_slow_stream_times_out(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(stream_example("text"), chunk_delay=1.0))
    with Anthropic(api_key="k", base_url=mock_server.url, timeout=0.2, max_retries=0) as client:
        with pytest.raises(anthropic_messages.APITimeoutError):
            with client.messages.stream(**stream_args()) as stream:
                stream.get_final_message()


def test_leaving_a_stream_early_closes_its_connection(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(Reply.sse(stream_example("text"), chunk_delay=0.05))
    with client.messages.stream(**stream_args()) as stream:
        for text in stream.text_stream:
            assert text == "Hello"
            break
    assert mock_server.wait_idle(), "the abandoned stream's connection is still open"
    mock_server.enqueue(Reply.sse(stream_example("text")))
    with client.messages.create(**stream_args(stream=True)) as events:
        assert isinstance(next(iter(events)), RawMessageStartEvent)
    assert mock_server.wait_idle()
