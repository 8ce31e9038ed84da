"""The beta token-count and batch methods parse into the beta types, against a real local server.

Each beta method sends ``?beta=true`` and ``anthropic-beta``, and its reply (a
count with its context-management extra, a page of beta batches, a results file
whose succeeded lines hold a ``BetaMessage``) comes back as the beta classes,
not the plain ones.
"""

from __future__ import annotations

import json

from tests.client_support import HELLO, MODEL, client, message_example, sleeps  # noqa: F401
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

from anthropic_messages import Anthropic  # isort: skip
from anthropic_messages.types import (  # isort: skip
    BetaMessage,
    BetaMessageBatch,
    BetaMessageBatchSucceededResult,
    BetaMessageTokensCount,
    Message,
    MessageBatch,
    MessageBatchSucceededResult,
)

BATCH = {
    "type": "message_batch",
    "processing_status": "ended",
    "request_counts": {"processing": 0, "succeeded": 1, "errored": 0, "canceled": 0, "expired": 0},
    "created_at": "2025-03-01T12:00:00Z",
    "expires_at": "2025-03-02T12:00:00Z",
    "ended_at": "2025-03-01T12:30:00Z",
    "cancel_initiated_at": None,
    "archived_at": None,
    "results_url": None,
}
IDS = [f"msgbatch_{i:02d}" for i in range(5)]


def batch_pages(request: RecordedRequest) -> Reply:
    """Two batches a page, after ``after_id``."""
    start = IDS.index(request.query["after_id"][0]) + 1 if "after_id" in request.query else 0
    page = IDS[start : start + 2]
    return Reply.json({
        "data": [{**BATCH, "id": i} for i in page],
        "has_more": start + 2 < len(IDS),
        "first_id": page[0],
        "last_id": page[-1],
    })


def test_beta_count_tokens_has_its_extras(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json({"input_tokens": 10, "context_management": {"original_input_tokens": 25}}),
        Reply.json({"input_tokens": 7}),
    )
    count = client.beta.messages.count_tokens(
        model=MODEL,
        messages=HELLO,
        betas=["context-management-2025-06-27"],
        context_management={"edits": [{"type": "clear_tool_uses_20250919"}]},
    )
    assert type(count) is BetaMessageTokensCount
    assert count.input_tokens == 10
    assert count.context_management is not None
    assert count.context_management.original_input_tokens == 25
    # absent when the request had no context-management rules
    assert client.beta.messages.count_tokens(model=MODEL, messages=HELLO).context_management is None
    sent = mock_server.requests[0]
    assert (sent.path, sent.query) == ("/v1/messages/count_tokens", {"beta": ["true"]})
    assert sent.headers["anthropic-beta"] == "context-management-2025-06-27"
    assert sent.json()["context_management"] == {"edits": [{"type": "clear_tool_uses_20250919"}]}


def test_beta_batch_pages_hold_beta_batches(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.handler = batch_pages
    page = client.beta.messages.batches.list(limit=2)
    assert all(type(b) is BetaMessageBatch for b in page.data)
    assert type(page.get_next_page().data[0]) is BetaMessageBatch
    batches = list(client.beta.messages.batches.list(limit=2))
    assert [b.id for b in batches] == IDS and all(type(b) is BetaMessageBatch for b in batches)
    plain = list(client.messages.batches.list(limit=2))
    assert [b.id for b in plain] == IDS and all(type(b) is MessageBatch for b in plain)
    beta_queries = [r.query.get("beta") for r in mock_server.requests]
    # 1 + 1 (get_next_page) + 3 (beta walk) beta requests, then 3 plain ones
    assert beta_queries == [["true"]] * 5 + [None] * 3


def test_beta_results_lines_hold_beta_messages(client: Anthropic, mock_server: MockServer) -> None:
    line = {"custom_id": "a", "result": {"type": "succeeded", "message": message_example("text")}}
    expired = {"custom_id": "b", "result": {"type": "expired"}}
    body = "".join(json.dumps(x) + "\n" for x in (line, expired)).encode()
    mock_server.default = Reply(headers={"content-type": "application/x-jsonl"}, body=body)
    beta = list(client.beta.messages.batches.results("msgbatch_01"))
    assert [r.custom_id for r in beta] == ["a", "b"]
    assert type(beta[0].result) is BetaMessageBatchSucceededResult
    assert type(beta[0].result.message) is BetaMessage
    plain = list(client.messages.batches.results("msgbatch_01"))
    assert type(plain[0].result) is MessageBatchSucceededResult
    assert type(plain[0].result.message) is Message
    first = mock_server.requests[0]
    assert (first.path, first.query) == ("/v1/messages/batches/msgbatch_01/results", {"beta": ["true"]})


def test_beta_batch_create_sends_beta_params(client: Anthropic, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json({**BATCH, "id": "msgbatch_new", "processing_status": "in_progress"}))
    servers = [{"type": "url", "url": "https://mcp.example.com/sse", "name": "example"}]
    batch = client.beta.messages.batches.create(
        requests=[{
            "custom_id": "a",
            "params": {"model": MODEL, "max_tokens": 5, "messages": HELLO, "mcp_servers": servers},
        }],
        betas=["mcp-client-2025-11-20"],
    )
    assert type(batch) is BetaMessageBatch and batch.id == "msgbatch_new"
    sent = mock_server.requests[0]
    assert sent.query == {"beta": ["true"]}
    assert sent.json()["requests"][0]["params"]["mcp_servers"] == servers
