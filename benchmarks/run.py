"""Benchmarks: messages-codegen against openapi-python-client, and the generated client
against the official ``anthropic`` SDK. Start it with ``bash benchmarks/run`` (which
creates ``benchmarks/.venv-peers`` and runs this file with that venv's Python).

    bash benchmarks/run [--quick] [--skip SECTION ...] [--only SECTION ...]
                        [--client-part import|parse|sse|calls ...] [--no-readme]

A full run writes ``benchmarks/results.json`` (every figure, with raw samples) and
rewrites the results section of ``benchmarks/README.md``; a run that leaves anything
out (``--quick``, ``--skip``, ``--only``, ``--client-part``) writes under
``benchmarks/out/`` only, so that it never replaces a full run's record. Scratch
output goes to ``benchmarks/out/``.

How things are measured:

- every generator run is a new process (cold: nothing imported, nothing cached), timed
  from spawn to exit; ours and theirs alternate run by run (ABBA order), medians reported;
- peak memory is polled every 50 ms over the whole process tree (our black runs large
  batches in a ProcessPoolExecutor): the sum of PSS (shared pages divided among the
  processes that share them, so forked workers are not counted twice) and the sum of
  RSS; and the exact ``ru_maxrss`` from ``wait4`` (the largest single process of the
  tree, children included, which is what ``RUSAGE_CHILDREN`` and ``/usr/bin/time -v``
  report: it is a maximum over processes, never a sum);
- the client benchmarks run in the peers venv, so both clients use the same httpx and
  pydantic; see ``client_bench.py``.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable

import psutil
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
OURS_PY = ROOT / ".venv" / "bin" / "python"
OURS_CLI = ROOT / ".venv" / "bin" / "messages-codegen"
PEERS_BIN = Path(sys.executable).parent
OPC_CLI = PEERS_BIN / "openapi-python-client"
OPC_CONFIG = HERE / "opc-config.yaml"
BUNDLED = Path("spec/messages.yaml")  # relative: ours records the spec's path as given
# The team's shared data, beside the clone (as CI lays it out); skipped when absent.
STRIPE = ROOT.parent / "shared" / "specs" / "stripe-2023-09-12.yaml"
README = HERE / "README.md"
RESULTS = HERE / "results.json"
SCALING_SIZES = (10, 100, 1000)

sys.path.insert(0, str(HERE))
from synth import write_spec  # noqa: E402


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


# ---------------------------------------------------------------- measuring a process


class TreeSampler(threading.Thread):
    """Polls the memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_pss_kb = 0
        self.peak_rss_kb = 0
        self.peak_processes = 0
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            pids = [self.pid] + [c.pid for c in root.children(recursive=True)]
        except psutil.Error:
            return
        rss = pss = 0
        for pid in pids:
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            for line in text.splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        self.samples += 1
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self.peak_processes = max(self.peak_processes, len(pids))

    def stop(self) -> None:
        self._halt.set()
        self.join()


def measure(cmd: list[str], *, logfile: Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` to completion: wall time, exit status, memory of its process tree."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    with open(logfile, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    return {
        "wall_s": wall,
        "exit": proc.returncode,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024,
        "tree_pss_peak_mb": sampler.peak_pss_kb / 1024,
        "tree_rss_peak_mb": sampler.peak_rss_kb / 1024,
        "processes_peak": sampler.peak_processes,
        "memory_samples": sampler.samples,
    }


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r["exit"] == 0] or runs
    keys = ("wall_s", "cpu_s", "maxrss_mb", "tree_pss_peak_mb", "tree_rss_peak_mb")
    summary: dict[str, Any] = {f"median_{k}": median(r[k] for r in ok) for k in keys}
    written = [r["written"] for r in ok if "written" in r]
    if written:
        summary["median_files_written"] = median(written)
    summary["runs"] = len(runs)
    summary["failed_runs"] = sum(1 for r in runs if r["exit"] != 0)
    summary["samples"] = runs
    return summary


def resummarize(node: Any) -> Any:
    """Medians recomputed from the recorded samples (for --table-only after a harness change)."""
    if isinstance(node, dict):
        samples = node.get("samples")
        if isinstance(samples, list) and samples and isinstance(samples[0], dict) and "wall_s" in samples[0]:
            return {**node, **summarize(samples)}
        return {k: resummarize(v) for k, v in node.items()}
    return node


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def peers_env() -> dict[str, str]:
    env = dict(os.environ)
    # openapi-python-client runs ruff (its post hooks) from PATH; without it the
    # hooks are skipped with a warning and it would do less work than usual.
    env["PATH"] = f"{PEERS_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_ours(spec: Path, out: Path, tag: str, *extra: str) -> dict[str, Any]:
    cmd = [str(OURS_CLI), "generate", "--spec", str(spec), "--out", str(out), *extra]
    result = measure(cmd, logfile=OUT / "logs" / f"{tag}.log")
    text = (OUT / "logs" / f"{tag}.log").read_text(errors="replace")
    match = re.search(r"(\d+) written, (\d+) unchanged, (\d+) removed", text)
    if match:
        result["written"] = int(match.group(1))
    if result["exit"] != 0 and "--check" not in extra:
        result["error_tail"] = text[-2000:]
    return result


def run_opc(spec: Path, out: Path, tag: str) -> dict[str, Any]:
    cmd = [
        str(OPC_CLI), "generate", "--path", str(spec), "--output-path", str(out),
        "--overwrite", "--meta", "none", "--config", str(OPC_CONFIG),
    ]
    return measure(cmd, logfile=OUT / "logs" / f"{tag}.log", env=peers_env())


# ---------------------------------------------------------------- counting operations


def spec_operations(spec: Path) -> int:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load((ROOT / spec).read_text(encoding="utf-8"), Loader=loader)
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    count = 0
    for item in data.get("paths", {}).values():
        ref = item.get("$ref") if isinstance(item, dict) else None
        if isinstance(ref, str) and not ref.startswith("#"):
            # A spec split over files: the path item is written in another one.
            item = yaml.load((ROOT / spec).parent.joinpath(ref).read_text(encoding="utf-8"), Loader=loader)
        count += sum(1 for m in item if m in methods)
    return count


def ours_methods(out: Path) -> int:
    """Public methods of the synchronous resource classes of our output (overloads once)."""
    return len(ours_method_names(out))


def ours_method_names(out: Path) -> list[str]:
    found: list[str] = []
    for path in out.glob("*/resources/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            if not any(getattr(b, "id", None) == "SyncAPIResource" for b in node.bases):
                continue
            names = {
                f.name for f in node.body
                if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")
                and f.name != "with_raw_response"
                and not any(getattr(d, "id", None) == "cached_property" for d in f.decorator_list)
            }
            found += [f"{node.name}.{name}" for name in sorted(names)]
    return sorted(found)


def opc_operations(out: Path, logfile: Path) -> dict[str, int]:
    """Endpoint modules openapi-python-client wrote, and what its log says it dropped."""
    modules = [p for p in out.glob("api/*/*.py") if p.name != "__init__.py"]
    text = logfile.read_text(errors="replace")
    return {
        "endpoints_generated": len(modules),
        "endpoints_skipped": text.count("Endpoint will not be generated"),
        "warnings": len(re.findall(r"^WARNING", text, flags=re.M)),
    }


# ---------------------------------------------------------------- the one-field edit


def edit_target(spec_text: str) -> str:
    """A single-line ``description:`` that occurs once, preferably Usage.output_tokens."""
    data = yaml.safe_load(spec_text)
    schemas = data.get("components", {}).get("schemas", {})
    order = ["Usage"] + [name for name in schemas if name != "Usage"]
    for name in order:
        for prop in (schemas.get(name) or {}).get("properties", {}).values():
            text = prop.get("description") if isinstance(prop, dict) else None
            if isinstance(text, str) and "\n" not in text:
                line = re.compile(rf"^(\s+)description: {re.escape(text)}$", re.M)
                if len(line.findall(spec_text)) == 1:
                    return text
    raise RuntimeError("no single-line property description to edit")


def apply_edit(spec_text: str, target: str, k: int) -> str:
    return re.sub(
        rf"^(\s+)description: {re.escape(target)}$",
        lambda m: f"{m.group(1)}description: {target} (benchmark edit {k})",
        spec_text, count=1, flags=re.M,
    )


# ---------------------------------------------------------------- sections


def section_bundled(reps: int) -> dict[str, Any]:
    """Cold generation, --check, unchanged regeneration and a one-field edit, interleaved."""
    base = OUT / "gen" / "ours-bundled-base"
    fresh_dir(base)
    edit_dir = fresh_dir(OUT / "edit")
    edit_spec = edit_dir / "messages.yaml"
    original = (ROOT / BUNDLED).read_text(encoding="utf-8")
    edit_spec.write_text(original, encoding="utf-8")
    target = edit_target(original)
    edit_out = edit_dir / "gen"
    setup = [
        run_ours(BUNDLED, base, "bundled-setup-base"),
        run_ours(edit_spec.relative_to(ROOT), fresh_dir(edit_out), "bundled-setup-edit"),
    ]
    for r in setup:
        if r["exit"] != 0:
            raise RuntimeError(f"our generator failed on the bundled spec:\n{r.get('error_tail', '')}")
    runs: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("ours_cold", "opc_cold", "ours_check", "ours_unchanged", "ours_edit")
    }
    steps: list[tuple[str, Callable[[int], dict[str, Any]]]] = [
        ("ours_cold", lambda i: run_ours(BUNDLED, fresh_dir(OUT / "gen" / "ours-bundled"), f"bundled-ours-cold-{i}")),
        ("opc_cold", lambda i: run_opc(BUNDLED, fresh_dir(OUT / "gen" / "opc-bundled"), f"bundled-opc-cold-{i}")),
        ("ours_check", lambda i: run_ours(BUNDLED, base, f"bundled-ours-check-{i}", "--check")),
        ("ours_unchanged", lambda i: run_ours(BUNDLED, base, f"bundled-ours-unchanged-{i}")),
        ("ours_edit", lambda i: _edit_run(edit_spec, edit_out, original, target, i)),
    ]
    for i in range(reps):
        order = steps if i % 2 == 0 else list(reversed(steps))
        for name, step in order:
            runs[name].append(step(i))
        log(f"bundled rep {i + 1}/{reps}: " + ", ".join(f"{k} {v[-1]['wall_s']:.2f}s" for k, v in runs.items()))
    result = {k: summarize(v) for k, v in runs.items()}
    result["ours_edit"]["edited_description"] = target
    result["operations"] = {
        "spec": spec_operations(BUNDLED),
        "ours_methods": ours_methods(OUT / "gen" / "ours-bundled"),
        "ours_method_names": ours_method_names(OUT / "gen" / "ours-bundled"),
        "opc": opc_operations(OUT / "gen" / "opc-bundled", OUT / "logs" / f"bundled-opc-cold-{reps - 1}.log"),
    }
    return result


def _edit_run(spec: Path, out: Path, original: str, target: str, i: int) -> dict[str, Any]:
    spec.write_text(apply_edit(original, target, i), encoding="utf-8")
    return run_ours(spec.relative_to(ROOT), out, f"bundled-ours-edit-{i}")


def section_stripe(reps: int) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"ours_cold": [], "opc_cold": []}
    for i in range(reps):
        pair = [
            ("ours_cold", lambda: run_ours(STRIPE, fresh_dir(OUT / "gen" / "ours-stripe"), f"stripe-ours-{i}")),
            ("opc_cold", lambda: run_opc(STRIPE, fresh_dir(OUT / "gen" / "opc-stripe"), f"stripe-opc-{i}")),
        ]
        for name, step in pair if i % 2 == 0 else reversed(pair):
            runs[name].append(step())
            log(f"stripe rep {i + 1}/{reps} {name}: {runs[name][-1]['wall_s']:.1f}s")
    result: dict[str, Any] = {k: summarize(v) for k, v in runs.items()}
    result["operations"] = {
        "spec": spec_operations(STRIPE),
        "ours_methods": ours_methods(OUT / "gen" / "ours-stripe"),
        "opc": opc_operations(OUT / "gen" / "opc-stripe", OUT / "logs" / f"stripe-opc-{reps - 1}.log"),
    }
    return result


def section_scaling(reps: int, sizes: tuple[int, ...]) -> dict[str, Any]:
    """Cold runs on synthetic specs, ours and openapi-python-client's interleaved."""
    result: dict[str, Any] = {}
    for n in sizes:
        spec = write_spec(n, OUT / "synth" / f"synth-{n}.yaml").relative_to(ROOT)
        runs: dict[str, list[dict[str, Any]]] = {"ours_cold": [], "opc_cold": []}
        for i in range(reps):
            pair = [
                ("ours_cold", lambda: run_ours(spec, fresh_dir(OUT / "gen" / f"ours-synth-{n}"), f"synth-{n}-ours-{i}")),
                ("opc_cold", lambda: run_opc(spec, fresh_dir(OUT / "gen" / f"opc-synth-{n}"), f"synth-{n}-opc-{i}")),
            ]
            for name, step in pair if i % 2 == 0 else reversed(pair):
                runs[name].append(step())
        entry: dict[str, Any] = {k: summarize(v) for k, v in runs.items()}
        for k in runs:
            entry[k]["median_ms_per_schema"] = entry[k]["median_wall_s"] / n * 1000
        entry["operations"] = {
            "spec": spec_operations(spec),
            "ours_methods": ours_methods(OUT / "gen" / f"ours-synth-{n}"),
            "opc": opc_operations(OUT / "gen" / f"opc-synth-{n}", OUT / "logs" / f"synth-{n}-opc-{i}.log"),
        }
        result[str(n)] = entry
        log(f"synthetic {n}: ours {entry['ours_cold']['median_wall_s']:.2f}s, opc {entry['opc_cold']['median_wall_s']:.2f}s")
    if len(sizes) >= 2:
        lo, hi = str(sizes[-2]), str(sizes[-1])
        for k in ("ours_cold", "opc_cold"):
            span = result[hi][k]["median_wall_s"] - result[lo][k]["median_wall_s"]
            result[f"marginal_ms_per_schema_{k}"] = span / (sizes[-1] - sizes[-2]) * 1000
    return result


def stage_breakdown(spec: Path, out: Path, *extra: str) -> dict[str, Any]:
    proc = subprocess.run(
        [str(OURS_PY), str(HERE / "stages.py"), str(spec), str(out), *extra],
        cwd=ROOT, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def section_profile(with_stripe: bool) -> dict[str, Any]:
    """Where our time goes: per-stage seconds, import costs, cProfile tops (saved under out/)."""
    prof_dir = fresh_dir(OUT / "profiles")
    result: dict[str, Any] = {}
    cold = fresh_dir(OUT / "gen" / "stages-bundled")
    cold.rmdir()
    result["stages_bundled_cold"] = stage_breakdown(BUNDLED, cold)
    result["stages_bundled_check"] = stage_breakdown(BUNDLED, cold, "--check")
    if with_stripe:
        stripe_out = fresh_dir(OUT / "gen" / "stages-stripe")
        stripe_out.rmdir()
        result["stages_stripe_cold"] = stage_breakdown(STRIPE, stripe_out)
    # Import time of the generator and its dependencies, by top-level package.
    proc = subprocess.run(
        [str(OURS_PY), "-X", "importtime", "-c",
         "import generator.cli, generator.pipeline, generator.validate"],
        cwd=ROOT, capture_output=True, text=True,
    )
    result["generator_imports_self_ms"] = self_time_by_package(proc.stderr, 12)
    wall = []
    for _ in range(5):
        timed = subprocess.run(
            [str(OURS_PY), "-c", "import time; t = time.perf_counter(); "
             "import generator.cli, generator.pipeline, generator.validate; "
             "print(time.perf_counter() - t)"],
            cwd=ROOT, capture_output=True, text=True,
        )
        wall.append(float(timed.stdout.strip() or "nan") * 1000)
    result["generator_imports_wall_ms"] = median(wall)
    # cProfile of a cold run and a --check run, top 30 by cumulative time, as text.
    for name, extra in (("cold", ()), ("check", ("--check",))):
        target = OUT / "gen" / "profile-bundled"
        if name == "cold":
            fresh_dir(target).rmdir()
        stats = prof_dir / f"generate-{name}.prof"
        subprocess.run(
            [str(OURS_PY), "-m", "cProfile", "-o", str(stats), "-m", "generator", "generate",
             "--spec", str(BUNDLED), "--out", str(target), *extra],
            cwd=ROOT, capture_output=True,
        )
        subprocess.run(
            [str(OURS_PY), "-c",
             "import pstats, sys; pstats.Stats(sys.argv[1], stream=open(sys.argv[2], 'w'))"
             ".sort_stats('cumulative').print_stats(40)",
             str(stats), str(prof_dir / f"generate-{name}.txt")],
            cwd=ROOT,
        )
    result["profiles_dir"] = str(prof_dir.relative_to(ROOT))
    return result


def top_level_imports(importtime_stderr: str, top: int) -> dict[str, float]:
    """Cumulative import milliseconds of each top-level package imported at depth 1."""
    totals: dict[str, float] = {}
    for line in importtime_stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(3)) == 1:
            name = match.group(4).split(".")[0]
            totals[name] = totals.get(name, 0.0) + int(match.group(2)) / 1000
    return dict(sorted(totals.items(), key=lambda kv: -kv[1])[:top])


def self_time_by_package(importtime_stderr: str, top: int) -> dict[str, float]:
    """Milliseconds spent importing each top-level package's own modules (self time)."""
    totals: dict[str, float] = {}
    for line in importtime_stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            name = match.group(4).split(".")[0]
            totals[name] = totals.get(name, 0.0) + int(match.group(1)) / 1000
    return dict(sorted(totals.items(), key=lambda kv: -kv[1])[:top])


def self_time_by_owner(importtime_stderr: str, own_prefix: str) -> dict[str, float]:
    own = other = 0.0
    for line in importtime_stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            ms = int(match.group(1)) / 1000
            if match.group(4).startswith(own_prefix):
                own += ms
            else:
                other += ms
    return {"own_modules_ms": own, "everything_else_ms": other}


# The package is lazy (PEP 562): ``import anthropic_messages`` alone loads almost
# nothing, so what a program pays before its first call is the import of the
# client. Both forms are measured for both SDKs; the target is judged on the
# client import (``IMPORT_TARGET``).
IMPORT_SNIPPETS = {
    "ours_client": "from anthropic_messages import Anthropic",
    "official_client": "from anthropic import Anthropic",
    "ours_package": "import anthropic_messages",
    "official_package": "import anthropic",
    "floor_httpx_pydantic": "import httpx\nfrom pydantic import BaseModel",
}
IMPORT_TARGET = ("ours_client", "official_client")


def section_imports(reps: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "generated"))
    def once(snippet: str) -> float:
        code = (
            "import time\nt = time.perf_counter()\n" + snippet
            + "\nprint(time.perf_counter() - t)"
        )
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return float(proc.stdout.strip())
    for snippet in IMPORT_SNIPPETS.values():  # bytecode caches written, files in page cache
        once(snippet)
    samples: dict[str, list[float]] = {k: [] for k in IMPORT_SNIPPETS}
    for i in range(reps):
        items = list(IMPORT_SNIPPETS.items())
        for name, snippet in items if i % 2 == 0 else reversed(items):
            samples[name].append(once(snippet) * 1000)
    result: dict[str, Any] = {
        "median_ms": {k: median(v) for k, v in samples.items()},
        "samples_ms": samples,
        "runs": reps,
    }
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORT_SNIPPETS["ours_client"]],
                          env=env, capture_output=True, text=True)
    result["ours_importtime_self"] = self_time_by_owner(proc.stderr, "anthropic_messages")
    result["ours_importtime_top"] = top_level_imports(proc.stderr, 8)
    return result


def extract_examples(path: Path) -> Path:
    """The spec's JSON response examples with the schema each should parse into."""
    data = yaml.safe_load((ROOT / BUNDLED).read_text(encoding="utf-8"))
    found: list[dict[str, str]] = []

    def collect(where: str, media: dict[str, Any]) -> None:
        ref = media.get("schema", {}).get("$ref", "")
        schema = ref.rsplit("/", 1)[-1]
        for name, ex in (media.get("examples") or {}).items():
            if "value" in ex:
                found.append({"name": f"{where}:{name}", "schema": schema, "body": json.dumps(ex["value"])})

    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                for status, resp in op.get("responses", {}).items():
                    media = resp.get("content", {}).get("application/json")
                    if media:
                        collect(status, media)
    for name, resp in data.get("components", {}).get("responses", {}).items():
        media = resp.get("content", {}).get("application/json")
        if media:
            collect(name, media)
    found = [f for f in found if f["schema"] in ("Message", "ErrorResponse")]
    path.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return path


def client_bench(*args: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(HERE / "client_bench.py"), *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"client_bench {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


CLIENT_PARTS = ("import", "parse", "sse", "calls")


def section_client(quick: bool, parts: Iterable[str] = CLIENT_PARTS) -> dict[str, Any]:
    parts = set(parts)
    result: dict[str, Any] = {}
    if "import" in parts:
        log("client: import times")
        result["import"] = section_imports(6 if quick else 15)
    if "parse" in parts:
        log("client: parsing")
        examples = extract_examples(OUT / "examples.json")
        result["parse"] = client_bench("parse", str(examples), "--rounds", "5" if quick else "15")
    if not parts & {"sse", "calls"}:
        return result
    log("client: loopback server")
    server = subprocess.Popen([str(OURS_PY), str(HERE / "serve.py")], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"server did not start: {url!r}")
        if "sse" in parts:
            log(f"client: SSE over {url}")
            result["sse"] = client_bench("sse", url, "--events", "5000", "--rounds", "3" if quick else "7")
        if "calls" in parts:
            log("client: per-call overhead")
            result["calls"] = client_bench("calls", url, "--calls", "100" if quick else "500")
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return result


# ---------------------------------------------------------------- machine and versions


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    total = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.M)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else platform.processor(),
        "memory_gb": round(int(total.group(1)) / 1024 / 1024, 1) if total else None,
        "kernel": platform.release(),
        "loadavg_at_start": os.getloadavg(),
    }


def versions() -> dict[str, Any]:
    def pkg(python: Path, name: str) -> str | None:
        proc = subprocess.run([str(python), "-c", f"import importlib.metadata as m; print(m.version({name!r}))"],
                              capture_output=True, text=True)
        return proc.stdout.strip() or None
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: E731
    dirty = [line for line in git("status", "--porcelain").splitlines() if not line[3:].startswith("benchmarks/")]
    ruff = subprocess.run([str(PEERS_BIN / "ruff"), "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "python": platform.python_version(),
        "messages_codegen": pkg(OURS_PY, "messages-codegen"),
        "black": pkg(OURS_PY, "black"),
        "openapi_python_client": pkg(Path(sys.executable), "openapi-python-client"),
        "ruff": ruff,
        "anthropic": pkg(Path(sys.executable), "anthropic"),
        "httpx": pkg(Path(sys.executable), "httpx"),
        "pydantic": pkg(Path(sys.executable), "pydantic"),
        "pydantic_core": pkg(Path(sys.executable), "pydantic-core"),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty_files_outside_benchmarks": len(dirty),
    }


# ---------------------------------------------------------------- targets and the table


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def dig(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(name: str, value: float | None, op: str, bound: float, unit: str = "x") -> None:
        met = None if value is None else (value <= bound if op == "<=" else value >= bound)
        out.append({"target": name, "value": value, "bound": f"{op} {bound}{unit}", "met": met})

    b = r.get("bundled", {})
    opc_cold = dig(b, "opc_cold", "median_wall_s")
    add("cold generate, bundled spec / opc cold", ratio(dig(b, "ours_cold", "median_wall_s"), opc_cold), "<=", 1.0)
    add("generate --check / opc cold", ratio(dig(b, "ours_check", "median_wall_s"), opc_cold), "<=", 0.33)
    add("regenerate, nothing changed / opc cold", ratio(dig(b, "ours_unchanged", "median_wall_s"), opc_cold), "<=", 0.33)
    add("regenerate after one-field edit / opc cold", ratio(dig(b, "ours_edit", "median_wall_s"), opc_cold), "<=", 0.5)
    s = r.get("stripe", {})
    if s:
        ops = dig(s, "operations")
        out.append({
            "target": "Stripe: every operation generated",
            "value": f"{ops['ours_methods']}/{ops['spec']}", "bound": "all", "met": ops["ours_methods"] >= ops["spec"],
        })
        add("Stripe wall time / opc", ratio(dig(s, "ours_cold", "median_wall_s"), dig(s, "opc_cold", "median_wall_s")), "<=", 0.5)
        add("Stripe peak memory (tree PSS) / opc", ratio(dig(s, "ours_cold", "median_tree_pss_peak_mb"), dig(s, "opc_cold", "median_tree_pss_peak_mb")), "<=", 0.5)
    c = r.get("client", {})
    if c:
        p = dig(c, "parse", "mean_us", "all") or {}
        add("parsing: official SDK path / ours (speed-up)", ratio(p.get("official"), p.get("ours")), ">=", 10.0)
        add("parsing: ours / json.loads", ratio(p.get("ours"), p.get("json_loads")), "<=", 2.0)
        examples = dig(c, "parse", "examples") or []
        if examples:  # the speed-up means something only if both parsed the same thing
            same = sum(1 for e in examples if e.get("same_dump"))
            if same < len(examples):
                out[-2]["met"] = False
            out.append({"target": "parsing: both SDKs' results dump the same", "value": f"{same}/{len(examples)}",
                        "bound": "all", "met": same == len(examples)})
        for framing, f in (dig(c, "sse", "framings") or {}).items():
            e = f["events_per_s"]
            add(f"SSE ({framing} chunks): ours / official events/s", ratio(e["ours"], e["official"]), ">=", 3.0)
            add(f"SSE ({framing} chunks): ours / raw iter_lines", ratio(e["ours"], e["raw_lines"]), ">=", 0.5)
            if framing == "per-event" and "raw_bytes" in e:
                # httpx's own iter_bytes() is the ceiling of any client built on it.
                add("SSE (per-event chunks): ours / httpx iter_bytes events/s",
                    ratio(e["ours"], e["raw_bytes"]), ">=", 0.8)
            t = f.get("stream_s") or {}
            if "ours_helper" in t:
                add(f"SSE ({framing} chunks): messages.stream() / create(stream=True), seconds per stream",
                    ratio(t["ours_helper"], t["ours"]), "<=", 1.2)
        m = dig(c, "import", "median_ms") or {}
        if "ours_client" in m:
            add("from anthropic_messages import Anthropic / from anthropic import Anthropic",
                ratio(m["ours_client"], m["official_client"]), "<=", 0.25)
        elif m:  # results from before the lazy package measured the plain import only
            add("import anthropic_messages / import anthropic", ratio(m.get("ours"), m.get("official")), "<=", 0.25)
    return out


def fmt_num(x: Any, digits: int = 2) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def table(r: dict[str, Any]) -> str:
    m, v = r["machine"], r["versions"]
    lines = [
        f"Run of {r['date']} on {m['nproc']} x {m['cpu_model']}, {m['memory_gb']} GB "
        f"(load average at start {', '.join(f'{x:.2f}' for x in m['loadavg_at_start'])}); "
        f"Python {v['python']}; messages-codegen {v['messages_codegen']} at {v['git_commit']}"
        f"{' + uncommitted changes in ' + str(v['git_dirty_files_outside_benchmarks']) + ' files' if v['git_dirty_files_outside_benchmarks'] else ''}"
        f" with black {v['black']}; openapi-python-client {v['openapi_python_client']} ({v['ruff']}); "
        f"anthropic {v['anthropic']}; httpx {v['httpx']}; pydantic {v['pydantic']}. "
        f"Total benchmark time {r['elapsed_s'] / 60:.1f} min.",
        "",
        "### Targets",
        "",
        "| target | measured | bound | met |",
        "|---|---|---|---|",
    ]
    for t in r["targets"]:
        met = {True: "met", False: "**missed**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {fmt_num(t['value'])} | {t['bound']} | {met} |")
    b = r.get("bundled")
    if b:
        lines += [
            "",
            f"### Generator, bundled spec (`spec/messages.yaml`), {b['ours_cold']['runs']} interleaved runs, medians",
            "",
            "| run | wall s | CPU s | peak tree PSS MB | peak tree RSS MB | max single-process RSS MB | files written |",
            "|---|---|---|---|---|---|---|",
        ]
        for key, label in (
            ("ours_cold", "ours, cold into an empty directory"),
            ("opc_cold", "openapi-python-client, cold"),
            ("ours_check", "ours, `generate --check` (up to date)"),
            ("ours_unchanged", "ours, regenerate, nothing changed"),
            ("ours_edit", "ours, regenerate after a one-description edit"),
        ):
            e = b[key]
            lines.append(
                f"| {label} | {fmt_num(e['median_wall_s'])} | {fmt_num(e['median_cpu_s'])} | "
                f"{fmt_num(e['median_tree_pss_peak_mb'], 0)} | {fmt_num(e['median_tree_rss_peak_mb'], 0)} | "
                f"{fmt_num(e['median_maxrss_mb'], 0)} | {fmt_num(e.get('median_files_written'), 0) if 'median_files_written' in e else ''} |"
            )
        ops = b["operations"]
        lines.append("")
        lines.append(
            f"Operations: the spec has {ops['spec']} (plus its beta variant); ours generates "
            f"{ops['ours_methods']} methods ({', '.join(ops.get('ours_method_names', [])) or 'see results.json'}: "
            f"`create` and the `stream` helper, plain and beta); openapi-python-client generates "
            f"{ops['opc']['endpoints_generated']} endpoint modules and skips {ops['opc']['endpoints_skipped']} "
            f"({ops['opc']['warnings']} warnings)."
        )
    s = r.get("stripe")
    if s:
        o, t = s["ours_cold"], s["opc_cold"]
        ops = s["operations"]
        lines += [
            "",
            f"### Generator, Stripe spec (`stripe-2023-09-12.yaml`, 4.2 MB), {o['runs']} interleaved runs each, medians",
            "",
            "| | wall s | CPU s | peak tree PSS MB | peak tree RSS MB | max single-process RSS MB | operations |",
            "|---|---|---|---|---|---|---|",
            f"| ours | {fmt_num(o['median_wall_s'], 1)} | {fmt_num(o['median_cpu_s'], 1)} | {fmt_num(o['median_tree_pss_peak_mb'], 0)} | {fmt_num(o['median_tree_rss_peak_mb'], 0)} | {fmt_num(o['median_maxrss_mb'], 0)} | {ops['ours_methods']} of {ops['spec']} |",
            f"| openapi-python-client | {fmt_num(t['median_wall_s'], 1)} | {fmt_num(t['median_cpu_s'], 1)} | {fmt_num(t['median_tree_pss_peak_mb'], 0)} | {fmt_num(t['median_tree_rss_peak_mb'], 0)} | {fmt_num(t['median_maxrss_mb'], 0)} | {ops['opc']['endpoints_generated']} of {ops['spec']} ({ops['opc']['endpoints_skipped']} skipped with a warning) |",
            f"| ratio | {fmt_num(ratio(o['median_wall_s'], t['median_wall_s']))} | {fmt_num(ratio(o['median_cpu_s'], t['median_cpu_s']))} | {fmt_num(ratio(o['median_tree_pss_peak_mb'], t['median_tree_pss_peak_mb']))} | {fmt_num(ratio(o['median_tree_rss_peak_mb'], t['median_tree_rss_peak_mb']))} | {fmt_num(ratio(o['median_maxrss_mb'], t['median_maxrss_mb']))} | |",
        ]
    sc = r.get("scaling")
    if sc:
        lines += [
            "",
            "### Scaling: synthetic specs (`benchmarks/synth.py`; N schemas, N/5 operations), medians",
            "",
            "| schemas | ours s | ours ms/schema | opc s | opc ms/schema | ours / opc | ours peak PSS MB | opc peak PSS MB |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for n in SCALING_SIZES:
            e = sc.get(str(n))
            if not e:
                continue
            o, t = e["ours_cold"], e["opc_cold"]
            lines.append(
                f"| {n:,} | {fmt_num(o['median_wall_s'])} | {fmt_num(o['median_ms_per_schema'], 1)} | "
                f"{fmt_num(t['median_wall_s'])} | {fmt_num(t['median_ms_per_schema'], 1)} | "
                f"{fmt_num(ratio(o['median_wall_s'], t['median_wall_s']))} | "
                f"{fmt_num(o['median_tree_pss_peak_mb'], 0)} | {fmt_num(t['median_tree_pss_peak_mb'], 0)} |"
            )
        if "marginal_ms_per_schema_ours_cold" in sc:
            lines.append("")
            lines.append(
                f"Marginal cost per schema between the two largest sizes: ours "
                f"{fmt_num(sc['marginal_ms_per_schema_ours_cold'], 1)} ms, openapi-python-client "
                f"{fmt_num(sc['marginal_ms_per_schema_opc_cold'], 1)} ms."
            )
    c = r.get("client")
    if c:
        imp = dig(c, "import", "median_ms") or {}  # absent when a run leaves it out
        lines += [
            "",
            "### Generated client against the official SDK",
            "",
            "| measurement | ours | official `anthropic` | floor | ours / official | ours / floor |",
            "|---|---|---|---|---|---|",
        ]
        floor = imp.get("floor_httpx_pydantic")
        import_rows = (
            [("ours_client", "official_client", "`from ... import Anthropic` (the target)"),
             ("ours_package", "official_package", "`import ...` (ours is lazy: loads nothing yet)")]
            if "ours_client" in imp else [("ours", "official", "`import ...`")] if imp else []
        )
        for ours_key, their_key, what in import_rows:
            lines.append(
                f"| import, ms, {what} (fresh process, median of {c['import']['runs']}) | {fmt_num(imp[ours_key], 1)} | "
                f"{fmt_num(imp[their_key], 1)} | {fmt_num(floor, 1)} (`import httpx; from pydantic import BaseModel`) | "
                f"{fmt_num(ratio(imp[ours_key], imp[their_key]))} | {fmt_num(ratio(imp[ours_key], floor))} |"
            )
        for group, label in (("Message", "parse a `Message` example, µs"), ("ErrorResponse", "parse an error example, µs"), ("all", "parse, mean over all examples, µs")):
            p = dig(c, "parse", "mean_us", group)
            if p:
                lines.append(
                    f"| {label} | {fmt_num(p['ours'])} | {fmt_num(p['official'])} (strict path: {fmt_num(p['official_strict'])}) | "
                    f"{fmt_num(p['json_loads'])} (`json.loads`) | {fmt_num(ratio(p['ours'], p['official']))} | {fmt_num(ratio(p['ours'], p['json_loads']))} |"
                )
        for framing, f in (dig(c, "sse", "framings") or {}).items():
            e = f["events_per_s"]
            lines.append(
                f"| SSE, {c['sse']['events_requested']:,} text deltas, {framing} chunks, events/s | {fmt_num(e['ours'])} | {fmt_num(e['official'])} | "
                f"{fmt_num(e['raw_lines'])} (httpx `iter_lines`)"
                + (f"; {fmt_num(e['raw_bytes'])} (`iter_bytes` alone, {fmt_num(ratio(e['raw_bytes'], e['official']))}x official)" if "raw_bytes" in e else "")
                + f" | {fmt_num(ratio(e['ours'], e['official']))} | {fmt_num(ratio(e['ours'], e['raw_lines']))} |"
            )
            t = f.get("stream_s") or {}
            if "ours_helper" in t:
                lines.append(
                    f"| SSE, {framing} chunks, `messages.stream()` ms per stream (`create(stream=True)`: ours {fmt_num(t['ours'] * 1e3)}, official {fmt_num(t['official'] * 1e3)}) | "
                    f"{fmt_num(t['ours_helper'] * 1e3)} | {fmt_num(t['official_helper'] * 1e3)} | "
                    f"{fmt_num(t['raw_bytes'] * 1e3)} (`iter_bytes` alone) | {fmt_num(ratio(t['official_helper'], t['ours_helper']))}x faster | "
                    f"{fmt_num(ratio(t['ours_helper'], t['ours']))} of `create(stream=True)` |"
                )
        k = dig(c, "calls", "median_us")
        if k:
            lines.append(
                f"| `create()` per call, loopback, µs (median of {c['calls']['calls_each']}) | {fmt_num(k['ours'])} | {fmt_num(k['official'])} | "
                f"{fmt_num(k['raw_httpx'])} (httpx `post` + `json.loads`) | {fmt_num(ratio(k['ours'], k['official']))} | {fmt_num(ratio(k['ours'], k['raw_httpx']))} |"
            )
    p = r.get("profile")
    if p:
        lines += ["", "### Where our generator's time goes (one run each, `benchmarks/stages.py`), seconds", ""]
        lines += ["| run | " + " | ".join(STAGES) + " | statements laid out by black | whole files formatted by black |", "|---" * (len(STAGES) + 3) + "|"]
        for key, label in (("stages_bundled_cold", "bundled, cold"), ("stages_bundled_check", "bundled, --check, full path (`stages.py` bypasses the incremental shortcut)"), ("stages_stripe_cold", "Stripe, cold")):
            e = p.get(key)
            if e and "seconds" in e:
                secs = e["seconds"]
                lines.append(f"| {label} | " + " | ".join(fmt_num(secs.get(s), 3) for s in STAGES) + f" | {e.get('statements_by_black')} | {e.get('formatted_by_black', 0) + e.get('whole_files_by_black', 0)} |")
            elif e:
                lines.append(f"| {label} | failed: see results.json |" + " |" * (len(STAGES) + 1))
        imports = p.get("generator_imports_self_ms")
        if imports:
            lines.append("")
            lines.append(
                f"Importing the generator takes {fmt_num(p.get('generator_imports_wall_ms'), 0)} ms "
                "(median of 5 fresh processes); by package, in ms of `-X importtime` self time "
                "(which inflates every figure by roughly the same factor): "
                + ", ".join(f"{k} {v:.0f}" for k, v in imports.items()) + ".")
    return "\n".join(lines) + "\n"


# Section key in results -> its name for --skip and --only.
SECTIONS = {"bundled": "gen", "stripe": "stripe", "scaling": "scaling", "profile": "profile", "client": "client"}
# Rounds of the Stripe cold runs, ours and openapi-python-client's alternating. Each
# of theirs takes one to two and a half minutes on the machine of the README, ours a
# third of that. The median of three still absorbs one outlying round (the run of
# 2026-11-22 had one of five: ours 30 s against 17-20 s), and both targets are far
# from their bounds (0.36x time and 0.39x memory against 1.0x and 0.5x); the first
# three of those five rounds give 0.37x time, for four minutes less.
STRIPE_ROUNDS = 3
STAGES = ("imports", "load", "validate", "build", "render", "format", "write", "compare")


def update_readme(text: str) -> None:
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    readme = README.read_text(encoding="utf-8") if README.exists() else f"{start}\n{end}\n"
    if start not in readme:
        readme += f"\n{start}\n{end}\n"
    before, rest = readme.split(start, 1)
    _, after = rest.split(end, 1)
    README.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, no Stripe, no 1,000-schema spec")
    parser.add_argument("--skip", action="append", default=[], choices=list(SECTIONS.values()),
                        help="leave a section out (repeatable)")
    parser.add_argument("--only", action="append", default=[], choices=list(SECTIONS.values()),
                        help="run only this section (repeatable)")
    parser.add_argument("--client-part", action="append", default=[], choices=list(CLIENT_PARTS),
                        help="run only this part of the client section (repeatable)")
    parser.add_argument("--no-readme", action="store_true", help="leave benchmarks/README.md alone")
    parser.add_argument("--profile-stripe", action="store_true",
                        help="also break a Stripe generation down by stage (one more run of minutes)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the sections benchmarks/out/results-partial.json already has")
    parser.add_argument("--table-only", action="store_true",
                        help="measure nothing: redo the README table from benchmarks/results.json")
    args = parser.parse_args()
    if args.table_only:
        recorded = resummarize(json.loads(RESULTS.read_text(encoding="utf-8")))
        recorded["targets"] = targets(recorded)
        update_readme(table(recorded))
        return
    skip = set(args.skip) | ({"stripe"} if args.quick else set())
    if args.only:
        skip |= set(SECTIONS.values()) - set(args.only)
    # Anything left out by choice makes a partial record: it never replaces the
    # full run's results.json and README tables. (Stripe missing from the machine
    # is not a choice: the run is as full as it can be there.)
    partial_run = args.quick or bool(skip) or bool(args.client_part)
    if not STRIPE.is_file() and "stripe" not in skip:
        log(f"{STRIPE} not found: skipping the Stripe runs")
        skip.add("stripe")
    OUT.mkdir(exist_ok=True)
    # A wheel install compiles a package's bytecode (openapi-python-client's is);
    # our editable install would write it at first import, but not where
    # PYTHONDONTWRITEBYTECODE is set (as on these machines), and every run would
    # compile the generator again. Compile it once, as pip would have.
    subprocess.run([str(OURS_PY), "-m", "compileall", "-q", str(ROOT / "generator")],
                   check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "quick": args.quick,
        "left_out": sorted(skip) + [f"client:{p}" for p in CLIENT_PARTS
                                    if args.client_part and p not in args.client_part],
    }
    # Progress, for --resume; a partial run keeps its own, so that resuming a full
    # run never takes up a section that a partial one measured in part.
    partial = OUT / ("results-sections-partial.json" if partial_run else "results-partial.json")
    done: dict[str, Any] = {}
    if args.resume and partial.is_file():
        done = json.loads(partial.read_text(encoding="utf-8"))
        log(f"resuming: keeping {', '.join(k for k in SECTIONS if k in done)} from {partial.name}")
        results.update({k: done[k] for k in ("date", "machine", "versions") if k in done})
        started -= done.get("elapsed_s", 0.0)
    sections: dict[str, Callable[[], dict[str, Any]]] = {
        "bundled": lambda: section_bundled(3 if args.quick else 5),
        "stripe": lambda: section_stripe(STRIPE_ROUNDS),
        "scaling": lambda: section_scaling(
            2 if args.quick else 3, SCALING_SIZES[:2] if args.quick else SCALING_SIZES),
        "profile": lambda: section_profile(
            with_stripe=args.profile_stripe or ("stripe" not in skip and not args.quick)),
        "client": lambda: section_client(args.quick, args.client_part or CLIENT_PARTS),
    }
    for key, run_section in sections.items():
        if SECTIONS[key] in skip:
            continue
        if key in done:
            results[key] = done[key]
            continue
        log(f"section: {key}")
        try:
            results[key] = run_section()
        except Exception as exc:  # keep what the other sections measure
            log(f"section {key} failed: {type(exc).__name__}: {exc}")
            results.setdefault("errors", {})[key] = f"{type(exc).__name__}: {exc}"
        results["elapsed_s"] = time.perf_counter() - started
        partial.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    results["elapsed_s"] = time.perf_counter() - started
    results["targets"] = targets(results)
    # A quick or partial run is for trying things out: it never replaces the record.
    target = (OUT / "results-quick.json" if args.quick else OUT / "results-sections.json"
              if partial_run else RESULTS)
    target.write_text(json.dumps(results, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    text = table(results)
    print(text)
    if not args.no_readme and not partial_run:
        update_readme(text)
    log(f"done in {results['elapsed_s'] / 60:.1f} min; wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
