"""The Markdown reference as a static HTML site that reads offline (``docs --site DIR``).

Every page of ``docs --out`` becomes an ``.html`` file beside the others, its
links to ``.md`` pages pointing at the ``.html`` ones, so the site opens from
the file system (``file://``) with no server and no network. The class diagrams
are drawn in the browser by a local copy of Mermaid's browser bundle
(``mermaid.min.js``, from the npm package ``mermaid``, which ``npm ci``
installs from this project's ``package.json``): no page loads anything from
another host. Without that file the site is still written, and each diagram
shows as its Mermaid source.

Markdown is converted by Python-Markdown with the extensions the pages use
(GitHub tables, fenced code, ``<details markdown="1">``, heading anchors).
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.render import make_environment, render

__all__ = [
    "MERMAID_ASSET",
    "MERMAID_HINT",
    "MERMAID_VERSION",
    "SiteResult",
    "build_site",
    "find_mermaid",
    "site_pages",
    "write_site",
]

MERMAID_ASSET = "assets/mermaid.min.js"
_CSS_ASSET = "assets/site.css"
# Where ``npm ci`` leaves Mermaid's browser bundle, below a folder holding package.json.
_MERMAID_IN_NODE_MODULES = Path("node_modules", "mermaid", "dist", "mermaid.min.js")
# package.json's pin, for users of an installed tool, who have no package.json to `npm ci` from.
MERMAID_VERSION = "11.17.1"
MERMAID_HINT = (
    "in a clone of messages-codegen run `npm ci`; elsewhere run "
    f"`npm install --no-save mermaid@{MERMAID_VERSION}` in this folder, or pass --mermaid FILE"
)

_MD_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|#)([^"#]*?)\.md(#[^"]*)?"')
_MERMAID_BLOCK = re.compile(r'<pre><code class="language-mermaid">(.*?)</code></pre>', re.S)
_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")

_CSS = """\
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --code: #f6f8fa; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header { border-bottom: 1px solid var(--rule); padding: .6rem 1.5rem; background: #f6f8fa; }
header a { margin-right: 1.2rem; font-weight: 600; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 .6em; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; border-bottom: 1px solid var(--rule); padding-bottom: .3em; }
h3 { font-size: 1.2rem; } h4 { font-size: 1.05rem; }
code { font: .86em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code);
       padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code); padding: .8rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { padding: 0; background: none; overflow-wrap: normal; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.4rem; font-size: .93rem; }
th, td { border: 1px solid var(--rule); padding: .45rem .65rem; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
td:first-child { white-space: nowrap; }
td:last-child { width: 55%; }
td strong { color: #bc4c00; font-size: .85em; text-transform: uppercase; letter-spacing: .02em; }
details { border: 1px solid var(--rule); border-radius: 6px; padding: .4rem .8rem; margin: .6rem 0 1rem; }
summary { cursor: pointer; color: var(--muted); }
pre.mermaid { background: none; text-align: center; }
"""


@dataclass
class SiteResult:
    pages: list[str] = field(default_factory=list)
    mermaid: Path | None = None
    warnings: list[Diagnostic] = field(default_factory=list)


def find_mermaid(start: Path | None = None) -> Path | None:
    """Mermaid's browser bundle below ``start`` or a folder above it, else beside this checkout."""
    start = (start or Path.cwd()).resolve()
    here = Path(__file__).resolve().parents[2]
    for folder in (start, *start.parents, here):
        candidate = folder / _MERMAID_IN_NODE_MODULES
        if candidate.is_file():
            return candidate
    return None


def site_pages(markdown_pages: dict[str, str], *, diagrams: bool) -> dict[str, str]:
    """Each Markdown page (by path, ``.md``) as an HTML page (by path, ``.html``)."""
    import markdown

    converter = markdown.Markdown(
        extensions=["tables", "fenced_code", "md_in_html", "toc"],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )
    env = make_environment()
    out: dict[str, str] = {}
    for path, text in sorted(markdown_pages.items()):
        converter.reset()
        body = converter.convert(text)
        body = _MD_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
        has_diagram = diagrams and _MERMAID_BLOCK.search(body) is not None
        if diagrams:
            body = _MERMAID_BLOCK.sub(lambda m: f'<pre class="mermaid">{m.group(1)}</pre>', body)
        title = _TITLE.search(body)
        base = "../" * path.count("/")
        out[path[: -len(".md")] + ".html"] = render(env, "docs/site_page.html.jinja", {
            "title": html.unescape(_TAG.sub("", title.group(1))) if title else path,
            "base": base,
            "body": body,
            "css": base + _CSS_ASSET,
            "mermaid": base + MERMAID_ASSET if has_diagram else "",
        })
    return out


def write_site(markdown_pages: dict[str, str], out: Path, mermaid: Path | None) -> SiteResult:
    """Write the site into ``out``: the pages, a style sheet and, if found, Mermaid's bundle."""
    pages = site_pages(markdown_pages, diagrams=mermaid is not None)
    for rel, text in pages.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (out / "assets").mkdir(parents=True, exist_ok=True)
    (out / _CSS_ASSET).write_text(_CSS, encoding="utf-8")
    if mermaid is not None:
        shutil.copyfile(mermaid, out / MERMAID_ASSET)
    return SiteResult(pages=sorted(pages), mermaid=mermaid)


def build_site(spec: Path, out: Path, *, mermaid: Path | None, display_path: str | None = None,
               templates: Path | None = None) -> SiteResult:
    """Validate ``spec``, render its docs and write them into ``out`` as a site."""
    from generator.pipeline import load_api, render_tree
    from generator.provenance import recorded_name

    api, warnings = load_api(spec, display_path)
    files = render_tree(api, {}, templates, ("docs",), source=recorded_name(spec, out))
    pages = {path: data.decode("utf-8") for path, data in files.items() if path.endswith(".md")}
    result = write_site(pages, out, mermaid)
    result.warnings = warnings
    return result
