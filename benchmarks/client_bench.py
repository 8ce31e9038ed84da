"""The generated client against the official ``anthropic`` SDK (run in the peers venv).

    benchmarks/.venv-peers/bin/python benchmarks/client_bench.py parse EXAMPLES.json
    benchmarks/.venv-peers/bin/python benchmarks/client_bench.py sse URL [--events N] [--rounds R]
    benchmarks/.venv-peers/bin/python benchmarks/client_bench.py calls URL [--calls N]

Each prints one JSON object. ``benchmarks/run.py`` calls these; they are
separate so that each measurement runs in a process of its own. Our package is
imported from ``generated/`` (put first on ``sys.path``); httpx and pydantic
come from the peers venv, where ``anthropic`` installed them, so both clients
run on the very same httpx and pydantic.

Every comparison interleaves the contenders round by round (ours, theirs,
floor, then the next round) and reports medians, because the machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

GENERATED = Path(__file__).resolve().parent.parent / "generated"
sys.path.insert(0, str(GENERATED))

import anthropic  # noqa: E402
import anthropic_messages  # noqa: E402
import httpx  # noqa: E402
from anthropic._models import construct_type, validate_type  # noqa: E402

MODEL = "claude-3-7-sonnet-20250219"
REQUEST: dict[str, Any] = {
    "model": MODEL,
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Hello"}],
}


def _per_call(fn: Callable[[], object], budget: float = 0.02) -> tuple[int, float]:
    """How many calls fill ``budget`` seconds, and the seconds per call of that batch."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= budget:
            return n, elapsed / n
        n *= 2


# ---------------------------------------------------------------- parsing


def bench_parse(examples_path: Path, rounds: int) -> dict[str, Any]:
    """Microseconds per response body, for each example of the spec.

    - ``json_loads``: ``json.loads(body)``, the floor.
    - ``ours``: ``parse_body(body, Model, response)``, what our client does with a
      response body: every tag read by pydantic-core first, the lenient schema
      only if that fails (``_response.Validator``).
    - ``ours_model_validate_json``: ``Model.model_validate_json(body)``, the
      model's own (lenient) schema alone, for reference: what a program that
      calls the model itself gets.
    - ``official``: ``construct_type(type_=Model, value=json.loads(body))``, what
      the official SDK's ``APIResponse.parse()`` does for a JSON body with the
      default client (``response.json()`` then ``_process_response_data``, which
      calls ``construct_type`` unless ``_strict_response_validation`` is set).
    - ``official_strict``: ``validate_type(...)`` instead, its
      ``_strict_response_validation=True`` path, for reference.
    """
    from anthropic.types import Message as TheirMessage
    from anthropic.types.shared import ErrorResponse as TheirErrorResponse
    from anthropic_messages._response import parse_body

    response = httpx.Response(200, request=httpx.Request("POST", "http://bench/v1/messages"))

    ours_models = {
        "Message": anthropic_messages.types.Message,
        "ErrorResponse": anthropic_messages.types.ErrorResponse,
    }
    their_models = {"Message": TheirMessage, "ErrorResponse": TheirErrorResponse}
    examples = json.loads(examples_path.read_text(encoding="utf-8"))
    results = []
    for ex in examples:
        body = ex["body"].encode("utf-8")
        ours_model = ours_models[ex["schema"]]
        their_model = their_models[ex["schema"]]
        contenders: dict[str, Callable[[], object]] = {
            "json_loads": lambda: json.loads(body),
            "ours": lambda: parse_body(body, ours_model, response),
            "ours_model_validate_json": lambda: ours_model.model_validate_json(body),
            "official": lambda: construct_type(type_=their_model, value=json.loads(body)),
            "official_strict": lambda: validate_type(type_=their_model, value=json.loads(body)),
        }
        # Same value out of both (a sanity check, and the first call builds
        # the lazily built pydantic schemas, which is not what we time).
        ours_obj = contenders["ours"]()
        theirs_obj = contenders["official"]()
        same = _dump(ours_obj) == _dump(theirs_obj)
        rejected = []
        try:
            contenders["official_strict"]()
        except Exception:  # the official strict path rejects tags it does not know
            rejected.append("official_strict")
            del contenders["official_strict"]
        samples: dict[str, list[float]] = {k: [] for k in contenders}
        for _ in range(rounds):
            for name, fn in contenders.items():
                samples[name].append(_per_call(fn)[1] * 1e6)
        results.append(
            {
                "name": ex["name"],
                "schema": ex["schema"],
                "bytes": len(body),
                "same_dump": same,
                "rejected_by": rejected,
                "us": {k: statistics.median(v) for k, v in samples.items()},
            }
        )
    summary: dict[str, Any] = {}
    for group in ("Message", "ErrorResponse", "all"):
        rows = [r for r in results if group == "all" or r["schema"] == group]
        if rows:
            keys = ("json_loads", "ours", "ours_model_validate_json", "official", "official_strict")
            summary[group] = {
                k: statistics.mean(r["us"][k] for r in rows if k in r["us"]) for k in keys
            }
            summary[group]["examples"] = len(rows)
            summary[group]["official_strict_rejected"] = sum(
                1 for r in rows if "official_strict" in r["rejected_by"]
            )
    return {"examples": results, "mean_us": summary, "rounds": rounds}


def _dump(obj: Any) -> Any:
    # warnings=False: the official SDK's models warn when dumping a value they do
    # not list (an error type newer than it, kept by construct_type); the dumps
    # are compared whole, which is the check.
    dumped = obj.model_dump(mode="json", exclude_unset=True, by_alias=True, warnings=False)
    return json.loads(json.dumps(dumped, sort_keys=True))


# ---------------------------------------------------------------- streaming


def bench_sse(url: str, rounds: int, events: int) -> dict[str, Any]:
    """Events per second through each client, for each framing the server offers.

    The server (``benchmarks/serve.py``) sends ``events`` text deltas between
    the usual opening and closing events, either one HTTP chunk per event
    (``per-event``, how the API sends a live stream) or in 64 KiB chunks
    (``64k``, so that the client's decoding rather than the chunked transfer
    decides the rate). ``raw_lines`` reads the same response with
    ``httpx.Response.iter_lines()`` and counts ``data:`` lines: no decoding
    into events and no parsing, the floor. ``raw_bytes`` only counts ``data:``
    in what ``iter_bytes()`` yields: what httpx's transport alone costs, the
    ceiling of any client built on httpx (with one chunk per event, each event
    pays for one chunk of h11 parsing and generator hand-offs).

    ``ours_helper`` and ``official_helper`` read the same stream through
    ``messages.stream()``, which accumulates the message and yields the
    helper's own events besides the API's (a ``text`` event after each text
    delta, ``content_block_stop`` with its block, ``message_stop`` with the
    message). Their events/s count those extra events too, so they are compared
    by ``stream_s``, the median seconds per whole stream, with the plain
    ``create(stream=True)`` of the same SDK.
    """
    ours = anthropic_messages.Anthropic(api_key="bench", base_url=url, max_retries=0)
    theirs = anthropic.Anthropic(api_key="bench", base_url=url, max_retries=0)
    raw = httpx.Client()
    out: dict[str, Any] = {"events_requested": events, "rounds": rounds, "framings": {}}
    try:
        for framing in ("per-event", "64k"):
            headers = {"x-bench-framing": framing, "x-bench-events": str(events)}

            def run_ours() -> int:
                count = 0
                stream = ours.messages.create(stream=True, extra_headers=headers, **REQUEST)
                for _ in stream:
                    count += 1
                return count

            def run_theirs() -> int:
                count = 0
                stream = theirs.messages.create(stream=True, extra_headers=headers, **REQUEST)
                for _ in stream:
                    count += 1
                return count

            def run_ours_helper() -> int:
                count = 0
                with ours.messages.stream(extra_headers=headers, **REQUEST) as stream:
                    for _ in stream:
                        count += 1
                return count

            def run_theirs_helper() -> int:
                count = 0
                with theirs.messages.stream(extra_headers=headers, **REQUEST) as stream:
                    for _ in stream:
                        count += 1
                return count

            def run_raw() -> int:
                count = 0
                with raw.stream(
                    "POST",
                    url + "/v1/messages",
                    json={**REQUEST, "stream": True},
                    headers={"x-api-key": "bench", **headers},
                ) as response:
                    for line in response.iter_lines():
                        if line.startswith("data:"):
                            count += 1
                return count

            def run_raw_bytes() -> int:
                count = 0
                with raw.stream(
                    "POST",
                    url + "/v1/messages",
                    json={**REQUEST, "stream": True},
                    headers={"x-api-key": "bench", **headers},
                ) as response:
                    tail = b"\n"  # every event starts a line; a 5-byte tail never holds the whole mark
                    for chunk in response.iter_bytes():
                        count += (tail + chunk).count(b"\ndata:")
                        tail = chunk[-5:]
                return count

            contenders = {
                "ours": run_ours,
                "official": run_theirs,
                "raw_lines": run_raw,
                "raw_bytes": run_raw_bytes,
                "ours_helper": run_ours_helper,
                "official_helper": run_theirs_helper,
            }
            counts = {name: fn() for name, fn in contenders.items()}  # warm-up, and a check
            rates: dict[str, list[float]] = {k: [] for k in contenders}
            seconds: dict[str, list[float]] = {k: [] for k in contenders}
            for _ in range(rounds):
                for name, fn in contenders.items():
                    gc.collect()
                    start = time.perf_counter()
                    n = fn()
                    elapsed = time.perf_counter() - start
                    rates[name].append(n / elapsed)
                    seconds[name].append(elapsed)
            out["framings"][framing] = {
                "events": counts,
                "events_per_s": {k: statistics.median(v) for k, v in rates.items()},
                "stream_s": {k: statistics.median(v) for k, v in seconds.items()},
                "samples": rates,
            }
    finally:
        ours.close()
        theirs.close()
        raw.close()
    return out


# ---------------------------------------------------------------- per call


def bench_calls(url: str, calls: int, block: int = 25) -> dict[str, Any]:
    """Median seconds per sequential non-streaming ``create()`` against the loopback server.

    ``raw_httpx`` is the floor: ``httpx.Client.post`` of the same JSON and
    ``json.loads`` of the reply. Calls alternate in blocks of ``block``.
    """
    ours = anthropic_messages.Anthropic(api_key="bench", base_url=url, max_retries=0)
    theirs = anthropic.Anthropic(api_key="bench", base_url=url, max_retries=0)
    raw = httpx.Client()
    contenders: dict[str, Callable[[], object]] = {
        "ours": lambda: ours.messages.create(**REQUEST),
        "official": lambda: theirs.messages.create(**REQUEST),
        "raw_httpx": lambda: json.loads(
            raw.post(url + "/v1/messages", json=REQUEST, headers={"x-api-key": "bench"}).content
        ),
    }
    samples: dict[str, list[float]] = {k: [] for k in contenders}
    try:
        for fn in contenders.values():
            for _ in range(10):  # connection set up, schemas built
                fn()
        for _ in range(max(1, calls // block)):
            for name, fn in contenders.items():
                for _ in range(block):
                    start = time.perf_counter()
                    fn()
                    samples[name].append(time.perf_counter() - start)
    finally:
        ours.close()
        theirs.close()
        raw.close()
    return {
        "calls_each": len(samples["ours"]),
        "median_us": {k: statistics.median(v) * 1e6 for k, v in samples.items()},
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("parse")
    p.add_argument("examples", type=Path)
    p.add_argument("--rounds", type=int, default=15)
    s = sub.add_parser("sse")
    s.add_argument("url")
    s.add_argument("--events", type=int, default=5000)
    s.add_argument("--rounds", type=int, default=7)
    c = sub.add_parser("calls")
    c.add_argument("url")
    c.add_argument("--calls", type=int, default=500)
    args = parser.parse_args(argv)
    if args.what == "parse":
        result = bench_parse(args.examples, args.rounds)
    elif args.what == "sse":
        result = bench_sse(args.url, args.rounds, args.events)
    else:
        result = bench_calls(args.url, args.calls)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
