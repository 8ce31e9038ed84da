"""``create()``'s return type follows ``stream``; arguments are checked."""

from __future__ import annotations

from typing import Union

from typing_extensions import assert_type

from anthropic_messages import (
    NOT_GIVEN,
    Anthropic,
    APIResponse,
    AsyncAnthropic,
    AsyncStream,
    Stream,
)
from anthropic_messages.types import BetaMessage, BetaMessageParam, Message, MessageParam, RawMessageStreamEvent

client = Anthropic(api_key="test", max_retries=0, timeout=20.0)
turns: list[MessageParam] = [{"role": "user", "content": "Hello"}]
beta_turns: list[BetaMessageParam] = [{"role": "user", "content": "Hello"}]


def sync_calls(flag: bool) -> None:
    message = client.messages.create(model="m", max_tokens=16, messages=turns)
    assert_type(message, Message)
    assert_type(client.messages.create(model="m", max_tokens=16, messages=turns, stream=False), Message)
    assert_type(client.messages.create(model="m", max_tokens=16, messages=turns, stream=NOT_GIVEN), Message)
    events = client.messages.create(model="m", max_tokens=16, messages=turns, stream=True)
    assert_type(events, Stream[RawMessageStreamEvent])
    either = client.messages.create(model="m", max_tokens=16, messages=turns, stream=flag)
    assert_type(either, Union[Message, Stream[RawMessageStreamEvent]])
    beta = client.beta.messages.create(
        model="m", max_tokens=16, messages=beta_turns, betas=["output-128k-2025-02-19"]
    )
    assert_type(beta, BetaMessage)
    raw = client.messages.with_raw_response.create(model="m", max_tokens=16, messages=turns)
    assert_type(raw, APIResponse[Message])
    assert_type(raw.parse(), Message)
    assert_type(raw.request_id, Union[str, None])
    with client.messages.stream(model="m", max_tokens=16, messages=turns) as stream:
        for text in stream.text_stream:
            assert_type(text, str)
        assert_type(stream.get_final_message(), Message)
    assert_type(client.with_options(max_retries=5), Anthropic)


async def async_calls(flag: bool) -> None:
    aclient = AsyncAnthropic(api_key="test")
    message = await aclient.messages.create(model="m", max_tokens=16, messages=turns)
    assert_type(message, Message)
    events = await aclient.messages.create(model="m", max_tokens=16, messages=turns, stream=True)
    assert_type(events, AsyncStream[RawMessageStreamEvent])
    async for event in events:
        assert_type(event, RawMessageStreamEvent)
    either = await aclient.messages.create(model="m", max_tokens=16, messages=turns, stream=flag)
    assert_type(either, Union[Message, AsyncStream[RawMessageStreamEvent]])
    async with aclient.messages.stream(model="m", max_tokens=16, messages=turns) as stream:
        assert_type(await stream.get_final_message(), Message)


def wrong_calls() -> None:
    # A required argument left out.
    client.messages.create(model="m", messages=turns)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    # An argument that does not exist.
    client.messages.create(model="m", max_tokens=1, messages=turns, temprature=0.5)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    # A value of the wrong type.
    client.messages.create(model="m", max_tokens="16", messages=turns)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    # ``betas`` exists only on the beta method.
    client.messages.create(model="m", max_tokens=1, messages=turns, betas=["x"])  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    # The stream flag is not a string.
    client.messages.create(model="m", max_tokens=1, messages=turns, stream="yes")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
