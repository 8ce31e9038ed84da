"""Headless Chromium for the docs site: find it, and run it with nothing of the user's and no network.

Used by tests/test_docs_site.py and benchmarks/docs_screenshots.py. Debian's
package is ``chromium`` (``apt-get install -y chromium``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["chromium", "run_chromium"]

_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # Pages come from file://: nothing may be fetched from anywhere else.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(browser: str, page: Path, *args: str, timeout: float = 120) -> str:
    """Run ``browser`` over ``page`` with a fresh profile; its standard output."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        done = subprocess.run(
            [browser, *_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=8000", *args,
             page.resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{browser} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout
