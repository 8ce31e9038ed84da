"""The client examples of the README run, and print what they should.

Every fenced ```python block that follows a line ``<!-- snippet: client -->``
in README.md is run as it is written, against the mock server:
``ANTHROPIC_API_KEY`` and ``ANTHROPIC_BASE_URL`` are set in the environment and
the server answers with the spec's examples. What each snippet does (a plain
call, a stream, a beta call, error handling) is recognised from its code, so
the snippets carry no test scaffolding.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

import pytest

from tests.client_support import API_KEY, ROOT, error_example, message_example, stream_example
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

import anthropic_messages  # isort: skip

MARKER = "<!-- snippet: client -->"
README = ROOT / "README.md"


@dataclass(frozen=True)
class Snippet:
    path: Path
    line: int  # of the block's first line of code
    code: str

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.line}"


def read_snippets(path: Path) -> tuple[list[Snippet], list[str]]:
    """The marked blocks of ``path``, and any marker not followed by a python block."""
    if not path.exists():
        return [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    snippets: list[Snippet] = []
    problems: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != MARKER:
            index += 1
            continue
        fence = index + 1
        while fence < len(lines) and not lines[fence].strip():
            fence += 1
        if fence == len(lines) or lines[fence].strip() != "```python":
            problems.append(f"{path.name}:{index + 1}: the marker is not followed by ```python")
            index += 1
            continue
        end = fence + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        code = "\n".join(lines[fence + 1 : end]) + "\n"
        snippets.append(Snippet(path, fence + 2, code))
        index = end + 1
    return snippets, problems


# --- what each kind of snippet is served, and must print -------------------------


@dataclass(frozen=True)
class Run:
    replies: list[Reply]
    stdout: str
    check: Callable[[list[RecordedRequest]], None] = lambda requests: None


@dataclass(frozen=True)
class Scenario:
    name: str
    runs: list[Run] = field(default_factory=list)


def _plain_request(requests: list[RecordedRequest]) -> None:
    (seen,) = requests
    assert (seen.method, seen.path, seen.query) == ("POST", "/v1/messages", {})
    assert seen.headers["x-api-key"] == API_KEY
    assert seen.json()["messages"][0]["role"] == "user"


def _stream_request(requests: list[RecordedRequest]) -> None:
    (seen,) = requests
    assert seen.json()["stream"] is True and seen.query == {}


def _beta_request(requests: list[RecordedRequest]) -> None:
    (seen,) = requests
    assert seen.query == {"beta": ["true"]}
    assert seen.headers["anthropic-beta"] == "mcp-client-2025-11-20"
    assert seen.json()["mcp_servers"][0]["type"] == "url"


def _rate_limited(request_id: str) -> Reply:
    headers = {"retry-after": "0", "request-id": request_id}
    return Reply.json(error_example(429), status=429, headers=headers)


PLAIN = Scenario(
    "plain",
    [
        Run(
            [Reply.json(message_example("text"))],
            "Hi! I'm Claude. What can I do for you today?\n",
            _plain_request,
        )
    ],
)
STREAM = Scenario(
    "stream",
    [Run([Reply.sse(stream_example("text"))], "Hello, world!\n6 output tokens\n", _stream_request)],
)
BETA = Scenario(
    "beta",
    [
        Run(
            [Reply.json(message_example("text"))],
            f"{message_example('text')['content'][0]['text']}\nend_turn\n",
            _beta_request,
        )
    ],
)
ERRORS = Scenario(
    "errors",
    [
        Run(
            [_rate_limited("req_1"), _rate_limited("req_2"), _rate_limited("req_3")],
            "Rate limited; try again later (request id req_3)\n",
            lambda requests: None if len(requests) == 3 else pytest.fail("not retried twice"),
        ),
        Run(
            [Reply.json(error_example(400), status=400, headers={"request-id": "req_4"})],
            "API error: 400 invalid_request_error: max_tokens: Field required"
            " (request-id req_4)\n",
        ),
    ],
)


BATCH_ID = "msgbatch_013Zva2CMHLNnXjNJJKqJ2EF"


def _batch(number: int, status: str = "ended") -> dict[str, Any]:
    return {
        "id": f"msgbatch_{number:02d}", "type": "message_batch", "processing_status": status,
        "request_counts": {"processing": 0, "succeeded": 2, "errored": 0, "canceled": 0, "expired": 0},
        "created_at": "2025-03-01T12:00:00Z", "expires_at": "2025-03-02T12:00:00Z",
        "ended_at": None, "cancel_initiated_at": None, "archived_at": None, "results_url": None,
    }


def _page(numbers: list[int], more: bool) -> Reply:
    ids = [f"msgbatch_{n:02d}" for n in numbers]
    return Reply.json({"data": [_batch(n) for n in numbers], "has_more": more,
                       "first_id": ids[0], "last_id": ids[-1]})


def _count_request(requests: list[RecordedRequest]) -> None:
    (seen,) = requests
    assert (seen.method, seen.path) == ("POST", "/v1/messages/count_tokens")
    assert "max_tokens" not in seen.json()


def _create_batch_request(requests: list[RecordedRequest]) -> None:
    (seen,) = requests
    assert (seen.method, seen.path) == ("POST", "/v1/messages/batches")
    assert [r["custom_id"] for r in seen.json()["requests"]] == ["greeting", "farewell"]


def _list_requests(requests: list[RecordedRequest]) -> None:
    assert [r.query.get("after_id") for r in requests] == [None, ["msgbatch_02"], ["msgbatch_04"]]
    assert all(r.method == "GET" and r.query["limit"] == ["2"] for r in requests)


def _results_request(requests: list[RecordedRequest]) -> None:
    retrieve, download = requests
    assert (retrieve.method, retrieve.path) == ("GET", f"/v1/messages/batches/{BATCH_ID}")
    assert (download.method, download.path) == ("GET", f"/v1/messages/batches/{BATCH_ID}/results")


def _only_retrieved(requests: list[RecordedRequest]) -> None:
    (retrieve,) = requests
    assert (retrieve.method, retrieve.path) == ("GET", f"/v1/messages/batches/{BATCH_ID}")


def _ended_batch() -> Reply:
    # The file is where the batch's results_url says (here relative to the server).
    return Reply.json({**_batch(13), "id": BATCH_ID,
                       "results_url": f"/v1/messages/batches/{BATCH_ID}/results"})


def _results_file() -> Reply:
    lines = [
        {"custom_id": "greeting", "result": {"type": "succeeded", "message": message_example("text")}},
        {"custom_id": "farewell", "result": {"type": "expired"}},
    ]
    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
    return Reply(headers={"content-type": "application/x-jsonl"}, chunks=[body[:50], body[50:]])


COUNT = Scenario("count_tokens", [Run([Reply.json({"input_tokens": 14})], "14\n", _count_request)])
CREATE_BATCH = Scenario(
    "batch_create",
    [Run([Reply.json(_batch(13, "in_progress"))], "msgbatch_13 in_progress\n", _create_batch_request)],
)
LIST_BATCHES = Scenario(
    "batch_list",
    [
        Run(
            [_page([1, 2], True), _page([3, 4], True), _page([5], False)],
            "".join(f"msgbatch_{n:02d} ended\n" for n in range(1, 6)),
            _list_requests,
        )
    ],
)
RESULTS = Scenario(
    "batch_results",
    [
        Run([_ended_batch(), _results_file()], "greeting: end_turn\nfarewell: expired\n", _results_request),
        # Still processing: no results_url, so nothing is downloaded.
        Run([Reply.json({**_batch(13, "in_progress"), "id": BATCH_ID})], "no results yet: in_progress\n",
            _only_retrieved),
    ],
)


def _blocks_printed(example: str) -> str:
    """What the document, server tool and thinking snippets print for a reply example."""
    message = message_example(example)
    lines: list[str] = []
    for block in message["content"]:
        if block["type"] == "text":
            lines.append(block["text"])
            lines += [f"  cites: {c['cited_text']}" for c in block.get("citations") or [] if "web" not in c["type"]]
        elif block["type"] == "server_tool_use":
            lines.append(f"searched: {block['input']['query']}")
        elif block["type"] == "web_search_tool_result":
            lines += [f"found: {r['title']} ({r['url']})" for r in block["content"]]
        elif block["type"] == "thinking":
            lines.append(f"thought {len(block['thinking'])} characters")
        elif block["type"] == "redacted_thinking":
            lines.append("some thinking was redacted")
    if "server_tool_use" in message["usage"]:
        lines.append(f"{message['usage']['server_tool_use']['web_search_requests']} search(es)")
    return "".join(line + "\n" for line in lines)


def _sent_block(kind: str) -> Callable[[list[RecordedRequest]], None]:
    def check(requests: list[RecordedRequest]) -> None:
        (seen,) = requests
        body = seen.json()
        sent = [b for m in body["messages"] if isinstance(m["content"], list) for b in m["content"]]
        sent += body.get("system") or []
        sent += body.get("tools") or []
        assert any(kind in (b.get("type"), *b) for b in sent), f"no {kind} in {body}"

    return check


def _thinking_request(requests: list[RecordedRequest]) -> None:
    (seen,) = requests
    assert seen.json()["thinking"]["type"] == "enabled"


CACHING = Scenario(
    "caching",
    [Run([Reply.json(message_example("text"))], "cache: 0 written, 0 read\n", _sent_block("cache_control"))],
)
DOCUMENT = Scenario(
    "document",
    [Run([Reply.json(message_example("citations"))], _blocks_printed("citations"), _sent_block("document"))],
)
SERVER_TOOL = Scenario(
    "server_tool",
    [
        Run(
            [Reply.json(message_example("web_search"))],
            _blocks_printed("web_search"),
            _sent_block("web_search_20250305"),
        )
    ],
)
THINKING = Scenario(
    "thinking",
    [Run([Reply.json(message_example("thinking"))], _blocks_printed("thinking"), _thinking_request)],
)


def scenario_for(code: str) -> Scenario:
    if "count_tokens(" in code:
        return COUNT
    if "batches.create(" in code:
        return CREATE_BATCH
    if "batches.list(" in code:
        return LIST_BATCHES
    if "batches.results(" in code:
        return RESULTS
    if "messages.stream(" in code:
        return STREAM
    if "beta.messages" in code:
        return BETA
    if "except " in code:
        return ERRORS
    if "cache_control" in code:
        return CACHING
    if '"document"' in code:
        return DOCUMENT
    if "web_search_" in code:
        return SERVER_TOOL
    if "thinking=" in code:
        return THINKING
    return PLAIN


# --- the tests ----------------------------------------------------------------------

README_SNIPPETS, README_PROBLEMS = read_snippets(README)


def test_every_marker_is_followed_by_a_python_block() -> None:
    assert README_PROBLEMS == []


def test_the_snippets_show_every_kind_of_call() -> None:
    kinds = {scenario_for(s.code).name for s in README_SNIPPETS}
    assert kinds == {
        "plain", "stream", "beta", "errors",
        "count_tokens", "batch_create", "batch_list", "batch_results",
        "caching", "document", "server_tool", "thinking",
    }


@pytest.mark.parametrize("snippet", README_SNIPPETS, ids=lambda s: s.id)
def test_snippet_runs(
    snippet: Snippet,
    mock_server: MockServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", mock_server.url)
    for run in scenario_for(snippet.code).runs:
        mock_server.requests.clear()
        mock_server.enqueue(*run.replies)
        execute(snippet)
        assert capsys.readouterr().out == run.stdout
        run.check(mock_server.requests)


def execute(snippet: Snippet) -> None:
    """Run the snippet as a script whose tracebacks point into the Markdown file."""
    source = "\n" * (snippet.line - 1) + snippet.code
    namespace: dict[str, object] = {"__name__": "__main__"}
    try:
        exec(compile(source, str(snippet.path), "exec"), namespace)
    finally:
        # A script's clients are closed by the interpreter's exit; here, by us.
        for value in namespace.values():
            if isinstance(value, anthropic_messages.Anthropic):
                value.close()
            elif isinstance(value, anthropic_messages.AsyncAnthropic):
                asyncio.run(value.close())
