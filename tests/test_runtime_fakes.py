"""A hand-made stand-in for a generated client, for the runtime's own tests.

It has what the generator would emit for the Messages API, cut down: models,
the per-status error classes and their tables, a ``ClientConfig`` and a
``create`` method. It holds no tests itself.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

import pydantic
from pydantic import ConfigDict, Field

from generator.runtime._base_client import AsyncAPIClient, ClientConfig, SyncAPIClient
from generator.runtime._errors import APIStatusError
from generator.runtime._message_stream import AsyncMessageStreamManager, MessageStreamManager
from generator.runtime._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from generator.runtime._streaming import AsyncStream, Stream, StreamSpec
from generator.runtime._types import APIRequest, RequestOptions

API_KEY = "sk-test-0123456789-SECRET"
API_KEY_ENV = "RUNTIME_TEST_API_KEY"
BASE_URL_ENV = "RUNTIME_TEST_BASE_URL"


class Model(pydantic.BaseModel):
    model_config = ConfigDict(extra="allow")


class TextBlock(Model):
    type: Literal["text"]
    text: str
    citations: list[dict[str, Any]] | None = None


class ToolUseBlock(Model):
    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]


class ThinkingBlock(Model):
    type: Literal["thinking"]
    thinking: str
    signature: str


ContentBlock = Annotated[Union[TextBlock, ToolUseBlock, ThinkingBlock], Field(discriminator="type")]


class Usage(Model):
    input_tokens: int
    output_tokens: int


class Message(Model):
    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    model: str
    content: list[ContentBlock]
    stop_reason: str | None
    stop_sequence: str | None
    usage: Usage


class MessageStartEvent(Model):
    type: Literal["message_start"]
    message: Message


class ContentBlockStartEvent(Model):
    type: Literal["content_block_start"]
    index: int
    content_block: ContentBlock


class ContentBlockDeltaEvent(Model):
    type: Literal["content_block_delta"]
    index: int
    delta: dict[str, Any]


class ContentBlockStopEvent(Model):
    type: Literal["content_block_stop"]
    index: int


class MessageDeltaEvent(Model):
    type: Literal["message_delta"]
    delta: dict[str, Any]
    usage: dict[str, Any]


class MessageStopEvent(Model):
    type: Literal["message_stop"]


StreamEvent = Annotated[
    Union[
        MessageStartEvent,
        ContentBlockStartEvent,
        ContentBlockDeltaEvent,
        ContentBlockStopEvent,
        MessageDeltaEvent,
        MessageStopEvent,
    ],
    Field(discriminator="type"),
]

STREAM_SPEC = StreamSpec[StreamEvent](
    event_type=StreamEvent,
    known_events=frozenset(
        {
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        }
    ),
)


class BadRequestError(APIStatusError): ...


class AuthenticationError(APIStatusError): ...


class PermissionDeniedError(APIStatusError): ...


class NotFoundError(APIStatusError): ...


class RequestTooLargeError(APIStatusError): ...


class RateLimitError(APIStatusError): ...


class InternalServerError(APIStatusError): ...


class OverloadedError(APIStatusError): ...


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: RequestTooLargeError,
    429: RateLimitError,
    500: InternalServerError,
    529: OverloadedError,
}
ERROR_TYPES: dict[str, type[APIStatusError]] = {
    "invalid_request_error": BadRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "request_too_large": RequestTooLargeError,
    "rate_limit_error": RateLimitError,
    "api_error": InternalServerError,
    "overloaded_error": OverloadedError,
}

CONFIG = ClientConfig(
    api_key_env=API_KEY_ENV,
    base_url_env=BASE_URL_ENV,
    default_base_url="https://api.example.invalid",
    user_agent="anthropic_messages/0.1.0",
    default_headers={"anthropic-version": "2023-06-01"},
    status_errors=STATUS_ERRORS,
    error_types=ERROR_TYPES,
)


def _request(body: dict[str, Any], query: dict[str, object] | None = None) -> APIRequest:
    return APIRequest(method="POST", path="/v1/messages", query=query or {}, json=body)


class Client(SyncAPIClient):
    _config: ClassVar[ClientConfig] = CONFIG

    def create(
        self, *, stream: bool = False, options: RequestOptions | None = None, **body: Any
    ) -> Message | Stream[StreamEvent]:
        if stream:
            body["stream"] = True
        return self.request(
            _request(body), cast_to=Message, options=options, stream=stream, stream_spec=STREAM_SPEC
        )

    def stream(self, **body: Any) -> MessageStreamManager[StreamEvent, Message, Any]:
        def start() -> Stream[StreamEvent]:
            return self.request(
                _request({**body, "stream": True}),
                cast_to=Message,
                stream=True,
                stream_spec=STREAM_SPEC,
            )

        return MessageStreamManager(start, message_type=Message)

    @property
    def with_raw_response(self) -> _RawClient:
        return _RawClient(self)


class _RawClient:
    def __init__(self, client: Client) -> None:
        self.create = to_raw_response_wrapper(client.create)


class AsyncClient(AsyncAPIClient):
    _config: ClassVar[ClientConfig] = CONFIG

    async def create(
        self, *, stream: bool = False, options: RequestOptions | None = None, **body: Any
    ) -> Message | AsyncStream[StreamEvent]:
        if stream:
            body["stream"] = True
        return await self.request(
            _request(body), cast_to=Message, options=options, stream=stream, stream_spec=STREAM_SPEC
        )

    def stream(self, **body: Any) -> AsyncMessageStreamManager[StreamEvent, Message, Any]:
        async def start() -> AsyncStream[StreamEvent]:
            return await self.request(
                _request({**body, "stream": True}),
                cast_to=Message,
                stream=True,
                stream_spec=STREAM_SPEC,
            )

        return AsyncMessageStreamManager(start, message_type=Message)

    @property
    def with_raw_response(self) -> _AsyncRawClient:
        return _AsyncRawClient(self)


class _AsyncRawClient:
    def __init__(self, client: AsyncClient) -> None:
        self.create = async_to_raw_response_wrapper(client.create)


# --- sample payloads ------------------------------------------------------------


def message(content: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": [{"type": "text", "text": "Hello!"}] if content is None else content,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 3},
    }
    data.update(overrides)
    return data


def error_body(kind: str, text: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": text}}


def start_events(**usage: int) -> list[dict[str, Any]]:
    started = message(content=[], stop_reason=None, usage={"input_tokens": 10, "output_tokens": 1})
    started["usage"].update(usage)
    return [{"type": "message_start", "message": started}]


def end_events(stop_reason: str = "end_turn", output_tokens: int = 7) -> list[dict[str, Any]]:
    return [
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": output_tokens},
        },
        {"type": "message_stop"},
    ]


def text_events(pieces: list[str], index: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "type": "content_block_start",
            "index": index,
            "content_block": {"type": "text", "text": ""},
        },
        *(
            {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "text_delta", "text": p},
            }
            for p in pieces
        ),
        {"type": "content_block_stop", "index": index},
    ]


def text_stream_events(pieces: list[str]) -> list[dict[str, Any]]:
    return [*start_events(), *text_events(pieces), *end_events()]
