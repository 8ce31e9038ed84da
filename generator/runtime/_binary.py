"""Binary bodies: file uploads sent as they are read, downloads read as they arrive.

An upload (``image/png``, ``application/octet-stream``...) is ``FileContent``:
``bytes``, a path (``pathlib.Path``), a file opened in binary mode, or an
iterable of ``bytes`` chunks (async clients take an async iterable too). A
path or a file is read in chunks while it is sent, never whole into memory,
and sent with its length; an iterable goes out with chunked transfer
encoding. A retry sends the same bytes again: bytes and paths always can, a
file can when it is seekable (it is rewound to where it stood), and a one-shot
iterable cannot, so a call that would need to resend one fails with the error
that made it retry instead.

A file part of a ``multipart/form-data`` body is ``FilePart``: bytes, a path
or a binary file (not an iterable of chunks, which a list of files would look
like). The form is encoded whole before it is sent, so a part costs its size
in memory; a path's base name (a file's, when it has one) is sent as its
filename.

A download is a ``BinaryResponse`` (``AsyncBinaryResponse``), like the
official SDK's ``BinaryAPIResponse``: ``read()`` for the bytes,
``iter_bytes()`` to process them as they arrive, ``write_to_file(path)`` to
save them. The body is not read before the caller asks, so a download of any
size costs one chunk of memory; it is closed once read, or by ``close()`` or
a ``with`` block.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any, AsyncIterable, AsyncIterator, Iterable, Iterator, Union

import httpx
from typing_extensions import Self, TypeAlias

from ._errors import APIConnectionError
from ._response import ResponseView
from ._streaming import StreamSpec

__all__ = [
    "AsyncBinaryResponse",
    "AsyncFileContent",
    "BinaryResponse",
    "BinarySpec",
    "FileContent",
    "FilePart",
    "Upload",
    "file_part",
    "is_file_part",
]

FileContent: TypeAlias = Union[
    bytes, bytearray, memoryview, "os.PathLike[str]", IO[bytes], Iterable[bytes]
]
"""What a binary upload accepts: bytes, a path, a binary file, or chunks of bytes."""

AsyncFileContent: TypeAlias = Union[FileContent, AsyncIterable[bytes]]
"""What an async client's binary upload accepts: ``FileContent`` or an async iterable of chunks."""

FilePart: TypeAlias = Union[bytes, bytearray, memoryview, "os.PathLike[str]", IO[bytes]]
"""What a file part of a multipart form accepts: bytes, a path, or a file opened in binary mode."""

# Read and sent this many bytes at a time (httpx's own default chunk size).
CHUNK_SIZE = 65_536


class Upload:
    """One binary request body, turned into what httpx sends on each attempt.

    ``replayable`` says whether a retry can send it again; ``length`` is its
    size when it is known before sending (then ``content-length`` is sent
    instead of chunked transfer encoding).
    """

    def __init__(self, value: object) -> None:
        self._value = value
        self.length: int | None = None
        self.replayable = True
        self._start = 0
        self._attempts = 0
        if isinstance(value, (bytes, bytearray, memoryview)):
            self._value = bytes(value)
            self.length = len(self._value)
        elif isinstance(value, os.PathLike):
            self.length = os.path.getsize(os.fspath(value))
        elif isinstance(value, io.IOBase) or hasattr(value, "read"):
            self.replayable = _seekable(value)
            if self.replayable:
                self._start = value.tell()  # type: ignore[attr-defined]
            self.length = _remaining(value, self._start)
        elif isinstance(value, (str, dict)) or not isinstance(value, (Iterable, AsyncIterable)):
            raise TypeError(
                f"a binary body is bytes, a path, a binary file or an iterable of bytes, "
                f"not {type(value).__name__}"
            )
        else:
            self.replayable = False

    def content(self) -> bytes | Iterator[bytes]:
        """The body for one attempt of a sync request."""
        self._attempt()
        value = self._value
        if isinstance(value, bytes):
            return value
        if isinstance(value, os.PathLike):
            return _read_path(os.fspath(value))
        if hasattr(value, "read"):
            return _read_file(value, self._start if self.replayable else None)
        if isinstance(value, AsyncIterable) and not isinstance(value, Iterable):
            raise TypeError("an async iterable of bytes needs the async client")
        return _checked_chunks(value)  # type: ignore[arg-type]

    def acontent(self) -> bytes | AsyncIterator[bytes]:
        """The body for one attempt of an async request."""
        value = self._value
        if isinstance(value, AsyncIterable):
            self._attempt()
            return _achecked_chunks(value)
        content = self.content()
        return content if isinstance(content, bytes) else _as_async(content)

    def _attempt(self) -> None:
        self._attempts += 1
        if self._attempts > 1 and not self.replayable:
            # Cannot happen through the client (it does not retry these), but a
            # second read would silently send an empty or partial body.
            raise RuntimeError("a one-shot iterable of bytes cannot be sent twice")


def is_file_part(value: object) -> bool:
    """Whether a form value is a file (``FilePart``) rather than text, a list or a mapping."""
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or (
        hasattr(value, "read") and not isinstance(value, str)
    )


def file_part(name: str, value: object) -> tuple[str, bytes]:
    """The filename and bytes of one file part; ``name`` (the part's) names bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return name, bytes(value)
    if isinstance(value, os.PathLike):
        path = os.fsdecode(os.fspath(value))
        with open(path, "rb") as file:
            return os.path.basename(path), file.read()
    data = value.read()  # type: ignore[attr-defined]
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(
            f"a file part is read as bytes: open the file in binary mode ('rb'), "
            f"it gave {type(data).__name__}"
        )
    own = getattr(value, "name", None)
    return (os.path.basename(own) if isinstance(own, str) and own else name), bytes(data)


def _seekable(value: object) -> bool:
    try:
        return bool(value.seekable()) and isinstance(value.tell(), int)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _remaining(value: object, start: int) -> int | None:
    try:
        size = os.fstat(value.fileno()).st_size  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    return max(size - start, 0)


def _read_path(path: str) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK_SIZE):
            yield chunk


def _read_file(file: Any, start: int | None) -> Iterator[bytes]:
    if start is not None:
        file.seek(start)
    while chunk := file.read(CHUNK_SIZE):
        if isinstance(chunk, str):
            raise TypeError("open the file in binary mode ('rb'): it gave text, not bytes")
        yield chunk


def _checked_chunks(chunks: Iterable[object]) -> Iterator[bytes]:
    for chunk in chunks:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"a binary body's chunks are bytes, not {type(chunk).__name__}")
        yield bytes(chunk)


async def _achecked_chunks(chunks: AsyncIterable[object]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"a binary body's chunks are bytes, not {type(chunk).__name__}")
        yield bytes(chunk)


async def _as_async(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    # Files are read in the event loop's thread, a chunk at a time, as httpx's
    # own async file uploads are.
    for chunk in chunks:
        yield chunk


@dataclass(frozen=True)
class BinarySpec(StreamSpec[bytes]):
    """A response handed to the caller as bytes: a ``BinaryResponse``, never parsed.

    A ``StreamSpec`` so that the client's streaming path (status check,
    retries before the body, raw responses) serves it unchanged.
    """

    event_type: Any = bytes


class _BinaryBase(ResponseView):
    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def content_type(self) -> str | None:
        """The media type the server sent (``image/png``), without parameters."""
        value = self.http_response.headers.get("content-type")
        return value.split(";")[0].strip() if value else None

    def _broken(self, exc: httpx.TransportError) -> APIConnectionError:
        return APIConnectionError(
            f"the download broke off: {type(exc).__name__}", request=self.http_response.request
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.content_type or 'no type'}>"


class BinaryResponse(_BinaryBase):
    """A binary download: ``read()``, ``iter_bytes()`` or ``write_to_file()``, once each body."""

    def read(self) -> bytes:
        """The whole body (kept: later calls give the same bytes)."""
        try:
            return self.http_response.read()
        except httpx.TransportError as exc:
            raise self._broken(exc) from exc
        finally:
            self.http_response.close()

    @property
    def content(self) -> bytes:
        return self.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        return json.loads(self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body as it arrives, ``chunk_size`` bytes at a time (any size when None)."""
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise self._broken(exc) from exc
        finally:
            self.http_response.close()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Save the body to ``file`` as it arrives (the file is replaced)."""
        with open(file, "wb") as out:
            for chunk in self.iter_bytes(CHUNK_SIZE):
                out.write(chunk)

    stream_to_file = write_to_file

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


class AsyncBinaryResponse(_BinaryBase):
    """The async twin of ``BinaryResponse``: ``await read()``, ``async for`` over ``iter_bytes()``."""

    async def read(self) -> bytes:
        try:
            return await self.http_response.aread()
        except httpx.TransportError as exc:
            raise self._broken(exc) from exc
        finally:
            await self.http_response.aclose()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        return json.loads(await self.read())

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise self._broken(exc) from exc
        finally:
            await self.http_response.aclose()

    async def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Save the body to ``file`` as it arrives (the file is replaced)."""
        with open(file, "wb") as out:
            async for chunk in self.iter_bytes(CHUNK_SIZE):
                out.write(chunk)

    stream_to_file = write_to_file

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
