"""JSON Lines downloads (``application/x-jsonl``), parsed one line at a time.

A results file can hold hundreds of thousands of lines, so it is never read
whole: ``JSONLDecoder`` reads the response as it arrives and parses each line
into the operation's item type as the caller asks for it. Memory stays at one
line plus httpx's read buffer, however long the file is.

A line that is not JSON, or that does not fit the item type, raises
``JSONLDecodeError`` with its 1-based ``line_number``; blank lines are
skipped. The response is closed when the iteration ends, fails, or the
decoder is closed (``with`` closes it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import AsyncIterator, Generic, Iterator, TypeVar

import httpx
from typing_extensions import Self

from ._errors import APIConnectionError, APIResponseValidationError
from ._response import describe_validation_error, invalid_json, validator
from ._streaming import StreamSpec

__all__ = ["AsyncJSONLDecoder", "JSONLDecodeError", "JSONLDecoder", "LineSpec"]

_T = TypeVar("_T")


class JSONLDecodeError(APIResponseValidationError):
    """One line of a JSON Lines download is not JSON or does not fit its type."""

    def __init__(
        self, message: str, *, response: httpx.Response, line_number: int, body: object = None
    ) -> None:
        super().__init__(f"line {line_number}: {message}", response=response, body=body)
        self.line_number = line_number


@dataclass(frozen=True)
class LineSpec(StreamSpec[_T]):
    """A response of JSON Lines, each line parsed as ``event_type``.

    A ``StreamSpec`` so that the client's streaming path (status check,
    retries before the body, raw responses) serves it unchanged.
    """


class _DecoderBase(Generic[_T]):
    def __init__(self, response: httpx.Response, spec: StreamSpec[_T]) -> None:
        self.response = response
        self._validator = validator(spec.event_type)
        self._type = spec.event_type
        self._line_number = 0
        self._started = False

    @property
    def request_id(self) -> str | None:
        value: str | None = self.response.headers.get("request-id")
        return value

    def _claim(self) -> None:
        if self._started:
            raise RuntimeError("a JSON Lines response can be iterated only once")
        self._started = True

    def _parse(self, line: str) -> _T | None:
        self._line_number += 1
        if not line.strip():
            return None
        try:
            item: _T = self._validator.validate_json(line)
        except self._validator.error as exc:
            # pydantic reports a line that is not JSON at all too (``json_invalid``).
            raise invalid_json(
                exc,
                line,
                self.response,
                lambda exc, _: describe_validation_error(exc, self._type),
                JSONLDecodeError,
                line_number=self._line_number,
            ) from None
        return item

    def _transport_error(self, exc: httpx.TransportError) -> APIConnectionError:
        return APIConnectionError(
            f"the download broke off after line {self._line_number}: {type(exc).__name__}",
            request=self.response.request,
        )


class JSONLDecoder(_DecoderBase[_T]):
    """Iterate for one parsed item per line; the response closes at the end."""

    def __iter__(self) -> Iterator[_T]:
        self._claim()
        try:
            for line in self.response.iter_lines():
                item = self._parse(line)
                if item is not None:
                    yield item
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from exc
        finally:
            self.response.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncJSONLDecoder(_DecoderBase[_T]):
    """The async twin of ``JSONLDecoder``: ``async for`` one item per line."""

    async def __aiter__(self) -> AsyncIterator[_T]:
        self._claim()
        try:
            async for line in self.response.aiter_lines():
                item = self._parse(line)
                if item is not None:
                    yield item
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from exc
        finally:
            await self.response.aclose()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
