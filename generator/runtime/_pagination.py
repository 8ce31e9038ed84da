"""Cursor pages: a list call returns the first page, which walks the rest.

A paginated operation (declared with ``x-pagination`` in the spec) answers
with one page of items plus the cursors around it::

    {"data": [...], "has_more": true, "first_id": "a", "last_id": "c"}

``SyncCursorPage`` holds that page (``.data``, ``.has_more``, ``.first_id``,
``.last_id``) and, iterated, yields every item of this page and of the pages
after it, fetching each one only when the previous one is used up::

    for batch in client.messages.batches.list(limit=20):
        ...

The async list method is not a coroutine: it returns an ``AsyncPageRequest``
that is awaited for the first page or iterated with ``async for`` across all
pages, as in the official SDK.

Which way the walk goes follows the first request: if it asked for items
*before* a cursor, the next page is the one before ``first_id``; otherwise it
is the one after ``last_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Generic,
    Iterator,
    TypeVar,
)

from ._errors import APIResponseValidationError
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    describe_validation_error,
    raw_response_requested,
    validator,
)
from ._types import APIRequest, RequestOptions

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AsyncCursorPage",
    "AsyncPageRequest",
    "PageSpec",
    "SyncCursorPage",
    "async_page",
    "sync_page",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class PageSpec(Generic[_T]):
    """Where an operation's page keeps its items and cursors (from ``x-pagination``).

    ``item_type`` is what each item is parsed into. ``after`` and ``before``
    name the query parameters that ask for the next and the previous page;
    ``last`` and ``first`` name the body fields whose values they take.
    """

    item_type: Any
    items: str = "data"
    has_more: str | None = "has_more"
    after: str | None = "after_id"
    last: str | None = "last_id"
    before: str | None = "before_id"
    first: str | None = "first_id"


_BODY = dict[str, Any]


def _parse(spec: PageSpec[Any], body: _BODY, response: httpx.Response) -> list[Any]:
    items = body.get(spec.items)
    if not isinstance(items, list):
        raise APIResponseValidationError(
            f"a page must hold a list under `{spec.items}`", response=response, body=body
        )
    parser = validator(list[spec.item_type])  # type: ignore[name-defined]
    try:
        parsed: list[Any] = parser.validate_python(items)
    except parser.error as exc:
        raise APIResponseValidationError(
            describe_validation_error(exc, spec.item_type), response=response, body=body
        ) from exc
    return parsed


class _PageBase(Generic[_T]):
    def __init__(
        self, spec: PageSpec[_T], request: APIRequest, body: _BODY, response: httpx.Response
    ) -> None:
        self._spec = spec
        self._request = request
        self._body = body
        self.http_response = response
        self.data: list[_T] = _parse(spec, body, response)

    def _cursor(self, name: str | None) -> str | None:
        value = self._body.get(name) if name else None
        return value if isinstance(value, str) else None

    @property
    def has_more(self) -> bool | None:
        value = self._body.get(self._spec.has_more) if self._spec.has_more else None
        return value if isinstance(value, bool) else None

    @property
    def first_id(self) -> str | None:
        return self._cursor(self._spec.first)

    @property
    def last_id(self) -> str | None:
        return self._cursor(self._spec.last)

    def next_page_query(self) -> dict[str, object] | None:
        """The query that asks for the following page; ``None`` on the last one."""
        if not self.data or self.has_more is False:
            return None
        spec, query = self._spec, self._request.query
        cursor: str | None
        name: str | None
        if spec.before and query.get(spec.before) is not None:
            cursor, name = self.first_id, spec.before
        else:
            cursor, name = self.last_id, spec.after
        if cursor is None or name is None:
            return None
        return {name: cursor}

    def has_next_page(self) -> bool:
        return self.next_page_query() is not None

    def _next_request(self) -> APIRequest:
        cursor = self.next_page_query()
        if cursor is None:
            raise RuntimeError("this is the last page; check has_next_page() first")
        spec = self._spec
        # Drop the cursor of the other direction so the server sees one.
        query = {k: v for k, v in self._request.query.items() if k not in (spec.after, spec.before)}
        return replace(self._request, query={**query, **cursor})

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(data=<{len(self.data)} items>, has_more={self.has_more!r},"
            f" first_id={self.first_id!r}, last_id={self.last_id!r})"
        )


_Fetch = Callable[[APIRequest], Any]
_AsyncFetch = Callable[[APIRequest], Awaitable[Any]]


class SyncCursorPage(_PageBase[_T]):
    """One page of a list; iterate it for every item across all pages."""

    def __init__(
        self,
        spec: PageSpec[_T],
        request: APIRequest,
        body: _BODY,
        response: httpx.Response,
        fetch: _Fetch,
    ) -> None:
        super().__init__(spec, request, body, response)
        self._fetch = fetch

    def get_next_page(self) -> SyncCursorPage[_T]:
        page: SyncCursorPage[_T] = self._fetch(self._next_request())
        return page

    def iter_pages(self) -> Iterator[SyncCursorPage[_T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncCursorPage(_PageBase[_T]):
    """The async twin of ``SyncCursorPage``: ``async for`` walks every page."""

    def __init__(
        self,
        spec: PageSpec[_T],
        request: APIRequest,
        body: _BODY,
        response: httpx.Response,
        fetch: _AsyncFetch,
    ) -> None:
        super().__init__(spec, request, body, response)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncCursorPage[_T]:
        page: AsyncCursorPage[_T] = await self._fetch(self._next_request())
        return page

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[_T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPageRequest(Generic[_T]):
    """What an async list method returns: await it for the first page, or
    ``async for`` over it for every item of every page."""

    def __init__(self, first: Callable[[], Awaitable[AsyncCursorPage[_T]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[_T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self
        async for item in page:
            yield item


def sync_page(
    client: Any, spec: PageSpec[_T], request: APIRequest, options: RequestOptions
) -> SyncCursorPage[_T]:
    """The first page of ``request``, fetched with the sync ``client``.

    Inside ``with_raw_response`` the raw response comes back instead, and its
    ``parse()`` gives the page.
    """
    wants_raw = raw_response_requested()

    def fetch(req: APIRequest) -> SyncCursorPage[_T]:
        raw: APIResponse[_BODY] = client.request(req, cast_to=_BODY, options=options, raw=True)
        with raw:
            return SyncCursorPage(spec, req, raw.parse(), raw.http_response, fetch)

    if not wants_raw:
        return fetch(request)
    first: APIResponse[_BODY] = client.request(request, cast_to=_BODY, options=options, raw=True)
    # Typed as the page: ``with_raw_response`` wrappers expect the raw response here.
    return APIResponse(  # type: ignore[return-value]
        first.http_response,
        parser=lambda: SyncCursorPage(spec, request, first.parse(), first.http_response, fetch),
        retries_taken=first.retries_taken,
    )


async def async_page(
    client: Any, spec: PageSpec[_T], request: APIRequest, options: RequestOptions
) -> AsyncCursorPage[_T]:
    """The async twin of ``sync_page``."""
    wants_raw = raw_response_requested()

    async def fetch(req: APIRequest) -> AsyncCursorPage[_T]:
        raw: AsyncAPIResponse[_BODY] = await client.request(
            req, cast_to=_BODY, options=options, raw=True
        )
        return AsyncCursorPage(spec, req, raw.parse(), raw.http_response, fetch)

    if not wants_raw:
        return await fetch(request)
    first: AsyncAPIResponse[_BODY] = await client.request(
        request, cast_to=_BODY, options=options, raw=True
    )
    return AsyncAPIResponse(  # type: ignore[return-value]
        first.http_response,
        parser=lambda: AsyncCursorPage(spec, request, first.parse(), first.http_response, fetch),
        retries_taken=first.retries_taken,
    )
