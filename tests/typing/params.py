"""Request shapes: dict literals type-check, and a wrong key or value type does not."""

from __future__ import annotations

from anthropic_messages.types import (
    ContentBlockParam,
    MessageCreateParams,
    MessageParam,
    TextBlockParam,
    ThinkingConfigParam,
    ToolChoiceParam,
    ToolParam,
)

turn: MessageParam = {"role": "user", "content": "Hello, Claude"}
blocks: MessageParam = {
    "role": "user",
    "content": [
        {"type": "text", "text": "What is in this image?"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
    ],
}
text: TextBlockParam = {"type": "text", "text": "hi"}
block: ContentBlockParam = {"type": "tool_result", "tool_use_id": "toolu_01", "content": "42", "is_error": False}
tool: ToolParam = {
    "name": "get_stock_price",
    "description": "The current price of a stock.",
    "input_schema": {"type": "object", "properties": {"ticker": {"type": "string"}}},
}
choice: ToolChoiceParam = {"type": "tool", "name": "get_stock_price"}
thinking: ThinkingConfigParam = {"type": "enabled", "budget_tokens": 1024}
body: MessageCreateParams = {"model": "claude-3-7-sonnet-20250219", "max_tokens": 1024, "messages": [turn]}

# A key the shape does not have.
unknown_key: MessageParam = {"role": "user", "content": "hi", "name": "x"}  # type: ignore[typeddict-unknown-key]  # pyright: ignore[reportAssignmentType]
# A required key left out.
missing_key: MessageParam = {"role": "user"}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
# A value of the wrong type.
wrong_type: TextBlockParam = {"type": "text", "text": 3}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
# A value outside the Literal.
wrong_role: MessageParam = {"role": "future_role_2099", "content": "hi"}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
# A tag that names no variant of the union.
wrong_tag: ToolChoiceParam = {"type": "sometimes", "name": "get_stock_price"}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
# A variant's field that belongs to another variant.
wrong_variant: ThinkingConfigParam = {"type": "disabled", "budget_tokens": 1}  # type: ignore[typeddict-item]  # pyright: ignore[reportAssignmentType]
