"""Narrowing a content block or a stream event on ``type`` gives the right class."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from typing_extensions import assert_type

from anthropic_messages import APIStatusError, BaseModel, OverloadedError, RateLimitError
from anthropic_messages.types import (
    ContentBlock,
    Message,
    RawContentBlockDeltaEvent,
    RawMessageStreamEvent,
    RedactedThinkingBlock,
    StopReason,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ToolUseBlock,
    Usage,
)


def blocks(message: Message) -> None:
    assert_type(message.content, List[ContentBlock])
    assert_type(message.usage, Usage)
    assert_type(message.stop_reason, Optional[StopReason])
    for block in message.content:
        if block.type == "text":
            assert_type(block, TextBlock)
            assert_type(block.text, str)
        elif block.type == "tool_use":
            assert_type(block, ToolUseBlock)
            assert_type(block.input, Dict[str, object])
        elif block.type == "thinking":
            assert_type(block, ThinkingBlock)
        elif block.type == "redacted_thinking":
            assert_type(block, RedactedThinkingBlock)
    first = message.content[0]
    # Not every block has text.
    first.text  # type: ignore[union-attr]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


def events(event: RawMessageStreamEvent) -> None:
    if event.type == "content_block_delta":
        assert_type(event, RawContentBlockDeltaEvent)
        if event.delta.type == "text_delta":
            assert_type(event.delta, TextDelta)
    elif event.type == "message_start":
        assert_type(event.message, Message)


def models(message: Message) -> None:
    assert isinstance(message, BaseModel)
    assert_type(message.to_dict(), Dict[str, Any])
    assert_type(message.to_json(), str)
    assert_type(message.model_dump(mode="json"), Dict[str, Any])
    assert_type(Message.model_validate({}), Message)
    message.id = 3  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]


def errors(error: Exception) -> None:
    if isinstance(error, APIStatusError):
        assert_type(error.status_code, int)
        assert_type(error.request_id, Union[str, None])
    if isinstance(error, (RateLimitError, OverloadedError)):
        assert_type(error.error_type, Union[str, None])
