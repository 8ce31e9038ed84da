"""Short renderings of values for messages: a diagnostic never quotes a whole spec."""

from __future__ import annotations

import difflib
import reprlib
from typing import Any, Iterable

__all__ = ["did_you_mean", "json_type", "short", "short_repr"]

_MAX_MESSAGE = 200

_repr = reprlib.Repr()
_repr.maxlevel = 2
_repr.maxdict = 4
_repr.maxlist = 4
_repr.maxstring = 40
_repr.maxother = 40


def short_repr(value: Any) -> str:
    """A JSON-ish value as a short Python literal, elided with ``...``."""
    return _repr.repr(value)


def short(text: str, limit: int = _MAX_MESSAGE) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_type(value: Any) -> str:
    """The JSON name of a loaded value's type, with an article: "an object"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, [c for c in choices if isinstance(c, str)], n=1)
    return f"did you mean `{close[0]}`?" if close else None
