"""Markdown that nothing from the spec can break, on GitHub or in mkdocs.

Descriptions stay Markdown (their ``code`` spans and emphasis are kept), but
raw HTML shows as text, unmatched backticks are escaped and an unclosed code
fence is closed, so no description can swallow the rest of a page. In table
cells, ``|`` and line breaks are escaped too. Names and values are shown as
code, spelled with HTML entities where a backtick or a pipe would break the
span. Control characters become visible escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

__all__ = ["Table", "cell", "code", "fenced", "first_paragraph", "header", "heading", "inline", "prose"]

_TICKS = re.compile(r"`+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def _visible(text: str) -> str:
    """Control characters (and the line separators Python splits on) as visible escapes."""
    if text.replace("\n", "").isprintable():
        # Every character ``_CONTROL`` matches is unprintable, and this test is far
        # cheaper than the search (a diagram runs to hundreds of kilobytes).
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def _spans(text: str) -> Iterator[tuple[bool, str]]:
    """``text`` split into (is code span, piece); an unmatched backtick run is plain."""
    pos = 0
    start = 0
    while (opening := _TICKS.search(text, pos)) is not None:
        closing = next((m for m in _TICKS.finditer(text, opening.end())
                        if len(m.group()) == len(opening.group())), None)
        if closing is None:
            pos = opening.end()
            continue
        if opening.start() > start:
            yield False, text[start:opening.start()]
        yield True, text[opening.start():closing.end()]
        start = pos = closing.end()
    if start < len(text):
        yield False, text[start:]


def _plain(text: str) -> str:
    # No raw HTML (``<script>``, comments), and a lone backtick stays a backtick.
    return text.replace("<", "&lt;").replace("`", "\\`")


def inline(text: str) -> str:
    """Spec prose for one line of Markdown (a heading, a list item): code spans kept."""
    joined = " ".join(_visible(text).split())
    return "".join(piece if is_code else _plain(piece) for is_code, piece in _spans(joined))


def cell(text: str) -> str:
    """Spec prose for a table cell: paragraphs become ``<br>``, ``|`` never splits the row."""
    paragraphs = [p for p in re.split(r"\n\s*\n", _visible(text).strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        pieces = []
        for is_code, piece in _spans(" ".join(paragraph.split())):
            if not is_code:
                # A backslash would escape the ``\|`` that protects a pipe.
                pieces.append(_plain(piece.replace("\\", "\\\\")).replace("|", "\\|"))
            elif "|" in piece:
                pieces.append(code(piece.strip("`").strip()))
            else:
                pieces.append(piece)
        parts.append("".join(pieces))
    return "<br><br>".join(parts)


def prose(text: str) -> str:
    """Spec prose as Markdown blocks: raw HTML shown as text, fences always closed."""
    lines = _visible(text).strip("\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            out.append(line)
            continue
        out.append("".join(piece if is_code else _plain(piece) for is_code, piece in _spans(line)))
    if fence is not None:
        out.append(fence)
    return "\n".join(out).strip()


def code(text: str) -> str:
    """``text`` as inline code that is safe in a table cell and in running text."""
    text = " ".join(_visible(text).split("\n"))
    if "|" in text or "`" in text:
        # Markdown still reads the text inside an HTML element: every sign as an entity.
        return "<code>" + "".join(
            ch if ch.isalnum() or ch == " " or not ch.isascii() else f"&#{ord(ch)};" for ch in text
        ) + "</code>"
    return f"`{text}`"


def fenced(text: str, lang: str = "") -> str:
    """A fenced code block around ``text``, its fence longer than any backtick run inside."""
    # The membership test first, as it is far cheaper than the search.
    longest = max((len(m.group()) for m in _TICKS.finditer(text)), default=0) if "`" in text else 0
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{_visible(text).rstrip()}\n{fence}"


def header(source: str) -> str:
    """The first line of every page: an HTML comment, invisible once rendered."""
    return f"<!-- Generated by messages-codegen from {source.replace('--', '- -')}. Do not edit by hand. -->\n\n"


def heading(text: str) -> str:
    text = inline(text)
    return text[:-1] + "\\#" if text.endswith("#") else text


def first_paragraph(text: str) -> str:
    return re.split(r"\n\s*\n", text.strip())[0] if text.strip() else ""



@dataclass
class Table:
    """A Markdown table: its head and rows of already escaped cells."""

    head: list[str]
    rows: list[list[str]] = field(default_factory=list)
