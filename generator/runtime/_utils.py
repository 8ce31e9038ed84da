"""Small helpers the generated methods call to put arguments on the wire."""

from __future__ import annotations

from typing import Mapping
from urllib.parse import quote

from ._types import NotGiven

__all__ = ["format_path", "header_value"]


def format_path(template: str, values: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders, escaping each value as one path segment."""
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(_text(value), safe=""))
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
