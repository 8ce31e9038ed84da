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

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Generic, Mapping, TypeVar

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
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("key") != key:
            return
        entries = data.get("entries")
        # Well-formed JSON can still be damaged (a flipped byte inside a
        # layout would land in the output): the checksum says it is as saved.
        if isinstance(entries, dict) and data.get("sha256") == _checksum(entries):
            self._read = {k: v for k, v in entries.items() if self._accept(v)}
            self.known.update(self._read)

    def save(self, path: Path, key: str) -> None:
        entries = {**self._read, **self.used}
        if len(entries) > LIMIT:
            entries = self.used
        record = {"key": key, "sha256": _checksum(entries), "entries": entries}
        text = json.dumps(record, indent=0, sort_keys=True) + "\n"
        try:
            write_changed(path, text)
        except OSError:
            pass  # only the time of the next run depends on it


def _checksum(entries: Mapping[str, object]) -> str:
    canonical = json.dumps(entries, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless it holds it already ("unchanged" means untouched).

    The new content replaces the old in one rename, so an interrupted write
    leaves the old file whole, never half of each; whatever the old bytes are
    (a damaged file included) they are only compared, never decoded.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
