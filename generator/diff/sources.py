"""Where each side of a diff comes from: a spec file, or ``git:REV`` for the bundled spec at a revision."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.diagnostics import UsageError
from generator.loader import Spec, load_spec, load_text

__all__ = ["BUNDLED_SPEC", "load_side"]

BUNDLED_SPEC = "spec/messages.yaml"
_GIT_PREFIX = "git:"


def load_side(argument: str, cwd: Path | None = None) -> Spec:
    """Load one side of a diff as named on the command line.

    ``git:REV`` reads ``spec/messages.yaml`` as committed at ``REV`` in the git
    repository containing ``cwd`` (default: the current directory); its
    locations read ``REV:spec/messages.yaml:line:col``, git's own spelling.
    Raises UsageError (exit 2) if git, the repository, the revision or the file
    is missing, and SpecError if what was found is not a strict spec.
    """
    if not argument.startswith(_GIT_PREFIX):
        return load_spec(Path(argument), display_path=argument)
    rev = argument[len(_GIT_PREFIX):]
    if not rev:
        raise UsageError(f"`{argument}`: expected git:REV, for example git:v1.2.0 or git:HEAD~1")
    shown = f"{rev}:{BUNDLED_SPEC}"
    try:
        result = subprocess.run(
            ["git", "show", f"{rev}:{BUNDLED_SPEC}"],
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
    return load_text(text, shown, result.stdout)
