"""Cursor pages, JSON Lines downloads and path parameters, against a real local server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from generator.runtime._errors import APIStatusError
from generator.runtime._jsonl import AsyncJSONLDecoder, JSONLDecodeError, JSONLDecoder, LineSpec
from generator.runtime._pagination import (
    AsyncCursorPage,
    AsyncPageRequest,
    PageSpec,
    SyncCursorPage,
    async_page,
    sync_page,
)
from generator.runtime._response import APIResponse, to_raw_response_wrapper
from generator.runtime._types import APIRequest, RequestOptions
from generator.runtime._utils import format_path
from tests.mockserver import MockServer, RecordedRequest, Reply, mock_server  # noqa: F401
from tests.test_runtime_fakes import API_KEY, AsyncClient, Client


class Item(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    n: int


SPEC: PageSpec[Item] = PageSpec(item_type=Item)
ITEMS = [{"id": f"item_{i:03d}", "n": i} for i in range(7)]


def paged(request: RecordedRequest) -> Reply:
    """Three items a page (``limit``), walking forwards or backwards by cursor."""
    limit = int(request.query.get("limit", ["3"])[0])
    ids = [item["id"] for item in ITEMS]
    if "before_id" in request.query:
        end = ids.index(request.query["before_id"][0])
        start = max(0, end - limit)
    else:
        start = ids.index(request.query["after_id"][0]) + 1 if "after_id" in request.query else 0
        end = min(len(ITEMS), start + limit)
    page = ITEMS[start:end]
    has_more = start > 0 if "before_id" in request.query else end < len(ITEMS)
    return Reply.json({
        "data": page,
        "has_more": has_more,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
    })


def list_request(**query: object) -> APIRequest:
    return APIRequest(method="get", path="/v1/items", query=query, headers={}, json=None)


def test_sync_page_walks_every_page(mock_server: MockServer) -> None:
    mock_server.handler = paged
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        page: SyncCursorPage[Item] = sync_page(client, SPEC, list_request(limit=3), RequestOptions())
        assert [i.id for i in page.data] == ["item_000", "item_001", "item_002"]
        assert page.has_more is True and page.first_id == "item_000" and page.last_id == "item_002"
        assert page.has_next_page()
        assert [i.n for i in page] == list(range(7))
    queries = [r.query for r in mock_server.requests]
    assert queries == [
        {"limit": ["3"]},
        {"limit": ["3"], "after_id": ["item_002"]},
        {"limit": ["3"], "after_id": ["item_005"]},
    ]


def test_get_next_page_and_the_last_page(mock_server: MockServer) -> None:
    mock_server.handler = paged
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        first = sync_page(client, SPEC, list_request(limit=5), RequestOptions())
        second = first.get_next_page()
        assert [i.n for i in second.data] == [5, 6]
        assert not second.has_next_page()
        with pytest.raises(RuntimeError, match="last page"):
            second.get_next_page()


def test_backwards_walk_follows_before_id(mock_server: MockServer) -> None:
    mock_server.handler = paged
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        page = sync_page(client, SPEC, list_request(limit=2, before_id="item_006"), RequestOptions())
        assert [i.n for i in page] == [4, 5, 2, 3, 0, 1]
    assert mock_server.requests[1].query == {"limit": ["2"], "before_id": ["item_004"]}


def test_raw_response_gives_the_page_on_parse(mock_server: MockServer) -> None:
    mock_server.handler = paged
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        def first() -> Any:
            return sync_page(client, SPEC, list_request(limit=3), RequestOptions())

        raw = to_raw_response_wrapper(first)()
        assert isinstance(raw, APIResponse) and raw.status_code == 200
        page = raw.parse()
        assert isinstance(page, SyncCursorPage)
        assert len(list(page)) == 7


def test_async_pages_await_and_async_for(mock_server: MockServer) -> None:
    mock_server.handler = paged

    async def run() -> tuple[list[int], list[str]]:
        async with AsyncClient(api_key=API_KEY, base_url=mock_server.url) as client:
            pager: AsyncPageRequest[Item] = AsyncPageRequest(
                lambda: async_page(client, SPEC, list_request(limit=2), RequestOptions())
            )
            numbers = [item.n async for item in pager]
            first = await AsyncPageRequest(
                lambda: async_page(client, SPEC, list_request(limit=3), RequestOptions())
            )
            assert isinstance(first, AsyncCursorPage)
            second = await first.get_next_page()
            return numbers, [i.id for i in second.data]

    numbers, second = asyncio.run(run())
    assert numbers == list(range(7))
    assert second == ["item_003", "item_004", "item_005"]
    assert len(mock_server.requests) == 4 + 2


def test_a_page_without_its_list_is_a_validation_error(mock_server: MockServer) -> None:
    mock_server.enqueue(Reply.json({"items": []}))
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        with pytest.raises(Exception, match="a page must hold a list under `data`"):
            sync_page(client, SPEC, list_request(), RequestOptions())


# --- JSON Lines -----------------------------------------------------------------

LINES: LineSpec[Item] = LineSpec(event_type=Item)


def jsonl_reply(lines: list[bytes], chunk: int = 64) -> Reply:
    body = b"".join(lines)
    return Reply(
        headers={"content-type": "application/x-jsonl"},
        chunks=[body[i : i + chunk] for i in range(0, len(body), chunk)],
    )


def download(client: Client) -> JSONLDecoder[Item]:
    result: JSONLDecoder[Item] = client.request(
        APIRequest(method="get", path="/v1/results", query={}, headers={"accept": "application/x-jsonl"}, json=None),
        cast_to=object,
        stream=True,
        stream_spec=LINES,
    )
    return result


def test_jsonl_lines_parse_one_by_one(mock_server: MockServer) -> None:
    lines = [json.dumps({"id": f"r{i}", "n": i}).encode() + b"\n" for i in range(50)]
    mock_server.enqueue(jsonl_reply(lines[:10] + [b"\n"] + lines[10:], chunk=7))
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        with download(client) as results:
            assert isinstance(results, JSONLDecoder)
            assert [r.n for r in results] == list(range(50))
    assert mock_server.requests[0].headers["accept"] == "application/x-jsonl"


@pytest.mark.parametrize(
    ("bad", "needle"),
    [(b"{not json\n", "line 3"), (b'{"id": "x"}\n', "line 3"), (b"[1, 2]\n", "line 3")],
)
def test_jsonl_malformed_line_names_its_number(
    mock_server: MockServer, bad: bytes, needle: str
) -> None:
    good = [b'{"id": "a", "n": 1}\n', b'{"id": "b", "n": 2}\n']
    mock_server.enqueue(jsonl_reply(good + [bad, b'{"id": "c", "n": 3}\n']))
    seen: list[int] = []
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        with pytest.raises(JSONLDecodeError, match=needle) as caught:
            for item in download(client):
                seen.append(item.n)
    assert caught.value.line_number == 3
    assert seen == [1, 2]


def test_jsonl_error_status_raises_before_any_line(mock_server: MockServer) -> None:
    mock_server.enqueue(
        Reply.json({"type": "error", "error": {"type": "not_found_error", "message": "no"}}, status=404)
    )
    with Client(api_key=API_KEY, base_url=mock_server.url) as client:
        with pytest.raises(APIStatusError) as caught:
            download(client)
    assert caught.value.status_code == 404


# --- path parameters ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["", ".", "..", "../x", "a/b", "a\\b"])
def test_unsafe_path_parameters_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="path parameter `batch_id`"):
        format_path("/v1/batches/{batch_id}", {"batch_id": value})


def test_path_parameters_are_percent_encoded() -> None:
    assert format_path("/v1/b/{id}/x", {"id": "a b?#%é"}) == "/v1/b/a%20b%3F%23%25%C3%A9/x"


def test_jsonl_async_and_ten_thousand_lines(mock_server: MockServer) -> None:
    lines = [json.dumps({"id": f"r{i}", "n": i}).encode() + b"\n" for i in range(10_000)]
    mock_server.enqueue(jsonl_reply(lines, chunk=4096))

    async def run() -> list[int]:
        async with AsyncClient(api_key=API_KEY, base_url=mock_server.url) as client:
            results: AsyncJSONLDecoder[Item] = await client.request(
                APIRequest(method="get", path="/v1/results", json=None),
                cast_to=object,
                stream=True,
                stream_spec=LINES,
            )
            assert isinstance(results, AsyncJSONLDecoder)
            seen = []
            async for item in results:
                seen.append(item.n)
            return seen

    assert asyncio.run(run()) == list(range(10_000))
