"""Stubs of ``_resource``: the base of every generated resource."""

from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncAPIResource", "SyncAPIResource"]

class SyncAPIResource:
    def __init__(self, client: SyncAPIClient) -> None: ...

class AsyncAPIResource:
    def __init__(self, client: AsyncAPIClient) -> None: ...
