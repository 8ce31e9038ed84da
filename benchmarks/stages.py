"""Where a generation spends its time, stage by stage (run with the project venv).

    .venv/bin/python benchmarks/stages.py SPEC OUT [--check] [--targets package,stubs,docs]

Calls the same functions ``generator.pipeline.generate`` calls, in the same
order, with a clock around each, and prints one JSON object: seconds per stage
(imports, load, validate, build, render, format, write/compare) and file counts.
It never changes the generator; ``format`` is timed by wrapping
``generator.fmt.format_python`` (black over whole files) and
``generator.fmt.layout`` (our templates' output, with black only for its
over-long statements) for the duration of the run only. Black's worker
processes (large batches) are inside the ``format`` figure.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

T0 = time.perf_counter()


def main(argv: list[str]) -> dict[str, object]:
    spec, out = Path(argv[0]), Path(argv[1])
    check = "--check" in argv[2:]
    targets = argv[argv.index("--targets") + 1].split(",") if "--targets" in argv else None
    times: dict[str, float] = {}
    t = time.perf_counter()
    from generator import fmt, pipeline
    from generator.build import build_api
    from generator.loader import load_spec
    from generator.validate import validate_spec
    from generator.writer import compare_tree, read_tree, write_tree

    times["imports"] = time.perf_counter() - t

    rss: dict[str, float] = {"imports": _rss_mb()}

    def lap(name: str, start: float) -> float:
        now = time.perf_counter()
        times[name] = times.get(name, 0.0) + now - start
        rss[name] = _rss_mb()
        return now

    t = time.perf_counter()
    doc = load_spec(spec, pipeline.display_name(spec))
    t = lap("load", t)
    diagnostics = validate_spec(doc, build=False)  # the build is its own stage below
    t = lap("validate", t)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise SystemExit(f"{spec}: {len(errors)} errors, first: {errors[0]}")
    api = build_api(doc)
    t = lap("build", t)
    existing = read_tree(out)
    t = lap("read_tree", t)

    real_format, real_layout = fmt.format_python, fmt.layout
    formatted_count = 0

    def timed_format(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal formatted_count
        start = time.perf_counter()
        result = real_format(*args, **kwargs)
        formatted_count += len(result)
        times["format"] = times.get("format", 0.0) + time.perf_counter() - start
        return result

    def timed_layout(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = real_layout(*args, **kwargs)
        times["format"] = times.get("format", 0.0) + time.perf_counter() - start
        return result

    fmt.format_python, fmt.layout = timed_format, timed_layout
    try:
        start = time.perf_counter()
        if targets is None:
            files = pipeline.render_tree(api, existing)
        else:  # only where the pipeline has targets (package, stubs, docs)
            files = pipeline.render_tree(api, existing, None, targets)
        total = time.perf_counter() - start
    finally:
        fmt.format_python, fmt.layout = real_format, real_layout
    times["render"] = total - times.get("format", 0.0)
    rss["render+format"] = _rss_mb()
    t = time.perf_counter()
    if check:
        drift = compare_tree(files, existing)
        t = lap("compare", t)
        changed = len(drift.changed) + len(drift.missing) + len(drift.extra)
    else:
        written = write_tree(out, files, existing)
        t = lap("write", t)
        changed = len(written.written)
    return {
        "spec": spec.name,  # no machine path in the results
        "targets": targets or "default",
        "files": len(files),
        "files_by_top_dir": _by_top_dir(files),
        "formatted_by_black": formatted_count,
        # Over-long statements black laid out alone (``fmt.layout``).
        "statements_by_black": fmt.statements_formatted(),
        "whole_files_by_black": len(fmt.whole_files),
        "changed": changed,
        "operations": len(api.operations),
        "schemas": len(api.schemas),
        "seconds": {k: round(v, 4) for k, v in times.items()},
        # This process only (black's workers, if any, are not included), in MB.
        "rss_after_mb": {k: round(v, 1) for k, v in rss.items()},
        "peak_rss_mb": round(_rss_mb("VmHWM"), 1),
        "total_in_process": round(time.perf_counter() - T0, 4),
    }


def _rss_mb(field: str = "VmRSS") -> float:
    """This process's resident set (or, with VmHWM, its peak so far) in MB, from /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _by_top_dir(files: dict[str, bytes]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in files:
        top = path.split("/", 1)[0] if "/" in path else "."
        counts[top] = counts.get(top, 0) + 1
    return counts


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
