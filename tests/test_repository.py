"""The repository as a new user clones it: nothing in it that a merge or an editor left behind."""

from __future__ import annotations

import fnmatch
import subprocess
from pathlib import Path

from generator.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent

# What `git merge`, `git mergetool`, `patch` and editors leave beside a file.
_LEFTOVERS = ("*.orig", "*.rej", "*.BACKUP.*", "*.BASE.*", "*.LOCAL.*", "*.REMOTE.*", "*~", "*.swp")
# Never part of a clone: environments, tools' caches and build output.
_NOT_SOURCE = {".git", "node_modules", "build", "dist", "__pycache__", ".mypy_cache", ".pytest_cache",
               ".hypothesis", ".messages-codegen-cache"}


def _repository_files() -> list[str]:
    """The tracked files when git can say; else every file a clone would hold."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                stdin=subprocess.DEVNULL)
    except OSError:  # no git: a tarball, say
        listed = None
    if listed is not None and listed.returncode == 0 and listed.stdout:
        return sorted(name for name in listed.stdout.decode("utf-8").split("\0") if name)
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*")
        if path.is_file()
        and not any(part in _NOT_SOURCE or part.startswith(".venv")
                    for part in path.relative_to(ROOT).parts)
    )


def test_no_merge_or_editor_leftovers_are_in_the_repository() -> None:
    leftovers = [name for name in _repository_files()
                 if any(fnmatch.fnmatchcase(Path(name).name, pattern) for pattern in _LEFTOVERS)]
    assert leftovers == [], "remove these (a merge or an editor left them): " + ", ".join(leftovers)


def test_spec_folder_holds_only_the_spec_and_its_readme() -> None:
    # Anything else beside the spec reads as a second spec, or a part of it, to users.
    in_spec = {name.split("/", 1)[1] for name in _repository_files() if name.startswith("spec/")}
    # A spec split over files (README "Specs split over several files") keeps them there.
    in_spec -= {rel for rel, _, _ in load_spec(ROOT / "spec" / "messages.yaml").parts}
    assert in_spec <= {"README.md", "messages.yaml"}, sorted(in_spec)
