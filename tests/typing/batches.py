"""Token counts, batch pages and results files: plain and beta forms each return their own types."""

from __future__ import annotations

import datetime
from typing import List, Optional

from typing_extensions import assert_type

from anthropic_messages import (
    Anthropic,
    AsyncAnthropic,
    AsyncCursorPage,
    AsyncJSONLDecoder,
    AsyncPageRequest,
    DownloadNotReadyError,
    JSONLDecoder,
    SyncCursorPage,
)
from anthropic_messages.types import (
    BetaCountTokensContextManagementResponse,
    BetaDeletedMessageBatch,
    BetaMessage,
    BetaMessageBatch,
    BetaMessageBatchIndividualResponse,
    BetaMessageBatchRequestParam,
    BetaMessageBatchSucceededResult,
    BetaMessageParam,
    BetaMessageTokensCount,
    DeletedMessageBatch,
    Message,
    MessageBatch,
    MessageBatchIndividualResponse,
    MessageBatchRequestParam,
    MessageBatchSucceededResult,
    MessageParam,
    MessageTokensCount,
)

client = Anthropic(api_key="test")
async_client = AsyncAnthropic(api_key="test")
turns: list[MessageParam] = [{"role": "user", "content": "Hello"}]
beta_turns: list[BetaMessageParam] = [{"role": "user", "content": "Hello"}]


def counting() -> None:
    count = client.messages.count_tokens(model="claude-sonnet-4-5", messages=turns)
    assert_type(count, MessageTokensCount)
    assert_type(count.input_tokens, int)
    beta = client.beta.messages.count_tokens(
        model="claude-sonnet-4-5",
        messages=beta_turns,
        betas=["context-management-2025-06-27"],
        context_management={"edits": [{"type": "clear_tool_uses_20250919"}]},
        mcp_servers=[{"type": "url", "url": "https://mcp.example.com/sse", "name": "example"}],
        tools=[{"type": "mcp_toolset", "mcp_server_name": "example"}],
    )
    assert_type(beta, BetaMessageTokensCount)
    assert_type(beta.context_management, Optional[BetaCountTokensContextManagementResponse])
    # beta-only parameters stay off the plain method
    client.messages.count_tokens(model="m", messages=turns, mcp_servers=[])  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def pages() -> None:
    page = client.messages.batches.list(limit=20)
    assert_type(page, SyncCursorPage[MessageBatch])
    assert_type(page.data, List[MessageBatch])
    for batch in page:
        assert_type(batch, MessageBatch)
    if page.has_next_page():
        assert_type(page.get_next_page(), SyncCursorPage[MessageBatch])
    beta_page = client.beta.messages.batches.list(betas=["message-batches-2024-09-24"])
    assert_type(beta_page, SyncCursorPage[BetaMessageBatch])
    for beta_batch in beta_page:
        assert_type(beta_batch, BetaMessageBatch)
    assert_type(beta_page.get_next_page(), SyncCursorPage[BetaMessageBatch])


async def async_pages() -> None:
    request = async_client.messages.batches.list()
    assert_type(request, AsyncPageRequest[MessageBatch])
    async for batch in request:
        assert_type(batch, MessageBatch)
    page = await async_client.beta.messages.batches.list()
    assert_type(page, AsyncCursorPage[BetaMessageBatch])
    assert_type(await page.get_next_page(), AsyncCursorPage[BetaMessageBatch])
    async for beta_batch in page:
        assert_type(beta_batch, BetaMessageBatch)


def batches() -> None:
    requests: list[MessageBatchRequestParam] = [
        {"custom_id": "a", "params": {"model": "m", "max_tokens": 1, "messages": turns}}
    ]
    assert_type(client.messages.batches.create(requests=requests), MessageBatch)
    assert_type(client.messages.batches.retrieve("msgbatch_1"), MessageBatch)
    assert_type(client.messages.batches.cancel("msgbatch_1"), MessageBatch)
    assert_type(client.messages.batches.delete("msgbatch_1"), DeletedMessageBatch)
    beta_requests: list[BetaMessageBatchRequestParam] = [
        {
            "custom_id": "a",
            "params": {
                "model": "m",
                "max_tokens": 1,
                "messages": beta_turns,
                "mcp_servers": [{"type": "url", "url": "https://mcp.example.com/sse", "name": "example"}],
            },
        }
    ]
    assert_type(client.beta.messages.batches.create(requests=beta_requests), BetaMessageBatch)
    assert_type(client.beta.messages.batches.retrieve("msgbatch_1"), BetaMessageBatch)
    assert_type(client.beta.messages.batches.cancel("msgbatch_1"), BetaMessageBatch)
    assert_type(client.beta.messages.batches.delete("msgbatch_1"), BetaDeletedMessageBatch)
    # dates are datetimes, as in the official SDK
    batch = client.messages.batches.retrieve("msgbatch_1")
    assert_type(batch.created_at, datetime.datetime)
    assert_type(batch.ended_at, Optional[datetime.datetime])
    assert_type(client.beta.messages.batches.retrieve("msgbatch_1").expires_at, datetime.datetime)
    age: datetime.timedelta = batch.expires_at - batch.created_at
    assert age
    batch.created_at.upper()  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


def results() -> None:
    try:
        lines = client.messages.batches.results("msgbatch_1")
    except DownloadNotReadyError as not_ready:
        assert_type(not_ready.field, str)
        assert_type(not_ready.state, object)
        return
    assert_type(lines, JSONLDecoder[MessageBatchIndividualResponse])
    for line in lines:
        assert_type(line, MessageBatchIndividualResponse)
        if line.result.type == "succeeded":
            assert_type(line.result, MessageBatchSucceededResult)
            assert_type(line.result.message, Message)
    beta_lines = client.beta.messages.batches.results("msgbatch_1")
    assert_type(beta_lines, JSONLDecoder[BetaMessageBatchIndividualResponse])
    for beta_line in beta_lines:
        if beta_line.result.type == "succeeded":
            assert_type(beta_line.result, BetaMessageBatchSucceededResult)
            assert_type(beta_line.result.message, BetaMessage)


async def async_results() -> None:
    lines = await async_client.beta.messages.batches.results("msgbatch_1")
    assert_type(lines, AsyncJSONLDecoder[BetaMessageBatchIndividualResponse])
    async for line in lines:
        assert_type(line, BetaMessageBatchIndividualResponse)


# a plain batch request cannot carry beta-only parameters
plain_request_with_beta_field: MessageBatchRequestParam = {
    "custom_id": "a",
    "params": {"model": "m", "max_tokens": 1, "messages": turns, "mcp_servers": []},  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportAssignmentType]
}
