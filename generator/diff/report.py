"""Render a DiffReport: text for people, a Markdown changelog, JSON for machines.

All three list changes in one order (suggested bump, then changelog section,
then path, then rule id) and contain nothing that varies between runs.
"""

from __future__ import annotations

import json

from generator.diff.changes import Change, DiffReport
from generator.diff.rules import SECTIONS

__all__ = ["FORMATS", "render", "to_json"]

FORMATS = ("text", "markdown", "json")
_HEADINGS = {"breaking": "Breaking", "new": "New", "changed": "Changed", "docs": "Docs"}
_BUMP_OF_SECTION = {"breaking": "major", "new": "minor", "changed": "minor", "docs": "patch"}
_IMPACTS = ("breaking", "compatible", "docs")


def render(report: DiffReport, fmt: str = "text") -> str:
    if fmt == "text":
        return to_text(report)
    if fmt == "markdown":
        return to_markdown(report)
    if fmt == "json":
        return json.dumps(to_json(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _summary(report: DiffReport) -> str:
    if not report.changes:
        return "no changes"
    by_section = ", ".join(
        f"{report.count(section=s)} {_HEADINGS[s].lower()}" for s in SECTIONS if report.count(section=s)
    )
    return f"{_plural(len(report.changes), 'change')} ({by_section}); suggested version bump: {report.bump}"


def to_text(report: DiffReport) -> str:
    lines = [f"{report.old} -> {report.new}: {_summary(report)}"]
    for section in SECTIONS:
        changes = [c for c in report.changes if c.section == section]
        if not changes:
            continue
        lines += ["", f"{_HEADINGS[section]} ({_BUMP_OF_SECTION[section]})"]
        for change in changes:
            lines.append(f"  [{change.rule}] {change.path} ({change.direction}; wire: {change.impact})")
            lines.append(f"    python: {change.python}")
            lines.append(f"    spec:   {change.message}")
            if change.reason:
                lines.append(f"    why:    {change.reason}")
            lines.append(f"    at:     {change.old} -> {change.new}")
    return "\n".join(lines) + "\n"


def _entry(change: Change) -> str:
    python = change.python[:1].upper() + change.python[1:]
    detail = f"`{change.path}` ({change.direction}): {change.message}; rule `{change.rule}`."
    if change.section == "breaking" and change.impact != "breaking":
        detail += f" Breaks Python code only; {change.reason or 'the wire is unchanged'}."
    elif change.reason and change.section != "docs":
        detail += f" Compatible: {change.reason}."
    return f"- {python}.\n  {detail}"


def to_markdown(report: DiffReport) -> str:
    lines = [f"## Changes from `{report.old}` to `{report.new}`", ""]
    if not report.changes:
        return "\n".join(lines + ["No changes.", ""])
    lines += [f"Suggested version bump: **{report.bump}** ({_summary(report).split(' (')[1].split(')')[0]}).", ""]
    for section in SECTIONS:
        changes = [c for c in report.changes if c.section == section]
        if changes:
            lines += [f"### {_HEADINGS[section]}", ""]
            added = sum(1 for c in changes if c.rule == _GROUPED_RULE)
            lines += _grouped_added(changes)
            lines += [_entry(c) for c in changes if not _is_grouped(c, added)]
            lines.append("")
    return "\n".join(lines)


# New classes are listed by name, one entry per direction: a changelog whose every
# new schema is an entry of its own buries the new arguments and union members
# (the changes users act on) under hundreds of lines saying "new class".
_GROUPED_RULE = "component.added"
_GROUP_AT = 4


def _is_grouped(change: Change, count: int = _GROUP_AT) -> bool:
    return change.rule == _GROUPED_RULE and count >= _GROUP_AT


def _grouped_added(changes: list[Change]) -> list[str]:
    added = [c for c in changes if c.rule == _GROUPED_RULE]
    if len(added) < _GROUP_AT:
        return [_entry(c) for c in added]
    lines = []
    for direction in sorted({c.direction for c in added}):
        names = sorted(c.path for c in added if c.direction == direction)
        listed = ", ".join(f"`{n}`" for n in names)
        lines.append(
            f"- {len(names)} new {'class' if len(names) == 1 else 'classes'} ({direction}): {listed}.\n"
            f"  New schemas; rule `{_GROUPED_RULE}`."
        )
    return lines


def to_json(report: DiffReport) -> dict[str, object]:
    return {
        "old": report.old,
        "new": report.new,
        "bump": report.bump,
        "counts": {
            "total": len(report.changes),
            "impact": {i: report.count(impact=i) for i in _IMPACTS},
            "section": {s: report.count(section=s) for s in SECTIONS},
        },
        "changes": [c.to_json() for c in report.changes],
    }
