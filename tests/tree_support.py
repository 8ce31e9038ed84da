"""Helpers shared by the tests that generate whole trees: compare, import, type-check.

Holds no tests itself.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

from generator.writer import compare_tree, read_tree

__all__ = [
    "IMPORT_ALL",
    "LENIENT_CASES",
    "PETS_SPEC",
    "ROOT",
    "compare_report",
    "case_is_strict",
    "files_of",
    "imported",
    "import_tree",
    "mypy_trees",
    "override_template",
    "pets_project",
    "read_tree",
    "write_files",
]

ROOT = Path(__file__).resolve().parent.parent

# Feature cases of idioms the generator only accepts with a warning (they are
# errors under --strict, which every other case is generated with).
LENIENT_CASES = frozenset({"unusable_tag"})


def case_is_strict(case: str) -> bool:
    return case not in LENIENT_CASES

# Imports the package, then every module under it, with warnings as errors: a
# generated module that only breaks when imported on its own is caught too.
# Then builds pydantic's validator for every type (models are built lazily, so
# a name their annotations cannot resolve would otherwise go unnoticed).
IMPORT_ALL = textwrap.dedent(
    """
    import importlib, pkgutil, sys, warnings
    import pydantic

    def check(name):
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            importlib.import_module(module.name)
        types = importlib.import_module(name + ".types")
        for export in types.__all__:
            pydantic.TypeAdapter(getattr(types, export))

    if __name__ == "__main__":
        warnings.simplefilter("error")
        sys.path.insert(0, sys.argv[1])
        for name in sys.argv[2:]:
            check(name)
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def import_tree(root: Path, *packages: str) -> None:
    """Import ``packages`` (and every module in them) from ``root`` in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(root), *packages],
        capture_output=True, text=True, cwd=root, env=_env(), timeout=120,
    )
    assert proc.returncode == 0, f"importing {packages} from {root} failed:\n{proc.stderr}"


def mypy_trees(trees: dict[Path, str], cache_dir: Path) -> str:
    """``mypy --strict`` over several generated packages at once; returns its report if it fails."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    env = _env()
    env["MYPYPATH"] = os.pathsep.join(str(root) for root in trees)
    args = [
        sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
        "--cache-dir", str(cache_dir), "--python-version", "3.11",
    ]
    for package in trees.values():
        args += ["-p", package]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cache_dir, timeout=300)
    return "" if proc.returncode == 0 else proc.stdout + proc.stderr


def compare_report(expected: dict[str, bytes], actual: dict[str, bytes], accept: str) -> str:
    """Missing and extra files first, then a unified diff per file, then how to accept.

    ``expected`` is what the generator produces now, ``actual`` what is recorded;
    an empty string means they are the same, byte for byte.
    """
    drift = compare_tree(expected, actual)
    if not drift:
        return ""
    return (
        "the generated tree differs from the recorded one\n"
        "(missing: the generator now makes a file the record lacks; extra: the reverse;\n"
        " in the diffs, - is the record and + the generator's output)\n\n"
        + drift.report()
        + f"\nIf the change is intended, accept it with:\n\n    {accept}\n"
    )


def write_files(out: Path, files: dict[str, bytes]) -> None:
    """Replace the tree under ``out`` with exactly ``files``."""
    if out.exists():
        for path in sorted(out.rglob("*"), reverse=True):
            if path.is_file() or path.is_symlink():
                path.unlink()
            else:
                path.rmdir()
    for rel, data in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@contextmanager
def imported(root: Path, package: str) -> Iterator[ModuleType]:
    """``package`` imported from ``root`` in this process, and forgotten afterwards."""
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


# A valid spec for the tests that break the generated code through a
# ``--templates`` override (as a generator bug would) and check the refusal.
PETS_SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1.0"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""


@pytest.fixture
def pets_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding ``spec.yaml`` (``PETS_SPEC``), made the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text(PETS_SPEC, encoding="utf-8")
    return tmp_path


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, the cache folder's too."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def override_template(folder: Path, template: str, extra: str) -> Path:
    """``folder``, a ``--templates`` folder holding the bundled ``template`` with ``extra`` appended."""
    target = folder / template
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((ROOT / "templates" / template).read_text(encoding="utf-8") + extra, encoding="utf-8")
    return folder
