"""A user script written for the official SDK, with only its import lines changed.

No ``assert_type`` here: the same file, with ``anthropic_messages`` spelled
``anthropic``, must also pass ``mypy --strict`` against the official SDK
(``tests/test_sdk_examples.py`` checks that when the SDK is installed), and the
two packages name some types differently. Annotated assignments say what each
value must be usable as.

``_request_id`` is public despite its underscore (the official SDK's name).
"""

# pyright: reportPrivateUsage=false

from __future__ import annotations

import httpx

import anthropic_messages as anthropic
from anthropic_messages import Anthropic, AsyncAnthropic, DefaultHttpxClient, NotGiven, Omit
from anthropic_messages.types import Message, MessageParam

client = Anthropic(max_retries=0, timeout=httpx.Timeout(60.0, read=5.0, write=10.0, connect=2.0))
turns: list[MessageParam] = [{"role": "user", "content": "Hello, Claude"}]


def messages() -> None:
    message = client.messages.create(max_tokens=1024, messages=turns, model="claude-sonnet-4-5")
    request_id: str | None = message._request_id
    first = message.content[0]
    if first.type == "text":
        text: str = first.text
        print(text, request_id)
    as_dict: dict[str, object] = message.to_dict(mode="json", exclude_none=True)
    as_json: str = message.to_json(indent=None)
    print(as_dict, as_json, message.model_fields_set)
    beta = client.beta.messages.create(
        max_tokens=1024,
        messages=[{"role": "user", "content": "Hello"}],  # the SDK types beta turns apart
        model="claude-sonnet-4-5",
        betas=["output-128k-2025-02-19"],
    )
    print(beta.stop_reason)
    for event in client.messages.create(
        max_tokens=1024, messages=turns, model="claude-sonnet-4-5", stream=True
    ):
        kind: str = event.type
        print(kind)


def helper() -> None:
    with client.messages.stream(max_tokens=1024, messages=turns, model="claude-sonnet-4-5") as stream:
        for event in stream:
            if event.type == "text":
                piece: str = event.text
                whole: str = event.snapshot
                print(piece, whole)
            elif event.type == "input_json":
                partial: str = event.partial_json
                print(partial, event.snapshot)
            elif event.type == "thinking":
                thought: str = event.thinking
                print(thought)
            elif event.type == "signature":
                signature: str = event.signature
                print(signature)
            elif event.type == "content_block_stop":
                index: int = event.index
                print(index, event.content_block.type)
            elif event.type == "message_stop":
                final: Message = event.message
                print(final.usage.output_tokens)
        for text in stream.text_stream:
            print(text)
        stream.until_done()
        message: Message = stream.get_final_message()
        joined: str = stream.get_final_text()
        snapshot: Message = stream.current_message_snapshot
        print(message, joined, snapshot, stream.request_id)


async def async_helper() -> None:
    async_client = AsyncAnthropic()
    async with async_client.messages.stream(
        max_tokens=1024, messages=turns, model="claude-sonnet-4-5"
    ) as stream:
        async for event in stream:
            if event.type == "text":
                piece: str = event.text
                print(piece)
            elif event.type == "content_block_stop":
                print(event.content_block)
        async for text in stream.text_stream:
            print(text)
    message: Message = await stream.get_final_message()
    print(message)
    await async_client.close()


def errors() -> None:
    try:
        client.messages.create(max_tokens=1024, messages=turns, model="claude-sonnet-4-5")
    except anthropic.APIConnectionError as e:
        print(e.__cause__, e.request)
    except anthropic.RateLimitError as e:
        status: int = e.status_code
        print(status, e.response.headers)
    except (anthropic.ConflictError, anthropic.UnprocessableEntityError) as e:
        print(e.body)
    except anthropic.InternalServerError as e:
        print(e.request_id)
    except anthropic.APIStatusError as e:
        print(e.status_code, e.response, e.type)
    except anthropic.APIError as e:
        print(e.message)
    except anthropic.AnthropicError as e:
        print(e)


def options() -> None:
    other = client.with_options(max_retries=5, timeout=5.0, http_client=DefaultHttpxClient())
    copied = client.copy(default_headers={"anthropic-version": "2023-06-01"})
    print(other.is_closed(), copied.max_retries)
    custom = Anthropic(
        auth_token="token",
        default_headers={"anthropic-version": "My-Custom-Value"},
        default_query={"q": "1"},
        http_client=DefaultHttpxClient(transport=httpx.HTTPTransport(local_address="0.0.0.0")),
    )
    response = custom.post("/foo", cast_to=httpx.Response, body={"my_param": True})
    print(response.headers.get("x-foo"))
    raw = client.messages.with_raw_response.create(
        max_tokens=1024, messages=turns, model="claude-sonnet-4-5"
    )
    parsed: Message = raw.parse()
    print(raw.headers.get("x-my-header"), raw.http_request.url, raw.elapsed, parsed)
    with client.messages.with_streaming_response.create(
        max_tokens=1024, messages=turns, model="claude-sonnet-4-5"
    ) as streamed:
        for line in streamed.iter_lines():
            print(line)
    sentinels: list[NotGiven | Omit] = [anthropic.NOT_GIVEN, anthropic.not_given, anthropic.omit]
    print(sentinels, anthropic.__version__)
    with Anthropic() as closing:
        print(closing.is_closed())
