"""The generated ``anthropic_messages`` client end to end, against a real local server.

Replies are the spec's own examples. This module covers responses, the request
on the wire, the beta variant, raw responses, tolerant parsing, and the API key
and environment; streams, errors and the async client have their own modules
(``test_client_streams.py``, ``test_client_errors.py``, ``test_client_async.py``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
from typing import Any

import httpx
import pydantic
import pytest

from tests.client_support import (
    API_KEY,
    GENERATED,
    HELLO,
    MODEL,
    client,  # noqa: F401
    error_example,
    message_example,
    overloaded,
    sleeps,  # noqa: F401
    stream_example,
)
from tests.mockserver import MockServer, Reply, mock_server  # noqa: F401

import anthropic_messages  # isort: skip
from anthropic_messages import Anthropic, APIStatusError, UnknownVariant  # isort: skip
from anthropic_messages._response import describe_validation_error  # isort: skip
from anthropic_messages.types import (  # isort: skip
    CitationCharLocation,
    CitationContentBlockLocation,
    CitationPageLocation,
    Message,
    RedactedThinkingBlock,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)


def create(client: Anthropic, **extra: Any) -> Message:
    arguments: dict[str, Any] = {"model": MODEL, "max_tokens": 1024, "messages": HELLO, **extra}
    message: Message = client.messages.create(**arguments)
    return message


# --- responses parse into the right classes -----------------------------------


def test_plain_text_reply(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("text")))
    message = create(client)
    assert type(message) is Message
    (block,) = message.content
    assert type(block) is TextBlock
    assert block.text == "Hi! I'm Claude. What can I do for you today?"
    assert block.citations is None
    assert message.id == "msg_013Zva2CMHLNnXjNJJKqJ2EF" and message.model == MODEL
    assert (message.role, message.type) == ("assistant", "message")
    assert (message.stop_reason, message.stop_sequence) == ("end_turn", None)
    assert (message.usage.input_tokens, message.usage.output_tokens) == (10, 17)
    assert message.usage.cache_read_input_tokens == 0
    # Nothing is lost on the way: the model dumps back to exactly what was sent.
    assert message.to_dict() == message_example("text")


def test_tool_use_reply(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("tool_use")))
    message = create(client)
    text, call = message.content
    assert type(text) is TextBlock and type(call) is ToolUseBlock
    assert (call.id, call.name) == ("toolu_01D7FLrfh4GYq7yT1ULFeyMV", "get_stock_price")
    assert call.input == {"ticker": "^GSPC"}
    assert message.stop_reason == "tool_use"
    assert message.usage.cache_creation_input_tokens is None


def test_thinking_and_redacted_thinking_reply(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("thinking")))
    message = create(client, thinking={"type": "enabled", "budget_tokens": 10000})
    thinking, redacted, text = message.content
    assert type(thinking) is ThinkingBlock and type(redacted) is RedactedThinkingBlock
    assert type(text) is TextBlock
    assert thinking.thinking.startswith("Primes other than 2 are odd")
    assert thinking.signature.startswith("EuYBCkQY")
    assert redacted.data == "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"
    assert mock_server.requests[0].json()["thinking"] == {"type": "enabled", "budget_tokens": 10000}


def test_stop_sequence_and_citations_replies(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json(message_example("stop_sequence")), Reply.json(message_example("citations"))
    )
    stopped = create(client, stop_sequences=[")"])
    assert (stopped.stop_reason, stopped.stop_sequence) == ("stop_sequence", ")")
    cited = create(client)
    (block,) = cited.content
    assert isinstance(block, TextBlock) and block.citations is not None
    assert [type(c) for c in block.citations] == [
        CitationCharLocation,
        CitationPageLocation,
        CitationContentBlockLocation,
    ]
    char, page, blocks = block.citations
    assert isinstance(char, CitationCharLocation) and char.end_char_index == 158
    assert isinstance(page, CitationPageLocation) and page.document_title is None
    assert isinstance(blocks, CitationContentBlockLocation) and blocks.start_block_index == 5


def test_a_message_can_be_sent_back_as_the_next_turn(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(
        Reply.json(message_example("tool_use")), Reply.json(message_example("text"))
    )
    first = create(client)
    call = first.content[1]
    assert isinstance(call, ToolUseBlock)
    create(
        client,
        messages=[
            *HELLO,
            {"role": "assistant", "content": first.content},
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "259.75"}],
            },
        ],
    )
    sent = mock_server.requests[1].json()["messages"]
    assert sent[1]["content"] == message_example("tool_use")["content"]
    assert sent[2]["content"][0]["tool_use_id"] == "toolu_01D7FLrfh4GYq7yT1ULFeyMV"


# --- what a newer server may send ---------------------------------------------


def test_unknown_fields_blocks_and_enum_values_parse(
    client: Anthropic, mock_server: MockServer
) -> None:
    body = message_example("text")
    body = {
        **body,
        "stop_reason": "future_stop_2099",
        "future_field_2099": {"id": "cnt_1"},
        "usage": {**body["usage"], "future_usage_2099": "standard"},
        "content": [
            {"type": "future_block_2099", "id": "srvtoolu_1", "name": "web_search", "input": {}},
            {"type": "text", "text": "Hi", "brand_new": [1, 2]},
        ],
    }
    mock_server.enqueue(Reply.json(body))
    message = create(client)
    stop_reason: object = message.stop_reason  # a value the Literal does not list
    assert stop_reason == "future_stop_2099"
    # Unknown fields are plain attributes (unknown to the type checker, hence getattr).
    assert getattr(message, "future_field_2099") == {"id": "cnt_1"}
    assert getattr(message.usage, "future_usage_2099") == "standard"
    unknown, text = message.content
    assert isinstance(unknown, UnknownVariant)
    assert getattr(unknown, "type") == "future_block_2099"
    assert unknown.to_dict() == body["content"][0]
    assert isinstance(text, TextBlock) and getattr(text, "brand_new") == [1, 2]
    assert message.to_dict() == body


@pytest.mark.parametrize(
    "block",
    [{"text": "no type"}, {"type": 7, "text": "x"}, {"type": ["text"], "text": "x"}],
    ids=["missing", "number", "list"],
)
def test_a_block_with_an_odd_tag_is_an_unknown_variant(
    client: Anthropic, mock_server: MockServer, block: dict[str, Any]
) -> None:
    body = {**message_example("text"), "content": [block]}
    mock_server.enqueue(Reply.json(body))
    (unknown,) = create(client).content
    assert isinstance(unknown, UnknownVariant) and unknown.to_dict() == block


@pytest.mark.parametrize(
    "block",
    [
        {"type": "text"},
        {"type": "tool_use", "id": "toolu_1", "name": "f", "input": "not an object"},
        {"type": "thinking", "thinking": "hm", "signature": None},
    ],
    ids=["text-without-text", "tool-input-not-object", "null-signature"],
)
def test_a_malformed_known_block_reports_what_the_lenient_model_reports(
    client: Anthropic, mock_server: MockServer, block: dict[str, Any]
) -> None:
    # Known tags are parsed on a fast path first; a failure there is reported
    # exactly as the model itself (which reads tags leniently) reports it.
    body = {**message_example("text"), "content": [{"type": "text", "text": "ok"}, block]}
    mock_server.enqueue(Reply.json(body))
    with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
        create(client)
    with pytest.raises(pydantic.ValidationError) as alone:
        Message.model_validate_json(json.dumps(body))
    assert str(caught.value) == describe_validation_error(alone.value, Message)
    assert f"content.1.{block['type']}." in str(caught.value)
    assert caught.value.body == body


def test_a_reply_that_does_not_fit_is_a_validation_error(
    client: Anthropic, mock_server: MockServer
) -> None:
    body = {**message_example("text"), "usage": {"input_tokens": "many"}}
    mock_server.enqueue(Reply.json(body, headers={"request-id": "req_bad"}))
    with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
        create(client)
    assert caught.value.status_code == 200 and caught.value.body == body
    assert "Message" in str(caught.value) and "usage" in str(caught.value)


def test_truncated_json_is_a_validation_error(client: Anthropic, mock_server: MockServer) -> None:
    whole = json.dumps(message_example("text")).encode()
    mock_server.enqueue(Reply(headers={"content-type": "application/json"}, body=whole[:40]))
    with pytest.raises(anthropic_messages.APIResponseValidationError) as caught:
        create(client)
    assert caught.value.body is None
    assert len(mock_server.requests) == 1  # a complete but bad answer is not retried


# --- the request on the wire --------------------------------------------------


def test_the_request_on_the_wire(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("text")))
    create(client)
    (seen,) = mock_server.requests
    assert (seen.method, seen.path, seen.query) == ("POST", "/v1/messages", {})
    assert seen.json() == {"model": MODEL, "max_tokens": 1024, "messages": HELLO}
    assert seen.headers["x-api-key"] == API_KEY
    assert seen.headers["anthropic-version"] == "2023-06-01"
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["accept"] == "application/json"
    assert seen.headers["user-agent"] == f"anthropic_messages/{anthropic_messages.__version__}"
    assert "anthropic-beta" not in seen.headers


def test_every_argument_goes_into_the_body(client: Anthropic, mock_server: MockServer) -> None:
    tool = {
        "name": "get_stock_price",
        "description": "Look up the latest trading price for a ticker symbol.",
        "input_schema": {
            "type": "object",
            "properties": {"ticker": {"type": "string"}},
            "required": ["ticker"],
        },
    }
    arguments: dict[str, Any] = {
        "metadata": {"user_id": "u-1"},
        "stop_sequences": [")"],
        "system": [{"type": "text", "text": "Be brief."}],
        "temperature": 0.0,
        "thinking": {"type": "disabled"},
        "tool_choice": {"type": "tool", "name": "get_stock_price"},
        "tools": [tool],
        "top_k": 5,
        "top_p": 0.9,
        "stream": False,
    }
    mock_server.enqueue(Reply.json(message_example("tool_use")))
    create(client, **arguments)
    sent = mock_server.requests[0].json()
    assert sent == {"model": MODEL, "max_tokens": 1024, "messages": HELLO, **arguments}


def test_any_iterable_goes_on_the_wire_as_a_list(
    client: Anthropic, mock_server: MockServer
) -> None:
    # The signatures say Iterable[...]: generators and tuples are lists in JSON.
    mock_server.enqueue(Reply.json(message_example("text")))
    create(
        client,
        messages=(turn for turn in HELLO),
        stop_sequences=("END", ")"),
        system=iter([{"type": "text", "text": "Be brief."}]),
    )
    sent = mock_server.requests[0].json()
    assert sent["messages"] == HELLO and sent["stop_sequences"] == ["END", ")"]
    assert sent["system"] == [{"type": "text", "text": "Be brief."}]


def test_extra_headers_query_body_and_timeout(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("text")))
    create(
        client,
        extra_headers={"x-trace": "t-1", "anthropic-version": anthropic_messages.Omit()},
        extra_query={"debug": True},
        extra_body={"max_tokens": 7, "service_tier": "auto"},
        timeout=30.0,
    )
    (seen,) = mock_server.requests
    assert seen.headers["x-trace"] == "t-1" and "anthropic-version" not in seen.headers
    assert seen.query == {"debug": ["true"]}
    assert seen.json() == {
        "model": MODEL,
        "max_tokens": 7,
        "messages": HELLO,
        "service_tier": "auto",
    }


def test_beta_request_on_the_wire(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("text")), Reply.json(message_example("text")))
    message = client.beta.messages.create(
        model=MODEL, max_tokens=64000, messages=HELLO, betas=["a", "b"]
    )
    assert type(message) is Message
    client.beta.messages.create(model=MODEL, max_tokens=5, messages=HELLO)
    with_betas, without = mock_server.requests
    assert (with_betas.method, with_betas.path) == ("POST", "/v1/messages")
    assert with_betas.query == {"beta": ["true"]}
    assert with_betas.headers["anthropic-beta"] == "a,b"
    assert with_betas.headers["anthropic-version"] == "2023-06-01"
    assert with_betas.json() == {"model": MODEL, "max_tokens": 64000, "messages": HELLO}
    assert without.query == {"beta": ["true"]} and "anthropic-beta" not in without.headers


def test_default_headers_and_with_options(mock_server: MockServer) -> None:
    mock_server.default = Reply.json(message_example("text"))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url, default_headers={"x-a": "1"}) as base:
        copy = base.with_options(default_headers={"x-b": "2"}, api_key="other-key")
        create(copy)
        create(base)
    first, second = mock_server.requests
    assert (first.headers["x-a"], first.headers["x-b"], first.headers["x-api-key"]) == (
        "1",
        "2",
        "other-key",
    )
    assert "x-b" not in second.headers and second.headers["x-api-key"] == API_KEY


# --- raw responses ------------------------------------------------------------


def test_with_raw_response(client: Anthropic, mock_server: MockServer, sleeps: list[float]) -> None:
    mock_server.enqueue(
        overloaded(**{"retry-after": "0"}),
        Reply.json(message_example("text"), headers={"request-id": "req_raw", "x-extra": "yes"}),
    )
    raw = client.messages.with_raw_response.create(model=MODEL, max_tokens=5, messages=HELLO)
    assert isinstance(raw, anthropic_messages.APIResponse)
    assert raw.status_code == 200 and raw.request_id == "req_raw"
    assert raw.headers["x-extra"] == "yes" and raw.retries_taken == 1
    assert json.loads(raw.content) == message_example("text")
    message = raw.parse()
    assert type(message) is Message and raw.parse() is message
    assert message.id == "msg_013Zva2CMHLNnXjNJJKqJ2EF"


def test_with_raw_response_of_the_beta_resource(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(message_example("text"), headers={"request-id": "req_b"}))
    raw = client.beta.with_raw_response.messages.create(
        model=MODEL, max_tokens=5, messages=HELLO, betas=["x"]
    )
    assert raw.request_id == "req_b" and type(raw.parse()) is Message
    assert mock_server.requests[0].headers["anthropic-beta"] == "x"


def test_with_raw_response_of_a_stream(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.sse(stream_example("text"), headers={"request-id": "req_s"}))
    with client.messages.with_raw_response.create(
        model=MODEL, max_tokens=5, messages=HELLO, stream=True
    ) as raw:
        assert raw.request_id == "req_s"
        assert raw.headers["content-type"] == "text/event-stream"
        stream = raw.parse()
        assert isinstance(stream, anthropic_messages.Stream)
        assert [event.type for event in stream][-1] == "message_stop"


# --- the API key and the environment ------------------------------------------


def test_api_key_never_shows(
    client: Anthropic, mock_server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    assert API_KEY not in repr(client) and API_KEY not in str(client)
    assert API_KEY not in repr(vars(client)) and API_KEY not in repr(client.messages.__dict__)
    assert API_KEY not in repr(client.with_options(max_retries=0))
    echoed = error_example(401)
    echoed["error"]["message"] = f"invalid x-api-key {API_KEY}"
    mock_server.enqueue(overloaded(), Reply.json(echoed, status=401))
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(anthropic_messages.AuthenticationError) as caught:
            create(client)
    error = caught.value
    for text in (str(error), repr(error), error.message, repr(error.args)):
        assert API_KEY not in text
    assert "***" in str(error)
    assert caplog.records and all(API_KEY not in r.getMessage() for r in caplog.records)


def test_api_key_not_in_connection_errors(sleeps: list[float]) -> None:
    with MockServer() as server:
        url = server.url  # nothing listens here once the server has stopped
    with Anthropic(api_key=API_KEY, base_url=url, max_retries=0) as client:
        with pytest.raises(anthropic_messages.APIConnectionError) as caught:
            create(client)
    assert API_KEY not in str(caught.value) and API_KEY not in repr(caught.value)


def test_missing_api_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ValueError, match="ANTHROPIC_API_KEY") as caught:
        Anthropic()
    assert "api_key" in str(caught.value)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "")
    with pytest.raises(ValueError, match="ANTHROPIC_API_KEY"):
        anthropic_messages.AsyncAnthropic()


def test_an_api_without_a_key(mock_server: MockServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a spec without an apiKey security scheme generates.
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)

    class Keyless(Anthropic):
        _config = dataclasses.replace(Anthropic._config, api_key_env=None, api_key_header=None)

    mock_server.enqueue(Reply.json(message_example("text")))
    with Keyless(base_url=mock_server.url) as client:
        create(client)
    assert "x-api-key" not in mock_server.requests[0].headers


def test_key_and_base_url_from_the_environment(
    mock_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "env-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", mock_server.url + "/proxy/")
    mock_server.enqueue(Reply.json(message_example("text")))
    with Anthropic() as client:
        assert str(client.base_url) == mock_server.url + "/proxy/"
        create(client)
    (seen,) = mock_server.requests
    assert seen.path == "/proxy/v1/messages" and seen.headers["x-api-key"] == "env-key"


def test_arguments_win_over_the_environment(
    mock_server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "env-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/nowhere")
    mock_server.enqueue(Reply.json(message_example("text")))
    with Anthropic(api_key=API_KEY, base_url=mock_server.url) as client:
        create(client)
    assert mock_server.requests[0].headers["x-api-key"] == API_KEY


def test_defaults_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    with Anthropic(api_key=API_KEY) as client:
        assert str(client.base_url) == "https://api.anthropic.com"
        assert client.max_retries == 2
        assert client.timeout == httpx.Timeout(600.0, connect=5.0)


def test_closing(mock_server: MockServer) -> None:
    client = Anthropic(api_key=API_KEY, base_url=mock_server.url)
    copy = client.with_options(max_retries=0)
    copy.close()  # a copy shares the pool and leaves it open
    assert not client.is_closed
    client.close()
    assert client.is_closed and copy.is_closed


def test_status_errors_are_exported_with_the_hierarchy() -> None:
    names = ["BadRequestError", "RateLimitError", "OverloadedError", "InternalServerError"]
    for name in names:
        cls = getattr(anthropic_messages, name)
        assert issubclass(cls, APIStatusError) and name in anthropic_messages.__all__
    assert issubclass(anthropic_messages.APITimeoutError, anthropic_messages.APIConnectionError)
    assert issubclass(
        anthropic_messages.IncompleteStreamError, anthropic_messages.APIConnectionError
    )


# --- the package loads lazily -----------------------------------------------------

_LAZY_PROBE = """
import sys

def loaded(prefix):
    return sorted(m for m in sys.modules if m == prefix or m.startswith(prefix + "."))

import anthropic_messages
print(loaded("anthropic_messages"), loaded("httpx"), loaded("pydantic"))
from anthropic_messages import Anthropic
print(Anthropic.__name__, "asyncio" in sys.modules)
print(anthropic_messages.types.Message.__name__, anthropic_messages.AsyncAnthropic.__name__)
print("asyncio" in sys.modules)
"""


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _LAZY_PROBE],
        cwd=GENERATED,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    lines = proc.stdout.splitlines()
    assert lines[0] == "['anthropic_messages'] [] []"
    # A sync client never needs asyncio; the async one imports it on its first wait.
    assert lines[1:] == ["Anthropic False", "Message AsyncAnthropic", "False"]


def test_every_exported_name_resolves_and_lists() -> None:
    for module in (anthropic_messages, anthropic_messages.types, anthropic_messages.resources):
        for name in module.__all__:
            assert getattr(module, name) is not None, name
        assert set(module.__all__) <= set(dir(module))
        with pytest.raises(AttributeError, match="no attribute 'Nope'"):
            getattr(module, "Nope")
    assert anthropic_messages.types.Message is Message
    assert anthropic_messages.Anthropic is Anthropic
    assert anthropic_messages.types is sys.modules["anthropic_messages.types"]
    namespace: dict[str, Any] = {}
    exec("from anthropic_messages import *", namespace)
    assert set(anthropic_messages.__all__) <= set(namespace)
