"""Examples and defaults match their schemas (E214, E215, E216).

Values are checked with jsonschema against the schema where it is written, with
``$ref``s resolved through one referencing Registry holding the whole document:
Draft 2020-12 (as OpenAPI's dialect extends it) for 3.1, and openapi-schema-
validator's OAS 3.0 validator (Draft 4 plus ``nullable``) for 3.0.

An example of a ``text/event-stream`` body is the stream's text, not one value:
each event's ``data:`` is one JSON value of the media type's schema.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator
from urllib.parse import quote

from jsonschema.exceptions import ValidationError, relevance
from referencing import Registry, Resource, Specification
from referencing.jsonschema import DRAFT202012

from generator.diagnostics import Diagnostic, Location
from generator.loader import Pointer
from generator.validate.document import Document, ExampleSite, pointer_text
from generator.validate.oas import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from generator.validate.text import error_message, instance_path, most_specific, short

__all__ = ["check_examples", "sse_events"]

# The document's URI inside the registry; any absolute URI would do.
_BASE = "urn:openapi-document"
_CODES = {"example": "E214", "default": "E215"}
# `example: |` (or `value: |-`, `|2+`, ...), possibly with a trailing comment.
_LITERAL_BLOCK = re.compile(r"[^:]*:\s*\|[-+0-9]*\s*(#.*)?$")


def check_examples(doc: Document) -> Iterator[Diagnostic]:
    if not doc.examples:
        return
    schemas = _Schemas(doc)
    for site in doc.examples:
        if site.media_type is not None and site.media_type.startswith("text/event-stream"):
            yield from _check_stream(doc, schemas, site)
            continue
        error = schemas.first_error(site.schema_pointer, site.value)
        if error is not None:
            yield _diagnostic(doc, _CODES[site.kind], site, f"{site.kind} does not match its "
                              f"schema: {_detail(error)}")


def _diagnostic(doc: Document, code: str, site: ExampleSite, message: str,
                line: int | None = None, hint: str | None = None) -> Diagnostic:
    related = (doc.at(site.used_at),) if site.used_at is not None else ()
    where = doc.at(site.pointer)
    if line is not None:
        where = _line_in_block(doc, where, line)
    return Diagnostic(code, message, where, related=related,
                      hint=hint or f"the schema is `{_schema_name(doc, site.schema_pointer)}`")


def _detail(error: ValidationError) -> str:
    error = most_specific(error)
    where = instance_path(error)
    text = error_message(error)
    return f"at `{where}`: {text}" if where else text


class _Schemas:
    """Validators for the schemas at given places, built once per place."""

    def __init__(self, doc: Document) -> None:
        spec: Specification[Any]
        if doc.version == "3.0":
            # 3.0 has no $id: every ref is relative to the document itself.
            self.cls, self.formats, spec = OAS30Validator, oas30_format_checker, Specification.OPAQUE
        else:
            self.cls, self.formats, spec = OAS31Validator, oas31_format_checker, DRAFT202012
        resource: Resource[Any] = spec.create_resource(doc.data)
        self.registry: Registry[Any] = Registry().with_resource(_BASE, resource)
        self.validators: dict[Pointer, Any] = {}

    def first_error(self, pointer: Pointer, value: Any) -> ValidationError | None:
        """The most relevant error of ``value`` against the schema at ``pointer``.

        A schema that cannot be used (a dangling ref, a bad regex, an unknown
        type) gives no error here: other checks report the schema itself.
        """
        validator = self.validators.get(pointer)
        if validator is None:
            ref = _BASE + "#/" + "/".join(
                quote(str(p).replace("~", "~0").replace("/", "~1"), safe="") for p in pointer
            )
            validator = self.cls({"$ref": ref}, registry=self.registry,
                                 format_checker=self.formats)
            self.validators[pointer] = validator
        try:
            errors = list(validator.iter_errors(value))
        except Exception:
            return None
        # Not jsonschema's best_match: it descends into the wrong union branch,
        # where most_specific (later) picks the branch whose tag matches.
        return max(errors, key=relevance) if errors else None


def sse_events(text: str) -> Iterator[tuple[int, str | None, str]]:
    """The events of an SSE stream as (line of first data, event name, data).

    Follows the WHATWG parsing rules (comments, one optional space after the
    colon, multi-line data joined with newlines), except that an event still
    open at the end of the text counts: examples often omit the last blank line.
    """
    name: str | None = None
    data: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line == "":
            if data:
                yield first, name, "\n".join(data)
            name, data = None, []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            if not data:
                first = number
            data.append(value)
        elif field == "event":
            name = value


def _check_stream(doc: Document, schemas: _Schemas, site: ExampleSite) -> Iterator[Diagnostic]:
    if site.kind != "example":
        return
    if not isinstance(site.value, str):
        yield _diagnostic(doc, "E216", site, "an event-stream example must be the stream's "
                          "text", hint="write it as a `|` block of `event:` and `data:` lines")
        return
    count = 0
    for count, (line, name, data) in enumerate(sse_events(site.value), start=1):
        where = f"SSE event {count}"
        try:
            value = json.loads(data)
        except ValueError as exc:
            yield _diagnostic(doc, "E216", site, f"{where}: `data:` is not JSON: {short(str(exc))}",
                              line, hint="each event's `data:` lines together hold one JSON value")
            continue
        error = schemas.first_error(site.schema_pointer, value)
        if error is not None:
            yield _diagnostic(doc, "E216", site, f"{where} does not match the stream's schema: "
                              f"{_detail(error)}", line)
        elif name is not None and isinstance(value, dict) and isinstance(value.get("type"), str) \
                and value["type"] != name:
            yield _diagnostic(doc, "E216", site, f"{where} is named `{name}` but its data has "
                              f"`type: {value['type']}`", line,
                              hint="the `event:` name and the data's `type` must agree")
    if count == 0:
        yield _diagnostic(doc, "E216", site, "the event-stream example has no `data:` lines")


def _line_in_block(doc: Document, key: Location, line: int) -> Location:
    """Where line ``line`` of a ``|`` block scalar written at ``key`` is in the file.

    Only a literal block maps its lines one to one onto the file's; for any
    other style the key itself is the best place to point at.
    """
    raw = doc.spec.text_of(key.path)
    if raw is None:
        return key
    lines = raw.decode("utf-8", "replace").splitlines()
    header = lines[key.line - 1][key.col - 1:] if key.line <= len(lines) else ""
    target = key.line + line
    if not _LITERAL_BLOCK.match(header) or target > len(lines):
        return key
    text = lines[target - 1]
    return Location(key.path, target, len(text) - len(text.lstrip()) + 1)


def _schema_name(doc: Document, pointer: Pointer) -> str:
    """The ref a schema is written as, if it is one: more telling than where it is used."""
    node = doc.node_at(pointer)
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and len(node) == 1:
        return str(node["$ref"])
    return pointer_text(pointer)
