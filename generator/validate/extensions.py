"""The ``x-`` extensions the generator reads (documented in spec/README.md), checked where present.

Codes: ``x-variants`` E220, ``x-streaming`` E221, ``x-exception`` E222,
``x-python-name`` E223, ``x-codegen``/``x-resource``/``x-method`` E224 (which
also covers two operations that would become the same method), ``x-request-body``
E234.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from generator.diagnostics import Diagnostic
from generator.loader import Pointer
from generator.naming import attribute_name, class_name, is_valid_identifier, snake_case
from generator.validate.document import Document, Operation
from generator.validate.operations import body_shape, parameters_of
from generator.validate.text import did_you_mean, quoted

__all__ = ["check_extensions"]

_VARIANT_KEYS = ("resource", "method", "query", "headers", "parameters", "summary", "description")
# One value of a list header (`anthropic-beta: a,b`): a token, no comma or space.
_HEADER_ITEM = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_STREAMING_KEYS = ("flag", "terminal-event", "error-event", "helper")
_CODEGEN_KEYS = {
    "package": "module",
    "client": "class",
    "async-client": "class",
    "api-key-env": "env",
    "base-url-env": "env",
}
_ENV = re.compile(r"[A-Z_][A-Z0-9_]*\Z")


def check_extensions(doc: Document) -> Iterator[Diagnostic]:
    yield from _codegen(doc)
    methods: dict[tuple[str, str], Pointer] = {}
    for op in doc.operations:
        yield from _resource_method(doc, op, methods)
        if "x-variants" in op.node:
            yield from _variants(doc, op, methods)
        if "x-streaming" in op.node:
            yield from _streaming(doc, op)
        if "x-request-body" in op.node:
            yield from _request_body(doc, op)
    for pointer, response in doc.responses:
        if "x-exception" in response:
            yield from _exception(doc, (*pointer, "x-exception"), response["x-exception"])
    for pointer, node in doc.parameters + doc.schemas:
        if "x-python-name" in node:
            yield from _python_name(doc, (*pointer, "x-python-name"), node["x-python-name"])


def _e(code: str, doc: Document, pointer: Pointer, message: str, hint: str | None = None,
       related: Pointer | None = None) -> Diagnostic:
    rel = (doc.at(related),) if related is not None else ()
    return Diagnostic(code, message, doc.at(pointer), hint=hint, related=rel)


def _is_dotted(value: Any) -> bool:
    return isinstance(value, str) and all(is_valid_identifier(p) for p in value.split("."))


def _unknown_keys(doc: Document, code: str, pointer: Pointer, node: dict[str, Any],
                  known: Any, what: str) -> Iterator[Diagnostic]:
    for key in node:
        if key not in known and not key.startswith("x-"):
            yield _e(code, doc, (*pointer, key), f"unknown key `{key}` in `{what}`",
                     hint=did_you_mean(key, known) or f"`{what}` takes {', '.join(known)}")


def _codegen(doc: Document) -> Iterator[Diagnostic]:
    if "x-codegen" not in doc.data:
        return
    node, pointer = doc.data["x-codegen"], ("x-codegen",)
    if not isinstance(node, dict):
        yield _e("E224", doc, pointer, "`x-codegen` must be a mapping")
        return
    yield from _unknown_keys(doc, "E224", pointer, node, _CODEGEN_KEYS, "x-codegen")
    for key, kind in _CODEGEN_KEYS.items():
        if key not in node:
            continue
        value = node[key]
        where = (*pointer, key)
        if kind == "module" and not _is_dotted(value):
            yield _e("E224", doc, where, f"`x-codegen.{key}` must be a Python package name",
                     hint=f"for example `{snake_case(str(value))}`")
        elif kind == "class" and not (is_valid_identifier(value) and class_name(value) == value):
            yield _e("E224", doc, where, f"`x-codegen.{key}` must be a PascalCase class name",
                     hint=f"for example `{class_name(str(value))}`")
        elif kind == "env" and not (isinstance(value, str) and _ENV.match(value)):
            yield _e("E224", doc, where,
                     f"`x-codegen.{key}` must be an environment variable name",
                     hint="upper case letters, digits and `_`, such as `ANTHROPIC_API_KEY`")


def _base_method(op: Operation) -> tuple[str, str] | None:
    """The (resource, method) an operation becomes, by the fallbacks documented in spec/README.md."""
    resource, method = op.node.get("x-resource"), op.node.get("x-method")
    if not isinstance(resource, str):
        tags = op.node.get("tags")
        resource = snake_case(tags[0]) if isinstance(tags, list) and tags and isinstance(
            tags[0], str) else None
    if not isinstance(method, str):
        op_id = op.node.get("operationId")
        method = snake_case(op_id) if isinstance(op_id, str) else None
    return (resource, method) if resource and method else None


def _resource_method(doc: Document, op: Operation,
                     methods: dict[tuple[str, str], Pointer]) -> Iterator[Diagnostic]:
    for key, check, what in (("x-resource", _is_dotted, "dotted Python names"),
                             ("x-method", is_valid_identifier, "a Python name")):
        if key in op.node and not check(op.node[key]):
            value = op.node[key]
            yield _e("E224", doc, (*op.pointer, key), f"`{key}` must be {what}",
                     hint=f"for example `{attribute_name(str(value))}`")
    base = _base_method(op)
    if base is not None:
        yield from _claim_method(doc, methods, base, op.pointer)


def _claim_method(doc: Document, methods: dict[tuple[str, str], Pointer], key: tuple[str, str],
                  pointer: Pointer) -> Iterator[Diagnostic]:
    if key in methods:
        yield _e("E224", doc, pointer, f"two operations become the method `{key[0]}.{key[1]}`",
                 related=methods[key], hint="set `x-resource` or `x-method` to tell them apart")
    else:
        methods[key] = pointer


def _variants(doc: Document, op: Operation,
              methods: dict[tuple[str, str], Pointer]) -> Iterator[Diagnostic]:
    pointer = (*op.pointer, "x-variants")
    variants = op.node["x-variants"]
    if not isinstance(variants, list):
        yield _e("E220", doc, pointer, "`x-variants` must be a list of variants")
        return
    params, _ = parameters_of(doc, op)
    names = sorted({p.name for p in params.values()})
    base = _base_method(op)
    for i, variant in enumerate(variants):
        where = (*pointer, i)
        if not isinstance(variant, dict):
            yield _e("E220", doc, where, "an `x-variants` entry must be a mapping",
                     hint="for example `{resource: beta.messages, method: create}`")
            continue
        yield from _unknown_keys(doc, "E220", where, variant, _VARIANT_KEYS, "x-variants")
        if "x-request-body" in variant:
            yield from _schema_ref(doc, (*where, "x-request-body"), variant["x-request-body"])
        resource = variant.get("resource")
        if not _is_dotted(resource):
            yield _e("E220", doc, (*where, "resource") if "resource" in variant else where,
                     "an `x-variants` entry needs a `resource` of dotted Python names",
                     hint="for example `resource: beta.messages`")
        method = variant.get("method", base[1] if base else None)
        if "method" in variant and not is_valid_identifier(method):
            yield _e("E220", doc, (*where, "method"), "`method` must be a Python name")
        elif isinstance(resource, str) and _is_dotted(resource) and isinstance(method, str):
            yield from _claim_method(doc, methods, (resource, method), where)
        for key in ("summary", "description"):
            if key in variant and not isinstance(variant[key], str):
                yield _e("E220", doc, (*where, key), f"`{key}` must be text: the variant method's own {key}")
        query = variant.get("query", {})
        if not isinstance(query, dict) or not all(
            isinstance(v, (str, int, float, bool)) for v in query.values()
        ):
            yield _e("E220", doc, (*where, "query"),
                     "`query` must map parameter names to fixed values",
                     hint="for example `query: {beta: true}`")
        yield from _variant_headers(doc, (*where, "headers"), variant.get("headers", {}))
        listed = variant.get("parameters", [])
        if not isinstance(listed, list):
            yield _e("E220", doc, (*where, "parameters"), "`parameters` must be a list of names")
            continue
        for j, name in enumerate(listed):
            if name not in names:
                yield _e("E220", doc, (*where, "parameters", j),
                         f"`x-variants` names {quoted(name)}, which is not a parameter of "
                         "this operation", hint=did_you_mean(str(name), names))


def _variant_headers(doc: Document, where: Pointer, headers: object) -> Iterator[Diagnostic]:
    hint = "for example `headers: {anthropic-beta: [message-batches-2024-09-24]}`"
    if not isinstance(headers, dict):
        yield _e("E220", doc, where, "`headers` must map header names to the values always sent", hint=hint)
        return
    for name, values in headers.items():
        items = [values] if isinstance(values, str) else values
        if not isinstance(name, str) or not _HEADER_ITEM.match(name):
            yield _e("E220", doc, where, f"{quoted(name)} is not a header name", hint=hint)
        elif not isinstance(items, list) or not items or not all(
            isinstance(v, str) and _HEADER_ITEM.match(v) for v in items
        ):
            yield _e("E220", doc, (*where, name),
                     f"the values of header {quoted(name)} must be a token or a list of tokens"
                     " (no commas or spaces: the client joins them with commas)", hint=hint)


def _streaming(doc: Document, op: Operation) -> Iterator[Diagnostic]:
    pointer = (*op.pointer, "x-streaming")
    node = op.node["x-streaming"]
    if not isinstance(node, dict):
        yield _e("E221", doc, pointer, "`x-streaming` must be a mapping",
                 hint="for example `{flag: stream, terminal-event: message_stop}`")
        return
    yield from _unknown_keys(doc, "E221", pointer, node, _STREAMING_KEYS, "x-streaming")
    for key in _STREAMING_KEYS[1:]:
        if key in node and not isinstance(node[key], str):
            yield _e("E221", doc, (*pointer, key), f"`{key}` must be a string")
    if "helper" in node and isinstance(node["helper"], str) and not is_valid_identifier(
            node["helper"]):
        yield _e("E221", doc, (*pointer, "helper"), "`helper` must be a Python name")
    flag = node.get("flag")
    if not isinstance(flag, str):
        yield _e("E221", doc, (*pointer, "flag") if "flag" in node else pointer,
                 "`x-streaming` needs a `flag`: the body property that turns streaming on")
        return
    body = body_shape(doc, op)
    if body is None or flag not in body[1]:
        yield _e("E221", doc, (*pointer, "flag"),
                 f"`x-streaming` flag `{flag}` is not a property of the JSON request body",
                 hint=did_you_mean(flag, body[1]) if body else "the operation has no JSON body")
        return
    prop_pointer, prop = body[1][flag]
    found = doc.deref(prop, prop_pointer)
    kind = found[1].get("type") if found is not None and isinstance(found[1], dict) else None
    if kind != "boolean" and not (isinstance(kind, list) and "boolean" in kind):
        yield _e("E221", doc, (*pointer, "flag"),
                 f"`x-streaming` flag `{flag}` must be a boolean body property",
                 related=prop_pointer)


def _schema_ref(doc: Document, pointer: Pointer, value: Any) -> Iterator[Diagnostic]:
    """An ``x-request-body`` names one schema component by a local ``$ref``.

    Named, because the generator makes its class from the schema's name and
    ``messages-codegen diff`` compares it as that component.
    """
    ref = value.get("$ref") if isinstance(value, dict) else None
    if not (isinstance(ref, str) and ref.startswith("#/components/schemas/") and len(value) == 1):
        yield _e("E234", doc, pointer,
                 "`x-request-body` must be a local `$ref` to a schema in `components/schemas`",
                 hint="for example `x-request-body: {$ref: '#/components/schemas/CreateParams'}`")


def _request_body(doc: Document, op: Operation) -> Iterator[Diagnostic]:
    pointer = (*op.pointer, "x-request-body")
    yield from _schema_ref(doc, pointer, op.node["x-request-body"])
    found = doc.deref(op.node.get("requestBody"), (*op.pointer, "requestBody"))
    content = found[1].get("content") if found and isinstance(found[1], dict) else None
    if not (isinstance(content, dict) and any(
            isinstance(m, str) and (m == "application/json" or m.endswith("+json")) for m in content)):
        yield _e("E234", doc, pointer,
                 "`x-request-body` replaces the schema of a JSON `requestBody`, and this "
                 "operation has none",
                 hint="add a `requestBody` with `application/json` content (its schema is what "
                 "other tools validate against), or remove `x-request-body`")


def _exception(doc: Document, pointer: Pointer, value: Any) -> Iterator[Diagnostic]:
    if not (is_valid_identifier(value) and class_name(value) == value):
        yield _e("E222", doc, pointer, f"`x-exception` {quoted(value)} is not a class name",
                 hint=f"for example `{class_name(str(value))}`")


def _python_name(doc: Document, pointer: Pointer, value: Any) -> Iterator[Diagnostic]:
    if not is_valid_identifier(value):
        yield _e("E223", doc, pointer,
                 f"`x-python-name` {quoted(value)} is not a usable Python name",
                 hint=f"for example `{attribute_name(str(value))}`")
