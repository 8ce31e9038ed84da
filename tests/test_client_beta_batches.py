"""The beta token-count and batch methods parse into the beta types, against a real local server.

Each beta method sends ``?beta=true`` and ``anthropic-beta`` (batch methods always
with ``message-batches-2024-09-24``, as the official SDK does), and its reply (a
count with its context-management extra, a page of beta batches, a results file
whose succeeded lines hold a ``BetaMessage``) comes back as the beta classes,
not the plain ones.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from tests.client_support import (  # noqa: F401
    API_KEY,
    HELLO,
    MODEL,
    client,
    message_example,
    run_async,
    sleeps,
)
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

from anthropic_messages import Anthropic, AnthropicError, AsyncAnthropic, DownloadNotReadyError  # isort: skip
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


RESULTS_PATH = "/files/msgbatch_01/results.jsonl"


def results_file(*lines: dict[str, Any]) -> Reply:
    body = "".join(json.dumps(x) + "\n" for x in lines).encode()
    return Reply(headers={"content-type": "application/x-jsonl"}, body=body)


def ended(results_url: str | None, status: str = "ended") -> Reply:
    return Reply.json({**BATCH, "id": "msgbatch_01", "processing_status": status, "results_url": results_url})


def test_beta_results_lines_hold_beta_messages(client: Anthropic, mock_server: MockServer) -> None:
    line = {"custom_id": "a", "result": {"type": "succeeded", "message": message_example("text")}}
    expired = {"custom_id": "b", "result": {"type": "expired"}}
    url = mock_server.url + RESULTS_PATH + "?sig=abc"
    mock_server.enqueue(ended(url), results_file(line, expired), ended(url), results_file(line))
    beta = list(client.beta.messages.batches.results("msgbatch_01", betas=["b-1"]))
    assert [r.custom_id for r in beta] == ["a", "b"]
    assert type(beta[0].result) is BetaMessageBatchSucceededResult
    assert type(beta[0].result.message) is BetaMessage
    plain = list(client.messages.batches.results("msgbatch_01"))
    assert type(plain[0].result) is MessageBatchSucceededResult
    assert type(plain[0].result.message) is Message
    retrieve, download = mock_server.requests[:2]
    # As the official SDK does: retrieve the batch (beta), then fetch its results_url as given.
    assert (retrieve.method, retrieve.path, retrieve.query) == (
        "GET", "/v1/messages/batches/msgbatch_01", {"beta": ["true"]}
    )
    assert (download.path, download.query) == (RESULTS_PATH, {"sig": ["abc"]})
    assert download.headers["accept"] == "application/x-jsonl"
    assert retrieve.headers["anthropic-beta"] == download.headers["anthropic-beta"] == f"b-1,{BATCHES_BETA}"
    assert download.headers["x-api-key"] == API_KEY  # the same origin as the client's base URL
    plain_retrieve = mock_server.requests[2]
    assert (plain_retrieve.path, plain_retrieve.query) == ("/v1/messages/batches/msgbatch_01", {})


@pytest.mark.parametrize("status", ["in_progress", "canceling"])
def test_results_of_a_batch_still_processing_is_a_typed_error(
    client: Anthropic, mock_server: MockServer, status: str
) -> None:
    mock_server.enqueue(ended(None, status), ended(None, status))
    with pytest.raises(DownloadNotReadyError) as caught:
        client.messages.batches.results("msgbatch_01")
    assert isinstance(caught.value, AnthropicError)
    assert caught.value.field == "results_url" and caught.value.state == status
    assert type(caught.value.source) is MessageBatch
    assert f"processing_status: {status}" in str(caught.value)
    with pytest.raises(DownloadNotReadyError):
        client.beta.messages.batches.results("msgbatch_01")
    assert [r.path for r in mock_server.requests] == ["/v1/messages/batches/msgbatch_01"] * 2


def test_results_url_on_another_host_gets_no_api_key(client: Anthropic, mock_server: MockServer) -> None:
    line = {"custom_id": "a", "result": {"type": "expired"}}
    with MockServer() as files:
        files.enqueue(results_file(line))
        mock_server.enqueue(ended(files.url + RESULTS_PATH))
        assert [r.custom_id for r in client.messages.batches.results("msgbatch_01")] == ["a"]
        (download,) = files.requests
    assert download.path == RESULTS_PATH
    assert "x-api-key" not in download.headers and "authorization" not in download.headers
    assert API_KEY not in json.dumps(dict(download.headers))
    assert mock_server.requests[0].headers["x-api-key"] == API_KEY


def test_relative_results_url_is_read_from_the_base_url(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.enqueue(ended(RESULTS_PATH), results_file({"custom_id": "a", "result": {"type": "canceled"}}))
    with client.messages.batches.with_raw_response.results("msgbatch_01") as raw:
        assert raw.headers["content-type"] == "application/x-jsonl"
        assert [r.result.type for r in raw.parse()] == ["canceled"]
    download = mock_server.requests[1]
    assert download.path == RESULTS_PATH and download.headers["x-api-key"] == API_KEY


def test_async_results_follow_results_url(mock_server: MockServer) -> None:
    mock_server.enqueue(ended(mock_server.url + RESULTS_PATH), results_file(
        {"custom_id": "a", "result": {"type": "expired"}}
    ), ended(None, "in_progress"))

    async def body(client: AsyncAnthropic) -> None:
        results = await client.beta.messages.batches.results("msgbatch_01")
        assert [r.custom_id async for r in results] == ["a"]
        with pytest.raises(DownloadNotReadyError):
            await client.messages.batches.results("msgbatch_01")

    run_async(mock_server, body)
    assert [r.path for r in mock_server.requests] == [
        "/v1/messages/batches/msgbatch_01", RESULTS_PATH, "/v1/messages/batches/msgbatch_01"
    ]


def test_batch_dates_are_datetimes_and_odd_spellings_do_not_fail(
    client: Anthropic, mock_server: MockServer
) -> None:
    odd = {
        "created_at": "2025-03-01T12:00:00+0000",  # offset without a colon
        "expires_at": "Sun, 02 Mar 2025 12:00:00 GMT",  # RFC 2822, as HTTP headers spell dates
        "ended_at": "2025-03-01T12:30:00.123456789Z",  # nanoseconds
        "cancel_initiated_at": "2025-03-01T12:10:00+00",  # hours-only offset
        "archived_at": "soon",  # not a date at all: kept as it came
    }
    mock_server.enqueue(Reply.json({**BATCH, "id": "msgbatch_01", **odd}))
    batch = client.messages.batches.retrieve("msgbatch_01")
    utc = datetime.timezone.utc
    assert batch.created_at == datetime.datetime(2025, 3, 1, 12, tzinfo=utc)
    assert batch.expires_at == datetime.datetime(2025, 3, 2, 12, tzinfo=utc)
    assert batch.ended_at == datetime.datetime(2025, 3, 1, 12, 30, 0, 123456, tzinfo=utc)
    assert batch.cancel_initiated_at == datetime.datetime(2025, 3, 1, 12, 10, tzinfo=utc)
    assert batch.archived_at == "soon"
    assert batch.to_dict(mode="json")["created_at"] == "2025-03-01T12:00:00Z"


def test_datetimes_are_sent_as_iso_8601(client: Anthropic, mock_server: MockServer) -> None:
    when = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
    mock_server.enqueue(Reply.json({"data": [], "has_more": False, "first_id": None, "last_id": None}))
    client.messages.batches.list(extra_query={"created_after": when})
    assert mock_server.requests[0].query["created_after"] == ["2025-03-01T12:00:00+00:00"]


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


BETA_METHODS = [
    ("messages", "create"), ("messages", "count_tokens"),
    *(("messages.batches", m) for m in ("create", "list", "retrieve", "delete", "cancel", "results")),
]


@pytest.mark.parametrize(("resource", "method"), BETA_METHODS)
def test_each_beta_method_has_docs_of_its_own(client: Anthropic, resource: str, method: str) -> None:
    plain: Any = client
    beta: Any = client.beta
    for part in resource.split("."):
        plain, beta = getattr(plain, part), getattr(beta, part)
    plain_doc, beta_doc = getattr(plain, method).__doc__, getattr(beta, method).__doc__
    assert beta_doc.splitlines()[0] == plain_doc.splitlines()[0] + " (beta)"
    assert beta_doc != plain_doc
    # The betas argument speaks to every beta method, not only to create.
    assert "betas: Beta features" in beta_doc and "beta.messages.create` variant" not in beta_doc
    assert "betas:" not in plain_doc
    # Beta types are named where the plain doc names plain ones.
    assert "`MessageBatchIndividualResponse`" not in beta_doc


BATCHES_BETA = "message-batches-2024-09-24"


def _call_every_batch_method(batches: Any, **options: Any) -> list[Any]:
    """Each batch method once (results reads the batch, then its file): the awaitables if async."""
    return [
        batches.create(requests=[{"custom_id": "a", "params": {"model": MODEL, "max_tokens": 5,
                                                                "messages": HELLO}}], **options),
        batches.retrieve("msgbatch_01", **options),
        batches.list(limit=2, **options),
        batches.cancel("msgbatch_01", **options),
        batches.delete("msgbatch_01", **options),
        batches.results("msgbatch_01", **options),
    ]


def _batch_replies(request: RecordedRequest) -> Reply:
    if request.path == RESULTS_PATH:
        return results_file({"custom_id": "a", "result": {"type": "expired"}})
    if request.method == "DELETE":
        return Reply.json({"id": "msgbatch_01", "type": "message_batch_deleted"})
    if request.path == "/v1/messages/batches" and request.method == "GET":
        return Reply.json({"data": [], "has_more": False, "first_id": None, "last_id": None})
    return Reply.json({**BATCH, "id": "msgbatch_01", "results_url": RESULTS_PATH})


@pytest.mark.parametrize(("betas", "sent"), [
    ({}, BATCHES_BETA),
    ({"betas": ["b-1"]}, f"b-1,{BATCHES_BETA}"),
    # The caller's own mention of it is not repeated, nor is one inside a joined string.
    ({"betas": [BATCHES_BETA, "b-1"]}, f"{BATCHES_BETA},b-1"),
    ({"betas": f"b-1,{BATCHES_BETA}"}, f"b-1,{BATCHES_BETA}"),
])
def test_beta_batch_methods_always_send_the_batches_beta(
    client: Anthropic, mock_server: MockServer, betas: dict[str, Any], sent: str
) -> None:
    # As the official SDK does on every beta batch call, merged with the caller's betas.
    mock_server.handler = _batch_replies
    _call_every_batch_method(client.beta.messages.batches, **betas)
    list(client.beta.messages.batches.results("msgbatch_01", **betas))

    async def body(async_client: AsyncAnthropic) -> None:
        calls = _call_every_batch_method(async_client.beta.messages.batches, **betas)
        for call in calls[:-1]:
            await call
        async for _ in await calls[-1]:
            pass

    run_async(mock_server, body)
    # sync: 6 methods, results (reading the batch, then its file) twice; async: 6 methods
    beta = [r for r in mock_server.requests if r.path != RESULTS_PATH]
    files = [r for r in mock_server.requests if r.path == RESULTS_PATH]
    assert (len(beta), len(files)) == (7 + 6, 2 + 1)
    assert all(r.query.get("beta") == ["true"] for r in beta)
    assert [r.headers.get("anthropic-beta") for r in mock_server.requests] == [sent] * 16


def test_plain_batch_methods_send_no_beta_and_extra_headers_still_win(
    client: Anthropic, mock_server: MockServer
) -> None:
    mock_server.handler = _batch_replies
    _call_every_batch_method(client.messages.batches)
    assert all("anthropic-beta" not in r.headers for r in mock_server.requests)
    mock_server.requests.clear()
    # extra_headers replace what the method would send, as everywhere (and in the official SDK).
    client.beta.messages.batches.retrieve("msgbatch_01", extra_headers={"anthropic-beta": "only-this"})
    assert mock_server.requests[0].headers["anthropic-beta"] == "only-this"
