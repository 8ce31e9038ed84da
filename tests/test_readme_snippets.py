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
from collections.abc import Callable
from dataclasses import dataclass, field
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
    assert seen.headers["anthropic-beta"] == "output-128k-2025-02-19"


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
BETA = Scenario("beta", [Run([Reply.json(message_example("text"))], "end_turn\n", _beta_request)])
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


def scenario_for(code: str) -> Scenario:
    if "messages.stream(" in code:
        return STREAM
    if "beta.messages" in code:
        return BETA
    if "except " in code:
        return ERRORS
    return PLAIN


# --- the tests ----------------------------------------------------------------------

README_SNIPPETS, README_PROBLEMS = read_snippets(README)


def test_every_marker_is_followed_by_a_python_block() -> None:
    assert README_PROBLEMS == []


def test_the_snippets_show_every_kind_of_call() -> None:
    kinds = {scenario_for(s.code).name for s in README_SNIPPETS}
    assert kinds == {"plain", "stream", "beta", "errors"}


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
