"""The public corpus (tests/corpus) through both generators: what each makes of real specs.

Run with the peers venv's Python (``bash benchmarks/run`` creates it):

    benchmarks/.venv-peers/bin/python benchmarks/corpus.py [--mypy] [--no-readme] [--rounds N] [NAME ...]

For each document: its operations; for ours (``generate`` without ``--strict``,
as a new user runs it) and openapi-python-client (its default settings plus
benchmarks/opc-config.yaml): exit status, operations generated (our methods,
its endpoint modules), whether every module imports, wall time (the median of
``--rounds`` runs, ours and theirs interleaved, as ``run.py`` does: one run of a
small document on a shared machine is mostly noise), and with ``--mypy`` the
number of ``mypy --strict`` errors. Results go to benchmarks/out/corpus.json and
the corpus section of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    OURS_PY,
    OUT,
    README,
    ROOT,
    fresh_dir,
    log,
    ours_methods,
    opc_operations,
    run_opc,
    run_ours,
    spec_operations,
)

CORPUS = ROOT / "tests" / "corpus"
START, END = "<!-- corpus:start -->", "<!-- corpus:end -->"
# Every module of a package, imported in a fresh interpreter.
IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "root = importlib.import_module(sys.argv[2])\n"
    "for m in pkgutil.walk_packages(root.__path__, root.__name__ + '.'):\n"
    "    importlib.import_module(m.name)\n"
)


def imports(root: Path, package: str, python: str) -> bool:
    proc = subprocess.run([python, "-c", IMPORT_ALL, str(root), package],
                          capture_output=True, text=True, cwd=root, timeout=600)
    return proc.returncode == 0


def mypy_errors(root: Path, package: str) -> int | None:
    proc = subprocess.run(
        # The project venv's mypy, over the packages this (peers) venv has installed.
        [str(OURS_PY), "-m", "mypy", "--strict", "--no-incremental",
         "--python-executable", sys.executable, "-p", package],
        capture_output=True, text=True, cwd=root, timeout=1800,
    )
    found = re.search(r"Found (\d+) errors?", proc.stdout)
    if found:
        return int(found.group(1))
    return 0 if proc.returncode == 0 else None


def package_dir(out: Path) -> str | None:
    found = sorted(p.parent.name for p in out.glob("*/__init__.py"))
    return found[0] if found else None


def timed_rounds(spec: Path, name: str, rounds: int) -> tuple[dict[str, Any], dict[str, Any], Path, Path]:
    """Each generator ``rounds`` times, interleaved, the order reversed every other round.

    The last run of each is kept (its output is what gets counted and imported),
    with the median wall time and the largest peak memory of all its runs.
    """
    ours_out = OUT / "corpus" / f"ours-{name}"
    # With `--meta none` its output directory is the package itself.
    opc_out = OUT / "corpus" / "opc" / ("opc_" + re.sub(r"\W", "_", name))
    ours_runs: list[dict[str, Any]] = []
    opc_runs: list[dict[str, Any]] = []
    for round_ in range(rounds):
        def ours() -> None:
            fresh_dir(ours_out)
            ours_runs.append(run_ours(spec, ours_out, f"corpus-ours-{name}", "--no-strict"))

        def opc() -> None:
            if opc_out.exists():
                shutil.rmtree(opc_out)
            opc_runs.append(run_opc(spec, opc_out, f"corpus-opc-{name}"))

        for step in ((ours, opc) if round_ % 2 == 0 else (opc, ours)):
            step()
    return summary(ours_runs), summary(opc_runs), ours_out, opc_out


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    last = dict(runs[-1])
    last["wall_s"] = statistics.median(r["wall_s"] for r in runs)
    last["wall_samples_s"] = [r["wall_s"] for r in runs]
    last["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    return last


def one(spec: Path, with_mypy: bool, rounds: int) -> dict[str, Any]:
    # A document split over files is its folder's `openapi.yaml`, named by the folder.
    split = spec.parent.name != CORPUS.name
    name = spec.parent.name if split else spec.stem
    document = f"{spec.parent.name}/{spec.name}" if split else spec.name
    result: dict[str, Any] = {"document": document, "operations": spec_operations(spec)}
    ours, opc, ours_out, opc_out = timed_rounds(spec, name, rounds)
    package = package_dir(ours_out) if ours["exit"] == 0 else None
    result["ours"] = {
        "exit": ours["exit"], "wall_s": ours["wall_s"], "maxrss_mb": ours["maxrss_mb"],
        "operations": ours_methods(ours_out) if package else 0,
        "imports": bool(package) and imports(ours_out, package, sys.executable),
    }
    if with_mypy and package:
        result["ours"]["mypy_errors"] = mypy_errors(ours_out, package)
    counted = opc_operations(opc_out, OUT / "logs" / f"corpus-opc-{name}.log") if opc_out.is_dir() else {}
    opc_package = opc_out.name if (opc_out / "__init__.py").is_file() else None
    result["opc"] = {
        "exit": opc["exit"], "wall_s": opc["wall_s"], "maxrss_mb": opc["maxrss_mb"],
        "operations": counted.get("endpoints_generated", 0),
        "imports": bool(opc_package) and imports(opc_out.parent, opc_package or "", sys.executable),
    }
    if with_mypy and opc_package:
        result["opc"]["mypy_errors"] = mypy_errors(opc_out.parent, opc_package)
    return result


def table(rows: list[dict[str, Any]], with_mypy: bool, rounds: int, load: tuple[float, ...]) -> str:
    head = "| document | operations | ours: ops / imports | opc: ops / imports | wall ours / opc |"
    rule = "|---|---|---|---|---|"
    if with_mypy:
        head += " mypy --strict errors ours / opc |"
        rule += "---|"
    lines = [head, rule]
    for r in rows:
        o, p = r["ours"], r["opc"]
        ratio = o["wall_s"] / p["wall_s"] if p["wall_s"] else float("nan")
        line = (
            f"| `{r['document']}` | {r['operations']} "
            f"| {o['operations']} / {'yes' if o['imports'] else 'no'}"
            f"{'' if o['exit'] == 0 else ' (refused)'} "
            f"| {p['operations']} / {'yes' if p['imports'] else 'no'}"
            f"{'' if p['exit'] == 0 else ' (exit ' + str(p['exit']) + ')'} "
            f"| {o['wall_s']:.2f} s / {p['wall_s']:.2f} s ({ratio:.2f}x) |"
        )
        if with_mypy:
            line += f" {o.get('mypy_errors', '-')} / {p.get('mypy_errors', '-')} |"
        lines.append(line)
    lines += ["", totals(rows, with_mypy, rounds, load)]
    return "\n".join(lines) + "\n"


def totals(rows: list[dict[str, Any]], with_mypy: bool, rounds: int, load: tuple[float, ...]) -> str:
    def side(key: str) -> str:
        made = [r for r in rows if r[key]["exit"] == 0 and r[key]["operations"]]
        ops = sum(r[key]["operations"] for r in rows)
        imported = sum(1 for r in rows if r[key]["imports"])
        text = (f"{len(made)} of {len(rows)} documents generated, {imported} import, "
                f"{ops} of {sum(r['operations'] for r in rows)} operations")
        if with_mypy:
            errors = [r[key].get("mypy_errors") for r in rows if r[key].get("mypy_errors") is not None]
            text += f", {sum(errors)} mypy --strict errors over {len(errors)} packages"
        return text

    ours_wall = sum(r["ours"]["wall_s"] for r in rows)
    opc_wall = sum(r["opc"]["wall_s"] for r in rows)
    return (
        f"Totals: ours {side('ours')}; openapi-python-client {side('opc')}. "
        f"Wall time summed over the documents: {ours_wall:.1f} s against {opc_wall:.1f} s "
        f"({ours_wall / opc_wall:.2f}x); each figure the median of {rounds} "
        f"run{'s' if rounds != 1 else ''}, load average at start "
        f"{', '.join(f'{x:.2f}' for x in load)}."
    )


def update_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if START not in readme:
        readme += f"\n## The public corpus\n\n{START}\n{END}\n"
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mypy", action="store_true", help="also count mypy --strict errors (slow)")
    parser.add_argument("--no-readme", action="store_true", help="leave benchmarks/README.md alone")
    parser.add_argument("documents", nargs="*", metavar="NAME",
                        help="only these documents (file or folder names under tests/corpus); implies --no-readme")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each generator per document (median)")
    args = parser.parse_args()
    # As run.py does: the editable install would compile the generator at every
    # run where PYTHONDONTWRITEBYTECODE is set, openapi-python-client is compiled.
    subprocess.run([str(OURS_PY), "-m", "compileall", "-q", str(ROOT / "generator")],
                   check=True, stdout=subprocess.DEVNULL)
    load = os.getloadavg()
    rows = []
    documents = [p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json")]
    documents += [p / "openapi.yaml" for p in CORPUS.iterdir() if (p / "openapi.yaml").is_file()]
    if args.documents:
        documents = [p for p in documents if p.name in args.documents or p.parent.name in args.documents
                     or p.stem in args.documents]
        args.no_readme = True
    for spec in sorted(documents):
        log(f"corpus: {spec.relative_to(CORPUS)}")
        rows.append(one(spec.relative_to(ROOT), args.mypy, max(1, args.rounds)))
    OUT.mkdir(exist_ok=True)
    (OUT / "corpus.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    text = table(rows, args.mypy, max(1, args.rounds), load)
    sys.stdout.write(text)
    if not args.no_readme:
        update_readme(text)


if __name__ == "__main__":
    main()
