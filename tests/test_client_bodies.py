"""Bodies that are not JSON objects, against a real local server.

The clients come from the feature cases ``tests/cases/non_object_bodies``
(JSON arrays, strings, numbers, an enum and a union as request and response
bodies) and ``tests/cases/binary_bodies`` (file uploads and downloads),
generated (package only) into a temporary folder and imported.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import json
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from generator.pipeline import generate
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

CASES = Path(__file__).resolve().parent / "cases"
KEY = "test-key"
FILE_INFO = {"id": "file_1", "size": 3}


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    out = tmp_path_factory.mktemp("bodies")
    cases = ("non_object_bodies", "binary_bodies")
    for case in cases:
        spec = CASES / case / "spec.yaml"
        generate(spec, out / case, display_path=f"{case}/spec.yaml", targets=("package",))
        sys.path.insert(0, str(out / case))
    try:
        yield importlib.import_module("tags_client"), importlib.import_module("files_client")
    finally:
        for case in cases:
            sys.path.remove(str(out / case))


@pytest.fixture
def tags(clients: tuple[ModuleType, ModuleType], mock_server: MockServer) -> Iterator[object]:
    client = clients[0].TagsClient(api_key=KEY, base_url=mock_server.url, max_retries=0)
    with client:
        yield client


@pytest.fixture
def files_client(clients: tuple[ModuleType, ModuleType]) -> ModuleType:
    return clients[1]


@pytest.fixture
def files(files_client: ModuleType, mock_server: MockServer) -> Iterator[object]:
    client = files_client.FilesClient(api_key=KEY, base_url=mock_server.url, max_retries=1)
    with client:
        yield client


def retry_now(status: int = 503) -> Reply:
    return Reply.json({"error": "busy"}, status=status, headers={"retry-after-ms": "0"})


# -- JSON bodies that are not objects --------------------------------------------


def test_array_of_objects_in_and_out(tags: object, mock_server: MockServer,
                                     clients: tuple[ModuleType, ModuleType]) -> None:
    mock_server.enqueue(Reply.json([{"name": "red", "color": "#f00"}, {"name": "new"}]))
    result = tags.tags.replace("item 1", body=[{"name": "red", "color": "#f00"}, {"name": "new"}])  # type: ignore[attr-defined]
    request = mock_server.requests[0]
    assert (request.method, request.path) == ("PUT", "/items/item%201/tags")
    assert request.headers["content-type"] == "application/json"
    assert request.json() == [{"name": "red", "color": "#f00"}, {"name": "new"}]
    assert [type(t).__name__ for t in result] == ["Tag", "Tag"]
    assert [t.name for t in result] == ["red", "new"]
    assert result[0].color == "#f00" and result[1].color is None


def test_array_from_a_generator_and_numbers_back(tags: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json([0.5, 2, 1e-3]))
    scores = tags.items.scores(body=(w / 2 for w in (1, 4)))  # type: ignore[attr-defined]
    assert mock_server.requests[0].body == b"[0.5,2.0]"
    assert scores == [0.5, 2.0, 0.001]


def test_alias_of_a_list_is_the_response_type(tags: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(["red", "new"]))
    assert tags.tags.names("i") == ["red", "new"]  # type: ignore[attr-defined]
    assert mock_server.requests[0].body == b""


def test_union_of_objects_as_the_body(tags: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(status=204), Reply(status=204))
    assert tags.tags.change("i", body={"from": "red", "to": "crimson"}) is None  # type: ignore[attr-defined]
    tags.tags.change("i", body={"remove": "new"})  # type: ignore[attr-defined]
    assert [r.json() for r in mock_server.requests] == [{"from": "red", "to": "crimson"}, {"remove": "new"}]


def test_string_body_and_string_response(tags: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json('A "quoted" title'))
    title = tags.items.set_title("i", body='A "quoted" title')  # type: ignore[attr-defined]
    assert mock_server.requests[0].body == b'"A \\"quoted\\" title"'
    assert title == 'A "quoted" title'


def test_optional_enum_body_sent_only_when_given(tags: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(3), Reply.json(4))
    assert tags.items.set_priority("i", body="high") == 3  # type: ignore[attr-defined]
    assert tags.items.set_priority("i") == 4  # type: ignore[attr-defined]
    first, second = mock_server.requests
    assert first.body == b'"high"'
    assert second.body == b""


def test_response_of_the_wrong_shape_is_a_typed_error(
    tags: object, mock_server: MockServer, clients: tuple[ModuleType, ModuleType]
) -> None:
    mock_server.enqueue(Reply.json({"not": "a list"}))
    with pytest.raises(clients[0].APIResponseValidationError):
        tags.tags.names("i")  # type: ignore[attr-defined]


def test_extra_body_cannot_extend_a_body_that_is_not_an_object(tags: object, mock_server: MockServer) -> None:
    with pytest.raises(TypeError, match="not one"):
        tags.items.scores(body=[1.0], extra_body={"x": 1})  # type: ignore[attr-defined]
    assert mock_server.requests == []


def test_async_array_body(clients: tuple[ModuleType, ModuleType], mock_server: MockServer) -> None:
    async def main() -> list[object]:
        async with clients[0].AsyncTagsClient(api_key=KEY, base_url=mock_server.url) as client:
            return list(await client.tags.replace("i", body=[{"name": "a"}]))

    mock_server.enqueue(Reply.json([{"name": "a"}]))
    result = asyncio.run(main())
    assert mock_server.requests[0].json() == [{"name": "a"}]
    assert [t.name for t in result] == ["a"]  # type: ignore[attr-defined]


# -- binary uploads ----------------------------------------------------------------


def test_upload_bytes_with_its_length_and_type(files: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(FILE_INFO, status=201))
    info = files.files.upload(body=b"\x00\xffabc", name="a.bin")  # type: ignore[attr-defined]
    request = mock_server.requests[0]
    assert request.query == {"name": ["a.bin"]}
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.headers["content-length"] == "5"
    assert "transfer-encoding" not in request.headers
    assert request.body == b"\x00\xffabc"
    assert (info.id, info.size) == ("file_1", 3)


def test_upload_a_path_is_streamed_with_its_size_and_resent_on_retry(
    files: object, mock_server: MockServer, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 1024 + b"tail"  # larger than one chunk
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    mock_server.enqueue(retry_now(), Reply.json(FILE_INFO, status=201))
    files.files.upload(body=path, name="big.bin")  # type: ignore[attr-defined]
    assert len(mock_server.requests) == 2
    for request in mock_server.requests:
        assert request.headers["content-length"] == str(len(data))
        assert request.body == data


def test_upload_an_open_file_from_where_it_stands_rewound_for_a_retry(
    files: object, mock_server: MockServer, tmp_path: Path
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"HEADERpayload")
    mock_server.enqueue(retry_now(), Reply.json(FILE_INFO, status=201))
    with open(path, "rb") as file:
        file.read(6)
        files.files.upload(body=file, name="f")  # type: ignore[attr-defined]
    assert [r.body for r in mock_server.requests] == [b"payload", b"payload"]
    assert mock_server.requests[1].headers["content-length"] == "7"


def test_upload_an_iterator_goes_chunked_and_is_never_resent(
    files: object, files_client: ModuleType, mock_server: MockServer
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"one,"
        yield b"two"

    mock_server.enqueue(Reply.json(FILE_INFO, status=201))
    files.files.upload(body=chunks(), name="c")  # type: ignore[attr-defined]
    request = mock_server.requests[0]
    assert request.headers["transfer-encoding"] == "chunked"
    assert request.body == b"one,two"

    mock_server.enqueue(retry_now(), Reply.json(FILE_INFO, status=201))
    with pytest.raises(files_client.APIStatusError) as raised:
        files.files.upload(body=chunks(), name="c")  # type: ignore[attr-defined]
    assert raised.value.status_code == 503
    assert len(mock_server.requests) == 2  # the one-shot body was not sent again


def test_upload_refuses_text(files: object, mock_server: MockServer) -> None:
    with pytest.raises(TypeError, match="binary body"):
        files.files.upload(body="not bytes", name="t")  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="binary mode"):
        files.files.upload(body=io.StringIO("text"), name="t")  # type: ignore[attr-defined]


def test_upload_chooses_among_its_media_types(files: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(status=204), Reply.json(FILE_INFO), Reply.json(FILE_INFO))
    assert files.avatars.set("u1", body=b"\x89PNG", content_type="image/png") is None  # type: ignore[attr-defined]
    files.recordings.upload(body=b"OggS", content_type="audio/ogg")  # type: ignore[attr-defined]
    files.recordings.upload(content_type="audio/ogg")  # type: ignore[attr-defined]
    first, second, third = mock_server.requests
    assert (first.headers["content-type"], first.body) == ("image/png", b"\x89PNG")
    assert (second.headers["content-type"], second.body) == ("audio/ogg", b"OggS")
    assert third.body == b""


def test_async_upload_of_an_async_iterator(files_client: ModuleType, mock_server: MockServer) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in (b"a" * 70_000, b"b"):
            yield part

    async def main() -> object:
        async with files_client.AsyncFilesClient(api_key=KEY, base_url=mock_server.url) as client:
            return await client.files.upload(body=chunks(), name="x")

    mock_server.enqueue(Reply.json(FILE_INFO, status=201))
    asyncio.run(main())
    assert mock_server.requests[0].body == b"a" * 70_000 + b"b"


# -- binary downloads --------------------------------------------------------------


def test_download_read_and_write_to_file(
    files: object, files_client: ModuleType, mock_server: MockServer, tmp_path: Path
) -> None:
    payload = bytes(range(256)) * 400
    mock_server.default = Reply(headers={"content-type": "application/octet-stream"}, body=payload)
    download = files.files.download("file 1")  # type: ignore[attr-defined]
    assert isinstance(download, files_client.BinaryResponse)
    assert download.content_type == "application/octet-stream"
    assert download.read() == payload
    assert download.read() == payload  # kept once read
    assert download.http_response.is_closed
    request = mock_server.requests[0]
    assert (request.method, request.path) == ("GET", "/files/file%201/content")
    assert request.headers["accept"] == "application/octet-stream"

    target = tmp_path / "out.bin"
    second = files.files.download("f")  # type: ignore[attr-defined]
    assert not second.http_response.is_stream_consumed  # nothing read before asked
    second.write_to_file(target)
    assert target.read_bytes() == payload
    assert second.http_response.is_closed


def test_download_is_read_as_it_arrives(files: object, files_client: ModuleType, mock_server: MockServer) -> None:
    # The server sends 100 KB, then drops the connection mid-body: the caller
    # has had the first bytes before the body ended, then gets a typed error.
    mock_server.enqueue(Reply(headers={"content-type": "application/octet-stream"},
                              chunks=[b"x" * 100_000, b"y" * 100_000], drop_after=100_000))
    download = files.files.download("f")  # type: ignore[attr-defined]
    received = 0
    with pytest.raises(files_client.APIConnectionError, match="broke off"):
        for chunk in download.iter_bytes():
            received += len(chunk)
    assert received == 100_000


def test_download_choice_of_media_types_and_with_block(files: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(headers={"content-type": "image/png"}, body=b"\x89PNG"))
    with files.files.preview("f") as preview:  # type: ignore[attr-defined]
        assert preview.content_type == "image/png"
        assert b"".join(preview.iter_bytes()) == b"\x89PNG"
    assert mock_server.requests[0].headers["accept"] == "application/pdf, image/png"


def test_download_error_status_is_raised_at_the_call(
    files: object, files_client: ModuleType, mock_server: MockServer
) -> None:
    mock_server.enqueue(Reply.json({"error": "no such file"}, status=404, headers={"x-should-retry": "false"}))
    with pytest.raises(files_client.APIStatusError) as raised:
        files.files.download("missing")  # type: ignore[attr-defined]
    assert raised.value.status_code == 404


def test_download_with_raw_response(files: object, files_client: ModuleType, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(headers={"content-type": "application/octet-stream", "x-extra": "1"}, body=b"raw"))
    raw = files.files.with_raw_response.download("f")  # type: ignore[attr-defined]
    assert raw.headers["x-extra"] == "1"
    parsed = raw.parse()
    assert isinstance(parsed, files_client.BinaryResponse)
    assert parsed.read() == b"raw"


def test_async_download(files_client: ModuleType, mock_server: MockServer, tmp_path: Path) -> None:
    payload = b"z" * 200_000

    async def main() -> tuple[bytes, bytes]:
        async with files_client.AsyncFilesClient(api_key=KEY, base_url=mock_server.url) as client:
            download = await client.files.download("f")
            assert isinstance(download, files_client.AsyncBinaryResponse)
            chunks = [chunk async for chunk in download.iter_bytes()]
            await (await client.files.download("f")).write_to_file(tmp_path / "a.bin")
            return b"".join(chunks), await (await client.files.download("f")).read()

    mock_server.default = Reply(headers={"content-type": "application/octet-stream"}, body=payload)
    streamed, read = asyncio.run(main())
    assert streamed == read == payload
    assert (tmp_path / "a.bin").read_bytes() == payload
    assert json.dumps(len(mock_server.requests)) == "3"


def form_parts(request: RecordedRequest) -> dict[str, tuple[bytes, bytes]]:
    """Each part of a multipart request by name: its headers and its bytes."""
    kind, _, boundary = request.headers["content-type"].partition("; boundary=")
    assert kind == "multipart/form-data" and boundary
    parts = request.body.split(b"--" + boundary.encode())[1:-1]
    by_name = {}
    for part in parts:
        head, _, value = part.partition(b"\r\n\r\n")
        name = head.split(b'name="')[1].split(b'"')[0].decode()
        by_name[name] = (head, value[:-2])  # each part ends in CRLF
    return by_name


def test_multipart_upload_sends_bytes_as_a_file_part(files: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json(FILE_INFO, status=201))
    files.documents.upload(file=b"%PDF-1.7\x00\xff", title="Q3 report")  # type: ignore[attr-defined]
    by_name = form_parts(mock_server.requests[0])
    assert by_name["file"][1] == b"%PDF-1.7\x00\xff"
    assert b'filename="file"' in by_name["file"][0]
    assert by_name["title"][1] == b"Q3 report"
    assert "thumbnail" not in by_name  # not given, not sent


def test_multipart_file_parts_from_a_path_and_an_open_file(
    files: object, mock_server: MockServer, tmp_path: Path
) -> None:
    report = tmp_path / "q3 report.pdf"
    report.write_bytes(b"%PDF-1.7\x00" * 1000)
    (tmp_path / "thumb.png").write_bytes(b"\x89PNG\r\n")
    mock_server.enqueue(retry_now(), Reply.json(FILE_INFO, status=201))
    with open(tmp_path / "thumb.png", "rb") as thumbnail:
        files.documents.upload(file=report, title="Q3", thumbnail=thumbnail)  # type: ignore[attr-defined]
    # The form is encoded once: the retry sends the same parts, files read once.
    first, second = (form_parts(r) for r in mock_server.requests)
    assert first == second
    assert first["file"][1] == b"%PDF-1.7\x00" * 1000
    assert b'filename="q3 report.pdf"' in first["file"][0]
    assert first["thumbnail"][1] == b"\x89PNG\r\n"
    assert b'filename="thumb.png"' in first["thumbnail"][0]


def test_multipart_file_part_without_a_name_and_text_refused(
    files: object, mock_server: MockServer, tmp_path: Path
) -> None:
    mock_server.enqueue(Reply.json(FILE_INFO, status=201))
    files.documents.upload(file=io.BytesIO(b"%PDF"), title="Q3")  # type: ignore[attr-defined]
    by_name = form_parts(mock_server.requests[0])
    assert by_name["file"][1] == b"%PDF"
    assert b'filename="file"' in by_name["file"][0]  # a buffer has no name: the part's
    (tmp_path / "notes.txt").write_text("text")
    with open(tmp_path / "notes.txt", encoding="utf-8") as text, pytest.raises(TypeError, match="binary mode"):
        files.documents.upload(file=text, title="Q3")  # type: ignore[attr-defined]
    assert len(mock_server.requests) == 1


def test_async_multipart_file_part_from_a_path(
    files_client: ModuleType, mock_server: MockServer, tmp_path: Path
) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-async")

    async def main() -> object:
        async with files_client.AsyncFilesClient(api_key=KEY, base_url=mock_server.url) as client:
            return await client.documents.upload(file=tmp_path / "a.pdf", title="A")

    mock_server.enqueue(Reply.json(FILE_INFO, status=201))
    stored = asyncio.run(main())
    assert type(stored).__name__ == "FileInfo"
    by_name = form_parts(mock_server.requests[0])
    assert by_name["file"][1] == b"%PDF-async" and b'filename="a.pdf"' in by_name["file"][0]


def test_body_argument_renamed_beside_a_parameter_named_body(tags: object, mock_server: MockServer) -> None:
    mock_server.enqueue(Reply(status=204))
    tags.items.add_notes("i", body="top", body_=["first", "second"])  # type: ignore[attr-defined]
    request = mock_server.requests[0]
    assert request.query == {"body": ["top"]}
    assert request.json() == ["first", "second"]
