"""Write the output tree all at once, or compare it with what is there.

Everything is rendered and formatted in memory before this stage runs, so a
failure upstream leaves the output directory exactly as it was. Here, changed
files are first written beside their targets and only then moved into place;
unchanged files are not touched (their timestamps stay), and files no longer
produced are removed.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import UsageError

__all__ = ["CACHE_DIR", "PROVENANCE", "TARGETS", "Drift", "read_tree", "write_tree", "compare_tree"]

PROVENANCE = "PROVENANCE.json"
# What one generation can write: the package, its stubs and its docs.
TARGETS = ("package", "stubs", "docs")
# Where generator.incremental keeps its state, inside the output directory.
CACHE_DIR = ".messages-codegen-cache"
# Left behind by tools, never by us: never reported as extra, never removed.
_IGNORED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", "build", "dist", CACHE_DIR}
_IGNORED_SUFFIXES = (".pyc", ".egg-info")


def _ignored(rel: Path) -> bool:
    return any(part in _IGNORED_DIRS or part.endswith(_IGNORED_SUFFIXES) for part in rel.parts)


def read_tree(out: Path) -> dict[str, bytes]:
    """The files under ``out`` that a generation owns, by relative path."""
    found: dict[str, bytes] = {}
    if not out.is_dir():
        return found
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and not _ignored(rel):
            found[rel.as_posix()] = path.read_bytes()
    return found


@dataclass
class Drift:
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.changed)

    def report(self) -> str:
        lines = [f"missing: {p}" for p in self.missing]
        lines += [f"extra: {p}" for p in self.extra]
        lines += [f"changed: {p}" for p in self.changed]
        text = "\n".join(lines)
        if self.diffs:
            text += "\n\n" + "".join(self.diffs)
        return text + ("\n" if text and not text.endswith("\n") else "")


def compare_tree(expected: dict[str, bytes], actual: dict[str, bytes]) -> Drift:
    drift = Drift(
        missing=sorted(set(expected) - set(actual)),
        extra=sorted(set(actual) - set(expected)),
    )
    for path in sorted(set(expected) & set(actual)):
        if expected[path] != actual[path]:
            drift.changed.append(path)
            drift.diffs.append(_diff(path, actual[path], expected[path]))
    return drift


def _diff(path: str, old: bytes, new: bytes) -> str:
    try:
        a = old.decode("utf-8").splitlines(keepends=True)
        b = new.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"Binary files a/{path} and b/{path} differ\n"
    lines = difflib.unified_diff(a, b, f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_tree(out: Path, files: dict[str, bytes], existing: dict[str, bytes]) -> WriteResult:
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a directory")
    if existing and PROVENANCE not in existing:
        raise UsageError(
            f"{out}: not empty and not made by messages-codegen (no {PROVENANCE}); "
            "refusing to write there"
        )
    result = WriteResult()
    staged: list[tuple[Path, Path]] = []
    try:
        for rel in sorted(files):
            if existing.get(rel) == files[rel]:
                result.unchanged.append(rel)
                continue
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            temp.write_bytes(files[rel])
            staged.append((temp, target))
            result.written.append(rel)
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in staged:
        os.replace(temp, target)
    for rel in sorted(set(existing) - set(files)):
        (out / rel).unlink(missing_ok=True)
        result.removed.append(rel)
        _prune_empty(out, (out / rel).parent)
    return result


def _prune_empty(out: Path, directory: Path) -> None:
    while directory != out and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
