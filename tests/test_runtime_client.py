"""The sync client against a real local HTTP server: requests, errors, retries."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Iterator

import httpx
import pytest

from generator.runtime._base_client import retry_delay, should_retry
from generator.runtime._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    MissingAPIKeyError,
)
from generator.runtime._response import APIResponse
from generator.runtime._types import NOT_GIVEN, OMIT, RequestOptions
from tests.mockserver import MockServer, Reply, mock_server  # noqa: F401
from tests.test_runtime_fakes import (
    API_KEY,
    API_KEY_ENV,
    BASE_URL_ENV,
    ERROR_TYPES,
    STATUS_ERRORS,
    Client,
    Message,
    OverloadedError,
    error_body,
    message,
)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(mock_server: MockServer, sleeps: list[float]) -> Iterator[Client]:
    with Client(api_key=API_KEY, base_url=mock_server.url) as made:
        made._sleep = sleeps.append
        yield made


# --- requests -----------------------------------------------------------------


def test_json_response_is_parsed_into_the_model(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message()))
    result = client.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    assert isinstance(result, Message)
    assert result.content[0].type == "text" and result.content[0].text == "Hello!"
    assert result.usage.output_tokens == 3


def test_request_carries_defaults_in_order(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message()))
    client.create(model="m", max_tokens=5, messages=[])
    (seen,) = mock_server.requests
    assert (seen.method, seen.path) == ("POST", "/v1/messages")
    assert seen.headers["x-api-key"] == API_KEY
    assert seen.headers["anthropic-version"] == "2023-06-01"
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["accept"] == "application/json"
    assert seen.headers["user-agent"] == "anthropic_messages/0.1.0"
    assert seen.headers["x-retry-count"] == "0"
    assert seen.json() == {"model": "m", "max_tokens": 5, "messages": []}


def test_extra_headers_query_and_body(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message()))
    options = RequestOptions(
        extra_headers={"anthropic-version": OMIT, "X-Custom": "1", "user-agent": NOT_GIVEN},
        extra_query={"beta": True, "flag": False, "n": 3, "skip": None, "tags": ["a", "b"]},
        extra_body={"max_tokens": 9, "metadata": {"user_id": "u"}, "gone": NOT_GIVEN},
    )
    client.create(model="m", max_tokens=5, options=options)
    (seen,) = mock_server.requests
    assert "anthropic-version" not in seen.headers
    assert seen.headers["x-custom"] == "1"
    assert seen.headers["user-agent"] == "anthropic_messages/0.1.0"
    assert seen.query == {"beta": ["true"], "flag": ["false"], "n": ["3"], "tags": ["a", "b"]}
    assert seen.json() == {"model": "m", "max_tokens": 9, "metadata": {"user_id": "u"}}


def test_constructor_default_headers_and_with_options_merge(
    mock_server: MockServer,
) -> None:
    mock_server.default = Reply.json(message())
    with Client(api_key=API_KEY, base_url=mock_server.url, default_headers={"a": "1"}) as base:
        copy = base.with_options(default_headers={"b": "2"})
        copy.create(model="m")
        assert copy._http is base._http
        copy.close()  # a copy does not own the shared pool
        assert not base.is_closed()
        base.create(model="m")
    assert base.is_closed()
    first, second = mock_server.requests
    assert (first.headers["a"], first.headers["b"]) == ("1", "2")
    assert second.headers["a"] == "1" and "b" not in second.headers


def test_base_url_with_path_prefix(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message()))
    with Client(api_key=API_KEY, base_url=mock_server.url + "/proxy/") as client:
        client.create(model="m")
    assert mock_server.requests[0].path == "/proxy/v1/messages"


def test_base_url_and_api_key_from_environment(
    mock_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(API_KEY_ENV, "env-key")
    monkeypatch.setenv(BASE_URL_ENV, mock_server.url)
    mock_server.enqueue(Reply.json(message()))
    with Client() as client:
        client.create(model="m")
    assert mock_server.requests[0].headers["x-api-key"] == "env-key"


def test_default_base_url_and_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    with Client(api_key=API_KEY) as client:
        assert str(client.base_url) == "https://api.example.invalid"
        assert client.timeout == httpx.Timeout(600.0, connect=5.0)
        assert client.max_retries == 2


def test_user_http_client_is_not_closed(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message()))
    with httpx.Client() as http:
        with Client(api_key=API_KEY, base_url=mock_server.url, http_client=http) as client:
            client.create(model="m")
        assert not http.is_closed


# --- the API key stays secret -------------------------------------------------


def test_missing_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with pytest.raises(MissingAPIKeyError) as caught:
        Client()
    assert API_KEY_ENV in str(caught.value) and "api_key" in str(caught.value)
    monkeypatch.setenv(API_KEY_ENV, "")
    with pytest.raises(MissingAPIKeyError):
        Client()


def test_api_key_absent_from_repr_errors_and_logs(
    client: Client, mock_server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    assert API_KEY not in repr(client) and API_KEY not in str(client)
    assert API_KEY not in repr(vars(client))
    assert API_KEY not in repr(client.with_options(max_retries=0))
    echoed = error_body("authentication_error", f"bad key {API_KEY}")
    mock_server.enqueue(Reply.json(error_body("overloaded_error", "busy"), status=529))
    mock_server.enqueue(Reply.json(echoed, status=401))
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(APIStatusError) as caught:
            client.create(model="m")
    assert API_KEY not in str(caught.value) and API_KEY not in repr(caught.value)
    assert "***" in str(caught.value)
    assert caplog.records and all(API_KEY not in r.getMessage() for r in caplog.records)


# --- errors -------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(STATUS_ERRORS))
def test_every_documented_status_maps_to_its_class(
    client: Client, mock_server: MockServer, status: int
) -> None:
    kind = next(name for name, cls in ERROR_TYPES.items() if cls is STATUS_ERRORS[status])
    mock_server.default = Reply.json(
        error_body(kind, "it broke"), status=status, headers={"request-id": "req_42"}
    )
    with pytest.raises(APIStatusError) as caught:
        client.with_options(max_retries=0).create(model="m")
    error = caught.value
    assert type(error) is STATUS_ERRORS[status]
    assert error.status_code == status and error.request_id == "req_42"
    assert error.error_type == kind
    assert error.body == error_body(kind, "it broke")
    assert error.response.status_code == status
    assert str(error) == f"{status} {kind}: it broke (request-id req_42)"


@pytest.mark.parametrize("status", [402, 418, 503])
def test_undocumented_status_is_the_base_class(
    client: Client, mock_server: MockServer, status: int
) -> None:
    mock_server.default = Reply(status=status, body=b"<html>nope</html>")
    with pytest.raises(APIStatusError) as caught:
        client.with_options(max_retries=0).create(model="m")
    # Any 5xx takes the class of 500 (a server error however the spec spells it).
    assert type(caught.value) is (STATUS_ERRORS[500] if status >= 500 else APIStatusError)
    assert caught.value.body == "<html>nope</html>" and caught.value.status_code == status
    assert "nope" in str(caught.value)


def test_truncated_json_is_a_validation_error(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(headers={"content-type": "application/json"}, body=b'{"id": "msg_'))
    with pytest.raises(APIResponseValidationError) as caught:
        client.create(model="m")
    assert caught.value.status_code == 200 and "Message" in str(caught.value)


def test_body_that_does_not_fit_the_model(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json({"id": "msg_1", "type": "message"}))
    with pytest.raises(APIResponseValidationError) as caught:
        client.create(model="m")
    assert caught.value.body == {"id": "msg_1", "type": "message"}
    assert "content" in str(caught.value)


def test_connection_dropped_mid_body_is_retried_then_typed(
    client: Client, mock_server: MockServer, sleeps: list[float]
) -> None:
    body = Reply.json(message()).body
    mock_server.default = Reply(body=body, drop_after=20)
    with pytest.raises(APIConnectionError) as caught:
        client.create(model="m")
    assert not isinstance(caught.value, APITimeoutError)
    assert len(mock_server.requests) == 3 and len(sleeps) == 2


def test_connection_refused_is_a_connection_error(sleeps: list[float]) -> None:
    with MockServer() as server:
        url = server.url
    with Client(api_key=API_KEY, base_url=url, max_retries=1) as client:
        client._sleep = sleeps.append
        with pytest.raises(APIConnectionError):
            client.create(model="m")
    assert len(sleeps) == 1


def test_slow_server_times_out(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(message())
    mock_server.default.delay = 2.0
    with Client(api_key=API_KEY, base_url=mock_server.url, timeout=0.2, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            client.create(model="m")
    assert len(mock_server.requests) == 1


def test_per_call_timeout(client: Client, mock_server: MockServer, sleeps: list[float]) -> None:
    mock_server.default = Reply.json(message())
    mock_server.default.delay = 2.0
    with pytest.raises(APITimeoutError):
        client.create(model="m", options=RequestOptions(timeout=0.2, max_retries=1))
    assert len(mock_server.requests) == 2 and len(sleeps) == 1


# --- retries ------------------------------------------------------------------


def overloaded(**headers: str) -> Reply:
    return Reply.json(error_body("overloaded_error", "Overloaded"), status=529, headers=headers)


def test_retries_until_success(
    client: Client, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.enqueue(
        overloaded(**{"retry-after": "0"}),
        overloaded(**{"retry-after": "0"}),
        Reply.json(message()),
    )
    assert isinstance(client.create(model="m"), Message)
    assert [r.headers["x-retry-count"] for r in mock_server.requests] == ["0", "1", "2"]
    assert sleeps == [0.0, 0.0]


def test_retries_exhausted_raise_the_last_error(
    client: Client, mock_server: MockServer, sleeps: list[float]
) -> None:
    mock_server.default = overloaded()
    with pytest.raises(OverloadedError):
        client.create(model="m")
    assert len(mock_server.requests) == 3
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 529])
def test_retryable_statuses(client: Client, mock_server: MockServer, status: int) -> None:
    mock_server.enqueue(Reply(status=status), Reply.json(message()))
    client.create(model="m")
    assert len(mock_server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_non_retryable_statuses(client: Client, mock_server: MockServer, status: int) -> None:
    mock_server.enqueue(Reply(status=status), Reply.json(message()))
    with pytest.raises(APIStatusError):
        client.create(model="m")
    assert len(mock_server.requests) == 1


def test_x_should_retry_overrides_the_status(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(overloaded(**{"x-should-retry": "false"}))
    with pytest.raises(OverloadedError):
        client.create(model="m")
    assert len(mock_server.requests) == 1
    mock_server.enqueue(
        Reply(status=400, headers={"x-should-retry": "true"}), Reply.json(message())
    )
    client.create(model="m")
    assert len(mock_server.requests) == 3


def test_max_retries_per_client_and_per_call(mock_server: MockServer, sleeps: list[float]) -> None:
    mock_server.default = overloaded()
    with Client(api_key=API_KEY, base_url=mock_server.url, max_retries=1) as client:
        client._sleep = sleeps.append
        with pytest.raises(OverloadedError):
            client.create(model="m")
        assert len(mock_server.requests) == 2
        with pytest.raises(OverloadedError):
            client.with_options(max_retries=3).create(model="m")
        assert len(mock_server.requests) == 2 + 4
        with pytest.raises(OverloadedError):
            client.create(model="m", options=RequestOptions(max_retries=0))
        assert len(mock_server.requests) == 2 + 4 + 1


def test_retry_delay_honours_the_server_within_bounds() -> None:
    assert retry_delay(0, httpx.Headers({"retry-after-ms": "1500"})) == 1.5
    assert retry_delay(0, httpx.Headers({"retry-after": "3"})) == 3.0
    assert retry_delay(0, httpx.Headers({"retry-after": "0"})) == 0.0
    date = email.utils.formatdate(1_000_010.0, usegmt=True)
    assert retry_delay(0, httpx.Headers({"retry-after": date}), now=lambda: 1_000_000.0) == 10.0
    # Beyond a minute, nonsense, or in the past: our own backoff applies.
    for value in ("61", "soon", "-2"):
        assert retry_delay(0, httpx.Headers({"retry-after": value}), rand=lambda: 0.0) == 0.5


def test_retry_delay_backoff_doubles_to_a_cap_with_jitter() -> None:
    no_jitter = [retry_delay(n, rand=lambda: 0.0) for n in range(7)]
    assert no_jitter == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert retry_delay(2, rand=lambda: 1.0) == 1.5


def test_should_retry_table() -> None:
    def response(status: int, **headers: str) -> httpx.Response:
        return httpx.Response(status, headers=headers)

    assert [should_retry(response(s)) for s in (400, 408, 409, 429, 500, 529)] == [
        False,
        True,
        True,
        True,
        True,
        True,
    ]
    assert should_retry(response(400, **{"x-should-retry": "true"}))
    assert not should_retry(response(500, **{"x-should-retry": "FALSE"}))


# --- raw responses -----------------------------------------------------------


def test_raw_response(client: Client, mock_server: MockServer, sleeps: list[float]) -> None:
    mock_server.enqueue(
        overloaded(**{"retry-after": "0"}),
        Reply.json(message(), headers={"request-id": "req_7", "x-extra": "yes"}),
    )
    raw = client.with_raw_response.create(model="m")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.request_id == "req_7"
    assert raw.headers["x-extra"] == "yes" and raw.retries_taken == 1
    parsed = raw.parse()
    assert isinstance(parsed, Message) and raw.parse() is parsed
    # The flag does not leak into the next plain call.
    mock_server.enqueue(Reply.json(message()))
    assert isinstance(client.create(model="m"), Message)


def test_raw_response_still_raises_status_errors(client: Client, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(error_body("not_found_error", "no"), status=404))
    with pytest.raises(APIStatusError):
        client.with_raw_response.create(model="m")


# --- timeouts as sent (a transport that only records) ---------------------------


def test_timeout_reaches_the_transport() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=message())

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = Client(api_key=API_KEY, base_url="http://test", http_client=http)
        client.create(model="m")
        client.create(model="m", options=RequestOptions(timeout=None))
        client.with_options(timeout=3.0).create(model="m")
        client.with_options(timeout=None).create(model="m")
    default = {"connect": 5.0, "read": 600.0, "write": 600.0, "pool": 600.0}
    unlimited = {"connect": None, "read": None, "write": None, "pool": None}
    three = {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
    assert seen == [default, unlimited, three, unlimited]


@pytest.mark.parametrize(("key", "what"), [
    (API_KEY + "\n", "a newline at position 26 of 26"),
    (" " + API_KEY, "a space at position 1 of 26"),
    (API_KEY[:5] + "\u00e9" + API_KEY[5:], "a non-ASCII character at position 6 of 26"),
    (API_KEY + "\r\nx-evil: 1", "a carriage return at position 26 of 36"),
])
def test_a_key_no_header_can_carry_fails_at_construction_without_showing_it(
    key: str, what: str, mock_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key read from a file keeps its newline: httpx refused it at the first request with a
    connection error quoting the whole key (and the client retried it)."""
    with pytest.raises(MissingAPIKeyError) as caught:
        Client(api_key=key, base_url=mock_server.url)
    assert f"api_key holds {what}" in str(caught.value)
    assert API_KEY not in str(caught.value) and API_KEY[:12] not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    monkeypatch.setenv(API_KEY_ENV, key)
    with pytest.raises(MissingAPIKeyError, match=f"^{API_KEY_ENV} holds {what}"):
        Client(base_url=mock_server.url)
    with pytest.raises(MissingAPIKeyError, match=f"^auth_token holds {what}"):
        Client(api_key=API_KEY, auth_token=key, base_url=mock_server.url)
    assert mock_server.requests == []
