"""What the generated client must make of the spec's examples, for the end-to-end tests.

The expected event classes of each stream example, the message each one adds
up to, and the exception class of each documented status. Holds no tests.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.client_support import MODEL

import anthropic_messages  # isort: skip

from anthropic_messages.types import (  # isort: skip
    CitationsDelta,
    InputJSONDelta,
    PingEvent,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    SignatureDelta,
    TextDelta,
    ThinkingDelta,
)

STATUS_CLASSES: dict[int, type[anthropic_messages.APIStatusError]] = {
    400: anthropic_messages.BadRequestError,
    401: anthropic_messages.AuthenticationError,
    402: anthropic_messages.BillingError,
    403: anthropic_messages.PermissionDeniedError,
    404: anthropic_messages.NotFoundError,
    413: anthropic_messages.RequestTooLargeError,
    429: anthropic_messages.RateLimitError,
    500: anthropic_messages.InternalServerError,
    504: anthropic_messages.GatewayTimeoutError,
    529: anthropic_messages.OverloadedError,
}
RETRIED_STATUSES = {429, 500, 504, 529}

EVENT_CLASSES: dict[str, type[Any]] = {
    "message_start": RawMessageStartEvent,
    "content_block_start": RawContentBlockStartEvent,
    "content_block_delta": RawContentBlockDeltaEvent,
    "content_block_stop": RawContentBlockStopEvent,
    "message_delta": RawMessageDeltaEvent,
    "message_stop": RawMessageStopEvent,
    "ping": PingEvent,
}

DELTA_CLASSES: dict[str, type[Any]] = {
    "text_delta": TextDelta,
    "input_json_delta": InputJSONDelta,
    "thinking_delta": ThinkingDelta,
    "signature_delta": SignatureDelta,
    "citations_delta": CitationsDelta,
}

_BASE = {"type": "message", "role": "assistant", "model": MODEL, "stop_sequence": None}

# What each example stream adds up to, as the server would have sent it unstreamed.
FINAL_MESSAGES: dict[str, dict[str, Any]] = {
    "text": {
        **_BASE,
        "id": "msg_01Rh4JMPVdTmZC5vQ3bcuE1x",
        "content": [{"type": "text", "text": "Hello, world!"}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 12, "output_tokens": 6},
    },
    "tool_use": {
        **_BASE,
        "id": "msg_014p7gG3wDgGV9EUtLvnow3U",
        "content": [
            {
                "type": "tool_use",
                "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                "name": "get_weather",
                "input": {"city": "Paris"},
            }
        ],
        "stop_reason": "tool_use",
        "usage": {
            "input_tokens": 472,
            "output_tokens": 40,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    },
    "thinking": {
        **_BASE,
        "id": "msg_01JW2bqaB8Ex4x2kdzJ3Tn5c",
        "content": [
            {
                "type": "thinking",
                "thinking": "27 * 453 = 27 * 450 + 27 * 3 = 12150 + 81 = 12231.",
                "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
            },
            {"type": "text", "text": "27 * 453 = 12231", "citations": None},
        ],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 36, "output_tokens": 92},
    },
    "citations": {
        **_BASE,
        "id": "msg_01PdJZ8rN4mF7c1Yb3Hq2Wx6",
        "content": [
            {
                "type": "text",
                "text": "The warranty lasts two years.",
                "citations": [
                    {
                        "type": "char_location",
                        "cited_text": "All devices carry a two-year warranty.",
                        "document_index": 0,
                        "document_title": "Product handbook",
                        "start_char_index": 120,
                        "end_char_index": 158,
                    }
                ],
            }
        ],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 2095, "output_tokens": 30},
    },
}

TEXT_DELTAS = {
    "text": ["Hello", ", world!"],
    "tool_use": [],
    "thinking": ["27 * 453 = 12231"],
    "citations": ["The warranty lasts two years."],
}

KINDS = sorted(FINAL_MESSAGES)


def event_names(body: bytes) -> list[str]:
    return re.findall(r"^event: (\S+)$", body.decode(), flags=re.MULTILINE)


def events_of(body: bytes) -> list[dict[str, Any]]:
    return [json.loads(d) for d in re.findall(r"^data: (.*)$", body.decode(), flags=re.MULTILINE)]


def expected_classes(body: bytes) -> list[tuple[type[Any], type[Any] | None]]:
    return [
        (EVENT_CLASSES[event["type"]], DELTA_CLASSES.get(event.get("delta", {}).get("type", "")))
        for event in events_of(body)
    ]


def classes(events: list[Any]) -> list[tuple[type[Any], type[Any] | None]]:
    return [
        (type(e), type(e.delta) if isinstance(e, RawContentBlockDeltaEvent) else None)
        for e in events
    ]
