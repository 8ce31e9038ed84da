"""Errors raised by the client.

Every error the client raises is a ``ClientError``; every failure of an
API call is an ``APIError``. The generated ``_exceptions`` module adds one
``APIStatusError`` subclass per documented status, and exports ``ClientError``
under the name of the client (``AnthropicError`` for ``Anthropic``, the
official SDK's name)::

    ClientError
     ├── APIError
     │    ├── APIStatusError               the server answered with an error status
     │    │    └── BadRequestError, ...    (generated: one per documented status)
     │    ├── APIConnectionError           no usable answer arrived
     │    │    ├── APITimeoutError
     │    │    └── IncompleteStreamError   a stream ended before its terminal event
     │    └── APIResponseValidationError   the answer did not parse or fit the model
     ├── DownloadNotReadyError           a download's URL is not set yet
     └── MissingAPIKeyError (also a ValueError): raised by the constructor

``IncompleteStreamError`` is a connection error because, seen from the client,
a server that closes cleanly before ``message_stop`` and a proxy that cuts the
line are indistinguishable: both mean "the answer is missing its end", and code
that already catches ``APIConnectionError`` keeps working. It is never retried:
events have already been handed to the caller.

The table-driven helpers at the end turn a response (or a mid-stream ``error``
event) into the right class; the generated code supplies the tables.
"""

from __future__ import annotations

import json
from typing import Iterable, Mapping

import httpx

__all__ = [
    "ClientError",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "DownloadNotReadyError",
    "IncompleteStreamError",
    "MissingAPIKeyError",
    "make_status_error",
    "make_stream_error",
]


class ClientError(Exception):
    """Root of every error this client raises (exported as ``<Client>Error``)."""


class DownloadNotReadyError(ClientError):
    """The reply that gives a download's URL has none yet (the field is null).

    Raised before any download is attempted, e.g. by ``results()`` of a batch
    that is still processing. ``field`` names the URL field, ``state`` is the
    reply's state (when the spec names a state field) and ``source`` the whole
    reply, so the caller can wait and ask again.
    """

    def __init__(self, message: str, *, field: str, state: object, source: object) -> None:
        super().__init__(message)
        self.field = field
        self.state = state
        self.source = source


class APIError(ClientError):
    """Root of every error about an API call.

    ``body`` is the parsed JSON of the response when it is JSON, its text when
    it is not, and ``None`` when there was no body.
    """

    message: str
    request: httpx.Request | None
    body: object | None

    def __init__(
        self, message: str, *, request: httpx.Request | None, body: object | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIStatusError(APIError):
    """The server answered with a status the API documents as an error.

    ``str(error)`` reads like ``529 overloaded_error: Overloaded (request-id
    req_01)``. ``type`` is the envelope's ``error.type`` when present
    (``error_type`` is the same value, under the name this client used first).
    """

    status_code: int
    request_id: str | None
    response: httpx.Response
    type: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        # A mid-stream error arrives inside a 200 response; the class's own
        # status is the truthful one there.
        self.status_code = response.status_code if status_code is None else status_code
        self.request_id = response.headers.get("request-id")
        self.type = _error_field(body, "type")

    @property
    def error_type(self) -> str | None:
        return self.type


class APIConnectionError(APIError):
    """The request could not be sent, or its answer could not be read."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """A connect, write, read or pool timeout expired."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class IncompleteStreamError(APIConnectionError):
    """A stream ended, cleanly or not, before its terminal event arrived."""

    events_received: int

    def __init__(self, message: str, *, request: httpx.Request, events_received: int) -> None:
        super().__init__(message, request=request)
        self.events_received = events_received


class APIResponseValidationError(APIError):
    """A successful response whose body is not valid JSON or does not fit the model."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None = None
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class MissingAPIKeyError(ClientError, ValueError):
    """No usable credential: none was passed and its environment variable is unset or empty,
    or the one given holds a character no HTTP header can carry (a trailing newline, say)."""


def make_status_error(
    response: httpx.Response,
    *,
    status_errors: Mapping[int, type[APIStatusError]],
    secrets: Iterable[str] = (),
) -> APIStatusError:
    """The error for a response whose body has already been read.

    An undocumented status gets the plain ``APIStatusError``, except that any
    status from 500 up takes the class of 500 when the table has one (a 502
    from a proxy is as much a server error as a 500). ``secrets`` are masked
    out of the message, in case a proxy echoes a credential back.
    """
    try:
        content = response.content
    except httpx.ResponseNotRead:  # the body could not be read; the status still stands
        content = b""
    body = _parse_json(content)
    kind = _error_field(body, "type")
    detail = _error_field(body, "message")
    if body is None and content.strip():
        # An HTML page from a proxy, say: its text is all there is to keep.
        body = _mask(content.decode("utf-8", errors="replace").strip(), secrets)
        detail = body[:500]
    head = f"{response.status_code} {kind or response.reason_phrase}".rstrip()
    message = f"{head}: {detail}" if detail else head
    request_id = response.headers.get("request-id")
    if request_id:
        message += f" (request-id {request_id})"
    cls = status_errors.get(response.status_code)
    if cls is None:
        server = status_errors.get(500) if response.status_code >= 500 else None
        cls = server or APIStatusError
    return cls(_mask(message, secrets), response=response, body=body)


def make_stream_error(
    body: object,
    *,
    response: httpx.Response,
    error_types: Mapping[str, type[APIStatusError]],
    status_errors: Mapping[int, type[APIStatusError]],
    secrets: Iterable[str] = (),
) -> APIStatusError:
    """The error for an ``event: error`` received in the middle of a stream.

    The class comes from ``error.type`` (``overloaded_error`` ->
    ``OverloadedError``); its status code is the one that class stands for.
    ``secrets`` are masked out of the message, as ``make_status_error`` does.
    """
    kind = _error_field(body, "type")
    detail = _error_field(body, "message") or "error event in stream"
    cls = error_types.get(kind, APIStatusError) if kind else APIStatusError
    status = next((code for code, known in status_errors.items() if known is cls), None)
    shown = status if status is not None else response.status_code
    message = f"{shown} {kind}: {detail}" if kind else f"{shown}: {detail}"
    request_id = response.headers.get("request-id")
    if request_id:
        message += f" (request-id {request_id})"
    return cls(_mask(message, secrets), response=response, body=body, status_code=status)


def _parse_json(content: bytes) -> object | None:
    if not content:
        return None
    try:
        parsed: object = json.loads(content)
    except ValueError:
        return None
    return parsed


def _error_field(body: object, name: str) -> str | None:
    """``body["error"][name]`` of the API's error envelope, if it has that shape."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if not isinstance(error, dict):
        return None
    value = error.get(name)
    return value if isinstance(value, str) else None


def _mask(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
