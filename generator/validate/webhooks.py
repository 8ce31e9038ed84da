"""Webhooks (W302): what the API sends to its users, which a client does not call.

A 3.1 document's ``webhooks`` describe requests the API makes, so no client
method stands for them. Dropping them in silence would look like a lost
operation; each one is named instead, where it is written.
"""

from __future__ import annotations

from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.validate.document import Document, items
from generator.validate.walk import METHODS

__all__ = ["check_webhooks"]


def check_webhooks(doc: Document) -> Iterator[Diagnostic]:
    for name, item in items(doc.data.get("webhooks")):
        methods = [m for m in METHODS if isinstance(item, dict) and m in item]
        yield Diagnostic(
            "W302",
            f"webhook `{name}` ({', '.join(m.upper() for m in methods) or 'no operation'}) "
            "is a request the API sends: the client has no method for it",
            doc.at(("webhooks", name)), severity="warning",
            hint="receive it with your web framework; its schemas are generated as types when "
            "an operation refers to them",
        )
