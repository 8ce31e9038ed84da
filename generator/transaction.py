"""Replace files in a folder all at once or not at all, one run at a time.

The steps, all inside the output folder's cache folder (same file system, so
every move is a rename)::

    txn/new/<path>      1. stage: every new file's bytes     (a failure: delete txn/)
    txn/journal.json    2. journal: each path, and whether it had an old version
    txn/old/<path>      3. commit: old versions aside, new ones in, then drop
                           the journal; SIGINT/SIGTERM wait until it is done
                        4. delete txn/

Until the journal exists, the output is untouched; while it exists, the old
tree can always be put back from ``txn/old`` (``recover``), and once it is gone
the new tree is complete. So a run killed at any point leaves something the next
run (which always recovers first, under the lock) turns back into the old tree.

The lock is ``flock`` on a file in the cache folder: the kernel drops it when
the process dies, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
from pathlib import Path
from typing import Iterator, Mapping

from generator.diagnostics import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: runs are not serialised there
    fcntl = None  # type: ignore[assignment]

__all__ = ["CACHE_DIR", "Transaction", "locked", "recover"]

# Where generator.incremental keeps its state, inside the output directory.
CACHE_DIR = ".messages-codegen-cache"
_TXN = "txn"
_JOURNAL = "journal.json"
_LOCK = "lock"
# Held back while files move; delivered the moment the moves are done.
_DEFERRED = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def _cannot_write(out: Path, exc: OSError, what: Path | None = None) -> UsageError:
    # A staged file is named by where it was going, not by its place aside.
    where = what or exc.filename or out
    reason = exc.strerror or str(exc)
    return UsageError(f"{out}: cannot write {where}: {reason}; the output was left as it was")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock, creating the folder (and its cache folder) if needed."""
    folder = out / CACHE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / ".gitignore").exists():
            (folder / ".gitignore").write_bytes(b"*\n")
        handle = open(folder / _LOCK, "a+b")
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    with handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def recover(out: Path) -> bool:
    """Undo what a run that died mid-write left; True if there was anything. Hold the lock."""
    txn = out / CACHE_DIR / _TXN
    if not txn.exists():
        return False
    journal = txn / _JOURNAL
    try:
        entries = json.loads(journal.read_bytes())
    except FileNotFoundError:
        entries = None  # staged only, or committed: the tree is whole either way
    except (OSError, ValueError):
        # The journal is written aside and renamed into place, so a damaged
        # one was never complete: the commit had not begun.
        entries = None
    if isinstance(entries, dict):
        _roll_back(out, txn, entries)
    shutil.rmtree(txn, ignore_errors=True)
    return True


class Transaction:
    """One replacement of files in ``out``: ``stage`` them, then ``commit``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.txn = out / CACHE_DIR / _TXN
        self.changed: list[tuple[str, bool]] = []

    def stage(self, files: Mapping[str, bytes], existing: set[str]) -> None:
        """Write every new file's bytes aside; the output is not touched yet."""
        shutil.rmtree(self.txn, ignore_errors=True)
        new = self.txn / "new"
        try:
            for rel, data in files.items():
                target = new / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)
                self.changed.append((rel, rel in existing))
        except OSError as exc:
            shutil.rmtree(self.txn, ignore_errors=True)
            raise _cannot_write(self.out, exc, self.out / rel) from None
        except BaseException:
            shutil.rmtree(self.txn, ignore_errors=True)
            raise

    def abandon(self) -> None:
        """Drop what was staged; the output was never touched."""
        shutil.rmtree(self.txn, ignore_errors=True)

    def commit(self, removed: list[str]) -> None:
        """Move the staged files in and ``removed`` out, all or nothing."""
        entries = {"changed": self.changed, "removed": removed}
        journal = self.txn / _JOURNAL
        aside = self.txn / "journal.tmp"
        try:
            with open(aside, "w", encoding="utf-8") as handle:
                json.dump(entries, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(aside, journal)
        except BaseException as exc:
            shutil.rmtree(self.txn, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _cannot_write(self.out, exc) from None
            raise
        with _signals_deferred():
            try:
                self._move(removed)
                journal.unlink()
            except BaseException as exc:
                _roll_back(self.out, self.txn, entries)
                shutil.rmtree(self.txn, ignore_errors=True)
                if isinstance(exc, OSError):
                    raise _cannot_write(self.out, exc) from None
                raise
            shutil.rmtree(self.txn, ignore_errors=True)
        for rel in removed:
            _prune_empty(self.out, (self.out / rel).parent)

    def _move(self, removed: list[str]) -> None:
        out, new, old = self.out, self.txn / "new", self.txn / "old"
        for rel in removed:
            (old / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / rel, old / rel)
        for rel, had_old in self.changed:
            if had_old:
                (old / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(out / rel, old / rel)
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(new / rel, out / rel)


def _roll_back(out: Path, txn: Path, entries: dict[str, object]) -> None:
    """Put the old tree back from ``txn/old``, whatever point the commit reached."""
    new, old = txn / "new", txn / "old"
    changed = entries.get("changed")
    removed = entries.get("removed")
    for rel in removed if isinstance(removed, list) else []:
        if isinstance(rel, str) and (old / rel).exists():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(old / rel, out / rel)
    for item in changed if isinstance(changed, list) else []:
        if not (isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[0], str)):
            continue
        rel, had_old = item
        if had_old:
            # Not moved aside yet means the old version never left.
            if (old / rel).exists():
                os.replace(old / rel, out / rel)
        elif not (new / rel).exists() and (out / rel).is_file():
            # A file that did not exist before, already moved in: ours to take out.
            (out / rel).unlink()
            _prune_empty(out, (out / rel).parent)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _prune_empty(out: Path, directory: Path) -> None:
    while directory != out and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
