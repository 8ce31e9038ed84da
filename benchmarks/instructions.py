"""Instructions per streamed event, counted by valgrind: a figure the machine's load cannot move.

    benchmarks/.venv-peers/bin/python benchmarks/instructions.py [--events N] [--framing F ...]

The SSE targets are ratios of wall times measured in one run, and on a shared
machine two runs a minute apart can differ by 10%. This counts the user-space
instructions the client process executes instead (``valgrind --tool=cachegrind``),
which do not depend on what else runs: an A/B of two versions of the runtime
gives the same answer on a busy machine as on a quiet one. It says nothing
about cache misses or the time an instruction takes (pydantic-core's Rust runs
more instructions per cycle than the interpreter), so it ranks changes; the
wall-time targets stay the judge.

Each contender reads, in a process of its own under valgrind, a stream of N
text deltas and, for the baseline, one of 3: the difference divided by the
difference in events is its cost per event, with the process's start, imports
and first-request costs cancelled out. The loopback server (``serve.py``) runs
outside valgrind. Contenders: httpx ``iter_bytes()`` (the ceiling of any httpx
client, as in ``client_bench.py``), ours ``create(stream=True)`` and our
``messages.stream()`` helper. Needs ``valgrind`` on ``PATH``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OURS_PY = ROOT / ".venv" / "bin" / "python"
CONTENDERS = ("raw_bytes", "ours", "ours_helper")
SMALL = 3


def child(url: str, framing: str, contender: str, events: int) -> None:
    """Read one stream the way ``contender`` does (run under valgrind)."""
    sys.path.insert(0, str(ROOT / "generated"))
    import httpx

    import anthropic_messages

    request = {"model": "claude-3-7-sonnet-20250219", "max_tokens": 1024,
               "messages": [{"role": "user", "content": "Hi"}]}
    client = anthropic_messages.Anthropic(api_key="bench", base_url=url, max_retries=0)
    raw = httpx.Client()

    def read(n: int) -> None:
        headers = {"x-bench-framing": framing, "x-bench-events": str(n)}
        if contender == "ours":
            for _ in client.messages.create(stream=True, extra_headers=headers, **request):
                pass
        elif contender == "ours_helper":
            with client.messages.stream(extra_headers=headers, **request) as stream:
                for _ in stream:
                    pass
        else:
            with raw.stream("POST", url + "/v1/messages", json={**request, "stream": True},
                            headers={"x-api-key": "bench", **headers}) as response:
                for chunk in response.iter_bytes():
                    chunk.count(b"data:")

    read(SMALL)  # every lazy import, validator and connection made before the count matters
    read(events)


def count(url: str, framing: str, contender: str, events: int) -> int:
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, __file__, "--child", url, framing, contender, str(events)],
        capture_output=True, text=True, check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count from valgrind:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def measure(url: str, framings: list[str], events: int) -> dict[str, Any]:
    jobs = [(framing, contender, n) for framing in framings for contender in CONTENDERS
            for n in (SMALL, events)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: count(url, *job), jobs)))
    result: dict[str, Any] = {}
    for framing in framings:
        per_event = {
            contender: (counts[(framing, contender, events)] - counts[(framing, contender, SMALL)])
            / (events - SMALL)
            for contender in CONTENDERS
        }
        result[framing] = per_event
    return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], argv[3], int(argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--framing", action="append", choices=("per-event", "64k"))
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("instructions: valgrind is not on PATH")
    server = subprocess.Popen([str(OURS_PY), str(HERE / "serve.py")], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        result = measure(url, args.framing or ["per-event", "64k"], args.events)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
    print("| framing | httpx `iter_bytes()` | ours `create(stream=True)` | ours `messages.stream()` "
          "| iter_bytes / ours (as the events/s target) | helper / create |")
    print("|---|---|---|---|---|---|")
    for framing, per_event in result.items():
        print(f"| {framing} | {per_event['raw_bytes']:,.0f} | {per_event['ours']:,.0f} "
              f"| {per_event['ours_helper']:,.0f} | {per_event['raw_bytes'] / per_event['ours']:.3f} "
              f"| {per_event['ours_helper'] / per_event['ours']:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
