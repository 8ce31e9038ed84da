"""Generated list, get, delete and JSON Lines methods against a real local server.

The JSON Lines case also downloads from the URL another reply gives
(``x-url-from``), and has ``date-time`` and ``date`` fields, query parameters
and path parameters.

The clients come from the feature cases ``tests/cases/cursor_pagination`` and
``tests/cases/jsonl_download``, generated (package only) into a temporary
directory by the same ``generate`` the CLI runs.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.pipeline import generate
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    out = tmp_path_factory.mktemp("paging")
    for case in ("cursor_pagination", "jsonl_download"):
        spec = CASES / case / "spec.yaml"
        generate(spec, out / case, display_path=f"{case}/spec.yaml", targets=("package",))
        sys.path.insert(0, str(out / case))
    try:
        yield importlib.import_module("jobs_client"), importlib.import_module("exports_client")
    finally:
        for case in ("cursor_pagination", "jsonl_download"):
            sys.path.remove(str(out / case))


@pytest.fixture
def jobs_client(clients: tuple[ModuleType, ModuleType]) -> ModuleType:
    return clients[0]


@pytest.fixture
def exports_client(clients: tuple[ModuleType, ModuleType]) -> ModuleType:
    return clients[1]


KEY = "test-key"
JOBS = [{"id": f"job_{i:03d}", "state": "done"} for i in range(10)]


def job_pages(request: RecordedRequest) -> Reply:
    """The jobs a ``limit`` at a time, forwards (``after_id``) or backwards (``before_id``)."""
    limit = int(request.query.get("limit", ["4"])[0])
    ids = [job["id"] for job in JOBS]
    if "before_id" in request.query:
        end = ids.index(request.query["before_id"][0])
        start = max(0, end - limit)
        more = start > 0
    else:
        start = ids.index(request.query["after_id"][0]) + 1 if "after_id" in request.query else 0
        end = min(len(JOBS), start + limit)
        more = end < len(JOBS)
    page = JOBS[start:end]
    return Reply.json({
        "data": page,
        "has_more": more,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
    })


def test_list_iterates_every_page(
    mock_server: MockServer, jobs_client: Any
) -> None:
    mock_server.handler = job_pages
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        page = client.jobs.list(limit=3)
        assert isinstance(page, jobs_client.SyncCursorPage)
        assert [job.id for job in page.data] == ["job_000", "job_001", "job_002"]
        assert page.has_more and page.first_id == "job_000" and page.last_id == "job_002"
        assert [job.id for job in page] == [job["id"] for job in JOBS]
    assert [r.query.get("after_id") for r in mock_server.requests] == [
        None, ["job_002"], ["job_005"], ["job_008"],
    ]
    assert all(r.method == "GET" and r.path == "/v1/jobs" for r in mock_server.requests)
    assert all(r.query["limit"] == ["3"] for r in mock_server.requests)


def test_get_next_page_by_hand(
    mock_server: MockServer, jobs_client: Any
) -> None:
    mock_server.handler = job_pages
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        page = client.jobs.list(limit=4)
        pages = [page]
        while page.has_next_page():
            page = page.get_next_page()
            pages.append(page)
    assert [len(p.data) for p in pages] == [4, 4, 2]
    assert pages[-1].has_more is False


def test_list_backwards_from_before_id(
    mock_server: MockServer, jobs_client: Any
) -> None:
    mock_server.handler = job_pages
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        ids = [job.id for job in client.jobs.list(before_id="job_009", limit=3)]
    assert ids == ["job_006", "job_007", "job_008", "job_003", "job_004", "job_005",
                   "job_000", "job_001", "job_002"]
    assert mock_server.requests[1].query == {"before_id": ["job_006"], "limit": ["3"]}


def test_async_list_awaited_and_async_for(
    mock_server: MockServer, jobs_client: Any
) -> None:
    mock_server.handler = job_pages

    async def run() -> tuple[list[str], list[str], bool]:
        async with jobs_client.AsyncJobsClient(api_key=KEY, base_url=mock_server.url) as client:
            every = [job.id async for job in client.jobs.list(limit=3)]
            first = await client.jobs.list(limit=4)
            second = await first.get_next_page()
            return every, [job.id for job in second.data], second.has_next_page()

    every, second, more = asyncio.run(run())
    assert every == [job["id"] for job in JOBS]
    assert second == ["job_004", "job_005", "job_006", "job_007"]
    assert more
    assert len(mock_server.requests) == 4 + 2


def test_list_with_raw_response(
    mock_server: MockServer, jobs_client: Any
) -> None:
    mock_server.handler = job_pages
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        raw = client.jobs.with_raw_response.list(limit=5)
        assert raw.status_code == 200
        assert [job.id for job in raw.parse()][-1] == "job_009"

    async def run() -> int:
        async with jobs_client.AsyncJobsClient(api_key=KEY, base_url=mock_server.url) as client:
            raw = await client.jobs.with_raw_response.list(limit=5)
            return len([job async for job in raw.parse()])

    assert asyncio.run(run()) == 10


def test_retrieve_and_delete_use_get_and_delete(
    mock_server: MockServer, jobs_client: Any
) -> None:
    mock_server.enqueue(
        Reply.json({"id": "job 1/ä", "state": "running"}),
        Reply.json({"id": "job_1", "type": "job_deleted"}),
    )
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        job = client.jobs.retrieve("job 1?ä")
        gone = client.jobs.delete(job_id="job_1")
    assert job.state == "running" and gone.type == "job_deleted"
    first, second = mock_server.requests
    assert (first.method, second.method) == ("GET", "DELETE")
    assert second.path == "/v1/jobs/job_1" and second.body == b""


def test_path_is_percent_encoded_on_the_wire(
    mock_server: MockServer, jobs_client: Any
) -> None:
    seen: list[str] = []

    def record(request: RecordedRequest) -> Reply:
        seen.append(request.path)
        return Reply.json({"id": "x", "state": "done"})

    mock_server.handler = record
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        client.jobs.retrieve("a b?#%")
    assert seen == ["/v1/jobs/a%20b%3F%23%25"]


@pytest.mark.parametrize("bad", ["", ".", "..", "../x", "a/b"])
def test_unsafe_path_parameter_is_refused_before_any_request(
    mock_server: MockServer, bad: str, jobs_client: Any
) -> None:
    with jobs_client.JobsClient(api_key=KEY, base_url=mock_server.url) as client:
        with pytest.raises(ValueError, match="path parameter `job_id`"):
            client.jobs.retrieve(bad)
        with pytest.raises(ValueError, match="path parameter `job_id`"):
            client.jobs.delete(bad)

    async def run() -> None:
        async with jobs_client.AsyncJobsClient(api_key=KEY, base_url=mock_server.url) as client:
            await client.jobs.retrieve(bad)

    with pytest.raises(ValueError, match="path parameter `job_id`"):
        asyncio.run(run())
    assert mock_server.requests == []


# --- JSON Lines -----------------------------------------------------------------


def rows_reply(lines: list[bytes], chunk: int = 8192) -> Reply:
    body = b"".join(lines)
    return Reply(
        headers={"content-type": "application/x-jsonl"},
        chunks=[body[i : i + chunk] for i in range(0, len(body), chunk)],
    )


def row_line(i: int) -> bytes:
    return json.dumps({"key": f"k{i}", "value": i}).encode() + b"\n"


def test_jsonl_download_streams_ten_thousand_lines(
    mock_server: MockServer, exports_client: Any
) -> None:
    mock_server.enqueue(rows_reply([row_line(i) for i in range(10_000)]))
    total = 0
    count = 0
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        with client.exports.rows("exp_1") as rows:
            for row in rows:
                assert isinstance(row, exports_client.types.Row)
                total += row.value
                count += 1
    assert count == 10_000 and total == sum(range(10_000))
    (request,) = mock_server.requests
    assert request.path == "/v1/exports/exp_1/rows"
    assert request.headers["accept"] == "application/x-jsonl"


def test_jsonl_async_download(
    mock_server: MockServer, exports_client: Any
) -> None:
    mock_server.enqueue(rows_reply([row_line(i) for i in range(300)], chunk=100))

    async def run() -> list[int]:
        async with exports_client.AsyncExportsClient(api_key=KEY, base_url=mock_server.url) as client:
            rows = await client.exports.rows("exp_1")
            return [row.value async for row in rows]

    assert asyncio.run(run()) == list(range(300))


@pytest.mark.parametrize(
    ("bad", "line"),
    [(b"{\"key\": \"k\", \"value\": \n", 4), (b'{"key": "k"}\n', 4), (b"null\n", 4)],
)
def test_jsonl_malformed_line_is_a_typed_error_with_its_number(
    mock_server: MockServer, bad: bytes, line: int, exports_client: Any
) -> None:
    mock_server.enqueue(rows_reply([row_line(0), row_line(1), b"\n", bad, row_line(4)], chunk=5))
    seen: list[int] = []
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        with pytest.raises(exports_client.JSONLDecodeError) as caught:
            for row in client.exports.rows("exp_1"):
                seen.append(row.value)
    assert caught.value.line_number == line and f"line {line}:" in str(caught.value)
    assert isinstance(caught.value, exports_client.APIResponseValidationError)
    assert seen == [0, 1]


def test_jsonl_with_raw_response(
    mock_server: MockServer, exports_client: Any
) -> None:
    mock_server.enqueue(rows_reply([row_line(i) for i in range(3)]))
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        raw = client.exports.with_raw_response.rows("exp_1")
        assert raw.headers["content-type"] == "application/x-jsonl"
        rows: Any = raw.parse()
        assert [row.key for row in rows] == ["k0", "k1", "k2"]


# --- a download from the URL another reply gives (x-url-from) --------------------


def export_reply(
    file_url: str | None, status: str = "done", created_at: str = "2025-03-01T12:00:00Z", **more: object
) -> Reply:
    return Reply.json({"id": "exp_1", "status": status, "created_at": created_at, "file_url": file_url, **more})


@pytest.mark.parametrize("where", ["same origin", "relative", "another port"])
def test_linked_download_follows_the_url_and_keeps_the_key_at_home(
    mock_server: MockServer, exports_client: Any, where: str
) -> None:
    with MockServer() as files:
        url = {
            "same origin": f"{mock_server.url}/files/exp_1.jsonl?sig=x%2By",
            "relative": "/files/exp_1.jsonl?sig=x%2By",
            "another port": f"{files.url}/files/exp_1.jsonl?sig=x%2By",
        }[where]
        server = files if where == "another port" else mock_server
        mock_server.enqueue(export_reply(url))
        server.enqueue(rows_reply([row_line(i) for i in range(3)]))
        with exports_client.ExportsClient(
            api_key=KEY, base_url=mock_server.url, default_query={"tenant": "t1"}
        ) as client:
            assert [row.value for row in client.exports.file("exp_1")] == [0, 1, 2]
        download = server.requests[-1]
    retrieve = mock_server.requests[0]
    assert (retrieve.path, retrieve.headers["x-api-key"]) == ("/v1/exports/exp_1", KEY)
    assert download.path == "/files/exp_1.jsonl"
    assert download.headers["accept"] == "application/x-jsonl"
    if where == "another port":
        # The key and the client's default query stay with the API's own origin.
        assert "x-api-key" not in download.headers and download.query == {"sig": ["x+y"]}
    else:
        assert download.headers["x-api-key"] == KEY
        assert download.query == {"sig": ["x+y"], "tenant": ["t1"]}


def test_linked_download_not_ready_is_a_typed_error(
    mock_server: MockServer, exports_client: Any
) -> None:
    mock_server.enqueue(export_reply(None, "running"))
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        with pytest.raises(exports_client.DownloadNotReadyError) as caught:
            client.exports.with_raw_response.file("exp_1")
    error = caught.value
    assert isinstance(error, exports_client.ExportsClientError)
    assert (error.field, error.state) == ("file_url", "running")
    assert isinstance(error.source, exports_client.types.Export)
    assert str(error) == (
        "`file_url` of the Export is null (status: running): there is nothing to download;"
        " it is set once the download is ready (retrieve the Export again to see)"
    )
    assert len(mock_server.requests) == 1


def test_linked_download_async_with_streaming_response(
    mock_server: MockServer, exports_client: Any
) -> None:
    mock_server.enqueue(export_reply("/files/exp_1.jsonl"), rows_reply([row_line(i) for i in range(5)]))

    async def run() -> list[int]:
        async with exports_client.AsyncExportsClient(api_key=KEY, base_url=mock_server.url) as client:
            async with client.exports.with_streaming_response.file("exp_1") as response:
                rows = await response.parse()
                return [row.value async for row in rows]

    assert asyncio.run(run()) == list(range(5))
    assert [r.path for r in mock_server.requests] == ["/v1/exports/exp_1", "/files/exp_1.jsonl"]


def test_date_time_query_parameters_are_iso_8601_and_replies_parse_to_datetime(
    mock_server: MockServer, exports_client: Any
) -> None:
    import datetime

    moment = datetime.datetime(2025, 3, 1, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    mock_server.enqueue(
        export_reply(None, created_at="2025-03-01T10:30:00+0000"),
        export_reply(None, created_at="2025-03-01T10:30:00+00"),
        export_reply(None, created_at="yesterday"),
    )
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        first = client.exports.retrieve("exp_1", as_of=moment)
        second = client.exports.retrieve("exp_1", as_of="2025-03-01T10:30:00Z")
        third = client.exports.retrieve("exp_1")
    assert first.created_at == second.created_at == moment
    assert isinstance(first.created_at, datetime.datetime)
    assert third.created_at == "yesterday"  # unreadable: kept as sent, the reply still parses
    assert [r.query.get("as_of") for r in mock_server.requests] == [
        ["2025-03-01T12:30:00+02:00"], ["2025-03-01T10:30:00Z"], None
    ]


def test_date_query_parameters_are_iso_8601_and_replies_parse_to_date(
    mock_server: MockServer, exports_client: Any
) -> None:
    import datetime

    mock_server.enqueue(
        export_reply(None, date="2025-03-01", expires_on="2025-03-31"),
        # A date-time where a date is documented gives the day it spells, in its own offset.
        export_reply(None, date="2025-03-01T23:30:00-05:00", expires_on=None),
        export_reply(None, date="Sat, 01 Mar 2025 18:02:04 +0000", expires_on="next month"),
        # ISO 8601's basic form; eight digits that are no date stay text (never seconds since 1970).
        export_reply(None, date="20250301", expires_on="20251301"),
    )
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        first = client.exports.retrieve("exp_1", day=datetime.date(2025, 3, 1))
        second = client.exports.retrieve("exp_1", day="2025-03-01")
        third = client.exports.retrieve("exp_1")
        fourth = client.exports.retrieve("exp_1")
    day = datetime.date(2025, 3, 1)
    # A field named `date` would hide the type `date` in its model: it reads `date_`.
    assert first.date_ == second.date_ == third.date_ == fourth.date_ == day
    assert fourth.expires_on == "20251301"
    assert type(first.date_) is datetime.date and first.expires_on == datetime.date(2025, 3, 31)
    assert second.expires_on is None
    assert third.expires_on == "next month"  # unreadable: kept as sent, the reply still parses
    assert first.model_dump(mode="json", by_alias=True)["date"] == "2025-03-01"
    assert [r.query.get("day") for r in mock_server.requests] == [["2025-03-01"], ["2025-03-01"], None, None]


def test_a_field_named_date_keeps_its_name_where_no_date_type_is_used(
    mock_server: MockServer, exports_client: Any
) -> None:
    mock_server.enqueue(rows_reply([b'{"key": "k", "value": 1, "date": "the 1st of March"}\n']))
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        (row,) = list(client.exports.rows("exp_1"))
    assert row.date == "the 1st of March"
    assert "date" in type(row).model_fields and "date_" not in type(row).model_fields


def test_dates_in_the_path_are_iso_8601_percent_encoded_and_still_checked(
    mock_server: MockServer, exports_client: Any
) -> None:
    import datetime

    moment = datetime.datetime(2025, 3, 1, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    day = datetime.date(2025, 3, 1)
    mock_server.enqueue(export_reply(None), export_reply(None), export_reply(None))
    with exports_client.ExportsClient(api_key=KEY, base_url=mock_server.url) as client:
        client.exports.snapshot(day, export_id="exp_1", taken_at=moment)
        client.exports.snapshot("2025-03-01", export_id="exp_1", taken_at="2025-03-01T10:30:00Z")
        for bad in ("", "..", "2025/03/01"):
            with pytest.raises(ValueError, match="path parameter `taken_at`"):
                client.exports.snapshot(day, export_id="exp_1", taken_at=bad)
            with pytest.raises(ValueError, match="path parameter `day`"):
                client.exports.snapshot(bad, export_id="exp_1", taken_at=moment)

    async def run() -> None:
        async with exports_client.AsyncExportsClient(api_key=KEY, base_url=mock_server.url) as client:
            await client.exports.snapshot(day, export_id="exp_1", taken_at=moment.replace(microsecond=5))
            with pytest.raises(ValueError, match="path parameter `taken_at`"):
                await client.exports.snapshot(day, export_id="exp_1", taken_at="../x")

    asyncio.run(run())
    # `:` and `+` are percent-encoded: a `+` left raw reads as a space to some servers.
    assert [r.path for r in mock_server.requests] == [
        "/v1/exports/exp_1/snapshots/2025-03-01T12%3A30%3A00%2B02%3A00/2025-03-01",
        "/v1/exports/exp_1/snapshots/2025-03-01T10%3A30%3A00Z/2025-03-01",
        "/v1/exports/exp_1/snapshots/2025-03-01T12%3A30%3A00.000005%2B02%3A00/2025-03-01",
    ]
