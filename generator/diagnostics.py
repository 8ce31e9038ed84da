"""Located diagnostics: the one way any stage reports a problem with its input.

Stages return or raise data; only the CLI prints. A diagnostic reads like a
compiler's::

    spec/messages.yaml:42:7: error[E201]: `required` names `modle`, which is not a property
      hint: did you mean `model`?

Exit codes live on the exception classes, as in click: 1 for problems found in
a spec, 2 for a usage error or a file that cannot be read at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Literal

__all__ = [
    "Diagnostic",
    "GeneratorError",
    "Location",
    "Severity",
    "SpecError",
    "UsageError",
    "format_diagnostics",
    "has_errors",
]

Severity = Literal["error", "warning"]
FORMATS = ("text", "json", "github")


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in a file, as editors count them."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    severity: Severity = "error"
    hint: str | None = None
    # Other places the problem involves (the first definition of a duplicate, say).
    related: tuple[Location, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)

    def to_text(self) -> str:
        lines = [f"{self.location}: {self.severity}[{self.code}]: {self.message}"]
        for other in self.related:
            lines.append(f"  note: see also {other}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "related": [str(r) for r in self.related],
        }

    def to_github(self) -> str:
        # GitHub workflow commands: newlines and % must be escaped in the message.
        text = self.message if not self.hint else f"{self.message} (hint: {self.hint})"
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        loc = self.location
        return (
            f"::{self.severity} file={loc.path},line={loc.line},col={loc.col},"
            f"title={self.code}::{text}"
        )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """Render diagnostics sorted by place, so output is stable across runs."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    if fmt == "json":
        return json.dumps([d.to_json() for d in ordered], indent=2) + "\n"
    if fmt == "github":
        return "".join(d.to_github() + "\n" for d in ordered)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if not ordered:
        return ""
    errors = sum(d.severity == "error" for d in ordered)
    warnings = len(ordered) - errors
    body = "\n".join(d.to_text() for d in ordered)
    return f"{body}\n{_plural(errors, 'error')}, {_plural(warnings, 'warning')}\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class GeneratorError(Exception):
    """Base of the errors the CLI reports without a traceback."""

    exit_code = 1


class SpecError(GeneratorError):
    """The spec has problems; every one found is in ``diagnostics``."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        super().__init__(format_diagnostics(self.diagnostics))


class UsageError(GeneratorError):
    """Bad arguments, or a file that cannot be read at all."""

    exit_code = 2
