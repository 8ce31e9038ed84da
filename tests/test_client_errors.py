"""Errors, retries and timeouts of the generated client, against a real local server.

Every error status the spec documents is served with the spec's own example
body. Retries never really sleep: the client's ``_sleep`` is replaced by a list
that records each wait.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.client_expectations import RETRIED_STATUSES, STATUS_CLASSES
from tests.client_support import (
    API_KEY,
    HELLO,
    MODEL,
    client,  # noqa: F401
    documented_error_statuses,
    error_example,
    message_example,
    overloaded,
    sleeps,  # noqa: F401
)
from tests.mockserver import MockServer, Reply, mock_server  # noqa: F401

import anthropic_messages  # isort: skip
from anthropic_messages import Anthropic, APIStatusError  # isort: skip
from anthropic_messages.types import Message  # isort: skip


def create(client: Anthropic, **extra: Any) -> Message:
    arguments: dict[str, Any] = {"model": MODEL, "max_tokens": 1024, "messages": HELLO, **extra}
    message: Message = client.messages.create(**arguments)
    return message


def test_the_spec_documents_these_statuses() -> None:
    assert documented_error_statuses() == sorted(STATUS_CLASSES)


# --- error statuses ---------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
def test_every_documented_status_raises_its_class(
    client: Anthropic, mock_server: MockServer, sleeps: list[float], status: int
) -> None:
    body = error_example(status)
    mock_server.default = Reply.json(body, status=status, headers={"request-id": "req_018Ee"})
    with pytest.raises(APIStatusError) as caught:
        create(client)
    error = caught.value
    assert type(error) is STATUS_CLASSES[status]
    assert error.status_code == status and error.response.status_code == status
    assert error.request_id == "req_018Ee"
    assert error.body == body and error.error_type == body["error"]["type"]
    kind, detail = body["error"]["type"], body["error"]["message"]
    assert str(error) == f"{status} {kind}: {detail} (request-id req_018Ee)"
    assert error.request is not None and error.request.url.path == "/v1/messages"
    # 429 and 5xx are retried (twice by default); the others fail at once.
    assert len(mock_server.requests) == (3 if status in RETRIED_STATUSES else 1)
    assert len(sleeps) == (2 if status in RETRIED_STATUSES else 0)


def test_undocumented_status_is_the_base_class(client: Anthropic, mock_server: MockServer) -> None:
    body = {"type": "error", "error": {"type": "teapot_error", "message": "I'm a teapot"}}
    mock_server.enqueue(Reply.json(body, status=418, headers={"request-id": "req_tea"}))
    with pytest.raises(APIStatusError) as caught:
        create(client)
    error = caught.value
    assert type(error) is APIStatusError
    assert (error.status_code, error.request_id, error.body) == (418, "req_tea", body)
    assert str(error) == "418 teapot_error: I'm a teapot (request-id req_tea)"
    assert len(mock_server.requests) == 1


def test_error_page_that_is_not_json(client: Anthropic, mock_server: MockServer) -> None:
    page = Reply(status=502, headers={"content-type": "text/html"}, body=b"<h1>Bad gateway</h1>")
    mock_server.default = page
    with pytest.raises(APIStatusError) as caught:
        client.with_options(max_retries=0).messages.create(
            model=MODEL, max_tokens=5, messages=HELLO
        )
    # Every 5xx is a server error, as in the official SDK, and the page is the body.
    assert type(caught.value) is anthropic_messages.InternalServerError
    assert caught.value.body == "<h1>Bad gateway</h1>"
    assert "Bad gateway" in str(caught.value)


# --- retries ------------------------------------------------------------------------


def test_overloaded_twice_then_success(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.enqueue(
        overloaded(**{"retry-after": "0"}),
        overloaded(**{"retry-after": "0"}),
        Reply.json(message_example("text")),
    )
    message = create(client)
    assert type(message) is Message and message.id == "msg_013Zva2CMHLNnXjNJJKqJ2EF"
    assert len(mock_server.requests) == 3
    assert [r.headers["x-retry-count"] for r in mock_server.requests] == ["0", "1", "2"]
    assert [r.body for r in mock_server.requests] == [mock_server.requests[0].body] * 3
    assert sleeps == [0.0, 0.0]


def test_a_retry_sends_the_same_body_even_from_a_generator(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(overloaded(**{"retry-after": "0"}), Reply.json(message_example("text")))
    create(client, messages=(turn for turn in HELLO))
    first, second = mock_server.requests
    assert first.body == second.body and first.json()["messages"] == HELLO


def test_retry_waits_follow_the_server_then_the_backoff(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    rate_limited = Reply.json(error_example(429), status=429, headers={"retry-after": "7"})
    mock_server.enqueue(overloaded(**{"retry-after-ms": "250"}), rate_limited)
    mock_server.default = overloaded()
    with pytest.raises(anthropic_messages.OverloadedError):
        client.with_options(max_retries=3).messages.create(
            model=MODEL, max_tokens=5, messages=HELLO
        )
    assert len(mock_server.requests) == 4
    assert sleeps[:2] == [0.25, 7.0]
    assert 1.5 <= sleeps[2] <= 2.0  # 0.5 s doubled twice, less up to 25 % jitter


def test_x_should_retry_false_stops_retries(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.default = overloaded(**{"x-should-retry": "false"})
    with pytest.raises(anthropic_messages.OverloadedError):
        create(client)
    assert len(mock_server.requests) == 1


def test_x_should_retry_true_retries_a_client_error(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(
        Reply.json(error_example(400), status=400, headers={"x-should-retry": "true"}),
        Reply.json(message_example("text")),
    )
    assert type(create(client)) is Message
    assert len(mock_server.requests) == 2


def test_max_retries_per_client(mock_server: MockServer, sleeps: list[float]) -> None:
    mock_server.default = overloaded()
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, max_retries=0) as none:
        with pytest.raises(anthropic_messages.OverloadedError):
            create(none)
    assert len(mock_server.requests) == 1
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, max_retries=4) as four:
        four._sleep = sleeps.append
        with pytest.raises(anthropic_messages.OverloadedError):
            create(four)
    assert len(mock_server.requests) == 1 + 5 and len(sleeps) == 4


def test_max_retries_per_call(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.default = overloaded()
    with pytest.raises(anthropic_messages.OverloadedError):
        client.with_options(max_retries=0).messages.create(
            model=MODEL, max_tokens=5, messages=HELLO
        )
    assert len(mock_server.requests) == 1
    with pytest.raises(anthropic_messages.OverloadedError):
        client.with_options(max_retries=1).beta.messages.create(
            model=MODEL, max_tokens=5, messages=HELLO
        )
    assert len(mock_server.requests) == 1 + 2
    # The client itself keeps its own setting.
    with pytest.raises(anthropic_messages.OverloadedError):
        create(client)
    assert len(mock_server.requests) == 1 + 2 + 3
    assert client.max_retries == 2


# --- timeouts and broken connections ----------------------------------------------


def slow_reply(seconds: float) -> Reply:
    reply = Reply.json(message_example("text"))
    reply.delay = seconds
    return reply


def test_slow_server_hits_the_client_timeout(mock_server: MockServer) -> None:
    mock_server.default = slow_reply(2.0)
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, timeout=0.2, max_retries=0) as c:
        with pytest.raises(anthropic_messages.APITimeoutError) as caught:
            create(c)
    assert isinstance(caught.value, anthropic_messages.APIConnectionError)
    assert len(mock_server.requests) == 1


def test_timeouts_are_retried(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.enqueue(slow_reply(2.0), Reply.json(message_example("text")))
    assert type(create(client, timeout=0.2)) is Message
    assert len(mock_server.requests) == 2 and len(sleeps) == 1


def test_per_call_timeout(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.default = slow_reply(2.0)
    with pytest.raises(anthropic_messages.APITimeoutError):
        client.with_options(max_retries=0).messages.create(
            model=MODEL, max_tokens=5, messages=HELLO, timeout=0.2
        )


def test_connection_dropped_mid_body(
    client: Anthropic, mock_server: MockServer, sleeps: list[float]
) -> None:
    whole = json.dumps(message_example("text")).encode()
    dropped = Reply(headers={"content-type": "application/json"}, body=whole, drop_after=40)
    mock_server.enqueue(dropped, Reply.json(message_example("text")))
    assert type(create(client)) is Message  # the drop is retried
    mock_server.default = dropped
    with pytest.raises(anthropic_messages.APIConnectionError) as caught:
        create(client)
    assert not isinstance(caught.value, anthropic_messages.APITimeoutError)
    assert len(mock_server.requests) == 2 + 3 and len(sleeps) == 1 + 2


def test_nothing_listening(sleeps: list[float]) -> None:
    with MockServer() as server:
        url = server.url
    with Anthropic(api_key=API_KEY, base_url=url, max_retries=1) as client:
        client._sleep = sleeps.append
        with pytest.raises(anthropic_messages.APIConnectionError):
            create(client)
    assert len(sleeps) == 1
