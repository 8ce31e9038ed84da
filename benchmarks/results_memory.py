"""Peak memory of `client.messages.batches.results()` over a large results file (a note, not a test).

    .venv/bin/python benchmarks/results_memory.py [LINES]

Serves an ended batch and a LINES-line results file (default 10,000; every line a
succeeded result holding a reply example) from a child process on 127.0.0.1, then,
in this process, measures the peak of Python allocations (``tracemalloc``) while
streaming the file line by line, and, as the comparison from the same run, while
holding every parsed line in a list. Prints the file size and both peaks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(lines: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.client_support import message_example
    from tests.mockserver import MockServer, RecordedRequest, Reply

    line = {"custom_id": "", "result": {"type": "succeeded", "message": message_example("text")}}
    body = b"".join(
        json.dumps({**line, "custom_id": f"req-{i:06d}"}).encode() + b"\n" for i in range(lines)
    )
    with MockServer() as server:
        batch = {
            "id": "msgbatch_01", "type": "message_batch", "processing_status": "ended",
            "request_counts": {"processing": 0, "succeeded": lines, "errored": 0, "canceled": 0, "expired": 0},
            "created_at": "2025-03-01T12:00:00Z", "expires_at": "2025-03-02T12:00:00Z",
            "ended_at": "2025-03-01T12:30:00Z", "cancel_initiated_at": None, "archived_at": None,
            "results_url": server.url + "/v1/messages/batches/msgbatch_01/results",
        }

        def handler(request: RecordedRequest) -> Reply:
            if request.path.endswith("/results"):
                chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
                return Reply(headers={"content-type": "application/x-jsonl"}, chunks=chunks)
            return Reply.json(batch)

        server.handler = handler
        print(server.url, len(body), flush=True)
        sys.stdin.read()  # until the parent closes it


def measure(url: str, hold: bool) -> tuple[int, int]:
    import anthropic_messages

    with anthropic_messages.Anthropic(api_key="k", base_url=url) as client:
        client.messages.batches.retrieve("msgbatch_01")  # imports and model builds, outside the measure
        tracemalloc.start()
        if hold:
            count = len(list(client.messages.batches.results("msgbatch_01")))
        else:
            count = sum(1 for _ in client.messages.batches.results("msgbatch_01"))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return count, peak


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]))
        return
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sys.path.insert(0, str(ROOT / "generated"))
    child = subprocess.Popen(
        [sys.executable, __file__, "serve", str(lines)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        url, size = child.stdout.readline().split()
        streamed = measure(url, hold=False)
        held = measure(url, hold=True)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
    mb = 1e6
    print(f"results file: {lines} lines, {int(size) / mb:.2f} MB")
    print(f"streamed: {streamed[0]} lines, peak {streamed[1] / mb:.2f} MB ({streamed[1] / int(size):.2f}x the file)")
    print(f"held in a list: {held[0]} lines, peak {held[1] / mb:.2f} MB ({held[1] / int(size):.2f}x the file)")
    print(f"held / streamed: {held[1] / streamed[1]:.1f}x")


if __name__ == "__main__":
    main()
