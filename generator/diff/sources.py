"""Where each side of a diff comes from: a spec file, or ``git:REV[:PATH]`` for a spec at a revision."""

from __future__ import annotations

import os
import posixpath
import subprocess
from pathlib import Path

from generator.bundle import bundle
from generator.diagnostics import UsageError
from generator.loader import Spec, load_spec, load_text

__all__ = ["BUNDLED_SPEC", "load_side"]

BUNDLED_SPEC = "spec/messages.yaml"
_GIT_PREFIX = "git:"


def load_side(argument: str, cwd: Path | None = None, default_spec: str = BUNDLED_SPEC) -> Spec:
    """Load one side of a diff as named on the command line.

    ``git:REV:PATH`` reads ``PATH`` as committed at ``REV`` in the git
    repository containing ``cwd`` (default: the current directory); ``PATH``
    is relative to ``cwd``, as a file argument is. ``git:REV`` reads
    ``default_spec`` (the ``spec`` setting of ``[tool.messages-codegen]``, or
    ``spec/messages.yaml``). Locations read ``REV:PATH:line:col``, git's own
    spelling. Raises UsageError (exit 2) if git, the repository, the revision
    or the file is missing, and SpecError if what was found is not a strict spec.
    """
    if not argument.startswith(_GIT_PREFIX):
        return load_spec(Path(argument), display_path=argument)
    rev, _, path = argument[len(_GIT_PREFIX):].partition(":")
    path = Path(path or default_spec).as_posix()
    if not rev or not path or path == ".":
        raise UsageError(
            f"`{argument}`: expected git:REV or git:REV:PATH, for example git:v1.2.0 or "
            f"git:HEAD~1:{default_spec}"
        )
    shown = f"{rev}:{path}"
    # ``./`` makes git read the path from the working directory, not the repository's top.
    where = "./" + Path(os.path.relpath(path, cwd or Path.cwd())).as_posix()
    try:
        result = subprocess.run(
            ["git", "show", f"{rev}:{where}"],
            cwd=cwd, capture_output=True, check=False,
        )
    except FileNotFoundError:
        raise UsageError(f"`{argument}`: git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise UsageError(f"`{argument}`: cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        problem = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = problem[0] if problem else f"git exited with status {result.returncode}"
        raise UsageError(f"`{argument}`: cannot read {shown}: {detail.removeprefix('fatal: ')}")
    try:
        text = result.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown}: spec is not UTF-8 (byte {exc.start})") from None
    spec = load_text(text, shown, result.stdout)

    def read(rel: str) -> bytes:
        """A file the spec refers to, as committed at ``rev``."""
        other = "./" + posixpath.normpath(posixpath.join(posixpath.dirname(where), rel))
        found = subprocess.run(["git", "show", f"{rev}:{other}"], cwd=cwd, capture_output=True)
        if found.returncode != 0:
            raise FileNotFoundError(other)
        return found.stdout

    return bundle(spec, read, posixpath.basename(path))
