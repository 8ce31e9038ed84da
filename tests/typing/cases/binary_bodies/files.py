"""Binary uploads and downloads in the ``binary_bodies`` case's package (``files_client``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import AsyncIterator, Iterator, List

from typing_extensions import assert_type

from files_client import (
    AsyncBinaryResponse,
    AsyncFileContent,
    AsyncFilesClient,
    BinaryResponse,
    FileContent,
    FilePart,
    FilesClient,
)
from files_client.types import FileInfo


def chunks() -> Iterator[bytes]:
    yield b"a"


async def achunks() -> AsyncIterator[bytes]:
    yield b"a"


def uploads(client: FilesClient, path: Path) -> None:
    # Everything FileContent names goes where an upload is taken.
    with open(path, "rb") as file:
        assert_type(client.files.upload(body=file, name="a.bin"), FileInfo)
    assert_type(client.files.upload(body=path, name="a.bin"), FileInfo)
    assert_type(client.files.upload(body=b"abc", name="a.bin"), FileInfo)
    assert_type(client.files.upload(body=chunks(), name="a.bin"), FileInfo)
    assert_type(client.avatars.set("u", body=bytearray(b"\x89PNG"), content_type="image/png"), None)
    assert_type(client.recordings.upload(content_type="audio/ogg"), FileInfo)
    body: FileContent = [b"a", b"b"]
    client.files.upload(body=body, name="a.bin")
    # Text is not bytes, and an avatar's media type is one of its two.
    with open(path, encoding="utf-8") as text:
        client.files.upload(body=text, name="a.txt")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.files.upload(body="abc", name="a.txt")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.avatars.set("u", body=b"", content_type="image/gif")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def form_parts(client: FilesClient, path: Path) -> None:
    # A multipart form's file part: bytes, a path or a binary file, not chunks.
    assert_type(client.documents.upload(file=path, title="Q3"), FileInfo)
    assert_type(client.documents.upload(file=io.BytesIO(b"%PDF"), title="Q3", thumbnail=b"\x89PNG"), FileInfo)
    part: FilePart = memoryview(b"%PDF")
    client.documents.upload(file=part, title="Q3")
    client.documents.upload(file=chunks(), title="Q3")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.documents.upload(file="report.pdf", title="Q3")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def downloads(client: FilesClient, path: Path) -> None:
    download = client.files.download("file_1")
    assert_type(download, BinaryResponse)
    assert_type(download.read(), bytes)
    assert_type(download.content_type, "str | None")
    assert_type(list(download.iter_bytes(1024)), List[bytes])
    assert_type(download.write_to_file(path), None)
    with client.files.preview("file_1") as preview:
        assert_type(preview.text(), str)
    download.read().decode()
    path.write_text(download.read())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


async def async_uploads_and_downloads(client: AsyncFilesClient, path: Path) -> None:
    # The async client also takes an async iterable of chunks.
    assert_type(await client.files.upload(body=achunks(), name="a.bin"), FileInfo)
    assert_type(await client.files.upload(body=path, name="a.bin"), FileInfo)
    stream: AsyncFileContent = achunks()
    await client.avatars.set("u", body=stream, content_type="image/jpeg")
    assert_type(await client.documents.upload(file=path, title="Q3"), FileInfo)
    download = await client.files.download("file_1")
    assert_type(download, AsyncBinaryResponse)
    assert_type(await download.read(), bytes)
    async for chunk in download.iter_bytes():
        assert_type(chunk, bytes)
    await download.write_to_file(path)
    async with await client.files.preview("file_1") as preview:
        assert_type(await preview.text(), str)
    # The sync client takes no async iterable.
    sync = FilesClient(api_key="k")
    sync.files.upload(body=achunks(), name="a.bin")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
