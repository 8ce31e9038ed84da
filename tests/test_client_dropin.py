"""The official SDK's client surface, beyond its documented examples (tests/test_sdk_examples.py).

Header precedence, bearer tokens, default query parameters, copies, calls to
undocumented endpoints, streamed responses, the sentinels, request ids and the
async helper's events, each against the local mock server.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.client_expectations import events_of, helper_event_types
from tests.client_support import API_KEY, HELLO, MODEL, message_example, stream_example
from tests.mockserver import MockServer, Reply, mock_server  # noqa: F401

import anthropic_messages  # isort: skip
from anthropic_messages import Anthropic, AsyncAnthropic  # isort: skip

TEXT = message_example("text")


def create(client: Anthropic, **extra: Any) -> Any:
    return client.messages.create(model=MODEL, max_tokens=8, messages=HELLO, **extra)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_LOG"):
        monkeypatch.delenv(name, raising=False)


def test_header_precedence(mock_server: MockServer, no_env: None) -> None:
    mock_server.default = Reply.json(TEXT)
    defaults = {"anthropic-version": "client-version", "anthropic-beta": "client-beta"}
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, default_headers=defaults) as client:
        create(client)  # the client's defaults win over the operation's fixed header
        client.beta.messages.create(
            model=MODEL, max_tokens=8, messages=HELLO, betas=["call-beta"]
        )  # an argument wins over the client's defaults
        client.beta.messages.create(
            model=MODEL,
            max_tokens=8,
            messages=HELLO,
            betas=["call-beta"],
            extra_headers={"anthropic-beta": "extra", "anthropic-version": anthropic_messages.omit},
        )  # extra_headers win over everything, and omit removes
    first, second, third = mock_server.requests
    assert first.headers["anthropic-version"] == "client-version"
    assert first.headers["anthropic-beta"] == "client-beta"
    assert (second.headers["anthropic-version"], second.headers["anthropic-beta"]) == (
        "client-version",
        "call-beta",
    )
    assert third.headers["anthropic-beta"] == "extra" and "anthropic-version" not in third.headers


def test_bearer_token_from_the_environment(
    mock_server: MockServer, no_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_server.default = Reply.json(TEXT)
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "tok-123")
    with Anthropic(base_url=mock_server.url) as client:
        assert client.auth_token == "tok-123" and "tok-123" not in repr(vars(client))
        create(client)
    (seen,) = mock_server.requests
    assert seen.headers["authorization"] == "Bearer tok-123" and "x-api-key" not in seen.headers


def test_no_credential_at_all(no_env: None) -> None:
    with pytest.raises(anthropic_messages.MissingAPIKeyError) as caught:
        Anthropic()
    assert isinstance(caught.value, anthropic_messages.AnthropicError)
    assert "ANTHROPIC_API_KEY" in str(caught.value) and "ANTHROPIC_AUTH_TOKEN" in str(caught.value)


def test_default_query_copies_and_set_default_headers(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(TEXT)
    with Anthropic(
        api_key=API_KEY,
        base_url=mock_server.url,
        default_query={"a": "1"},
        default_headers={"x-a": "1"},
    ) as client:
        create(client, extra_query={"b": "2"})
        replaced = client.copy(set_default_headers={"x-b": "2"}, set_default_query={})
        create(replaced)
        assert replaced.default_headers == {"x-b": "2"} and client.default_query == {"a": "1"}
        with pytest.raises(ValueError):
            client.with_options(default_headers={}, set_default_headers={})
    first, second = mock_server.requests
    assert first.query == {"a": ["1"], "b": ["2"]} and first.headers["x-a"] == "1"
    assert second.query == {} and "x-a" not in second.headers and second.headers["x-b"] == "2"


def test_undocumented_endpoints(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json({"ok": True}), Reply.json({"id": "x"}), Reply.json({}, status=404))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, max_retries=0) as client:
        assert client.get("/v1/things", cast_to=object, options={"params": {"n": 2}}) == {"ok": True}
        posted = client.post("v1/things", cast_to=dict, body={"a": 1}, options={"headers": {"x": "y"}})
        assert posted == {"id": "x"}
        with pytest.raises(anthropic_messages.NotFoundError):
            client.delete("/v1/things/x", cast_to=object)
        with pytest.raises(TypeError, match="unknown request options"):
            client.get("/v1/things", cast_to=object, options={"param": {}})
    got, posted_req, deleted = mock_server.requests
    assert (got.method, got.path, got.query) == ("GET", "/v1/things", {"n": ["2"]})
    assert (posted_req.path, posted_req.json(), posted_req.headers["x"]) == ("/v1/things", {"a": 1}, "y")
    assert posted_req.headers["x-api-key"] == API_KEY and deleted.method == "DELETE"


def test_omit_leaves_a_parameter_out(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(TEXT)
    with Anthropic(api_key=API_KEY, base_url=mock_server.url) as client:
        create(client, temperature=anthropic_messages.omit, top_k=anthropic_messages.not_given)
    assert set(mock_server.requests[0].json()) == {"model", "max_tokens", "messages"}


def test_models_print_and_dump_as_the_sdk_does(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(TEXT, headers={"request-id": "req_top"}))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url) as client:
        message = create(client)
    shown = str(message)
    assert shown.startswith("Message(") and "content=[TextBlock(" in shown and "id='msg_" in shown
    assert message._request_id == "req_top"
    with pytest.raises(AttributeError):
        message.usage._request_id  # noqa: B018 - the top-level object only, as in the SDK
    assert "_request_id" not in message.to_dict() and "req_top" not in message.to_json()
    assert message.to_dict(exclude_none=True).get("stop_sequence", "gone") == "gone"
    assert message.to_json(indent=None).startswith("{")


def test_closed_clients_refuse_calls(mock_server: MockServer) -> None:
    client = Anthropic(api_key=API_KEY, base_url=mock_server.url)
    client.close()
    with pytest.raises(anthropic_messages.APIConnectionError, match="closed"):
        create(client)

    async def main() -> None:
        async_client = AsyncAnthropic(api_key=API_KEY, base_url=mock_server.url)
        await async_client.close()
        assert async_client.is_closed()
        with pytest.raises(anthropic_messages.APIConnectionError, match="closed"):
            await async_client.messages.create(model=MODEL, max_tokens=8, messages=HELLO)

    asyncio.run(main())
    assert mock_server.requests == []


def test_async_streaming_response_and_helper_events(mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json(TEXT, headers={"x-my-header": "mine"}),
        Reply.sse(stream_example("tool_use")),
    )

    async def main() -> None:
        async with AsyncAnthropic(api_key=API_KEY, base_url=mock_server.url) as client:
            async with client.messages.with_streaming_response.create(
                model=MODEL, max_tokens=8, messages=HELLO
            ) as response:
                assert response.headers["x-my-header"] == "mine" and not response.is_closed
                message = await response.parse()
                assert message.id == TEXT["id"] and message._request_id is None
            assert response.is_closed
            async with client.messages.stream(model=MODEL, max_tokens=8, messages=HELLO) as stream:
                seen = [event async for event in stream]
            assert [e.type for e in seen] == helper_event_types(events_of(stream_example("tool_use")))
            inputs = [e.snapshot for e in seen if e.type == "input_json"]
            assert inputs[-1] == {"city": "Paris"}
            stop = next(e for e in seen if e.type == "content_block_stop")
            assert stop.content_block.type == "tool_use" and stop.content_block.input == {"city": "Paris"}
            assert seen[-1].type == "message_stop"
            assert seen[-1].message is await stream.get_final_message()

    asyncio.run(main())


def test_server_error_classes_nest_as_the_sdk_raises_them(mock_server: MockServer) -> None:
    body = {"type": "error", "error": {"type": "api_error", "message": "x"}}
    statuses = (500, 502, 504, 529)
    mock_server.enqueue(*(Reply.json(body, status=s) for s in statuses))
    caught: list[Exception] = []
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, max_retries=0) as client:
        for _ in statuses:
            with pytest.raises(anthropic_messages.APIStatusError) as error:
                create(client)
            caught.append(error.value)
    # The official SDK raises InternalServerError for each of these but 529: a
    # class of our own for one of them (504) is a kind of InternalServerError.
    server = [isinstance(e, anthropic_messages.InternalServerError) for e in caught]
    assert server == [True, True, True, False]
    assert type(caught[3]) is anthropic_messages.OverloadedError
    assert [e.status_code for e in caught] == list(statuses)
