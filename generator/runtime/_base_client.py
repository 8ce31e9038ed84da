"""The HTTP machinery under the generated clients: defaults, headers, retries.

A generated client subclasses ``SyncAPIClient`` or ``AsyncAPIClient`` and
sets ``_config`` (everything API-specific: env var names, the server, the
error tables). Generated methods describe a call as an ``APIRequest`` and hand
it to ``request()``, which adds the client's defaults, sends it, retries what
is worth retrying, and returns the parsed body, a ``Stream`` or an
``APIResponse``.

Retries: 408, 409, 429 and 5xx answers, and connection failures and timeouts,
are retried up to ``max_retries`` times, unless the server's
``x-should-retry`` header says otherwise. The wait honours ``retry-after-ms``
or ``retry-after`` (seconds or an HTTP date) between 0 and 60 seconds, and is
otherwise an exponential backoff from 0.5 s doubling to 8 s, less up to 25 %
of jitter so that many clients do not retry in step. A stream is retried only
until its status line arrives; once events flow, nothing is retried.

Header precedence, lowest first: the operation's fixed headers (such as
``anthropic-version``), the client's ``default_headers``, headers made from
the call's arguments (``betas``), and the call's ``extra_headers``.

``<PREFIX>_LOG=info`` (or ``debug``) in the environment turns on this
package's log, as in the official SDK; the key and token never appear in it.

The API key (and a bearer token) is kept out of reprs, exception messages and log lines, and
never leaves its origin: redirects are followed here, not by httpx, so that a
redirect to another scheme, host or port goes without the key (and without
``Authorization`` or any header whose value holds the key), as browsers do.
A redirect loop ends in ``APIConnectionError`` after the http client's
``max_redirects`` (20), and is not retried.

Timeouts: httpx's ``read`` timeout bounds each read from the socket, so a
server that drips one byte a second would never trip it. Here it also bounds
the whole answer: every attempt must receive its status line and headers, and
for a non-streaming call its whole body too, within that many seconds of being
sent, else it fails with ``APITimeoutError`` (and is retried like any
timeout). The events of a stream may take as long as they take: each read of a
stream keeps only the per-read timeout. The bound is enforced by the sockets
of connections this client opens (see ``_bounded_reads``); a custom transport
passed in through ``http_client`` keeps httpx's per-read behaviour.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import sys
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    ClassVar,
    Iterable,
    Iterator,
    Literal,
    Mapping,
    TypeVar,
    overload,
)
from urllib.parse import urlencode

import httpx
from typing_extensions import Self, TypeGuard

from ._binary import (
    AsyncBinaryResponse,
    BinaryResponse,
    BinarySpec,
    Upload,
    file_part,
    is_file_part,
)
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    MissingAPIKeyError,
    make_status_error,
)
from ._jsonl import AsyncJSONLDecoder, JSONLDecoder, LineSpec
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    parse_body,
    raw_response_requested,
    streamed_response_requested,
)
from ._streaming import AsyncStream, Stream, StreamSpec
from ._types import NOT_GIVEN, APIRequest, NotGiven, Omit, RequestOptions, Timeout, is_given

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "AsyncAPIClient",
    "ClientConfig",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "RETRY_COUNT_HEADER",
    "SyncAPIClient",
    "retry_delay",
    "should_retry",
]

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_E = TypeVar("_E")

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
RETRY_COUNT_HEADER = "x-retry-count"

_NO_OPTIONS = RequestOptions()

# When the answer being read must be complete (``time.monotonic()``); None: no bound.
_DEADLINE: ContextVar[float | None] = ContextVar("anthropic_messages_deadline", default=None)
_NEW_STREAM_EVENTS = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


@dataclass(frozen=True)
class ClientConfig:
    """Everything API-specific the runtime needs; the generator fills it in."""

    api_key_env: str | None  # None: the key can only be passed as an argument
    default_base_url: str
    user_agent: str
    api_key_header: str | None = "x-api-key"  # None: the API takes no key
    base_url_env: str | None = None
    auth_token_env: str | None = None  # a bearer token instead of (or beside) the key
    log_env: str | None = None  # "info" or "debug" there turns on the package's log
    default_headers: Mapping[str, str] = field(default_factory=dict)
    status_errors: Mapping[int, type[APIStatusError]] = field(default_factory=dict)
    error_types: Mapping[str, type[APIStatusError]] = field(default_factory=dict)


def should_retry(response: httpx.Response) -> bool:
    """Whether an error answer is worth another attempt."""
    verdict = str(response.headers.get("x-should-retry", "")).strip().lower()
    if verdict in ("true", "false"):
        return verdict == "true"
    code = response.status_code
    return code in (408, 409, 429) or code >= 500


def retry_delay(
    retries_taken: int,
    headers: httpx.Headers | None = None,
    *,
    rand: Callable[[], float] = random.random,
    now: Callable[[], float] = time.time,
) -> float:
    """Seconds to wait before retry number ``retries_taken + 1``."""
    asked = _retry_after(headers, now) if headers is not None else None
    # A server may say "retry now" (0); beyond a minute we trust our own backoff.
    if asked is not None and 0 <= asked <= MAX_RETRY_AFTER:
        return asked
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * rand())


def _retry_after(headers: httpx.Headers, now: Callable[[], float]) -> float | None:
    try:
        return float(headers["retry-after-ms"]) / 1000
    except (KeyError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    when = email.utils.parsedate_tz(value)
    if when is None:
        return None
    return email.utils.mktime_tz(when) - now()


class _Secret:
    """A string that never shows itself in a repr (e.g. in ``vars(client)``)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "'***'"


class _ClientBase:
    _config: ClassVar[ClientConfig]

    base_url: httpx.URL
    timeout: Timeout
    max_retries: int

    def __init__(
        self,
        *,
        api_key: str | None,
        auth_token: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
    ) -> None:
        config = getattr(type(self), "_config", None)
        if not isinstance(config, ClientConfig):
            raise TypeError(f"{type(self).__name__} must set the class attribute _config")
        _setup_logging(config.log_env)
        key = api_key
        if key is None:
            key = os.environ.get(config.api_key_env, "") if config.api_key_env else ""
        token = auth_token
        if token is None and config.auth_token_env:
            token = os.environ.get(config.auth_token_env) or None
        if not key and not token and config.api_key_header is not None:
            raise MissingAPIKeyError(_missing_key_message(type(self).__name__, config))
        # httpx would refuse such a value at the first request with an error that quotes
        # it whole (and retry it): say so now, without the value.
        _check_header_safe("api_key", key, config.api_key_env, api_key is None)
        _check_header_safe("auth_token", token, config.auth_token_env, auth_token is None)
        self._api_key = _Secret(key)
        self._auth_token = _Secret(token) if token else None
        if base_url is None and config.base_url_env:
            base_url = os.environ.get(config.base_url_env) or None
        self.base_url = httpx.URL(base_url if base_url is not None else config.default_base_url)
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.max_retries = max_retries
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})

    @property
    def api_key(self) -> str:
        return self._api_key.value

    @property
    def auth_token(self) -> str | None:
        return self._auth_token.value if self._auth_token else None

    @property
    def default_headers(self) -> dict[str, str]:
        """The client's own headers, as given (the operations' fixed ones are below them)."""
        return dict(self._custom_headers)

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, max_retries={self.max_retries})"

    def _options_kwargs(
        self,
        api_key: str | None,
        auth_token: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Mapping[str, str] | None,
        set_default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        set_default_query: Mapping[str, object] | None,
    ) -> dict[str, Any]:
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("default_headers and set_default_headers cannot both be given")
        if default_query is not None and set_default_query is not None:
            raise ValueError("default_query and set_default_query cannot both be given")
        headers = (
            dict(set_default_headers)
            if set_default_headers is not None
            else {**self._custom_headers, **(default_headers or {})}
        )
        query = (
            dict(set_default_query)
            if set_default_query is not None
            else {**self._custom_query, **(default_query or {})}
        )
        return {
            "api_key": api_key if api_key is not None else self.api_key,
            "auth_token": auth_token if auth_token is not None else self.auth_token,
            "base_url": base_url if base_url is not None else self.base_url,
            "timeout": timeout if is_given(timeout) else self.timeout,
            "max_retries": max_retries if is_given(max_retries) else self.max_retries,
            "default_headers": headers,
            "default_query": query,
        }

    def _build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        req: APIRequest,
        options: RequestOptions,
        *,
        encoded: tuple[bytes | Upload | None, str],
        stream: bool,
        retries_taken: int,
    ) -> httpx.Request:
        timeout = options.timeout if is_given(options.timeout) else self.timeout
        encoding, content_type = encoded
        headers = self._headers(
            req, options, stream=stream, retries_taken=retries_taken, content_type=content_type
        )
        if req.url is None:
            url = httpx.URL(str(self.base_url).rstrip("/") + req.path)
            query = {**self._custom_query, **req.query, **(options.extra_query or {})}
        else:
            # A URL the API handed out: its own query is kept as it is (it may
            # be signed), and the key goes only where the client was told to send it.
            url = self.base_url.join(req.url)
            query = dict(options.extra_query or {})
            if _origin(url) != _origin(self.base_url):
                for name in self._credential_headers(httpx.Headers(headers)):
                    headers.pop(name, None)
            else:
                query = {**self._custom_query, **query}
        content: bytes | Iterator[bytes] | AsyncIterator[bytes] | None
        if isinstance(encoding, Upload):
            # A file goes out as it is read; its length, when known, saves chunked encoding.
            content = (
                encoding.acontent() if isinstance(http, httpx.AsyncClient) else encoding.content()
            )
            if encoding.length is not None:
                headers["content-length"] = str(encoding.length)
        else:
            content = encoding
        return http.build_request(
            req.method,
            # Merged here: httpx's ``params=`` would replace a handed-out URL's own query.
            url.copy_merge_params(_query(query)),
            headers=headers,
            content=content,
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            # httpcore reports the connections it opens to this hook (``_bounded_reads``).
            extensions={"trace": _atrace if isinstance(http, httpx.AsyncClient) else _trace},
        )

    def _headers(
        self,
        req: APIRequest,
        options: RequestOptions,
        *,
        stream: bool,
        retries_taken: int,
        content_type: str = "application/json",
    ) -> dict[str, str]:
        config = self._config
        merged: dict[str, str | Omit] = {}
        credentials: dict[str, str] = {}
        if config.api_key_header and self.api_key:
            credentials[config.api_key_header] = self.api_key
        if self._auth_token is not None:
            credentials["authorization"] = f"Bearer {self._auth_token.value}"
        layers: list[Mapping[str, object]] = [
            credentials,
            config.default_headers,
            {
                "content-type": content_type,
                "accept": "text/event-stream" if stream else "application/json",
                "user-agent": config.user_agent,
                RETRY_COUNT_HEADER: str(retries_taken),
            },
            req.fixed_headers,
            self._custom_headers,
            req.headers,
            options.extra_headers or {},
        ]
        for layer in layers:
            for name, value in layer.items():
                if isinstance(value, (str, Omit)):  # NOT_GIVEN leaves the layer below
                    merged[name.lower()] = value
        return {name: value for name, value in merged.items() if isinstance(value, str)}

    def _max_retries(self, options: RequestOptions) -> int:
        return options.max_retries if is_given(options.max_retries) else self.max_retries

    def _connection_error(self, exc: httpx.RequestError, request: httpx.Request) -> Exception:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request=request)
        if isinstance(exc, httpx.DecodingError):
            return APIConnectionError(
                f"the response body could not be decoded: {exc}", request=request
            )
        return APIConnectionError(f"connection error: {type(exc).__name__}: {exc}", request=request)

    def _next_hop(
        self, first: httpx.Request, response: httpx.Response, hops: int, limit: int
    ) -> httpx.Request:
        """The request a redirect asks for, without credentials if it leaves ``first``'s origin."""
        if hops >= limit:
            raise APIConnectionError(
                f"too many redirects: more than {limit} (last status {response.status_code})",
                request=first,
            )
        request = response.next_request
        assert request is not None
        if _origin(request.url) != _origin(first.url):
            # Once stripped they stay stripped, even back on the first origin.
            for name in self._credential_headers(request.headers):
                del request.headers[name]
        return request

    def _credential_headers(self, headers: httpx.Headers) -> list[str]:
        names = {"authorization"}
        if self._config.api_key_header:
            names.add(self._config.api_key_header.lower())
        secrets = [secret for secret in self._secrets() if secret]
        return [
            name
            for name, value in headers.items()
            if name in names or any(secret in value for secret in secrets)
        ]

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(
            response, status_errors=self._config.status_errors, secrets=self._secrets()
        )

    def _secrets(self) -> tuple[str, ...]:
        return (self.api_key, self.auth_token or "")

    def _closed_error(self, request: httpx.Request) -> APIConnectionError:
        return APIConnectionError(
            f"the client is closed: make a new {type(self).__name__} to send requests",
            request=request,
        )

    def _log_request(self, request: httpx.Request) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "request: %s %s headers=%s",
                request.method,
                request.url,
                _redacted(request.headers, self._secrets()),
            )

    def _log_response(self, request: httpx.Request, response: httpx.Response) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                'response: %s %s "%d %s" request-id=%s',
                request.method,
                request.url,
                response.status_code,
                response.reason_phrase,
                response.headers.get("request-id"),
            )

    def _log_retry(
        self, request: httpx.Request, retries_taken: int, delay: float, why: str
    ) -> None:
        log.info(
            "retrying %s %s in %.2f s (retry %d): %s",
            request.method,
            request.url.path,
            delay,
            retries_taken + 1,
            why,
        )


_NAMED_CHARACTERS = {"\n": "a newline", "\r": "a carriage return", " ": "a space", "\t": "a tab"}


def _check_header_safe(name: str, value: str | None, env: str | None, from_env: bool) -> None:
    """A credential travels in a header: printable ASCII only, no spaces."""
    if not isinstance(value, str):
        return
    for index, char in enumerate(value):
        if not 0x20 < ord(char) < 0x7F:
            what = _NAMED_CHARACTERS.get(char) or (
                "a control character" if ord(char) < 0x80 else "a non-ASCII character"
            )
            source = env if from_env and env else name
            raise MissingAPIKeyError(
                f"{source} holds {what} at position {index + 1} of {len(value)}, which no "
                "HTTP header can carry (the value is not shown); a key read from a file often "
                "ends with a newline: strip it"
            )


def _missing_key_message(client: str, config: ClientConfig) -> str:
    envs = [env for env in (config.api_key_env, config.auth_token_env) if env]
    where = f" or set {' or '.join(envs)} in the environment" if envs else ""
    token = " (or auth_token=...)" if config.auth_token_env else ""
    return f"no API key: pass api_key=...{token} to {client}(){where}"


_SENSITIVE_HEADERS = frozenset({"authorization", "x-api-key", "proxy-authorization", "cookie"})


def _redacted(headers: httpx.Headers, secrets: Iterable[str]) -> dict[str, str]:
    shown = {}
    for name, value in headers.items():
        if name.lower() in _SENSITIVE_HEADERS or any(s and s in value for s in secrets):
            value = "<redacted>"
        shown[name] = value
    return shown


_LOGGING_SET_UP: set[str] = set()


def _setup_logging(env: str | None) -> None:
    """Honour ``<PREFIX>_LOG=info|debug`` once per process, as the official SDK does."""
    if env is None or env in _LOGGING_SET_UP:
        return
    _LOGGING_SET_UP.add(env)
    level = {"info": logging.INFO, "debug": logging.DEBUG}.get(
        os.environ.get(env, "").strip().lower()
    )
    if level is None:
        return
    formatter = logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s")
    # httpx logs each request line ("HTTP Request: POST ...") at INFO, never
    # its headers. Handlers of our own, not the root logger's: the program's
    # logging setup is left as it was.
    for name in (__name__.rpartition(".")[0] or __name__, "httpx"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(formatter)
            logger.addHandler(handler)
        logger.setLevel(level)


class DefaultHttpxClient(httpx.Client):
    """An ``httpx.Client`` with this client's defaults (timeout, pool size, redirects).

    Pass one as ``http_client=`` to change one setting, a proxy say, and keep
    the rest.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_LIMITS)
        kwargs.setdefault("follow_redirects", True)
        super().__init__(**kwargs)


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """The async twin of ``DefaultHttpxClient``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_LIMITS)
        kwargs.setdefault("follow_redirects", True)
        super().__init__(**kwargs)


_HTTP_METHOD_OPTIONS = frozenset({"headers", "params", "extra_json", "timeout", "max_retries"})


def _raw_call(
    method: str, path: str, body: object, options: Mapping[str, Any] | None
) -> tuple[APIRequest, RequestOptions]:
    """An undocumented endpoint's call, as ``client.post(path, ...)`` describes it."""
    options = dict(options or {})
    unknown = set(options) - _HTTP_METHOD_OPTIONS
    if unknown:
        raise TypeError(f"unknown request options: {', '.join(sorted(unknown))}")
    if body is not None and not isinstance(body, Mapping):
        raise TypeError("body must be a mapping (it is sent as a JSON object)")
    if not path.startswith("/"):
        path = "/" + path
    req = APIRequest(method=method, path=path, json=body)
    return req, RequestOptions(
        extra_headers=options.get("headers"),
        extra_query=options.get("params"),
        extra_body=options.get("extra_json"),
        timeout=options.get("timeout", NOT_GIVEN),
        max_retries=options.get("max_retries", NOT_GIVEN),
    )


def _plain(cast_to: object) -> object:
    # ``object`` (or ``dict``) asks for the JSON as it is.
    return Any if cast_to in (object, dict) else cast_to


def _query(params: Mapping[str, object]) -> httpx.QueryParams:
    # Lists repeat the key; None and NOT_GIVEN leave the parameter out.
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if item is None or isinstance(item, (NotGiven, Omit)):
                continue
            pairs.append((name, _query_text(item)))
    return httpx.QueryParams(pairs)


def _query_text(item: object) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (datetime, date)):
        return item.isoformat()  # ISO 8601, as in bodies; str() would put a space for the T
    return str(item)


def _body(
    json_body: object,
    extra: Mapping[str, object] | None,
    content_type: str = "application/json",
    upload: object = None,
) -> tuple[bytes | Upload | None, str]:
    """The encoded body and the content type that says how it was encoded."""
    if upload is not None:
        if extra:
            raise TypeError("extra_body adds JSON properties; this request's body is binary")
        return Upload(upload), content_type
    if json_body is None and not extra:
        return None, content_type
    if not isinstance(json_body, Mapping):
        # A JSON body that is not an object (an array, a string...): sent as it is.
        if extra:
            raise TypeError(
                "extra_body adds properties to an object; this request's body is not one"
            )
        text = json.dumps(
            json_body, default=_jsonable, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        return text.encode("utf-8"), content_type
    merged = {**(json_body or {}), **(extra or {})}
    data = {key: value for key, value in merged.items() if not isinstance(value, NotGiven)}
    if content_type == FORM_CONTENT_TYPE:
        pairs = [(k, _form_text(v)) for k, v in _form_pairs("", data)]
        return urlencode(pairs).encode("ascii"), content_type
    if content_type == MULTIPART_CONTENT_TYPE:
        # httpx writes the parts and picks the boundary; bytes, paths and
        # binary files become file parts.
        fields = list(_form_pairs("", data))
        encoded = httpx.Request(
            "POST",
            "http://localhost/",
            data={k: v for k, v in fields if isinstance(v, str)},
            files=[(k, file_part(k, v)) for k, v in fields if not isinstance(v, str)] or None,
        )
        return encoded.read(), encoded.headers["content-type"]
    text = json.dumps(
        data, default=_jsonable, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    return text.encode("utf-8"), content_type


FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MULTIPART_CONTENT_TYPE = "multipart/form-data"


def _form_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    raise TypeError(
        f"a {FORM_CONTENT_TYPE} body cannot hold a file ({type(value).__name__}); "
        f"files go in {MULTIPART_CONTENT_TYPE} bodies"
    )


def _form_pairs(prefix: str, value: object) -> Iterator[tuple[str, object]]:
    """Flatten nested data the way form APIs read it: ``a[b][0]=x``."""
    if _is_model(value):
        value = _jsonable(value)
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _form_pairs(f"{prefix}[{key}]" if prefix else str(key), item)
    elif is_file_part(value):
        # Before lists: a file is iterable too. Bytes stay bytes (a file part of
        # a multipart form); a path or a file is read when the form is encoded.
        yield prefix, value
    elif _is_sequence_like(value):
        for index, item in enumerate(value):
            yield from _form_pairs(f"{prefix}[{index}]", item)
    elif value is None:
        yield prefix, ""
    elif isinstance(value, bool):
        yield prefix, "true" if value else "false"
    else:
        yield prefix, str(value)


def _is_sequence_like(value: object) -> TypeGuard[Iterable[object]]:
    # Generated signatures take ``Iterable[...]``: a generator or a set is as
    # good as a list. Strings, bytes and mappings are iterable but not lists.
    return (
        isinstance(value, Iterable)
        and not isinstance(value, (str, bytes, bytearray, memoryview, Mapping))
        and not _is_model(value)
    )


def _is_model(value: object) -> TypeGuard[pydantic.BaseModel]:
    # Without importing pydantic: a program that has no model yet cannot pass
    # one, and the client's import stays free of pydantic's.
    module = sys.modules.get("pydantic")
    return module is not None and isinstance(value, module.BaseModel)


def _jsonable(value: object) -> object:
    if _is_model(value):
        # Response models passed back in (e.g. a Message's content) keep only
        # what the server sent, with wire names.
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):  # json handles only dict itself
        return dict(value)
    if _is_sequence_like(value):
        return list(value)
    if isinstance(value, NotGiven):
        raise TypeError("NOT_GIVEN is only meaningful as a top-level argument")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port  # httpx gives None for the scheme's default port


def _deadline(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout")
    read = timeout.get("read") if isinstance(timeout, Mapping) else None
    return None if read is None else time.monotonic() + read


def _time_left(deadline: float, timeout: float | None) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        import httpcore  # loaded already: it is reading this response

        # httpx turns it into its own ReadTimeout, as it does a socket's.
        raise httpcore.ReadTimeout("the answer did not arrive within the read timeout")
    return left if timeout is None else min(timeout, left)


def _bounded_reads(stream: Any) -> None:
    """Make ``stream`` (a new connection's socket) read no longer than ``_DEADLINE`` allows.

    httpcore reports each connection it opens to a request's ``trace``
    extension; that stream's ``read`` is the one place every read of every
    answer on the connection passes through, so wrapping it can give each
    read the time that is left. Outside an attempt the deadline is unset, and
    a read costs one context-variable lookup more.
    """
    read = stream.read

    def read_by_deadline(max_bytes: int, timeout: float | None = None) -> Any:
        deadline = _DEADLINE.get()
        if deadline is not None:
            timeout = _time_left(deadline, timeout)
        return read(max_bytes, timeout)

    stream.read = read_by_deadline


def _abounded_reads(stream: Any) -> None:
    read = stream.read

    async def read_by_deadline(max_bytes: int, timeout: float | None = None) -> Any:
        deadline = _DEADLINE.get()
        if deadline is not None:
            timeout = _time_left(deadline, timeout)
        return await read(max_bytes, timeout)

    stream.read = read_by_deadline


def _trace(name: str, info: Mapping[str, Any]) -> None:
    if name in _NEW_STREAM_EVENTS and info.get("return_value") is not None:
        _bounded_reads(info["return_value"])


async def _atrace(name: str, info: Mapping[str, Any]) -> None:
    if name in _NEW_STREAM_EVENTS and info.get("return_value") is not None:
        _abounded_reads(info["return_value"])


def _read(response: httpx.Response) -> httpx.RequestError | None:
    """Read the whole body and release the connection; the failure, if any."""
    try:
        response.read()
    except (httpx.TransportError, httpx.DecodingError) as exc:
        return exc
    finally:
        response.close()
    return None


async def _aread(response: httpx.Response) -> httpx.RequestError | None:
    try:
        await response.aread()
    except (httpx.TransportError, httpx.DecodingError) as exc:
        return exc
    finally:
        await response.aclose()
    return None


class SyncAPIClient(_ClientBase):
    """Base of the generated synchronous client."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            auth_token=auth_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
        )
        self._owns_http = http_client is None
        self._http = http_client or DefaultHttpxClient(timeout=self.timeout)
        # Replace to observe or skip the waits between retries (tests do).
        self._sleep: Callable[[float], None] = time.sleep

    def with_options(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        http_client: httpx.Client | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connections.

        ``default_headers`` and ``default_query`` are merged over this
        client's; ``set_default_headers`` and ``set_default_query`` replace
        them. Closing the copy leaves the shared connection pool open (unless
        ``http_client`` gives the copy one of its own, which the caller owns).
        """
        kwargs = self._options_kwargs(
            api_key,
            auth_token,
            base_url,
            timeout,
            max_retries,
            default_headers,
            set_default_headers,
            default_query,
            set_default_query,
        )
        clone = type(self)(**kwargs, http_client=http_client or self._http)
        clone._sleep = self._sleep
        return clone

    copy = with_options

    def is_closed(self) -> bool:
        """Whether this client's connection pool is closed (then every call fails)."""
        return self._http.is_closed

    def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""
        if self._owns_http:
            self._http.close()

    def __del__(self) -> None:
        # As the official SDK does: a client dropped without ``close()`` still
        # releases its connections. A half-built client has no ``_http``.
        if getattr(self, "_owns_http", False) and not self._http.is_closed:
            try:
                self._http.close()
            except Exception:  # noqa: BLE001 - nothing can be reported from __del__
                pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Undocumented endpoints, as the official SDK spells them: the client's
    # defaults, retries and errors, with the body parsed as ``cast_to``
    # (``httpx.Response`` for the response itself, ``object`` for plain JSON).
    def get(self, path: str, *, cast_to: type[_T], options: Mapping[str, Any] | None = None) -> _T:
        return self._undocumented("get", path, cast_to, None, options)

    def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return self._undocumented("post", path, cast_to, body, options)

    def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return self._undocumented("put", path, cast_to, body, options)

    def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return self._undocumented("patch", path, cast_to, body, options)

    def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return self._undocumented("delete", path, cast_to, body, options)

    def _undocumented(
        self,
        method: str,
        path: str,
        cast_to: type[_T],
        body: Mapping[str, object] | None,
        options: Mapping[str, Any] | None,
    ) -> _T:
        req, request_options = _raw_call(method, path, body, options)
        result: _T = self.request(req, cast_to=_plain(cast_to), options=request_options)
        return result

    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: Literal[False] = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: Literal[False] = False,
    ) -> _T: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: Literal[True],
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> Stream[_E]: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: bool,
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> _T | Stream[_E]: ...
    @overload
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: bool = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: bool = False,
    ) -> Any: ...
    def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: bool = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: bool = False,
    ) -> Any:
        """Send ``req`` with this client's defaults, retrying as the module says.

        Returns the body parsed as ``cast_to``; with ``stream=True`` a
        ``Stream`` of ``stream_spec.event_type``; with ``raw=True``, or inside a
        ``with_raw_response`` wrapper, an ``APIResponse`` whose ``parse()``
        gives either of those.
        """
        if stream and stream_spec is None:
            raise TypeError("stream=True needs a stream_spec")
        options = options or _NO_OPTIONS
        raw = raw or raw_response_requested()
        streamed = streamed_response_requested()
        max_retries = self._max_retries(options)
        # Encoded once: an argument may be a one-shot iterable, and every
        # retry must send the same bytes.
        encoded = _body(req.json, options.extra_body, req.content_type, req.content)
        if isinstance(encoded[0], Upload) and not encoded[0].replayable:
            max_retries = 0  # a one-shot iterable of bytes cannot be sent again
        retries_taken = 0
        while True:
            request = self._build(
                self._http,
                req,
                options,
                encoded=encoded,
                stream=stream,
                retries_taken=retries_taken,
            )
            if self._http.is_closed:
                raise self._closed_error(request)
            self._log_request(request)
            deadline = _DEADLINE.set(_deadline(request))
            try:
                response = self._send(request)
                self._log_response(request, response)
                if response.is_success and stream:
                    assert stream_spec is not None
                    return self._success_stream(response, stream_spec, raw, retries_taken)
                if response.is_success and streamed:
                    return self._success(response, cast_to, True, retries_taken)
                failure = _read(response)
            except httpx.TransportError as exc:
                failure = exc
                response = None
            finally:
                _DEADLINE.reset(deadline)
            if response is not None and response.is_success and failure is None:
                return self._success(response, cast_to, raw, retries_taken)
            if response is None or response.is_success:
                assert failure is not None
                if retries_taken >= max_retries:
                    raise self._connection_error(failure, request) from failure
                self._wait(request, retries_taken, None, type(failure).__name__)
            elif should_retry(response) and retries_taken < max_retries:
                self._wait(request, retries_taken, response.headers, str(response.status_code))
            else:
                raise self._status_error(response)
            retries_taken += 1

    def _send(self, request: httpx.Request) -> httpx.Response:
        """The answer to ``request``, redirects followed as ``_next_hop`` allows."""
        http = self._http
        response = http.send(request, stream=True, follow_redirects=False)
        hops = 0
        while response.next_request is not None and http.follow_redirects:
            _read(response)  # a redirect's body is not wanted; its connection is
            hop = self._next_hop(request, response, hops, http.max_redirects)
            response = http.send(hop, stream=True, follow_redirects=False)
            hops += 1
        return response

    def _success(
        self, response: httpx.Response, cast_to: object, raw: bool, retries_taken: int
    ) -> Any:
        if raw:
            return APIResponse(
                response,
                parser=lambda: parse_body(response.content, cast_to, response),
                retries_taken=retries_taken,
            )
        return parse_body(response.content, cast_to, response)

    def _success_stream(
        self, response: httpx.Response, spec: StreamSpec[Any], raw: bool, retries_taken: int
    ) -> Any:
        config = self._config

        def make() -> Stream[Any] | JSONLDecoder[Any] | BinaryResponse:
            if isinstance(spec, BinarySpec):
                return BinaryResponse(response)
            if isinstance(spec, LineSpec):
                return JSONLDecoder(response, spec)
            made: Stream[Any] = Stream(
                response,
                spec=spec,
                error_types=config.error_types,
                status_errors=config.status_errors,
                secrets=self._secrets(),
            )
            # The stream reads through this client's pool: a client dropped
            # while its stream is read must not close the pool under it.
            made._owner = self
            return made

        if raw:
            return APIResponse(response, parser=make, retries_taken=retries_taken)
        return make()

    def _wait(
        self, request: httpx.Request, retries_taken: int, headers: httpx.Headers | None, why: str
    ) -> None:
        delay = retry_delay(retries_taken, headers)
        self._log_retry(request, retries_taken, delay, why)
        self._sleep(delay)


async def _async_sleep(seconds: float) -> None:
    # asyncio is imported on the first retry of an async client: importing it
    # costs more than the rest of this module, and sync users never need it.
    import asyncio

    await asyncio.sleep(seconds)


class AsyncAPIClient(_ClientBase):
    """Base of the generated asynchronous client; mirrors ``SyncAPIClient``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            auth_token=auth_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
        )
        self._owns_http = http_client is None
        self._http = http_client or DefaultAsyncHttpxClient(timeout=self.timeout)
        self._sleep: Callable[[float], Awaitable[None]] = _async_sleep

    def with_options(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        http_client: httpx.AsyncClient | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connections."""
        kwargs = self._options_kwargs(
            api_key,
            auth_token,
            base_url,
            timeout,
            max_retries,
            default_headers,
            set_default_headers,
            default_query,
            set_default_query,
        )
        clone = type(self)(**kwargs, http_client=http_client or self._http)
        clone._sleep = self._sleep
        return clone

    copy = with_options

    def is_closed(self) -> bool:
        """Whether this client's connection pool is closed (then every call fails)."""
        return self._http.is_closed

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""
        if self._owns_http:
            await self._http.aclose()

    def __del__(self) -> None:
        # Closing needs an event loop; if one is running, close there, as the
        # official SDK does. Otherwise the pool's own finalisers clean up.
        if not getattr(self, "_owns_http", False) or self._http.is_closed:
            return
        try:
            import asyncio

            asyncio.get_running_loop().create_task(self._http.aclose())
        except Exception:  # noqa: BLE001 - no running loop, or one shutting down
            pass

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # Undocumented endpoints, as the official SDK spells them: the client's
    # defaults, retries and errors, with the body parsed as ``cast_to``
    # (``httpx.Response`` for the response itself, ``object`` for plain JSON).
    async def get(
        self, path: str, *, cast_to: type[_T], options: Mapping[str, Any] | None = None
    ) -> _T:
        return await self._undocumented("get", path, cast_to, None, options)

    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self._undocumented("post", path, cast_to, body, options)

    async def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self._undocumented("put", path, cast_to, body, options)

    async def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self._undocumented("patch", path, cast_to, body, options)

    async def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self._undocumented("delete", path, cast_to, body, options)

    async def _undocumented(
        self,
        method: str,
        path: str,
        cast_to: type[_T],
        body: Mapping[str, object] | None,
        options: Mapping[str, Any] | None,
    ) -> _T:
        req, request_options = _raw_call(method, path, body, options)
        result: _T = await self.request(req, cast_to=_plain(cast_to), options=request_options)
        return result

    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: Literal[False] = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: Literal[False] = False,
    ) -> _T: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: Literal[True],
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> AsyncStream[_E]: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: type[_T],
        options: RequestOptions | None = None,
        stream: bool,
        stream_spec: StreamSpec[_E],
        raw: Literal[False] = False,
    ) -> _T | AsyncStream[_E]: ...
    @overload
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: bool = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: bool = False,
    ) -> Any: ...
    async def request(
        self,
        req: APIRequest,
        *,
        cast_to: object,
        options: RequestOptions | None = None,
        stream: bool = False,
        stream_spec: StreamSpec[Any] | None = None,
        raw: bool = False,
    ) -> Any:
        """The async twin of ``SyncAPIClient.request``."""
        if stream and stream_spec is None:
            raise TypeError("stream=True needs a stream_spec")
        options = options or _NO_OPTIONS
        raw = raw or raw_response_requested()
        streamed = streamed_response_requested()
        max_retries = self._max_retries(options)
        # Encoded once: an argument may be a one-shot iterable, and every
        # retry must send the same bytes.
        encoded = _body(req.json, options.extra_body, req.content_type, req.content)
        if isinstance(encoded[0], Upload) and not encoded[0].replayable:
            max_retries = 0  # a one-shot iterable of bytes cannot be sent again
        retries_taken = 0
        while True:
            request = self._build(
                self._http,
                req,
                options,
                encoded=encoded,
                stream=stream,
                retries_taken=retries_taken,
            )
            if self._http.is_closed:
                raise self._closed_error(request)
            self._log_request(request)
            deadline = _DEADLINE.set(_deadline(request))
            try:
                response = await self._send(request)
                self._log_response(request, response)
                if response.is_success and stream:
                    assert stream_spec is not None
                    return self._success_stream(response, stream_spec, raw, retries_taken)
                if response.is_success and streamed:
                    return self._success(response, cast_to, True, retries_taken)
                failure = await _aread(response)
            except httpx.TransportError as exc:
                failure = exc
                response = None
            finally:
                _DEADLINE.reset(deadline)
            if response is not None and response.is_success and failure is None:
                return self._success(response, cast_to, raw, retries_taken)
            if response is None or response.is_success:
                assert failure is not None
                if retries_taken >= max_retries:
                    raise self._connection_error(failure, request) from failure
                await self._wait(request, retries_taken, None, type(failure).__name__)
            elif should_retry(response) and retries_taken < max_retries:
                await self._wait(
                    request, retries_taken, response.headers, str(response.status_code)
                )
            else:
                raise self._status_error(response)
            retries_taken += 1

    async def _send(self, request: httpx.Request) -> httpx.Response:
        http = self._http
        response = await http.send(request, stream=True, follow_redirects=False)
        hops = 0
        while response.next_request is not None and http.follow_redirects:
            await _aread(response)
            hop = self._next_hop(request, response, hops, http.max_redirects)
            response = await http.send(hop, stream=True, follow_redirects=False)
            hops += 1
        return response

    def _success(
        self, response: httpx.Response, cast_to: object, raw: bool, retries_taken: int
    ) -> Any:
        if raw:
            return AsyncAPIResponse(
                response,
                parser=lambda: parse_body(response.content, cast_to, response),
                retries_taken=retries_taken,
            )
        return parse_body(response.content, cast_to, response)

    def _success_stream(
        self, response: httpx.Response, spec: StreamSpec[Any], raw: bool, retries_taken: int
    ) -> Any:
        config = self._config

        def make() -> AsyncStream[Any] | AsyncJSONLDecoder[Any] | AsyncBinaryResponse:
            if isinstance(spec, BinarySpec):
                return AsyncBinaryResponse(response)
            if isinstance(spec, LineSpec):
                return AsyncJSONLDecoder(response, spec)
            made: AsyncStream[Any] = AsyncStream(
                response,
                spec=spec,
                error_types=config.error_types,
                status_errors=config.status_errors,
                secrets=self._secrets(),
            )
            # The stream reads through this client's pool: a client dropped
            # while its stream is read must not close the pool under it.
            made._owner = self
            return made

        if raw:
            return AsyncAPIResponse(response, parser=make, retries_taken=retries_taken)
        return make()

    async def _wait(
        self, request: httpx.Request, retries_taken: int, headers: httpx.Headers | None, why: str
    ) -> None:
        delay = retry_delay(retries_taken, headers)
        self._log_retry(request, retries_taken, delay, why)
        await self._sleep(delay)
