"""Checks of ``x-pagination`` (E231) and of JSON Lines responses (E232).

``x-pagination`` names fields of the operation's JSON success response and
query parameters of the operation; each name must exist, so that a typo is a
located error rather than a list that silently stops after one page.
"""

from __future__ import annotations

from typing import Any, Iterator

from generator.diagnostics import Diagnostic
from generator.loader import Pointer
from generator.paging import (
    CURSOR_KEYS,
    JSONL_MEDIA,
    PAGINATION_KEYS,
    pagination_settings,
)
from generator.validate.document import Document, Operation
from generator.validate.operations import parameters_of
from generator.validate.text import did_you_mean

__all__ = ["check_paging", "success_json"]


def check_paging(doc: Document) -> Iterator[Diagnostic]:
    for op in doc.operations:
        if "x-pagination" in op.node:
            yield from _pagination(doc, op)
        yield from _jsonl(doc, op)


def _e(code: str, doc: Document, pointer: Pointer, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, doc.at(pointer), hint=hint)


def success_json(doc: Document, op: Operation) -> tuple[Pointer, Any] | None:
    responses = op.node.get("responses")
    if not isinstance(responses, dict):
        return None
    for status in sorted(responses, key=str):
        if not str(status).startswith("2"):
            continue
        found = doc.deref(responses[status], (*op.pointer, "responses", status))
        if found is None or not isinstance(found[1], dict):
            continue
        media = (found[1].get("content") or {}).get("application/json")
        if isinstance(media, dict) and "schema" in media:
            return (*found[0], "content", "application/json", "schema"), media["schema"]
    return None


def _pagination(doc: Document, op: Operation) -> Iterator[Diagnostic]:
    pointer = (*op.pointer, "x-pagination")
    node = op.node["x-pagination"]
    if not isinstance(node, dict):
        yield _e("E231", doc, pointer, "`x-pagination` must be a mapping",
                 hint="for example `{items: data, next: {parameter: after_id, cursor: last_id}}`")
        return
    for key in node:
        if key not in PAGINATION_KEYS and not key.startswith("x-"):
            yield _e("E231", doc, (*pointer, key), f"unknown key `{key}` in `x-pagination`",
                     hint=did_you_mean(key, PAGINATION_KEYS) or f"`x-pagination` takes {', '.join(PAGINATION_KEYS)}")
    for key in ("items", "has-more"):
        if key in node and not isinstance(node[key], str):
            yield _e("E231", doc, (*pointer, key), f"`{key}` must be a property name")
    for key in ("next", "previous"):
        cursor = node.get(key)
        if key not in node or cursor is None:
            continue
        if not isinstance(cursor, dict) or any(
            k not in CURSOR_KEYS or not isinstance(v, str) for k, v in cursor.items()
        ):
            yield _e("E231", doc, (*pointer, key),
                     f"`{key}` must map `parameter` (a query parameter) and `cursor` (a page field) to names",
                     hint=f"for example `{key}: {{parameter: after_id, cursor: last_id}}`")
            return
    settings = pagination_settings(node)
    body = success_json(doc, op)
    if body is None:
        yield _e("E231", doc, pointer, "a paginated operation needs a JSON success response (the page)")
        return
    yield from _page_shape(doc, pointer, node, body, "the page")
    params, _ = parameters_of(doc, op)
    query = sorted(p.name for p in params.values() if p.location == "query")
    for key in ("next", "previous"):
        name = settings.cursor_parameter(key)
        if name is not None and name not in query:
            where = (*pointer, key) if key in node else pointer
            yield _e("E231", doc, where, f"`{name}` is not a query parameter of this operation",
                     hint=did_you_mean(name, query) or "declare it under `parameters` with `in: query`")
    # A variant with its own reply type has its own page schema, held to the same names.
    variants = op.node.get("x-variants")
    for index, variant in enumerate(variants if isinstance(variants, list) else []):
        if isinstance(variant, dict) and "x-response" in variant:
            where = (*op.pointer, "x-variants", index, "x-response")
            yield from _page_shape(doc, where, node, (where, variant["x-response"]), "the variant's page")


def _page_shape(
    doc: Document, pointer: Pointer, node: dict[str, Any], body: tuple[Pointer, Any], page: str
) -> Iterator[Diagnostic]:
    """The page schema ``body`` has the item list and the fields ``x-pagination`` names.

    ``pointer`` locates the problems: ``x-pagination`` for the operation's own page,
    the variant's ``x-response`` for a variant's page.
    """
    settings = pagination_settings(node)
    own = pointer[-1] == "x-pagination"
    properties, _ = doc.object_shape(body[1], body[0])
    items = properties.get(settings.items)
    at_items = (*pointer, "items") if own and "items" in node else pointer
    if items is None:
        yield _e("E231", doc, at_items,
                 f"{page} has no property `{settings.items}` to hold its items",
                 hint=did_you_mean(settings.items, properties) or "name it with `items:`")
    else:
        found = doc.deref(items[1], items[0])
        if found is None or not isinstance(found[1], dict) or found[1].get("type") != "array":
            yield _e("E231", doc, at_items, f"{page}'s `{settings.items}` must be an array")
    fields = [("has-more", settings.has_more)]
    fields += [(key, settings.cursor_field(key)) for key in ("next", "previous")]
    for key, name in fields:
        if name is not None and name not in properties:
            where = (*pointer, key) if own and key in node else pointer
            yield _e("E231", doc, where, f"{page} has no property `{name}`",
                     hint=did_you_mean(name, properties) or f"set `{key}` to a property of the page")


def _jsonl(doc: Document, op: Operation) -> Iterator[Diagnostic]:
    responses = op.node.get("responses")
    if not isinstance(responses, dict):
        return
    for status, response in responses.items():
        found = doc.deref(response, (*op.pointer, "responses", status))
        if found is None or not isinstance(found[1], dict):
            continue
        content = found[1].get("content")
        if not isinstance(content, dict):
            continue
        for media in JSONL_MEDIA:
            entry = content.get(media)
            if entry is None:
                continue
            if not isinstance(entry, dict) or not ("schema" in entry or "itemSchema" in entry):
                yield _e("E232", doc, (*found[0], "content", media),
                         f"a `{media}` response needs a `schema`: the shape of one line",
                         hint="each line of the download is parsed into it")
            elif isinstance(content, dict) and len(content) > 1 and str(status).startswith("2"):
                yield _e("E232", doc, (*found[0], "content", media),
                         f"a `{media}` success response must be the response's only media type",
                         hint="the generated method streams lines; it cannot also return JSON")
