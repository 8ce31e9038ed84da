"""The official SDK's documented Messages examples, run against our client.

Our users come from the official ``anthropic`` SDK (0.125.0). Each example
below is one its README or helpers page documents for Messages, written here
in our own code and adapted only by its import line (``from anthropic_messages
import ...``, or ``import anthropic_messages as anthropic``). Each runs against
the local mock server and its printed output is checked.

When the official SDK itself is importable (it is not a test dependency; see
``benchmarks/`` for a venv that has it), ``test_the_official_sdk_prints_the_same``
runs every example again with the original import line and compares the two
outputs: the same, or a difference the README lists under "Differences from the
official SDK" (``DIFFERS`` names it).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.client_expectations import events_of
from tests.client_support import API_KEY, GENERATED, message_example, stream_example
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

TEXT = message_example("text")
HI = TEXT["content"][0]["text"]
TEXT_STREAM = stream_example("text")
TOOL_STREAM = stream_example("tool_use")
THINKING_STREAM = stream_example("thinking")


@dataclass(frozen=True)
class Example:
    name: str
    code: str
    replies: Callable[[], list[Reply]]
    expected: str
    # Checks on the requests the example sent.
    check: Callable[[list[RecordedRequest]], None] = lambda requests: None
    env: dict[str, str] = field(default_factory=dict)


def message_reply(headers: dict[str, str] | None = None, **extra: Any) -> Reply:
    return Reply.json({**TEXT, **extra}, headers={"request-id": "req_01", **(headers or {})})


def error_reply(status: int, kind: str = "api_error") -> Reply:
    body = {"type": "error", "error": {"type": kind, "message": f"status {status}"}}
    return Reply.json(body, status=status, headers={"x-should-retry": "false"})


CREATE = """
    max_tokens=1024,
    messages=[{"role": "user", "content": "Hello, Claude"}],
    model="claude-sonnet-4-5",
"""


def _code(text: str) -> str:
    return text.replace("<CREATE>", CREATE.strip("\n"))


EXAMPLES = [
    Example(
        "usage",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
message = client.messages.create(
<CREATE>
)
print(message.content)
"""),
        lambda: [message_reply()],
        f"[TextBlock(citations=None, text={HI!r}, type='text')]\n",
    ),
    Example(
        "async_usage",
        _code("""
import asyncio
from anthropic_messages import AsyncAnthropic

client = AsyncAnthropic()


async def main() -> None:
    message = await client.messages.create(
<CREATE>
    )
    print(message.content[0].text)


asyncio.run(main())
"""),
        lambda: [message_reply()],
        f"{HI}\n",
    ),
    Example(
        "streaming_create",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
stream = client.messages.create(
<CREATE>
    stream=True,
)
for event in stream:
    print(event.type)
"""),
        lambda: [Reply.sse(TEXT_STREAM)],
        "message_start\ncontent_block_start\n" + "content_block_delta\n" * 2
        + "content_block_stop\nmessage_delta\nmessage_stop\n",
    ),
    Example(
        "streaming_create_async",
        _code("""
import asyncio
from anthropic_messages import AsyncAnthropic

client = AsyncAnthropic()


async def main() -> None:
    stream = await client.messages.create(
<CREATE>
        stream=True,
    )
    async for event in stream:
        print(event.type)


asyncio.run(main())
"""),
        lambda: [Reply.sse(TEXT_STREAM)],
        "message_start\ncontent_block_start\n" + "content_block_delta\n" * 2
        + "content_block_stop\nmessage_delta\nmessage_stop\n",
    ),
    Example(
        "helpers_text_stream",
        _code("""
import asyncio
from anthropic_messages import AsyncAnthropic

client = AsyncAnthropic()


async def main() -> None:
    async with client.messages.stream(
<CREATE>
    ) as stream:
        async for text in stream.text_stream:
            print(text, end="", flush=True)
        print()
    message = await stream.get_final_message()
    print(message.usage.output_tokens)


asyncio.run(main())
"""),
        lambda: [Reply.sse(TEXT_STREAM)],
        f"Hello, world!\n{events_of(TEXT_STREAM)[-2]['usage']['output_tokens']}\n",
    ),
    Example(
        "helpers_events",
        _code("""
import asyncio
import json
from anthropic_messages import AsyncAnthropic

client = AsyncAnthropic()


async def main() -> None:
    async with client.messages.stream(
<CREATE>
    ) as stream:
        async for event in stream:
            if event.type == "text":
                print(event.text, end="", flush=True)
            elif event.type == "content_block_stop":
                print()
                print("content block finished accumulating:", event.content_block)
        print()
    # the whole stream was read inside the block, so this needs no request
    accumulated = await stream.get_final_message()
    print("accumulated message:", json.loads(accumulated.to_json())["content"][0]["text"])


asyncio.run(main())
"""),
        lambda: [Reply.sse(TEXT_STREAM)],
        "Hello, world!\n"
        "content block finished accumulating: "
        "TextBlock(citations=None, text='Hello, world!', type='text')\n\n"
        "accumulated message: Hello, world!\n",
    ),
    Example(
        "helpers_text_event",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
with client.messages.stream(
<CREATE>
) as stream:
    for event in stream:
        if event.type == "text":
            print(repr(event.text), repr(event.snapshot))
"""),
        lambda: [Reply.sse(TEXT_STREAM)],
        "'Hello' 'Hello'\n', world!' 'Hello, world!'\n",
    ),
    Example(
        "helpers_input_json_event",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
with client.messages.stream(
<CREATE>
) as stream:
    for event in stream:
        if event.type == "input_json":
            print(repr(event.partial_json), event.snapshot)
"""),
        lambda: [Reply.sse(TOOL_STREAM)],
        # An unfinished string is left out of the snapshot until it is complete.
        "'' {}\n'{\"city\": \"Par' {}\n'is\"}' {'city': 'Paris'}\n",
    ),
    Example(
        "helpers_message_stop_event",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
with client.messages.stream(
<CREATE>
) as stream:
    for event in stream:
        if event.type == "message_stop":
            print(type(event.message).__name__, event.message.stop_reason)
            print(event.message.content[0].input)
"""),
        lambda: [Reply.sse(TOOL_STREAM)],
        "Message tool_use\n{'city': 'Paris'}\n",
    ),
    Example(
        "helpers_content_block_stop_event",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
with client.messages.stream(
<CREATE>
) as stream:
    for event in stream:
        if event.type == "content_block_stop":
            print(event.index, event.content_block.type)
        elif event.type == "thinking":
            print("thinking:", repr(event.thinking))
        elif event.type == "signature":
            print("signature:", len(event.signature) > 0)
"""),
        lambda: [Reply.sse(THINKING_STREAM)],
        None,  # set below from the stream, which the spec owns
    ),
    Example(
        "helpers_methods",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
with client.messages.stream(
<CREATE>
) as stream:
    stream.until_done()
    print(stream.get_final_message().stop_reason)
    print(stream.get_final_text())
with client.messages.stream(
<CREATE>
) as stream:
    print(next(iter(stream)).type)
    stream.close()
print("closed")
"""),
        lambda: [Reply.sse(TEXT_STREAM), Reply.sse(TEXT_STREAM)],
        "end_turn\nHello, world!\nmessage_start\nclosed\n",
    ),
    Example(
        "using_types",
        _code("""
import json
from anthropic_messages import Anthropic

client = Anthropic()
message = client.messages.create(
<CREATE>
)
print(sorted(message.to_dict()))
print(sorted(json.loads(message.to_json())) == sorted(message.to_dict()))
print(message.to_dict(exclude_none=True).get("stop_sequence", "left out"))
"""),
        lambda: [message_reply()],
        "['content', 'id', 'model', 'role', 'stop_reason', 'stop_sequence', 'type', 'usage']\n"
        "True\nleft out\n",
    ),
    Example(
        "handling_errors",
        _code("""
import anthropic_messages as anthropic
from anthropic_messages import Anthropic

client = Anthropic(max_retries=0)
for attempt in range(3):
    try:
        client.messages.create(
<CREATE>
        )
    except anthropic.APIConnectionError as e:
        print("The server could not be reached")
        print(type(e.__cause__).__name__)
    except anthropic.RateLimitError as e:
        print("A 429 status code was received; we should back off a bit.")
    except anthropic.APIStatusError as e:
        print("Another non-200-range status code was received")
        print(e.status_code)
        print(e.response)
    else:
        print("ok")
"""),
        lambda: [error_reply(429, "rate_limit_error"), error_reply(404, "not_found_error"),
                 Reply(status=200, drop_after=0, body=b"{}")],
        "A 429 status code was received; we should back off a bit.\n"
        "Another non-200-range status code was received\n404\n<Response [404 Not Found]>\n"
        "The server could not be reached\nRemoteProtocolError\n",
    ),
    Example(
        "error_codes",
        _code("""
import anthropic_messages as anthropic

client = anthropic.Anthropic(max_retries=0)
for status in (400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 529):
    try:
        client.messages.create(
<CREATE>
        )
    except anthropic.APIStatusError as e:
        print(status, type(e).__name__, isinstance(e, anthropic.APIError), e.type)
"""),
        lambda: [error_reply(s) for s in (400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 529)],
        "400 BadRequestError True api_error\n401 AuthenticationError True api_error\n"
        "403 PermissionDeniedError True api_error\n404 NotFoundError True api_error\n"
        "409 ConflictError True api_error\n413 RequestTooLargeError True api_error\n"
        "422 UnprocessableEntityError True api_error\n429 RateLimitError True api_error\n"
        "500 InternalServerError True api_error\n502 InternalServerError True api_error\n"
        "503 InternalServerError True api_error\n529 OverloadedError True api_error\n",
    ),
    Example(
        "retries",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic(max_retries=0)
message = client.with_options(max_retries=5).messages.create(
<CREATE>
)
print(message.id)
"""),
        lambda: [Reply.json({"type": "error", "error": {"type": "overloaded_error", "message": "busy"}},
                            status=529, headers={"retry-after-ms": "10"}),
                 message_reply()],
        f"{TEXT['id']}\n",
        check=lambda requests: _equal(len(requests), 2),
    ),
    Example(
        "timeouts",
        _code("""
import httpx
from anthropic_messages import Anthropic

client = Anthropic(timeout=20.0)
client = Anthropic(timeout=httpx.Timeout(60.0, read=5.0, write=10.0, connect=2.0))
message = client.with_options(timeout=5.0).messages.create(
<CREATE>
)
print(message.stop_reason)
"""),
        lambda: [message_reply()],
        "end_turn\n",
    ),
    Example(
        "timeout_error",
        _code("""
import anthropic_messages as anthropic

client = anthropic.Anthropic(timeout=0.2, max_retries=0)
try:
    client.messages.create(
<CREATE>
    )
except anthropic.APITimeoutError:
    print("timed out")
"""),
        lambda: [Reply(headers={"content-type": "application/json"},
                       body=json.dumps(TEXT).encode(), delay=2.0)],
        "timed out\n",
    ),
    Example(
        "default_headers",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic(default_headers={"anthropic-version": "My-Custom-Value"})
print(client.messages.create(
<CREATE>
).id)
"""),
        lambda: [message_reply()],
        f"{TEXT['id']}\n",
        check=lambda requests: _equal(requests[0].headers["anthropic-version"], "My-Custom-Value"),
    ),
    Example(
        "none_or_missing",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
response = client.messages.create(
<CREATE>
)
for name in ("stop_sequence", "container"):
    if getattr(response, name, None) is None:
        if name not in response.model_fields_set:
            print(f"{name}: missing")
        else:
            print(f"{name}: null")
"""),
        lambda: [message_reply()],
        "stop_sequence: null\ncontainer: missing\n",
    ),
    Example(
        "raw_response",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
response = client.messages.with_raw_response.create(
<CREATE>
)
print(response.headers.get("X-My-Header"))
print(response.http_request.method, response.method, response.status_code)
message = response.parse()
print(message.content[0].text)
print(message._request_id)
"""),
        lambda: [message_reply(headers={"x-my-header": "mine"})],
        f"mine\nPOST POST 200\n{HI}\nreq_01\n",
    ),
    Example(
        "streaming_response",
        _code("""
import json
from anthropic_messages import Anthropic

client = Anthropic()
with client.messages.with_streaming_response.create(
<CREATE>
) as response:
    print(response.headers.get("X-My-Header"))
    for line in response.iter_lines():
        print(json.loads(line)["id"])
"""),
        lambda: [message_reply(headers={"x-my-header": "mine"})],
        f"mine\n{TEXT['id']}\n",
    ),
    Example(
        "undocumented_endpoint",
        _code("""
import httpx
from anthropic_messages import Anthropic

client = Anthropic()
response = client.post(
    "/foo",
    cast_to=httpx.Response,
    body={"my_param": True},
)
print(response.headers.get("x-foo"))
"""),
        lambda: [Reply.json({}, headers={"x-foo": "bar"})],
        "bar\n",
        check=lambda requests: _equal((requests[0].path, requests[0].json()), ("/foo", {"my_param": True})),
    ),
    Example(
        "undocumented_params",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
message = client.messages.create(
<CREATE>
    extra_query={"my_query": "1"},
    extra_body={"my_body": True},
    extra_headers={"x-my-header": "yes"},
)
print(message.id)
"""),
        lambda: [message_reply()],
        f"{TEXT['id']}\n",
        check=lambda requests: _equal(
            (requests[0].query, requests[0].json()["my_body"], requests[0].headers["x-my-header"]),
            ({"my_query": ["1"]}, True, "yes"),
        ),
    ),
    Example(
        "undocumented_response_properties",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
response = client.messages.create(
<CREATE>
)
print(response.unknown_prop)
print(response.model_extra)
"""),
        lambda: [message_reply(unknown_prop=42)],
        "42\n{'unknown_prop': 42}\n",
    ),
    Example(
        "http_client",
        _code("""
import httpx
from anthropic_messages import Anthropic, DefaultHttpxClient

client = Anthropic(
    http_client=DefaultHttpxClient(
        transport=httpx.HTTPTransport(local_address="127.0.0.1"),
    ),
)
print(client.messages.create(
<CREATE>
).id)
print(client.with_options(http_client=DefaultHttpxClient()).messages.create(
<CREATE>
).id)
"""),
        lambda: [message_reply(), message_reply()],
        f"{TEXT['id']}\n{TEXT['id']}\n",
    ),
    Example(
        "managing_resources",
        _code("""
from anthropic_messages import Anthropic

with Anthropic() as client:
    print(client.messages.create(
<CREATE>
    ).id)
print(client.is_closed())
"""),
        lambda: [message_reply()],
        f"{TEXT['id']}\nTrue\n",
    ),
    Example(
        "request_ids",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
message = client.messages.create(
<CREATE>
)
print(message._request_id)
"""),
        lambda: [message_reply(headers={"request-id": "req_018EeWyXxfu5pfWkrYcMdjWG"})],
        "req_018EeWyXxfu5pfWkrYcMdjWG\n",
    ),
    Example(
        "beta",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic()
message = client.beta.messages.create(
<CREATE>
    betas=["output-128k-2025-02-19"],
)
print(message.stop_reason)
"""),
        lambda: [message_reply()],
        "end_turn\n",
        check=lambda requests: _equal(
            (requests[0].query, requests[0].headers["anthropic-beta"]),
            ({"beta": ["true"]}, "output-128k-2025-02-19"),
        ),
    ),
    Example(
        "auth_token",
        _code("""
from anthropic_messages import Anthropic

client = Anthropic(api_key=None, auth_token="my-bearer-token")
print(client.messages.create(
<CREATE>
).id)
"""),
        lambda: [message_reply()],
        f"{TEXT['id']}\n",
        check=lambda requests: _equal(
            requests[0].headers["authorization"], "Bearer my-bearer-token"
        ),
    ),
]


def _thinking_expected() -> str:
    lines = []
    for event in events_of(THINKING_STREAM):
        delta = event.get("delta", {})
        if delta.get("type") == "thinking_delta":
            lines.append(f"thinking: {delta['thinking']!r}")
        elif delta.get("type") == "signature_delta":
            lines.append("signature: True")
        elif event["type"] == "content_block_stop":
            lines.append(f"{event['index']} {_block_types(THINKING_STREAM)[event['index']]}")
    return "".join(line + "\n" for line in lines)


def _block_types(body: bytes) -> dict[int, str]:
    return {
        e["index"]: e["content_block"]["type"]
        for e in events_of(body)
        if e["type"] == "content_block_start"
    }


def _equal(actual: object, expected: object) -> None:
    assert actual == expected


# The examples whose output differs with the official SDK, and why (each is in
# the README's "Differences from the official SDK").
DIFFERS = {
    # The official helper accumulates into ``ParsedMessage`` and ``ParsedTextBlock``
    # (subclasses for its structured-output feature); ours into the plain
    # ``Message`` and ``TextBlock`` that ``create()`` returns.
    "helpers_events": "the helper's message and blocks are Message and TextBlock",
    "helpers_message_stop_event": "the helper's message and blocks are Message and TextBlock",
}


def _run(code: str, module: str = "anthropic_messages") -> str:
    if module != "anthropic_messages":
        code = code.replace("anthropic_messages", module)
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__example__"}
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<example>", "exec"), namespace)
    finally:
        # The examples leave their clients to the garbage collector, as the
        # documentation does, and an async client's pool may outlive the event
        # loop it was used in. Collect them here, quietly, rather than at some
        # later moment of the test session.
        namespace.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
    return out.getvalue()


@pytest.fixture
def sdk_env(mock_server: MockServer, monkeypatch: pytest.MonkeyPatch) -> MockServer:
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", mock_server.url)
    for name in ("ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_LOG"):
        monkeypatch.delenv(name, raising=False)
    return mock_server


def _expected(example: Example) -> str:
    return _thinking_expected() if example.expected is None else example.expected


# Warnings from the examples' unclosed clients (see ``_run``).
_UNCLOSED = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
@_UNCLOSED[0]
@_UNCLOSED[1]
def test_the_documented_example_runs(sdk_env: MockServer, example: Example) -> None:
    sdk_env.enqueue(*example.replies())
    assert _run(example.code) == _expected(example)
    example.check(sdk_env.requests)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
@_UNCLOSED[0]
@_UNCLOSED[1]
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_official_sdk_prints_the_same(sdk_env: MockServer, example: Example) -> None:
    anthropic = pytest.importorskip("anthropic")
    if anthropic.__version__ != "0.125.0":
        pytest.skip(f"compared with anthropic 0.125.0, not {anthropic.__version__}")
    sdk_env.enqueue(*example.replies())
    printed = _run(example.code, "anthropic")
    if example.name in DIFFERS:
        assert printed != _expected(example), f"{example.name} no longer differs: {DIFFERS}"
    else:
        assert printed == _expected(example)
        example.check(sdk_env.requests)


@pytest.mark.parametrize("level", ["info", "debug"])
def test_logging_is_turned_on_by_the_environment_and_never_shows_the_key(
    mock_server: MockServer, level: str
) -> None:
    mock_server.enqueue(message_reply())
    code = _code("""
from anthropic_messages import Anthropic

client = Anthropic()
print(client.messages.create(
<CREATE>
).id)
""")
    env = {
        **os.environ,
        "ANTHROPIC_API_KEY": API_KEY,
        "ANTHROPIC_BASE_URL": mock_server.url,
        "ANTHROPIC_LOG": level,
        "PYTHONPATH": str(GENERATED),
    }
    env.pop("ANTHROPIC_AUTH_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{TEXT['id']}\n"
    assert "HTTP Request: POST" in done.stderr  # the request line, as the official SDK logs it
    assert API_KEY not in done.stderr and API_KEY[-10:] not in done.stderr
    if level == "debug":
        assert "x-api-key" in done.stderr and "<redacted>" in done.stderr


def test_the_typing_script_passes_mypy_strict_against_the_official_sdk(tmp_path: Any) -> None:
    """``tests/typing/sdk_dropin.py`` with ``anthropic`` for ``anthropic_messages``.

    ``tests/test_typing.py`` checks the file as it is, against our package and
    stubs; this checks the other half of the promise: the same script, with only
    the import lines changed, type-checks against the official SDK too.
    """
    anthropic = pytest.importorskip("anthropic")
    if anthropic.__version__ != "0.125.0":
        pytest.skip(f"compared with anthropic 0.125.0, not {anthropic.__version__}")
    source = (GENERATED.parent / "tests" / "typing" / "sdk_dropin.py").read_text(encoding="utf-8")
    script = tmp_path / "sdk_dropin.py"
    script.write_text(source.replace("anthropic_messages", "anthropic"), encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text(
        f"[mypy]\nstrict = True\ncache_dir = {tmp_path / 'cache'}\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), str(script)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
