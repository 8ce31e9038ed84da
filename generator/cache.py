"""What a run keeps beside its output for the next one: verdicts and layouts it computed.

Each record maps digests of inputs to what was computed from them, and is kept
under a key that names everything else the result depends on (our code, the
versions of the libraries that computed it). A record under another key, or one
that cannot be read, is as good as none: it costs time, never correctness.

A run saves what it used and what it read: a file it reused whole asked for
nothing, and the next run may need its entries again. Past ``LIMIT`` entries,
only what the run used is kept, so a record cannot grow without bound.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Generic, TypeVar

__all__ = ["Record", "write_changed"]

T = TypeVar("T")
LIMIT = 100_000


class Record(Generic[T]):
    """Entries known from earlier runs (``known``) and those this run used (``used``)."""

    def __init__(self, accept: Callable[[object], bool]) -> None:
        self._accept = accept
        self.known: dict[str, T] = {}
        self.used: dict[str, T] = {}
        self._read: dict[str, T] = {}

    def get(self, digest: str) -> tuple[bool, T | None]:
        """Whether ``digest`` is known, and its value; a known entry counts as used."""
        if digest not in self.known:
            return False, None
        value = self.used[digest] = self.known[digest]
        return True, value

    def put(self, digest: str, value: T) -> None:
        self.known[digest] = self.used[digest] = value

    def load(self, path: Path, key: str) -> None:
        self.used, self._read = {}, {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("key") != key:
            return
        entries = data.get("entries")
        if isinstance(entries, dict):
            self._read = {k: v for k, v in entries.items() if self._accept(v)}
            self.known.update(self._read)

    def save(self, path: Path, key: str) -> None:
        entries = {**self._read, **self.used}
        if len(entries) > LIMIT:
            entries = self.used
        text = json.dumps({"key": key, "entries": entries}, indent=0, sort_keys=True) + "\n"
        try:
            write_changed(path, text)
        except OSError:
            pass  # only the time of the next run depends on it


def write_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless it holds it already ("unchanged" means untouched)."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
