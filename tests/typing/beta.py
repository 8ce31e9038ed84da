"""The beta method takes every beta parameter and returns beta types; the plain one does not."""

from __future__ import annotations

from typing import Union

from typing_extensions import assert_type

from anthropic_messages import Anthropic, Stream
from anthropic_messages.types import (
    BetaMCPToolUseBlock,
    BetaMessage,
    BetaMessageParam,
    BetaRawMessageStreamEvent,
    BetaTextBlock,
    BetaUsage,
    MessageParam,
)

client = Anthropic(api_key="test")
turns: list[BetaMessageParam] = [{"role": "user", "content": "Hello"}]
plain_turns: list[MessageParam] = [{"role": "user", "content": "Hello"}]


def every_beta_parameter() -> None:
    message = client.beta.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=turns,
        betas=["mcp-client-2025-11-20", "context-management-2025-06-27"],
        user_profile_id="prof_01",
        cache_control={"type": "ephemeral", "ttl": "1h"},
        container={"id": "container_01", "skills": [{"type": "anthropic", "skill_id": "pptx", "version": "latest"}]},
        context_management={"edits": [{"type": "clear_tool_uses_20250919", "keep": {"type": "tool_uses", "value": 3}}]},
        diagnostics={"previous_message_id": "msg_01"},
        fallback_credit_token=None,
        fallbacks=[{"model": "claude-haiku-4-5"}],
        inference_geo="us",
        mcp_servers=[{"type": "url", "url": "https://mcp.example.com/sse", "name": "example"}],
        metadata={"user_id": "user-hash"},
        output_config={"effort": "low"},
        output_format={"type": "json_schema", "schema": {"type": "object"}},
        service_tier="auto",
        speed="fast",
        stop_sequences=["END"],
        system="Be brief.",
        temperature=0.5,
        thinking={"type": "enabled", "budget_tokens": 2048},
        tool_choice={"type": "auto", "disable_parallel_tool_use": True},
        tools=[{"type": "mcp_toolset", "mcp_server_name": "example"}],
        top_k=5,
        top_p=0.9,
    )
    assert_type(message, BetaMessage)
    assert_type(message.usage, BetaUsage)
    for block in message.content:
        if block.type == "mcp_tool_use":
            assert_type(block, BetaMCPToolUseBlock)
            assert_type(block.server_name, str)
        elif block.type == "text":
            assert_type(block, BetaTextBlock)
    events = client.beta.messages.create(model="m", max_tokens=16, messages=turns, stream=True)
    assert_type(events, Stream[BetaRawMessageStreamEvent])
    with client.beta.messages.stream(model="m", max_tokens=16, messages=turns) as stream:
        assert_type(stream.get_final_message(), BetaMessage)


def plain_method_has_no_beta_parameters() -> None:
    servers = [{"type": "url", "url": "https://mcp.example.com/sse", "name": "example"}]
    client.messages.create(model="m", max_tokens=1, messages=plain_turns, mcp_servers=servers)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    client.messages.create(model="m", max_tokens=1, messages=plain_turns, context_management={"edits": []})  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]


def either(flag: bool) -> None:
    result = client.beta.messages.create(model="m", max_tokens=16, messages=turns, stream=flag)
    assert_type(result, Union[BetaMessage, Stream[BetaRawMessageStreamEvent]])
