"""Render a DiffReport: text for people, a Markdown changelog, JSON for machines.

All three list changes in one order (suggested bump, then changelog section,
then path, then rule id) and contain nothing that varies between runs.
"""

from __future__ import annotations

import json
import re

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
            groups = _groups(changes)
            lines += [_group_entry(key, members) for key, members in sorted(groups.items())]
            grouped = {id(c) for members in groups.values() for c in members}
            lines += [_entry(c) for c in changes if id(c) not in grouped]
            lines.append("")
    return "\n".join(lines)


# Many changes that say one thing are one entry: a changelog whose every new schema
# (or every method that may now get a 429) is an entry of its own buries the new
# arguments and union members (the changes users act on) under hundreds of lines.
_GROUP_AT = 4
_METHOD_FIRST = re.compile(r"`(client\.[\w.]+)\(\)` (.+)")


def _group_key(change: Change) -> tuple[str, str] | None:
    """What a change shares with others of its group; None: it stands alone."""
    if change.rule == "component.added":
        return (change.rule, change.direction)
    if change.rule == "response.status-added":
        found = _METHOD_FIRST.fullmatch(change.python)
        if found is not None:
            return (change.rule, found.group(2))
    return None


def _groups(changes: list[Change]) -> dict[tuple[str, str], list[Change]]:
    groups: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        key = _group_key(change)
        if key is not None:
            groups.setdefault(key, []).append(change)
    # New classes go by name once there are enough of them in all, each direction its entry.
    classes = sum(len(members) for (rule, _), members in groups.items() if rule == "component.added")
    return {
        key: members for key, members in groups.items()
        if len(members) >= _GROUP_AT or (key[0] == "component.added" and classes >= _GROUP_AT)
    }


def _group_entry(key: tuple[str, str], members: list[Change]) -> str:
    rule, shared = key
    if rule == "component.added":
        names = sorted(c.path for c in members)
        listed = ", ".join(f"`{n}`" for n in names)
        return (
            f"- {len(names)} new {'class' if len(names) == 1 else 'classes'} ({shared}): {listed}.\n"
            f"  New schemas; rule `{rule}`."
        )
    methods = sorted({m.group(1) for c in members if (m := _METHOD_FIRST.fullmatch(c.python))})
    listed = ", ".join(f"`{name}()`" for name in methods)
    first = members[0]
    why = f" Compatible: {first.reason}." if first.reason and first.section != "breaking" else ""
    return (
        f"- {len(methods)} methods {shared}: {listed}.\n"
        f"  {first.message[:1].upper() + first.message[1:]} in {len(members)} operations; rule `{rule}`.{why}"
    )


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
