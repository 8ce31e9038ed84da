"""Stubs of ``_pagination``: cursor pages that walk every page."""

from typing import Any, AsyncIterator, Awaitable, Callable, Generator, Generic, Iterator, TypeVar

import httpx

from ._types import APIRequest, RequestOptions

__all__ = [
    "AsyncCursorPage",
    "AsyncPageRequest",
    "PageSpec",
    "SyncCursorPage",
    "async_page",
    "sync_page",
]

_T = TypeVar("_T")

class PageSpec(Generic[_T]):
    """Where an operation's page keeps its items and cursors."""

    @property
    def item_type(self) -> Any: ...
    @property
    def items(self) -> str: ...
    @property
    def has_more(self) -> str | None: ...
    @property
    def after(self) -> str | None: ...
    @property
    def last(self) -> str | None: ...
    @property
    def before(self) -> str | None: ...
    @property
    def first(self) -> str | None: ...
    def __init__(
        self,
        item_type: Any,
        items: str = "data",
        has_more: str | None = "has_more",
        after: str | None = "after_id",
        last: str | None = "last_id",
        before: str | None = "before_id",
        first: str | None = "first_id",
    ) -> None: ...

class _PageBase(Generic[_T]):
    data: list[_T]
    http_response: httpx.Response
    @property
    def has_more(self) -> bool | None: ...
    @property
    def first_id(self) -> str | None: ...
    @property
    def last_id(self) -> str | None: ...
    def next_page_query(self) -> dict[str, object] | None: ...
    def has_next_page(self) -> bool: ...

class SyncCursorPage(_PageBase[_T]):
    """One page of a list; iterate it for every item across all pages."""

    def get_next_page(self) -> SyncCursorPage[_T]: ...
    def iter_pages(self) -> Iterator[SyncCursorPage[_T]]: ...
    def __iter__(self) -> Iterator[_T]: ...

class AsyncCursorPage(_PageBase[_T]):
    """The async twin of ``SyncCursorPage``: ``async for`` walks every page."""

    async def get_next_page(self) -> AsyncCursorPage[_T]: ...
    def iter_pages(self) -> AsyncIterator[AsyncCursorPage[_T]]: ...
    def __aiter__(self) -> AsyncIterator[_T]: ...

class AsyncPageRequest(Generic[_T]):
    """Await it for the first page, or ``async for`` over every item of every page."""

    def __init__(self, first: Callable[[], Awaitable[AsyncCursorPage[_T]]]) -> None: ...
    def __await__(self) -> Generator[Any, None, AsyncCursorPage[_T]]: ...
    def __aiter__(self) -> AsyncIterator[_T]: ...

def sync_page(
    client: Any, spec: PageSpec[_T], request: APIRequest, options: RequestOptions
) -> SyncCursorPage[_T]: ...
async def async_page(
    client: Any, spec: PageSpec[_T], request: APIRequest, options: RequestOptions
) -> AsyncCursorPage[_T]: ...
