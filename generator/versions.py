"""Installed versions of the packages whose output we record (black, Jinja).

``importlib.metadata`` answers the same question, but importing it costs about
20 ms (it brings in the email parser), a tenth of the run that finds nothing to
do. A package installed as a wheel has a ``NAME-VERSION.dist-info`` folder on
``sys.path``, and its name is the answer; anything else is asked of
``importlib.metadata``.
"""

from __future__ import annotations

import functools
import os
import re
import sys

__all__ = ["package_version"]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def package_version(name: str) -> str:
    """The installed version of ``name``, or ``"none"`` when it is not installed."""
    wanted = _normalized(name)
    for entry in sys.path:
        try:
            items = os.listdir(entry or ".")
        except OSError:
            continue
        for item in items:
            if item.endswith(".dist-info"):
                dist, _, version = item[: -len(".dist-info")].partition("-")
                if version and _normalized(dist) == wanted:
                    return version
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "none"
