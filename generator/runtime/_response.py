"""Parsing response bodies, and the raw responses behind ``with_raw_response``.

``client.messages.with_raw_response.create(...)`` returns an ``APIResponse``
instead of the parsed ``Message``: the status, headers and request id, with
``parse()`` giving the value the plain method would have returned.

The wrapper has to tell the client "return the raw response" without adding a
parameter to every generated method. It does so through a context variable
set only for the duration of the wrapped call: a context variable is private to
its thread and to its asyncio task, so concurrent calls cannot see each
other's flag, and it is reset even when the call raises.
"""

from __future__ import annotations

import functools
import json
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Awaitable, Callable, Generic, TypeVar, cast

import httpx
import pydantic
from typing_extensions import ParamSpec, Self

from ._errors import APIResponseValidationError

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "async_to_raw_response_wrapper",
    "parse_body",
    "raw_response_requested",
    "to_raw_response_wrapper",
    "type_adapter",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")

_RAW_RESPONSE: ContextVar[bool] = ContextVar("raw_response_requested", default=False)

# Keyed by id(): annotated unions carrying dict metadata are not hashable. The
# type is stored next to its adapter so the id cannot be reused while cached.
_ADAPTERS: dict[int, tuple[object, pydantic.TypeAdapter[Any]]] = {}


def type_adapter(tp: object) -> pydantic.TypeAdapter[Any]:
    """A cached ``TypeAdapter`` for ``tp`` (building one costs far more than using it)."""
    cached = _ADAPTERS.get(id(tp))
    if cached is not None and cached[0] is tp:
        return cached[1]
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(cast(Any, tp))
    _ADAPTERS[id(tp)] = (tp, adapter)
    return adapter


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
    try:
        if _is_model_class(cast_to):
            return cast(type[pydantic.BaseModel], cast_to).model_validate_json(content)
        return type_adapter(cast_to).validate_json(content)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            describe_validation_error(exc, cast_to), response=response, body=_json_or_none(content)
        ) from exc


def describe_validation_error(exc: pydantic.ValidationError, target: object) -> str:
    """A short message: the target and the first few problems, without input values."""
    name = getattr(target, "__name__", None) or repr(target)
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or '<body>'}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)[:3]
    ]
    more = exc.error_count() - len(problems)
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"response did not fit {name}: {'; '.join(problems)}{suffix}"


def _is_model_class(tp: object) -> bool:
    try:
        return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)
    except TypeError:  # generic aliases pose as types on some versions
        return False


def _json_or_none(content: bytes) -> object | None:
    try:
        parsed: object = json.loads(content)
    except ValueError:
        return None
    return parsed


class _ResponseBase(Generic[_T]):
    def __init__(
        self, http_response: httpx.Response, *, parser: Callable[[], _T], retries_taken: int
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: tuple[_T] | None = None

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

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

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
