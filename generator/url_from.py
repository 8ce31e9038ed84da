"""What ``x-url-from`` means, shared by validation and the build.

Some APIs hand out the URL of a download in a field of another reply: a
batch's ``results_url`` says where its results are, and is ``null`` until the
batch has ended. ``x-url-from`` (on the download operation) says so::

    x-url-from:
      operation: messages_batches_retrieve  # called first, with the same arguments
      field: results_url                     # the URL, a string field of its JSON reply
      state: processing_status              # optional: named in the error while it is null

The generated method calls the named operation's method (on the same
resource), reads ``field`` from its reply, and sends its own request to that
URL instead of to its path. While the field is ``null`` (or empty) it raises
``DownloadNotReadyError`` before any download is attempted. The operation's
path stays in the spec as the documented address (mock servers serve it);
the URL the API returns is used as given, so the operation's query
parameters are not added to it.
"""

from __future__ import annotations

from typing import Any

from generator import ir

__all__ = ["URL_FROM_KEYS", "url_from"]

URL_FROM_KEYS = ("operation", "field", "state")


def url_from(node: Any) -> ir.UrlFrom | None:
    """The IR of a well-formed ``x-url-from`` (validation has refused any other)."""
    if not isinstance(node, dict) or not isinstance(node.get("operation"), str):
        return None
    state = node.get("state")
    return ir.UrlFrom(
        operation_id=node["operation"],
        field=str(node.get("field")),
        state=state if isinstance(state, str) else None,
    )
