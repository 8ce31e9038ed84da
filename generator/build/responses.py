"""Responses, their examples, event streams and the error table."""

from __future__ import annotations

from typing import Any, Iterator

from generator import ir
from generator.build.common import _FORMS, _HTTP_METHODS, _JSON_TYPES, _text
from generator.build.schemas import _SchemaBuilder
from generator.loader import Pointer
from generator.paging import JSONL_MEDIA

# Media types that are not a file of bytes: read by their own paths, or structured.
_NOT_BINARY = frozenset({"text/event-stream", *JSONL_MEDIA, *_FORMS})
# Keywords of a structured (object or array) schema.
_STRUCTURED = ("properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties")


def is_json(media: str | None) -> bool:
    """``application/json`` and its structured-suffix kin (``application/problem+json``)."""
    if media is None:
        return False
    base = media.split(";")[0].strip().lower()
    return base in _JSON_TYPES or base.endswith("+json")


_DEFAULT_ERROR_NAMES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    413: "RequestTooLargeError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    529: "OverloadedError",
}


class _ResponseBuilder(_SchemaBuilder):
    def examples(self, media: str, entry: Any) -> tuple[ir.Example, ...]:
        """A media type's examples: its named ``examples`` (refs followed), or its lone ``example``."""
        if not isinstance(entry, dict):
            return ()
        if "examples" not in entry:
            return (ir.Example("example", media, entry["example"]),) if "example" in entry else ()
        found = []
        for name, example in (entry.get("examples") or {}).items():
            example = self.resolve(example)
            if isinstance(example, dict) and "value" in example:
                found.append(ir.Example(
                    str(name), media, example["value"],
                    _text(example.get("summary")), _text(example.get("description")),
                ))
        return tuple(found)

    def responses(self, raw: dict[str, Any], pointer: Pointer, owner: str) -> Iterator[ir.Response]:
        for status in sorted(raw.get("responses", {}) or {}):
            response = self.resolve(raw["responses"][status])
            content = response.get("content") or {}
            media = next((m for m in sorted(content) if is_json(m)), None)
            media = media or next(iter(sorted(content)), None)
            type_expr = None
            if media is not None and is_json(media):
                type_expr = self.type_of(
                    content[media].get("schema", {}), owner + "Response",
                    pointer + ("responses", status, "content", media, "schema"),
                )
            yield ir.Response(
                status=str(status),
                description=_text(response.get("description")),
                type=type_expr,
                content_type=media,
                headers=tuple(sorted(response.get("headers") or {})),
                examples=tuple(
                    e for m in content for e in self.examples(m, content[m])
                ),
            )

    def is_binary(self, media: str, entry: Any) -> bool:
        """Whether a body of ``media`` is bytes: no schema, or a string one (``format: binary``)."""
        if is_json(media) or media in _NOT_BINARY:
            return False
        schema = self.resolve(entry.get("schema")) if isinstance(entry, dict) else None
        return not schema or (isinstance(schema, dict) and schema.get("type") in ("string", None)
                              and not any(k in schema for k in _STRUCTURED))

    def download_media(self, raw: dict[str, Any]) -> str | None:
        """The ``Accept`` of an operation whose success is a binary body (a file, an image).

        Anything a 2xx response sends that is not JSON, an event stream or JSON
        Lines is handed to the caller as bytes, never parsed, so no media type
        is refused here.
        """
        found: set[str] = set()
        for status, response in (raw.get("responses") or {}).items():
            if not str(status).startswith("2"):
                continue
            content = self.resolve(response).get("content") or {}
            found.update(m for m in content if not is_json(m) and m not in _NOT_BINARY)
        return ", ".join(sorted(found)) if found else None

    def stream_info(
        self, raw: dict[str, Any], pointer: Pointer, body: tuple[ir.Field, ...], owner: str
    ) -> ir.StreamInfo | None:
        config = raw.get("x-streaming")
        event_schema = None
        for status, response in sorted((raw.get("responses") or {}).items()):
            content = self.resolve(response).get("content") or {}
            if str(status).startswith("2") and "text/event-stream" in content:
                event_schema = (status, content["text/event-stream"].get("schema", {}))
        if event_schema is None:
            return None
        config = config or {}
        flag = config.get("flag", "stream")
        flag_field = next((f for f in body if f.name == flag), None)
        if flag_field is None:
            self.problem(
                "E405", pointer, f"the event stream needs a boolean body property `{flag}` to request it",
                hint="name it with `x-streaming: {flag: ...}`",
            )
            return None
        status, schema = event_schema
        return ir.StreamInfo(
            flag=flag,
            flag_py_name=flag_field.py_name,
            event_type=self.type_of(
                schema, owner + "Event",
                pointer + ("responses", status, "content", "text/event-stream", "schema"),
            ),
            terminal_event=config.get("terminal-event"),
            error_event=config.get("error-event"),
            helper=config.get("helper"),
        )

    # -- errors ---------------------------------------------------------------------

    def error_table(self) -> tuple[ir.ErrorStatus, ...]:
        found: dict[int, ir.ErrorStatus] = {}
        for path, item in sorted((self.doc.get("paths") or {}).items()):
            for method in _HTTP_METHODS:
                op = (item or {}).get(method)
                if not op:
                    continue
                for status, response in (op.get("responses") or {}).items():
                    code = str(status)
                    if not (code.isdigit() and int(code) >= 400) or int(code) in found:
                        continue
                    resolved = self.resolve(response)
                    name = resolved.get("x-exception") or _DEFAULT_ERROR_NAMES.get(
                        int(code), f"Status{code}Error"
                    )
                    found[int(code)] = ir.ErrorStatus(
                        status=int(code),
                        class_name=str(name),
                        error_type=resolved.get("x-error-type") or _example_error_type(resolved),
                        description=_text(resolved.get("description")),
                    )
        return tuple(found[k] for k in sorted(found))


def _example_error_type(response: dict[str, Any]) -> str | None:
    """The ``error.type`` all of a response's examples agree on, if any."""
    found = set()
    for media in (response.get("content") or {}).values():
        values = [e.get("value") for e in (media.get("examples") or {}).values() if isinstance(e, dict)]
        if "example" in media:
            values.append(media["example"])
        for value in values:
            if isinstance(value, dict) and isinstance(value.get("error"), dict):
                found.add(value["error"].get("type"))
    return str(found.pop()) if len(found) == 1 else None

