"""Build the docs site and photograph it in headless Chromium, to look at before calling docs done.

    .venv/bin/python benchmarks/docs_screenshots.py [OUT]   (default: benchmarks/out/screens)

Writes OUT/site/ (``messages-codegen docs --site``) and, at 1280 px wide,
OUT/index.png, OUT/operation.png (messages.create) and OUT/schema.png
(Message) and OUT/schemas.png (the union diagrams). Needs Debian's
``chromium`` and Mermaid from ``npm ci``. The PNGs are for people to look at:
nothing here is a test, and nothing is committed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import chromium, run_chromium  # noqa: E402

PAGES = {
    "index": "index.html",
    "operation": "operations/messages_create.html",
    "schema": "schemas/message.html",
    "schemas": "schemas.html",
}


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "out" / "screens"
    browser = chromium()
    if browser is None:
        print("no Chromium on PATH: apt-get install -y chromium", file=sys.stderr)
        return 2
    site = out / "site"
    subprocess.run([sys.executable, "-m", "generator", "docs", "--site", str(site)], cwd=ROOT, check=True)
    for name, page in PAGES.items():
        png = (out / f"{name}.png").resolve()
        run_chromium(browser, site / page, "--window-size=1280,3000", "--hide-scrollbars",
                     f"--screenshot={png}")
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
