"""Knowing that the output is up to date without generating it again.

A generation is a pure function of its inputs: the spec's bytes (and those of
every file its ``$ref``s bundle in, listed in the state) and the name it is shown by, the generator's own code and templates (and any override
templates), black's version and the chosen targets. After writing, ``remember``
stores a fingerprint of those inputs and a digest of the tree it wrote, in a
cache folder inside the output directory (git-ignored, never reported as an
extra file). Before the next run, ``lookup`` recomputes both; when they match,
the tree on disk is exactly what a full run would produce, and the run can stop
there, before importing the validator, Jinja or black.

This module imports only the standard library, so that shortcut stays cheap.
Any doubt (no cache, an unreadable file, a hand-edited output file) sends the
run down the full path.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from generator import __version__
from generator.cache import write_changed
from generator.diagnostics import Diagnostic, Location
from generator.provenance import spec_digest
from generator.versions import package_version
from generator.writer import CACHE_DIR, owned_files, read_tree

__all__ = ["code_digest", "inputs_name", "lookup", "remember"]

_STATE = "state.json"
_GENERATOR_DIR = Path(__file__).resolve().parent
# As render.TEMPLATES_DIR finds them (not imported: an early exit never needs Jinja).
_TEMPLATES_DIR = (
    _GENERATOR_DIR / "templates"
    if (_GENERATOR_DIR / "templates").is_dir()
    else _GENERATOR_DIR.parent / "templates"
)
_SOURCE_SUFFIXES = (".py", ".pyi", ".jinja")


def _files_under(root: Path) -> Iterable[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts
    )


def _fingerprint(
    spec_sha256: str, display_path: str, templates: Path | None, targets: Sequence[str]
) -> str:
    digest = hashlib.sha256()
    header = json.dumps(
        [__version__, package_version("black"), package_version("jinja2"), display_path, sorted(targets)]
    )
    digest.update(header.encode() + b"\0" + spec_sha256.encode() + b"\0")
    digest.update(_own_sources())
    if templates is not None:
        digest.update(_sources("usr", templates))
    return digest.hexdigest()


def inputs_name(display_path: str, source: str) -> str:
    """The spec's names a run depends on: in diagnostics, and recorded in the output."""
    return display_path if display_path == source else f"{display_path}\0{source}"


def code_digest() -> str:
    """A digest of the generator's own code and templates, as this process runs them."""
    return hashlib.sha256(_own_sources()).hexdigest()


@functools.cache
def _own_sources() -> bytes:
    # Read once per process: lookup and remember both need it, and the
    # generator's own files do not change while it runs.
    return _sources("gen", _GENERATOR_DIR) + _sources("tpl", _TEMPLATES_DIR)


def _sources(label: str, root: Path) -> bytes:
    digest = hashlib.sha256()
    for path in _files_under(root):
        digest.update(f"{label}:{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes() + b"\0")
    return digest.digest()


def _tree_digest(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()


def lookup(
    spec_path: Path, display_path: str, out: Path, templates: Path | None, targets: Sequence[str]
) -> tuple[dict[str, bytes], list[Diagnostic]] | None:
    """The tree on disk and the run's warnings, if nothing has changed since it was written."""
    try:
        state = json.loads((out / CACHE_DIR / _STATE).read_text(encoding="utf-8"))
        spec_raw = spec_path.read_bytes()
        parts = state.get("spec_files", [])
        if not (isinstance(parts, list) and all(isinstance(p, str) for p in parts)):
            return None
        # The files the spec referred to last time: as long as none changed
        # (nor the spec), it refers to the same ones now.
        read = [(rel, (spec_path.parent / rel).read_bytes()) for rel in parts]
    except (OSError, ValueError, AttributeError):
        return None
    digest = spec_digest(spec_raw, read)
    if state.get("inputs") != _fingerprint(digest, display_path, templates, targets):
        return None
    tree = read_tree(out)
    # A user's own files beside ours are no change to our output.
    files = {path: tree[path] for path in owned_files(out, tree)}
    if state.get("tree") != _tree_digest(files):
        return None
    try:
        warnings = [_diagnostic(item) for item in state.get("warnings", [])]
    except (KeyError, TypeError, ValueError):
        return None
    return files, warnings


def remember(
    spec_sha256: str,
    spec_files: Sequence[str],
    display_path: str,
    out: Path,
    templates: Path | None,
    targets: Sequence[str],
    files: Mapping[str, bytes],
    warnings: Sequence[Diagnostic],
) -> None:
    """Record what ``out`` now holds and what made it; a failure only costs the shortcut.

    ``spec_sha256`` is the digest of the spec as it was loaded
    (``provenance.spec_digest``) and ``spec_files`` the other files it was
    bundled from, so an edit made while the run went on is noticed next time.
    """
    state = {
        "inputs": _fingerprint(spec_sha256, display_path, templates, targets),
        "spec_files": list(spec_files),
        "tree": _tree_digest(files),
        "warnings": [d.to_json() for d in warnings],
    }
    folder = out / CACHE_DIR
    wanted = {".gitignore": "*\n", _STATE: json.dumps(state, indent=1) + "\n"}
    try:
        folder.mkdir(exist_ok=True)
        for name, text in wanted.items():
            write_changed(folder / name, text)
    except OSError:
        pass


def _diagnostic(item: Mapping[str, object]) -> Diagnostic:
    related = tuple(_location(str(r)) for r in item.get("related") or [])  # type: ignore[attr-defined]
    return Diagnostic(
        code=str(item["code"]),
        message=str(item["message"]),
        location=Location(str(item["path"]), int(item["line"]), int(item["col"])),  # type: ignore[call-overload]
        severity="warning" if item.get("severity") == "warning" else "error",
        hint=str(item["hint"]) if item.get("hint") else None,
        related=related,
    )


def _location(text: str) -> Location:
    path, line, col = text.rsplit(":", 2)
    return Location(path, int(line), int(col))
