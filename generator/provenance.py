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

from pathlib import Path

__all__ = ["project_root", "recorded_name"]

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
