"""Small helpers the generated methods call to put arguments on the wire."""

from __future__ import annotations

from typing import Mapping
from urllib.parse import quote

from ._types import NotGiven

__all__ = ["format_path", "header_value"]


def format_path(template: str, values: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders, escaping each value as one path segment.

    A value that is empty, ``.`` or ``..``, or that holds a ``/``, is refused
    before any request is made: percent-encoding alone would still let
    ``"../x"`` or ``""`` reach a different resource than the one named.
    """
    path = template
    for name, value in values.items():
        text = _text(value)
        if text in ("", ".", "..") or "/" in text or "\\" in text:
            raise ValueError(
                f"path parameter `{name}` must be a non-empty identifier without `/`,"
                f" and not `.` or `..`; got {text!r}"
            )
        path = path.replace("{" + name + "}", quote(text, safe=""))
    return path


def header_value(value: object) -> str | NotGiven:
    """A header (or comma-joined query) value: lists are joined with commas."""
    if isinstance(value, NotGiven):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    return _text(value)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
