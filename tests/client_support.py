"""Shared pieces for the end-to-end tests of the generated ``anthropic_messages`` package.

The package is imported from ``generated/`` (it is not installed), and the
replies the mock server sends are the spec's own examples, so the tests check
the generated client against the responses and streams the spec documents.
Holds no tests itself.
"""

from __future__ import annotations

import asyncio
import copy
import sys
from collections.abc import Awaitable, Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.loader import load_spec
from tests.mockserver import MockServer, Reply

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

import anthropic_messages  # noqa: E402

API_KEY = "sk-ant-test-0123456789-SECRET"
MODEL = "claude-3-7-sonnet-20250219"
HELLO: list[Any] = [{"role": "user", "content": "Hello, Claude"}]


@cache
def _spec_data() -> dict[str, Any]:
    data: dict[str, Any] = load_spec(ROOT / "spec" / "messages.yaml").data
    return data


def _ok_content(media_type: str) -> dict[str, Any]:
    post = _spec_data()["paths"]["/v1/messages"]["post"]
    content: dict[str, Any] = post["responses"]["200"]["content"][media_type]["examples"]
    return content


def message_example(name: str) -> dict[str, Any]:
    """A 200 ``application/json`` example of the spec (text, tool_use, thinking, ...)."""
    value: dict[str, Any] = _ok_content("application/json")[name]["value"]
    return value


def stream_example(name: str) -> bytes:
    """A 200 ``text/event-stream`` example of the spec, as the bytes on the wire."""
    value: str = _ok_content("text/event-stream")[name]["value"]
    return value.encode("utf-8")


def error_example(status: int) -> dict[str, Any]:
    """The documented error body for ``status``."""
    responses = _spec_data()["paths"]["/v1/messages"]["post"]["responses"]
    name = responses[str(status)]["$ref"].rsplit("/", 1)[1]
    examples = _spec_data()["components"]["responses"][name]["content"]["application/json"]
    (example,) = examples["examples"].values()
    # A copy: the spec's data is cached, and a test may edit what it gets.
    value: dict[str, Any] = copy.deepcopy(example["value"])
    return value


def documented_error_statuses() -> list[int]:
    responses = _spec_data()["paths"]["/v1/messages"]["post"]["responses"]
    return sorted(int(code) for code in responses if code != "200")


def overloaded(**headers: str) -> Reply:
    return Reply.json(error_example(529), status=529, headers=headers)


# --- fixtures -------------------------------------------------------------------


@pytest.fixture
def sleeps() -> list[float]:
    """The waits between retries the client asked for (it never really sleeps)."""
    return []


@pytest.fixture
def client(mock_server: MockServer, sleeps: list[float]) -> Iterator[anthropic_messages.Anthropic]:
    with anthropic_messages.Anthropic(api_key=API_KEY, base_url=mock_server.url) as made:
        made._sleep = sleeps.append
        yield made
    assert made.is_closed()


def run_async(
    mock_server: MockServer,
    body: Callable[[anthropic_messages.AsyncAnthropic], Awaitable[None]],
    *,
    sleeps: list[float] | None = None,
    **options: Any,
) -> None:
    """Run ``body`` with an ``AsyncAnthropic`` on the mock server, closing it after."""
    recorded = sleeps if sleeps is not None else []

    async def record(delay: float) -> None:
        recorded.append(delay)

    async def main() -> None:
        async with anthropic_messages.AsyncAnthropic(
            api_key=API_KEY, base_url=mock_server.url, **options
        ) as made:
            made._sleep = record
            await body(made)
        assert made.is_closed()

    asyncio.run(main())
