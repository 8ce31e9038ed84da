"""How output names the spec it came from: the same bytes on every machine.

Headers and ``PROVENANCE.json`` record the spec's path relative to the project
that holds the output (the nearest folder above the output directory with a
``pyproject.toml`` or a ``.git``; without one, the output's parent folder), so
``--spec spec/messages.yaml``, ``--spec ./spec/../spec/messages.yaml`` and an
absolute path all record ``spec/messages.yaml``. A spec outside that project
is recorded by its file name alone: a path climbing out of the project would
name folders of one machine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

__all__ = ["project_root", "recorded_name", "spec_digest"]

_MARKERS = ("pyproject.toml", ".git")


def project_root(out: Path) -> Path:
    """The project that holds the output directory ``out`` (which need not exist yet)."""
    start = out.resolve().parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in _MARKERS):
            return folder
    return start


def recorded_name(spec: Path, out: Path) -> str:
    """``spec`` as the output records it: relative to ``out``'s project, with ``/``."""
    root = project_root(out)
    resolved = spec.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.name


def spec_digest(root: bytes, parts: Iterable[tuple[str, bytes]] = ()) -> str:
    """The hash output records for a spec: its bytes, and those of the files it refers to.

    ``parts`` are the other files of a bundled spec, by path relative to the
    root spec's folder. A spec in one file is hashed as its bytes alone.
    """
    others = sorted(parts)
    if not others:
        return hashlib.sha256(root).hexdigest()
    digest = hashlib.sha256(b"root\0" + hashlib.sha256(root).digest())
    for rel, raw in others:
        digest.update(f"\0{rel}\0".encode() + hashlib.sha256(raw).digest())
    return digest.hexdigest()
