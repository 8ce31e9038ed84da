"""``messages-codegen docs --site``: the reference as HTML that a browser reads offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.docs.html import MERMAID_ASSET, find_mermaid
from tests.browser_support import chromium, run_chromium

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "messages.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mermaid = find_mermaid(ROOT)
    assert mermaid is not None, "Mermaid's bundle is missing: run `npm ci` (README command 1)"
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(cli, ["docs", "--spec", str(SPEC), "--site", str(out),
                                      "--mermaid", str(mermaid)])
    assert result.exit_code == 0, result.output
    return out


def test_every_page_becomes_html_linked_to_html(site: Path, tmp_path: Path) -> None:
    markdown = tmp_path / "md"
    assert CliRunner().invoke(cli, ["docs", "--spec", str(SPEC), "--out", str(markdown)]).exit_code == 0
    pages = sorted(p.relative_to(markdown).with_suffix(".html").as_posix() for p in markdown.rglob("*.md"))
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")) == pages
    for rel in pages:
        text = (site / rel).read_text(encoding="utf-8")
        links = re.findall(r'(?:href|src)="([^"]+)"', text)
        assert links, rel
        for link in links:
            # Offline: nothing from another host, and every local link resolves.
            assert not re.match(r"[a-z]+:", link), f"{rel}: {link}"
            target = (site / rel).parent / link.split("#")[0]
            assert link.startswith("#") or target.is_file(), f"{rel}: broken link {link}"
            assert not link.split("#")[0].endswith(".md"), f"{rel}: {link}"
    operation = (site / "operations" / "messages_create.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid">classDiagram' in operation
    assert f'<script src="../{MERMAID_ASSET}"></script>' in operation
    assert "<table>" in operation and "<details>" in operation
    assert (site / MERMAID_ASSET).stat().st_size > 100_000


def test_without_mermaid_the_diagrams_show_as_source(tmp_path: Path) -> None:
    from generator.docs.html import build_site

    built = build_site(SPEC, tmp_path / "s", mermaid=None)
    assert built.mermaid is None and "index.html" in built.pages
    operation = (tmp_path / "s" / "operations" / "messages_create.html").read_text(encoding="utf-8")
    assert '<code class="language-mermaid">classDiagram' in operation
    assert "<script" not in operation
    assert not (tmp_path / "s" / MERMAID_ASSET).exists()


def test_docs_needs_an_output() -> None:
    result = CliRunner().invoke(cli, ["docs", "--spec", str(SPEC)])
    assert result.exit_code == 2
    assert "--out DIR" in result.output and "--site DIR" in result.output


@pytest.mark.slow
def test_a_browser_draws_the_diagrams_offline(site: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium on PATH (Debian: apt-get install -y chromium)")
    dom = run_chromium(browser, site / "operations" / "messages_create.html", "--dump-dom")
    # Mermaid replaced the diagram's source with a drawing of its classes.
    drawn = re.search(r'<pre class="mermaid"[^>]*data-processed="true"[^>]*>(.*?)</pre>', dom, re.S)
    assert drawn, dom[:2000]
    assert "<svg" in drawn.group(1) and "ContentBlock" in drawn.group(1)
    assert "Syntax error" not in dom


def test_the_hint_for_a_missing_mermaid_works_outside_a_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed tool has no package.json beside it to `npm ci` from: the hint names the
    version package.json pins, and the bundle that command leaves here is the one used."""
    import json

    import generator.docs.html as html

    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["mermaid"]
    assert html.MERMAID_VERSION == pinned
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(html, "find_mermaid", lambda start=None: None)
    spec = ROOT / "tests" / "cases" / "enums" / "spec.yaml"
    result = CliRunner().invoke(cli, ["docs", "--spec", str(spec), "--site", "site"])
    assert result.exit_code == 0, result.output
    assert f"hint: in a clone of messages-codegen run `npm ci`; elsewhere run " \
           f"`npm install --no-save mermaid@{pinned}` in this folder" in result.output
    monkeypatch.undo()
    # What `npm install` leaves in the current folder is found there.
    bundle = tmp_path / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    bundle.parent.mkdir(parents=True)
    bundle.write_text("/* mermaid */\n", encoding="utf-8")
    assert find_mermaid(tmp_path / "docs") == bundle
