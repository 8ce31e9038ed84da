"""The last check before anything is written: every generated Python file compiles.

``generate`` never exits 0 over a package that does not import. Validation
and the build catch what they can foresee in the spec; this is the net under
them, and under a user's ``--templates``, which promise nothing. Each Python
file (``.py`` and ``.pyi``) rendered in this run is compiled from the text
already in memory, exactly as it would be written. ``compile`` runs the
symbol table too, so it catches what ``ast.parse`` lets through (a duplicate
argument, ``nonlocal`` at module level, ``return`` outside a function).

Files reused from the previous output (the render cache) are not compiled
again: they passed this check when they were written. Nor is the hand-written
runtime copied as it is (``generator/runtime``, ``generator/runtime_stubs``):
those are the generator's own source, never rendered from a spec or a
template, and the test suite compiles and imports them.

A failure is an error located in the generated file (``E020``), with the spec
construct the file came from when one did, and the run writes nothing.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from typing import Iterable

from generator.diagnostics import Diagnostic, Location, SpecError

__all__ = ["BUG", "GeneratedCodeError", "Origin", "check_compiles", "not_python", "origin_of"]

# Where a generated file came from: a phrase ("schema `From`") and its place in the spec.
Origin = tuple[str, "Location | None"]

# An import of a sibling module, in a package's ``__init__``: the error is that module's name.
_SIBLING_IMPORT = re.compile(r"\bfrom\s+\.([A-Za-z_]\w*)\b")
BUG = "a bug in messages-codegen: please report it with the spec that caused it"
_OVERRIDE = (
    "the templates given with --templates render code that does not compile: check yours "
    "(if the file comes from a template you did not override, it is a bug in messages-codegen)"
)


class GeneratedCodeError(SpecError):
    """Generated files that do not compile; their locations are relative to the output folder."""

    def under(self, folder: str) -> GeneratedCodeError:
        """The same errors, named as paths under ``folder`` (the output folder as shown)."""
        prefix = folder.rstrip("/") + "/" if folder not in ("", ".") else ""
        return GeneratedCodeError(
            replace(d, location=replace(d.location, path=prefix + d.location.path))
            for d in self.diagnostics
        )


def check_compiles(
    files: Iterable[tuple[str, str]],
    origins: dict[str, Origin],
    overridden: bool,
) -> None:
    """Compile each (path, text); raise GeneratedCodeError naming every file that fails."""
    problems: list[Diagnostic] = []
    for path, text in files:
        try:
            compile(text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            problems.append(_diagnostic(path, exc, _origin(path, exc, origins), overridden))
    if problems:
        raise GeneratedCodeError(problems)


def not_python(path: str, text: str, reason: str, origins: dict[str, Origin], overridden: bool,
               line_offset: int = 0) -> GeneratedCodeError:
    """The error for rendered ``text`` that black could not read (before any header)."""
    origin = origins.get(path)
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        diagnostic = _diagnostic(path, exc, origin or _origin(path, exc, origins), overridden, line_offset)
    else:
        # Python reads it but black's grammar (py39) does not.
        diagnostic = _diagnostic(path, SyntaxError(reason), origin, overridden, line_offset)
    return GeneratedCodeError([diagnostic])


def _origin(path: str, exc: BaseException, origins: dict[str, Origin]) -> Origin | None:
    return origin_of(path, exc.text if isinstance(exc, SyntaxError) else None, origins)


def origin_of(path: str, line: str | None, origins: dict[str, Origin]) -> Origin | None:
    """The file's own origin; for a ``line`` importing a sibling module, that module's."""
    if path in origins:
        return origins[path]
    found = _SIBLING_IMPORT.search(line or "")
    if found is None:
        return None
    # A schema named `From` once gave `from .from import From` in types/__init__.py.
    folder, ext = posixpath.dirname(path), posixpath.splitext(path)[1]
    return origins.get(posixpath.join(folder, found.group(1) + ext))


def _diagnostic(
    path: str,
    exc: BaseException,
    origin: Origin | None,
    overridden: bool,
    line_offset: int = 0,
) -> Diagnostic:
    line, col = 1, 1
    if isinstance(exc, SyntaxError):
        reason = exc.msg or "invalid syntax"
        line = (exc.lineno or 1) + line_offset
        col = max(exc.offset or 1, 1)
    elif isinstance(exc, RecursionError):
        reason = "nested too deeply for Python's compiler"
    else:
        reason = str(exc) or type(exc).__name__
    hint = _OVERRIDE if overridden else BUG
    related: tuple[Location, ...] = ()
    if origin is not None:
        what, where = origin
        hint = f"generated from {what}; {hint}"
        related = (where,) if where is not None else ()
    return Diagnostic(
        "E020",
        f"the generated code does not compile: {reason}",
        Location(path, line, col),
        hint=hint,
        related=related,
    )
