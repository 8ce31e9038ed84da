"""What a diff produces: changes, each judged and located, and the report holding them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Location
from generator.diff.rules import BUMPS, SECTIONS, Bump, Impact, Section

__all__ = ["Change", "DiffReport", "FailOn", "FAIL_ON"]

FailOn = Literal["breaking", "minor", "any"]
FAIL_ON: tuple[FailOn, ...] = ("breaking", "minor", "any")
_FAIL_LEVELS: dict[str, tuple[Bump, ...]] = {
    "breaking": ("major",),
    "minor": ("major", "minor"),
    "any": BUMPS,
}


@dataclass(frozen=True)
class Change:
    rule: str  # a stable id from generator.diff.rules
    path: str  # where, in spec words; (rule, path) is unique within a report
    direction: str  # request, response, both, or none (no operation reaches it)
    impact: Impact  # on the wire
    bump: Bump
    section: Section
    message: str  # what changed, in spec words
    python: str  # what changed for users of the generated package
    reason: str | None  # why the impact is not worse than it looks, when it is not breaking
    old: Location | None
    new: Location | None

    def sort_key(self) -> tuple[int, int, str, str]:
        return (BUMPS.index(self.bump), SECTIONS.index(self.section), self.path, self.rule)

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "path": self.path,
            "direction": self.direction,
            "impact": self.impact,
            "bump": self.bump,
            "section": self.section,
            "message": self.message,
            "python": self.python,
            "reason": self.reason,
            "old": str(self.old) if self.old else None,
            "new": str(self.new) if self.new else None,
        }


@dataclass(frozen=True)
class DiffReport:
    old: str  # how each side was named on the command line
    new: str
    changes: tuple[Change, ...]  # in report order (see Change.sort_key)

    @property
    def bump(self) -> Bump | None:
        """The suggested version bump for the generated package (None: nothing changed)."""
        for level in BUMPS:
            if any(change.bump == level for change in self.changes):
                return level
        return None

    def count(self, **where: str) -> int:
        return sum(all(getattr(c, k) == v for k, v in where.items()) for c in self.changes)

    def fails(self, fail_on: FailOn | None) -> bool:
        """Whether ``--fail-on fail_on`` turns this report into exit status 1."""
        if fail_on is None:
            return False
        levels = _FAIL_LEVELS[fail_on]
        return any(change.bump in levels for change in self.changes)
