"""Stubs of ``_errors``: every failure of an API call is an ``APIError``."""

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
]

class ClientError(Exception):
    """Root of every error this client raises."""

class DownloadNotReadyError(ClientError):
    """The reply that gives a download's URL has none yet (the field is null)."""

    field: str
    state: object
    source: object
    def __init__(self, message: str, *, field: str, state: object, source: object) -> None: ...

class APIError(ClientError):
    """Root of every error about an API call."""

    message: str
    request: httpx.Request | None
    body: object | None
    def __init__(
        self, message: str, *, request: httpx.Request | None, body: object | None = None
    ) -> None: ...

class APIStatusError(APIError):
    """The server answered with a status the API documents as an error."""

    status_code: int
    request_id: str | None
    response: httpx.Response
    type: str | None
    @property
    def error_type(self) -> str | None: ...
    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        status_code: int | None = None,
    ) -> None: ...

class APIConnectionError(APIError):
    """The request could not be sent, or its answer could not be read."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None: ...

class APITimeoutError(APIConnectionError):
    """A connect, write, read or pool timeout expired."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None: ...

class IncompleteStreamError(APIConnectionError):
    """A stream ended, cleanly or not, before its terminal event arrived."""

    events_received: int
    def __init__(self, message: str, *, request: httpx.Request, events_received: int) -> None: ...

class APIResponseValidationError(APIError):
    """A successful response whose body is not valid JSON or does not fit the model."""

    response: httpx.Response
    status_code: int
    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None = None
    ) -> None: ...

class MissingAPIKeyError(ClientError, ValueError):
    """No usable credential: none was passed and its environment variable is unset or empty,
    or the one given holds a character no HTTP header can carry (a trailing newline, say)."""
