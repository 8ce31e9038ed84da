"""Run by tests/test_python_versions.py under another Python: the installed client, end to end.

Not a test module itself (it needs no pytest): it imports only the generated
package and the standard library, calls the mock server at ``sys.argv[1]``
(which the test scripted: a message, a stream, a 429, a message for the async
client) and prints what it saw as JSON for the test to check.
"""

import asyncio
import json
import sys

import anthropic_messages
from anthropic_messages.types import Message

BASE_URL = sys.argv[1]
HELLO = [{"role": "user", "content": "Hello, Claude"}]
MODEL = "claude-3-7-sonnet-20250219"
seen = {"python": list(sys.version_info[:2])}

with anthropic_messages.Anthropic(api_key="sk-test", base_url=BASE_URL, max_retries=0) as client:
    message = client.messages.create(model=MODEL, max_tokens=64, messages=HELLO)
    assert isinstance(message, Message)
    seen["message"] = {
        "id": message.id,
        "text": [block.text for block in message.content if block.type == "text"],
        "output_tokens": message.usage.output_tokens,
        "round_trip": message.model_dump(mode="json", exclude_unset=True),
    }
    with client.messages.stream(model=MODEL, max_tokens=64, messages=HELLO) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    seen["stream"] = {"pieces": pieces, "final": [b.text for b in final.content if b.type == "text"]}
    try:
        client.messages.create(model=MODEL, max_tokens=64, messages=HELLO)
    except anthropic_messages.RateLimitError as error:
        seen["error"] = {"class": type(error).__name__, "status": error.status_code,
                         "request_id": error.request_id}


async def main():
    async with anthropic_messages.AsyncAnthropic(api_key="sk-test", base_url=BASE_URL) as client:
        message = await client.messages.create(model=MODEL, max_tokens=64, messages=HELLO)
        seen["async"] = message.id


asyncio.run(main())
print(json.dumps(seen))
