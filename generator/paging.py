"""What ``x-pagination`` and JSON Lines responses mean, shared by validation and the build.

``x-pagination`` (on an operation) says that the JSON success response is one
page of a list::

    x-pagination:
      items: data                                   # the page's list (default `data`)
      has-more: has_more                            # "more pages follow" (default `has_more`)
      next: {parameter: after_id, cursor: last_id}  # next page: after_id = page.last_id
      previous: {parameter: before_id, cursor: first_id}

Every key is optional; the defaults are the shape above. ``has-more``,
``next`` or ``previous`` set to ``null`` mean the page has no such thing.

A response whose media type is JSON Lines (``application/x-jsonl`` and its
spellings) is plain OpenAPI: its ``schema`` (or OpenAPI 3.2's ``itemSchema``)
describes one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from generator import ir
from generator.loader import Pointer

__all__ = [
    "CURSOR_KEYS",
    "JSONL_MEDIA",
    "PAGINATION_KEYS",
    "PaginationSettings",
    "jsonl_lines",
    "line_schema",
    "pagination",
    "pagination_settings",
]

PAGINATION_KEYS = ("items", "has-more", "next", "previous")
CURSOR_KEYS = ("parameter", "cursor")
JSONL_MEDIA = ("application/x-jsonl", "application/jsonl", "application/x-ndjson", "application/jsonlines")
_DEFAULT_CURSORS = {
    "next": {"parameter": "after_id", "cursor": "last_id"},
    "previous": {"parameter": "before_id", "cursor": "first_id"},
}


@dataclass(frozen=True)
class PaginationSettings:
    items: str
    has_more: str | None
    cursors: dict[str, dict[str, str] | None]

    def cursor_parameter(self, key: str) -> str | None:
        cursor = self.cursors.get(key)
        return cursor.get("parameter") if cursor else None

    def cursor_field(self, key: str) -> str | None:
        cursor = self.cursors.get(key)
        return cursor.get("cursor") if cursor else None


def pagination_settings(node: dict[str, Any]) -> PaginationSettings:
    """``x-pagination`` with its defaults filled in (the node is assumed valid)."""
    cursors: dict[str, dict[str, str] | None] = {}
    for key, default in _DEFAULT_CURSORS.items():
        value = node.get(key, default)
        cursors[key] = {**default, **value} if isinstance(value, dict) else None
    has_more = node.get("has-more", "has_more")
    return PaginationSettings(
        items=str(node.get("items", "data")),
        has_more=str(has_more) if has_more is not None else None,
        cursors=cursors,
    )


def pagination(
    node: Any, result: ir.TypeExpr | None, schemas: dict[str, ir.Schema]
) -> ir.Pagination | None:
    """The IR of a validated ``x-pagination``; ``None`` when the page has no list of items."""
    if not isinstance(node, dict) or not isinstance(result, ir.Ref):
        return None
    page = schemas.get(result.name)
    if not isinstance(page, ir.ObjectSchema):
        return None
    settings = pagination_settings(node)
    field = next((f for f in page.fields if f.name == settings.items), None)
    item = field.type if field is not None else None
    if isinstance(item, ir.Nullable):
        item = item.inner
    if not isinstance(item, ir.ListOf):
        return None
    return ir.Pagination(
        item_type=item.item,
        items=settings.items,
        has_more=settings.has_more,
        after=settings.cursor_parameter("next"),
        last=settings.cursor_field("next"),
        before=settings.cursor_parameter("previous"),
        first=settings.cursor_field("previous"),
    )


def line_schema(content: dict[str, Any]) -> tuple[str, str, Any] | None:
    """(media type, key, schema) of a JSON Lines entry of a response's ``content``."""
    for media in JSONL_MEDIA:
        entry = content.get(media)
        if isinstance(entry, dict):
            for key in ("itemSchema", "schema"):
                if key in entry:
                    return media, key, entry[key]
    return None


def jsonl_lines(
    raw: dict[str, Any],
    resolve: Callable[[Any], Any],
    type_of: Callable[[Any, str, Pointer], ir.TypeExpr],
    pointer: Pointer,
    owner: str,
) -> tuple[ir.TypeExpr | None, str | None]:
    """The type of one line of the operation's JSON Lines success response, and its media type."""
    responses = raw.get("responses") or {}
    for status in sorted(responses, key=str):
        if not str(status).startswith("2"):
            continue
        response = resolve(responses[status])
        found = line_schema((response.get("content") or {}) if isinstance(response, dict) else {})
        if found is not None:
            media, key, schema = found
            where = pointer + ("responses", status, "content", media, key)
            return type_of(schema, owner + "Line", where), media
    return None, None
