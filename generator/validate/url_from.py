"""Checks of ``x-url-from`` (E240-E244, W320-W321).

The generated download calls another operation's method first and follows a
URL field of its reply (``generator.url_from``). Each name must point at
something that exists and has the right shape, or the method would fail at
run time on every call instead of at generation time.
"""

from __future__ import annotations

from typing import Any, Iterator

from generator import naming
from generator.diagnostics import Diagnostic
from generator.loader import Pointer
from generator.url_from import URL_FROM_KEYS
from generator.validate.document import Document, Operation
from generator.validate.operations import parameters_of
from generator.validate.paging import success_json
from generator.validate.text import did_you_mean

__all__ = ["check_url_from"]


def check_url_from(doc: Document) -> Iterator[Diagnostic]:
    by_id = {
        op.node["operationId"]: op
        for op in doc.operations
        if op.is_path and isinstance(op.node.get("operationId"), str)
    }
    for op in doc.operations:
        if op.is_path and "x-url-from" in op.node:
            yield from _check(doc, op, by_id)


def _e(code: str, doc: Document, pointer: Pointer, message: str, hint: str | None = None) -> Diagnostic:
    if code.startswith("W"):
        return Diagnostic(code, message, doc.at(pointer), severity="warning", hint=hint)
    return Diagnostic(code, message, doc.at(pointer), hint=hint)


def _check(doc: Document, op: Operation, by_id: dict[str, Operation]) -> Iterator[Diagnostic]:
    pointer = (*op.pointer, "x-url-from")
    node = op.node["x-url-from"]
    example = "for example `{operation: batches_retrieve, field: results_url}`"
    if not isinstance(node, dict):
        yield _e("E240", doc, pointer, "`x-url-from` must be a mapping", hint=example)
        return
    problems = False
    for key in node:
        if key not in URL_FROM_KEYS and not str(key).startswith("x-"):
            yield _e("E240", doc, (*pointer, key), f"unknown key `{key}` in `x-url-from`",
                     hint=did_you_mean(str(key), URL_FROM_KEYS) or f"`x-url-from` takes {', '.join(URL_FROM_KEYS)}")
    for key in ("operation", "field"):
        if not isinstance(node.get(key), str) or not node[key]:
            problems = True
            where = (*pointer, key) if key in node else pointer
            yield _e("E240", doc, where, f"`x-url-from` needs `{key}`: "
                     + ("an operationId" if key == "operation" else "a property of that operation's reply"),
                     hint=example)
    if "state" in node and not isinstance(node["state"], str):
        problems = True
        yield _e("E240", doc, (*pointer, "state"), "`state` must be a property name")
    if problems:
        return
    source = by_id.get(node["operation"])
    if source is None:
        yield _e("E241", doc, (*pointer, "operation"),
                 f"no operation has the operationId `{node['operation']}`",
                 hint=did_you_mean(node["operation"], sorted(by_id)) or "name the operation whose reply holds the URL")
        return
    if source is op:
        yield _e("E241", doc, (*pointer, "operation"), "`x-url-from` names its own operation",
                 hint="name the operation whose reply holds the URL")
        return
    yield from _reply_fields(doc, pointer, node, source)
    yield from _same_resource(doc, pointer, op, source)
    yield from _arguments(doc, pointer, op, source)
    if op.node.get("requestBody") is not None or op.method != "get":
        yield _e("E244", doc, pointer, f"a download by URL is a GET without a body, not `{op.method.upper()}`",
                 hint="the URL the reply gives is fetched with GET")


def _reply_fields(doc: Document, pointer: Pointer, node: dict[str, Any], source: Operation) -> Iterator[Diagnostic]:
    body = success_json(doc, source)
    if body is None:
        yield _e("E242", doc, (*pointer, "operation"),
                 f"`{node['operation']}` has no JSON success reply to read `{node['field']}` from")
        return
    properties, _ = doc.object_shape(body[1], body[0])
    for key in ("field", "state"):
        name = node.get(key)
        if name is None:
            continue
        if name not in properties:
            yield _e("E242", doc, (*pointer, key),
                     f"the reply of `{node['operation']}` has no property `{name}`",
                     hint=did_you_mean(name, sorted(properties)) or "name a property of its JSON success reply")
            continue
        if key != "field":
            continue
        found = doc.deref(properties[name][1], properties[name][0])
        schema = found[1] if found is not None and isinstance(found[1], dict) else {}
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "string" not in kinds:
            yield _e("E242", doc, (*pointer, key), f"`{name}` must be a string (the URL) to be followed",
                     hint="give it `type: string` (or `[string, \"null\"]` while it may be unset)")
        elif schema.get("format") not in ("uri", "uri-reference", "url"):
            yield _e("W321", doc, (*pointer, key), f"`{name}` does not say it holds a URL",
                     hint="add `format: uri` (or `uri-reference` for a URL relative to the server)")


def _resource(op: Operation) -> str:
    resource = op.node.get("x-resource")
    if isinstance(resource, str):
        return resource
    tags = op.node.get("tags")
    return naming.snake_case(str(tags[0])) if isinstance(tags, list) and tags else "default"


def _variant_resources(op: Operation) -> list[tuple[int, str]]:
    variants = op.node.get("x-variants")
    found = []
    for index, variant in enumerate(variants if isinstance(variants, list) else []):
        if isinstance(variant, dict):
            found.append((index, str(variant.get("resource") or _resource(op))))
    return found


def _same_resource(doc: Document, pointer: Pointer, op: Operation, source: Operation) -> Iterator[Diagnostic]:
    # The download calls the source's method on its own resource (``self.retrieve``),
    # so every resource that has the download must have the source too.
    mine, theirs = _resource(op), _resource(source)
    if mine != theirs:
        yield _e("E243", doc, (*pointer, "operation"),
                 f"`{source.node['operationId']}` is on `{theirs}`, not on `{mine}` with this download",
                 hint="the download calls that method of its own resource; give both the same `x-resource`")
        return
    offered = {resource for _, resource in _variant_resources(source)} | {theirs}
    for index, resource in _variant_resources(op):
        if resource not in offered:
            yield _e("E243", doc, (*op.pointer, "x-variants", index),
                     f"the variant on `{resource}` has no `{source.node['operationId']}` there to ask for the URL",
                     hint=f"give `{source.node['operationId']}` an `x-variants` entry with `resource: {resource}`")


def _arguments(doc: Document, pointer: Pointer, op: Operation, source: Operation) -> Iterator[Diagnostic]:
    mine, _ = parameters_of(doc, op)
    theirs, _ = parameters_of(doc, source)
    for (name, where), param in sorted(theirs.items()):
        if param.node.get("required") and (name, where) not in mine:
            yield _e("E244", doc, (*pointer, "operation"),
                     f"`{source.node['operationId']}` requires the {where} parameter `{name}`, which this download lacks",
                     hint="the download passes its own arguments on; declare the parameter here too")
    # Query values a variant fixes (`beta: true`) are not arguments of any method.
    variants = op.node.get("x-variants")
    fixed = {
        str(key)
        for variant in (variants if isinstance(variants, list) else [])
        if isinstance(variant, dict) and isinstance(variant.get("query"), dict)
        for key in variant["query"]
    }
    query = sorted(name for (name, where) in mine if where == "query" and name not in fixed)
    if query:
        yield _e("W320", doc, pointer,
                 f"query parameter{'s' if len(query) > 1 else ''} {', '.join(f'`{q}`' for q in query)}"
                 " will not be sent: the URL the reply gives is used as it is",
                 hint="remove them, or download by path without `x-url-from`")
