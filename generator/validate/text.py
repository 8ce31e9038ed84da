"""Short renderings of values for messages: a diagnostic never quotes a whole spec."""

from __future__ import annotations

import difflib
import json
import reprlib
from typing import Any, Iterable

from jsonschema.exceptions import ValidationError

__all__ = [
    "did_you_mean",
    "error_message",
    "instance_path",
    "json_list",
    "json_type",
    "most_specific",
    "quoted",
    "short",
    "short_repr",
]

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


def json_list(values: Any, limit: int = 10) -> str:
    """Allowed values as JSON, comma-separated: ``"a", "b", 3``."""
    if not isinstance(values, list):
        return short_repr(values)
    shown = [short(json.dumps(v), 40) for v in values[:limit]]
    return ", ".join(shown) + (", ..." if len(values) > limit else "")


def quoted(value: Any) -> str:
    """A name from the spec in backticks, or a short repr if it is not a string."""
    return f"`{short(value, 60)}`" if isinstance(value, str) else short_repr(value)


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


def most_specific(error: ValidationError) -> ValidationError:
    """Descend through oneOf/anyOf failures into the one branch the value was meant for.

    The OpenAPI schema writes most objects as ``oneOf: [Reference, Thing]``, so
    the top-level error says only "not valid under any of the given schemas".
    A branch is ruled out when the value is not even of its type, or is not a
    Reference when the branch requires ``$ref``; of the rest, branches whose
    tag-like fields (``in``, ``type``) reject the value go next.
    """
    for _ in range(20):
        if not error.context:
            return error
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            key = sub.relative_schema_path[0] if sub.relative_schema_path else None
            branches.setdefault(key, []).append(sub)
        depth = len(error.absolute_path)
        candidates = [errs for errs in branches.values() if not _ruled_out(errs, depth)]
        if len(candidates) > 1:
            narrowed = [errs for errs in candidates if not _rejects_tag(errs, depth)]
            candidates = narrowed or candidates
        if len(candidates) != 1:
            return error
        errs = candidates[0]
        error = max(errs, key=lambda e: len(e.absolute_path))
    return error


def _ruled_out(errors: list[ValidationError], depth: int) -> bool:
    for e in errors:
        if len(e.absolute_path) != depth:
            continue
        if e.validator == "type":
            return True
        if e.validator == "required" and e.validator_value == ["$ref"]:
            return True
    return False


def _rejects_tag(errors: list[ValidationError], depth: int) -> bool:
    return any(
        e.validator in ("enum", "const") and len(e.absolute_path) == depth + 1 for e in errors
    )


def error_message(error: ValidationError) -> str:
    text = error.message
    instance = error.instance
    if isinstance(instance, (dict, list)) or (isinstance(instance, str) and len(instance) > 60):
        text = text.replace(repr(instance), short_repr(instance))
    return short(text)


def instance_path(error: ValidationError) -> str:
    """Where in a value an error is, as ``content[0].type`` (empty for the value itself)."""
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
