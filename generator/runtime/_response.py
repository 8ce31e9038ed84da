"""Parsing response bodies, and the raw responses behind ``with_raw_response``.

Bodies, stream events and final stream messages are all parsed by a cached
``Validator`` per type: the fast schema first, the lenient one when that fails
(``_models`` explains why there are two).

``client.messages.with_raw_response.create(...)`` returns an ``APIResponse``
instead of the parsed ``Message``: the status, headers and request id, with
``parse()`` giving the value the plain method would have returned.

The wrapper has to tell the client "return the raw response" without adding a
parameter to every generated method. It does so through a context variable
set only for the duration of the wrapped call: a context variable is private to
its thread and to its asyncio task, so concurrent calls cannot see each
other's flag, and it is reset even when the call raises.

``with_streaming_response`` works the same way with a second flag: the body
is left unread until the caller reads or iterates it, inside a ``with`` block
that releases the connection.

A parsed model carries the response's request id as ``_request_id``, as in the
official SDK (the top-level object only).
"""

from __future__ import annotations

import datetime
import functools
import json
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generic,
    Iterator,
    TypeVar,
    cast,
)

import httpx
from typing_extensions import ParamSpec, Self, TypeGuard

from ._errors import APIResponseValidationError

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncStreamedAPIResponse",
    "ResponseView",
    "StreamedAPIResponse",
    "Validator",
    "async_to_raw_response_wrapper",
    "header",
    "parse_body",
    "parsed_responses",
    "raw_response_requested",
    "streamed_response_requested",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
    "async_to_streamed_response_wrapper",
    "type_adapter",
    "validator",
]

_T = TypeVar("_T")
_B = TypeVar("_B")
_P = ParamSpec("_P")

_RAW_RESPONSE: ContextVar[bool] = ContextVar("raw_response_requested", default=False)
_STREAMED_RESPONSE: ContextVar[bool] = ContextVar("streamed_response_requested", default=False)

# Keyed by id(): annotated unions carrying dict metadata are not hashable. The
# type is stored next to its adapter so the id cannot be reused while cached.
_ADAPTERS: dict[int, tuple[object, pydantic.TypeAdapter[Any]]] = {}


def type_adapter(tp: object) -> pydantic.TypeAdapter[Any]:
    """A cached ``TypeAdapter`` for ``tp`` (building one costs far more than using it)."""
    import pydantic  # see ``validator``

    cached = _ADAPTERS.get(id(tp))
    if cached is not None and cached[0] is tp:
        return cached[1]
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(cast(Any, tp))
    _ADAPTERS[id(tp)] = (tp, adapter)
    return adapter


class Validator:
    """Parses one type: with ``fast`` first and, only if that fails, with ``lenient``.

    ``fast`` reads every tag in pydantic-core alone (``_models.plain_tag_schema``);
    whenever it succeeds its result is the one ``lenient`` would give, and
    whatever it rejects (a tag this client does not know, a malformed body) is
    parsed, or reported, by ``lenient`` exactly as before. ``lenient`` is
    ``None`` when the type has no union that needs it: ``fast`` is then the only
    schema. ``error`` is pydantic's ``ValidationError``, what both raise.
    """

    __slots__ = ("error", "fast", "lenient")

    def __init__(self, fast: Any, lenient: Any) -> None:
        import pydantic  # see ``validator``

        self.fast = fast  # a pydantic-core SchemaValidator, or a TypeAdapter
        self.lenient = lenient
        self.error: type[pydantic.ValidationError] = pydantic.ValidationError

    def validate_json(self, data: str | bytes) -> Any:
        try:
            return self.fast.validate_json(data)
        except self.error:
            if self.lenient is None:
                raise
        # Outside the handler, so the lenient error is not chained to the fast one.
        return self.lenient.validate_json(data)

    def validate_python(self, value: object) -> Any:
        try:
            return self.fast.validate_python(value)
        except self.error:
            if self.lenient is None:
                raise
        return self.lenient.validate_python(value)


_VALIDATORS: dict[int, tuple[object, Validator]] = {}


def validator(tp: object) -> Validator:
    """The cached ``Validator`` of ``tp`` (a model class, or any type pydantic takes)."""
    cached = _VALIDATORS.get(id(tp))
    if cached is not None and cached[0] is tp:
        return cached[1]
    # pydantic is imported on the first parse, not with the client: by then the
    # models have imported it anyway, and a client import need not pay for it.
    import pydantic

    from ._models import BUILD_LOCK, plain_tag_validator

    lenient: Any
    # Under the lock, no other thread rebuilds a model while a fast validator
    # is built with models marked incomplete (``plain_tag_validator``).
    with BUILD_LOCK:
        if _is_model_class(tp, pydantic.BaseModel):
            tp.model_rebuild()  # a deferred model is built now, not at its first use
            lenient, schema = tp.__pydantic_validator__, tp.__pydantic_core_schema__
        else:
            lenient = type_adapter(tp)
            schema = lenient.core_schema
        fast = plain_tag_validator(schema) if isinstance(schema, dict) else None
    # Without a union that needs the lenient schema, the fast one is that schema.
    made = Validator(lenient, None) if fast is None else Validator(fast, lenient)
    _VALIDATORS[id(tp)] = (tp, made)
    return made


def parse_body(content: bytes, cast_to: object, response: httpx.Response) -> Any:
    """``content`` parsed as ``cast_to``, straight from bytes.

    ``None`` gives ``None``; ``bytes``, ``str`` and ``httpx.Response`` give the
    body or response as they are; anything else goes through pydantic.
    """
    if cast_to is None or cast_to is type(None):
        return None
    if cast_to is bytes:
        return content
    if cast_to is str:
        return response.text
    if cast_to is httpx.Response:
        return response
    parser = validator(cast_to)
    # Every response body comes through here, so the usual case (the fast
    # schema accepts the body) is spelled out without a call of ours.
    try:
        parsed = parser.fast.validate_json(content)
    except parser.error:
        parsed = _REJECTED
    if parsed is _REJECTED:
        # Outside the handler, so that what the lenient schema raises is not
        # chained to the fast schema's error.
        parsed = _parse_leniently(parser, content, cast_to, response)
    if isinstance(getattr(type(parsed), "__pydantic_fields__", None), dict):
        # The top-level model only (not the items of a list, as in the SDK).
        # Not a field: set beside them, so dumping the model leaves it out.
        object.__setattr__(parsed, "_request_id", header(response.headers, "request-id"))
    return parsed


# What ``parse_body`` holds when the fast schema rejected the body.
_REJECTED = object()


def _parse_leniently(
    parser: Validator, content: bytes, cast_to: object, response: httpx.Response
) -> Any:
    """What the fast schema rejected: parsed by the lenient one, or reported."""
    try:
        return parser.validate_json(content)
    except parser.error as exc:
        raise invalid_json(
            exc, content, response, lambda exc, _: describe_validation_error(exc, cast_to)
        ) from exc


def header(headers: httpx.Headers, name: str) -> str | None:
    """``headers.get(name)``, in a fraction of its time.

    ``Headers.get`` takes about 1.5 µs (four Python frames, and a ``KeyError``
    caught when the header is absent): as long as pydantic-core takes to parse
    a whole error body. Its list of ``(raw name, lowercased name, value)``
    triples is read directly instead, with the same result (repeated headers
    joined by ``", "``, values decoded with the headers' own encoding); should
    a later httpx keep its headers otherwise, ``get`` answers.
    """
    try:
        triples = headers._list
    except AttributeError:
        return _get(headers, name)
    key = name.lower().encode("ascii")
    values: list[bytes] = []
    try:
        for _, lowered, value in triples:
            if lowered == key:
                values.append(value)
    except (TypeError, ValueError):  # not triples of bytes after all
        return _get(headers, name)
    if not values:
        return None
    if len(values) == 1:
        return values[0].decode(headers.encoding)
    return ", ".join(value.decode(headers.encoding) for value in values)


def _get(headers: httpx.Headers, name: str) -> str | None:
    found: str | None = headers.get(name)
    return found


def invalid_json(
    exc: pydantic.ValidationError,
    data: str | bytes,
    response: httpx.Response,
    describe: Callable[[pydantic.ValidationError, object], str],
    error: Callable[..., APIResponseValidationError] = APIResponseValidationError,
    **fields: Any,
) -> APIResponseValidationError:
    """Our typed error for JSON text (a body, a stream event, a line) that ``exc`` rejected.

    The one place where a parse failure becomes an error: ``describe(exc,
    body)`` writes its message, where ``body`` is ``data`` read as plain JSON
    (``None`` when it is not JSON), which the error keeps. ``error`` is the
    class to raise and ``fields`` its own arguments (a line's number).
    """
    body = _json_or_none(data)
    return error(describe(exc, body), response=response, body=body, **fields)


def describe_validation_error(exc: pydantic.ValidationError, target: object) -> str:
    """A short message: the target and the first few problems, without input values."""
    name = getattr(target, "__name__", None) or repr(target)
    return describe_problems(
        f"response did not fit {name}",
        exc,
        lambda loc: ".".join(str(part) for part in loc) or "<body>",
    )


def describe_problems(
    head: str, exc: pydantic.ValidationError, where: Callable[[tuple[int | str, ...]], str]
) -> str:
    """``head: loc: msg; ...``: the first three of ``exc``'s problems, each placed by ``where``."""
    problems = [
        f"{where(error['loc'])}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)[:3]
    ]
    more = exc.error_count() - len(problems)
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"{head}: {'; '.join(problems)}{suffix}"


def _is_model_class(tp: object, base: type[_B]) -> TypeGuard[type[_B]]:
    try:
        return isinstance(tp, type) and issubclass(tp, base)
    except TypeError:  # generic aliases pose as types on some versions
        return False


def _json_or_none(content: str | bytes) -> object | None:
    try:
        parsed: object = json.loads(content)
    except ValueError:
        return None
    return parsed


class ResponseView:
    """What every response wrapper tells of the HTTP response it holds."""

    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.http_response.headers.get("request-id")
        return request_id


class _ResponseBase(ResponseView, Generic[_T]):
    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parser: Callable[[], _T],
        retries_taken: int,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: tuple[_T] | None = None

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the request to reading the end of the response."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def json(self) -> object:
        parsed: object = json.loads(self.http_response.content)
        return parsed

    @property
    def content(self) -> bytes:
        """The body (not available for a stream: iterate ``parse()`` instead)."""
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def parse(self) -> _T:
        """The value the plain method returns; built once, then cached.

        For a stream this is the ``Stream`` itself, and it can be iterated once.
        """
        if self._parsed is None:
            self._parsed = (self._parser(),)
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.http_response.request.method} {self.url}>"


class APIResponse(_ResponseBase[_T]):
    """A raw response from the sync client. A stream's must be closed (or consumed)."""

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIResponse(_ResponseBase[_T]):
    """A raw response from the async client; ``parse()`` needs no ``await``."""

    async def close(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


@contextmanager
def parsed_responses() -> Iterator[None]:
    """Inside it, calls return parsed values even under a raw or streamed wrapper.

    A method that makes a call of its own first (a download that looks up its
    URL) reads that reply itself; only its last request answers the wrapper.
    """
    raw, streamed = _RAW_RESPONSE.set(False), _STREAMED_RESPONSE.set(False)
    try:
        yield
    finally:
        _STREAMED_RESPONSE.reset(streamed)
        _RAW_RESPONSE.reset(raw)


def raw_response_requested() -> bool:
    """Whether the current call runs inside a ``with_raw_response`` wrapper."""
    return _RAW_RESPONSE.get()


def to_raw_response_wrapper(func: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    """``func``, returning the ``APIResponse`` instead of the parsed value."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        token = _RAW_RESPONSE.set(True)
        try:
            result: object = func(*args, **kwargs)
        finally:
            _RAW_RESPONSE.reset(token)
        return _checked(result, APIResponse, func)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_T]]]:
    """The async twin of ``to_raw_response_wrapper``."""

    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_T]:
        # The awaited coroutine runs in this task's context, so it sees the flag.
        token = _RAW_RESPONSE.set(True)
        try:
            result: object = await func(*args, **kwargs)
        finally:
            _RAW_RESPONSE.reset(token)
        return _checked(result, AsyncAPIResponse, func)

    return wrapped


_R = TypeVar("_R", bound=_ResponseBase[Any])


def _checked(result: object, expected: type[_R], func: object) -> _R:
    # A method that never reached the client would otherwise hand back a parsed
    # value typed as a raw response.
    if not isinstance(result, expected):
        name = getattr(func, "__qualname__", repr(func))
        raise TypeError(f"{name} did not return a raw response; it must send exactly one request")
    return result


class _StreamedBase(Generic[_T]):
    def __init__(self, raw: _ResponseBase[_T]) -> None:
        self._raw = raw
        self.http_response = raw.http_response
        self.retries_taken = raw.retries_taken

    status_code = property(lambda self: self._raw.status_code)
    headers = property(lambda self: self._raw.headers)
    request_id = property(lambda self: self._raw.request_id)
    url = property(lambda self: self._raw.url)
    http_request = property(lambda self: self._raw.http_request)
    method = property(lambda self: self._raw.method)
    http_version = property(lambda self: self._raw.http_version)
    elapsed = property(lambda self: self._raw.elapsed)
    is_closed = property(lambda self: self._raw.is_closed)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url}>"


class StreamedAPIResponse(_StreamedBase[_T]):
    """What ``with_streaming_response`` methods give inside their ``with`` block.

    The body is read only when asked for: ``read()``, ``text()``, ``json()``,
    ``parse()``, or piece by piece with ``iter_bytes()``, ``iter_text()`` and
    ``iter_lines()``.
    """

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        self.read()
        return self._raw.json()

    def parse(self) -> _T:
        self.read()
        return self._raw.parse()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedAPIResponse(_StreamedBase[_T]):
    """The async twin of ``StreamedAPIResponse``: its reads are awaited."""

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        await self.read()
        return self._raw.json()

    async def parse(self) -> _T:
        await self.read()
        return self._raw.parse()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def close(self) -> None:
        await self.http_response.aclose()


class StreamedResponseManager(Generic[_T]):
    """``with method(...) as response:`` sends the request and closes the response."""

    def __init__(self, call: Callable[[], APIResponse[_T]]) -> None:
        self._call = call
        self._response: StreamedAPIResponse[_T] | None = None

    def __enter__(self) -> StreamedAPIResponse[_T]:
        token = _STREAMED_RESPONSE.set(True)
        try:
            self._response = StreamedAPIResponse(self._call())
        finally:
            _STREAMED_RESPONSE.reset(token)
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedResponseManager(Generic[_T]):
    """The async twin of ``StreamedResponseManager``; use ``async with``."""

    def __init__(self, call: Callable[[], Awaitable[AsyncAPIResponse[_T]]]) -> None:
        self._call = call
        self._response: AsyncStreamedAPIResponse[_T] | None = None

    async def __aenter__(self) -> AsyncStreamedAPIResponse[_T]:
        token = _STREAMED_RESPONSE.set(True)
        try:
            self._response = AsyncStreamedAPIResponse(await self._call())
        finally:
            _STREAMED_RESPONSE.reset(token)
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def streamed_response_requested() -> bool:
    """Whether the current call runs inside a ``with_streaming_response`` wrapper."""
    return _STREAMED_RESPONSE.get()


def to_streamed_response_wrapper(
    func: Callable[_P, _T],
) -> Callable[_P, StreamedResponseManager[_T]]:
    """``func``, returning a context manager around its unread response."""
    raw = to_raw_response_wrapper(func)

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> StreamedResponseManager[_T]:
        return StreamedResponseManager(lambda: raw(*args, **kwargs))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_T]],
) -> Callable[_P, AsyncStreamedResponseManager[_T]]:
    """The async twin of ``to_streamed_response_wrapper``."""
    raw = async_to_raw_response_wrapper(func)

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncStreamedResponseManager[_T]:
        return AsyncStreamedResponseManager(lambda: raw(*args, **kwargs))

    return wrapped
