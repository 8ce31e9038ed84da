"""Costs that must grow with their input, not faster: each input grown tenfold.

Two inputs that once hung the generator: a chain of `$ref` aliases (validate
was quadratic in it, past 15 minutes at 3,000 links) and an enum with very many
values (black's cost grew faster than the line: 525 s at 100,000). Each is
timed at a size and at ten times that size, with the command users run, in a
fresh process and a fresh output folder; the report gives the ratio, which
should stay near 10 (startup, the same at both sizes, pulls it below).

    python benchmarks/growth.py [--small]     # --small: a tenth of each size
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "cases" / "enums" / "spec.yaml"


def chain_spec(n: int) -> str:
    """`Ticket.chain` refers to C0, C0 to C1, ... and C{n} is a string."""
    links = "".join(f"    C{i}:\n      $ref: '#/components/schemas/C{i + 1}'\n" for i in range(n))
    links += f"    C{n}:\n      type: string\n"
    text = BASE.read_text(encoding="utf-8").replace("  schemas:\n", "  schemas:\n" + links, 1)
    return text.replace(
        "        flags:\n", "        chain:\n          $ref: '#/components/schemas/C0'\n        flags:\n", 1
    )


def enum_spec(n: int) -> str:
    values = ", ".join(f"value_{i}" for i in range(n))
    return BASE.read_text(encoding="utf-8").replace(
        "enum: [low, normal, high]", f"enum: [low, normal, high, {values}]", 1
    )


def timed(args: list[str], cwd: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / "xdg")}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    # validate finds an over-long chain (E233, exit 1): the time to say so counts.
    if proc.returncode not in (0, 1) or (proc.returncode and args[0] != "validate"):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def measure(name: str, make: object, sizes: tuple[int, int], command: str) -> dict[str, object]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            spec = folder / f"{name}{n}.yaml"
            spec.write_text(make(n), encoding="utf-8")  # type: ignore[operator]
            args = ["validate", spec.name] if command == "validate" else [
                "generate", "--spec", spec.name, "--out", f"out{n}"]
            timed(["validate", "--help"], folder)  # warm the interpreter's file cache
            times.append(timed(args, folder))
    return {"input": name, "command": command, "sizes": list(sizes),
            "seconds": [round(t, 2) for t in times], "ratio": round(times[1] / times[0], 1)}


def main() -> None:
    scale = 10 if "--small" in sys.argv else 1
    results = [
        measure("ref_chain", chain_spec, (300 // scale, 3000 // scale), "validate"),
        # generate refuses chains past 100 links (E233); below that, it grows too.
        measure("ref_chain", chain_spec, (10 // scale or 1, 100 // scale), "generate"),
        measure("enum", enum_spec, (10_000 // scale, 100_000 // scale), "generate"),
    ]
    for r in results:
        print(f"{r['input']:>10} {r['command']:>9}: sizes {r['sizes']} -> seconds {r['seconds']}"
              f" (x{r['ratio']} for x10 input)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
