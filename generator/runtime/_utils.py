"""Small helpers the generated methods call to put arguments on the wire."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Mapping, Sequence
from urllib.parse import quote

from ._errors import DownloadNotReadyError
from ._types import NotGiven

__all__ = ["format_path", "header_value", "linked_url"]


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


def header_value(value: object, always: Sequence[str] = ()) -> str | NotGiven:
    """A header (or comma-joined query) value: lists are joined with commas.

    ``always`` are values this method sends in the header whatever the caller
    gives: they follow the caller's, and one the caller already gave is not
    repeated (as a set of flags, ``a,b,a`` means no more than ``a,b``).
    """
    if isinstance(value, NotGiven):
        return ",".join(always) if always else value
    if isinstance(value, (list, tuple)):
        items = [_text(v) for v in value]
    else:
        items = [_text(value)]
    if always:
        given = {part.strip() for item in items for part in item.split(",")}
        items += [a for a in always if a not in given]
    return ",".join(items)


def linked_url(source: object, field: str, state: str | None = None) -> str:
    """The URL in ``source``'s ``field``; ``DownloadNotReadyError`` while it is unset.

    ``state`` names a field of ``source`` quoted in the error (how far along
    the thing the URL belongs to is), so the message says why there is no URL.
    """
    url = getattr(source, field, None)
    if isinstance(url, str) and url:
        return url
    kind = type(source).__name__
    status = getattr(source, state, None) if state else None
    why = f" ({state}: {_text(status)})" if state else ""
    raise DownloadNotReadyError(
        f"`{field}` of the {kind} is null{why}: there is nothing to download;"
        f" it is set once the download is ready (retrieve the {kind} again to see)",
        field=field,
        state=status,
        source=source,
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)  # an enum member: its wire value
    return str(value)
