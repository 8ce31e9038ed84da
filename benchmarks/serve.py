"""The loopback server for the client benchmarks (run with the project venv).

    .venv/bin/python benchmarks/serve.py

Reuses ``tests/mockserver.py`` (a real HTTP/1.1 server on 127.0.0.1 on a free
port), in a process of its own so that serving does not compete with the
measured client for the GIL. Prints its URL on the first line of stdout and
stops when stdin is closed.

``POST /v1/messages`` answers the spec's first JSON response example, or, when
the request body has ``"stream": true``, a stream of ``x-bench-events`` text
deltas (default 5,000) between the usual opening and closing events, framed
one HTTP chunk per event (``x-bench-framing: per-event``, the default) or in
64 KiB chunks (``64k``).
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402
from mockserver import MockServer, RecordedRequest, Reply, sse_stream  # noqa: E402

MODEL = "claude-3-7-sonnet-20250219"


def stream_events(n: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {
            "type": "message_start",
            "message": {
                "id": "msg_01Rh4JMPVdTmZC5vQ3bcuE1x",
                "type": "message",
                "role": "assistant",
                "content": [],
                "model": MODEL,
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 12, "output_tokens": 1},
            },
        },
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    ]
    events += [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f" w{i}"}}
        for i in range(n)
    ]
    events += [
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": n},
        },
        {"type": "message_stop"},
    ]
    return events


@lru_cache(maxsize=8)
def stream_reply(n: int, framing: str) -> Reply:
    body = sse_stream(stream_events(n))
    return Reply.sse(body, chunk_size=65536 if framing == "64k" else None)


def first_message_example(spec: Path) -> dict[str, Any]:
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    media = data["paths"]["/v1/messages"]["post"]["responses"]["200"]["content"]
    example = next(iter(media["application/json"]["examples"].values()))
    value: dict[str, Any] = example["value"]
    return value


def main() -> None:
    message = Reply.json(first_message_example(ROOT / "spec" / "messages.yaml"))

    def handler(request: RecordedRequest) -> Reply:
        if json.loads(request.body or b"{}").get("stream"):
            n = int(request.headers.get("x-bench-events", "5000"))
            return stream_reply(n, request.headers.get("x-bench-framing", "per-event"))
        return message

    with MockServer() as server:
        server.handler = handler
        print(server.url, flush=True)
        sys.stdin.read()
        # The requests list grows with every call; nothing reads it here.
        server.requests.clear()


if __name__ == "__main__":
    main()
