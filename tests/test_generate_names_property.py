"""Names chosen to collide: validate refuses them, or the package works.

Hypothesis picks schema names that differ only in case, property names equal
after NFKC normalisation, resources and methods named after what the client
and Python already use, packages named after standard modules, exception
classes named after the runtime's, one class name for both clients, and
templated server URLs. For each spec, either ``generate`` refuses it with
located diagnostics and writes nothing, or the package compiles, imports in a
fresh interpreter, and builds both clients, which open and close as context
managers and reach their resource's method.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.pipeline import generate
from tests.tree_support import read_tree

DISPLAY = "names/spec.yaml"

_SCHEMAS = ["Widget", "WIDGET", "widget", "Wid_get", "Gadget", "GADGET", "W" * 230]
_PROPERTIES = ["file", "\ufb01le", "ﬀ", "ff", "Ω", "\u2126", "name", "ｎａｍｅ", "class", "class_",
               "self", "copy"]
_RESOURCES = ["close", "with_options", "copy", "_client", "__enter__", "widgets", "api_key",
              "base_url", "messages"]
_METHODS = ["__init__", "_get", "create", "list", "with_raw_response", "_client", "get", "close"]
_PACKAGES = ["json", "typing", "names_client", "os", "names_client2", "asyncio"]
_EXCEPTIONS = ["APIStatusError", "APIError", "WidgetGoneError", "NotFoundError",
               "APIConnectionError", "IncompleteStreamError"]
_CLIENTS = ["NamesClient", "AsyncNamesClient", "Client"]
_URLS = ["https://api.example.com", "https://{region}.example.com", "http://127.0.0.1:9/v{version}"]


def _mostly(safe: str, risky: list[str]) -> st.SearchStrategy[str]:
    # The safe choice often enough that some specs pass and must then work.
    return st.sampled_from([safe] * (2 * len(risky)) + risky)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(_SCHEMAS), min_size=1, max_size=2, unique=True))
    props = draw(st.lists(st.sampled_from(_PROPERTIES), min_size=1, max_size=3, unique=True))
    schemas: dict[str, Any] = {
        name: {"type": "object", "properties": {p: {"type": "string"} for p in props}}
        for name in names
    }
    operation: dict[str, Any] = {
        "operationId": "make_widget",
        "x-resource": draw(_mostly("widgets", _RESOURCES)),
        "x-method": draw(_mostly("create", _METHODS)),
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{names[0]}"}}}},
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{names[-1]}"}}}},
            "410": {"description": "gone", "x-exception": draw(_mostly("WidgetGoneError", _EXCEPTIONS))},
        },
    }
    url = draw(_mostly("https://api.example.com", _URLS))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "x-codegen": {"package": draw(_mostly("names_client", _PACKAGES)),
                      "client": draw(_mostly("NamesClient", _CLIENTS)),
                      "async-client": draw(_mostly("AsyncNamesClient", _CLIENTS))},
        "servers": [{"url": url, "variables": {"region": {"default": "us"},
                                               "version": {"default": "1"}}}],
        "paths": {"/widgets": {"post": operation}},
        "components": {"schemas": schemas},
    }


# Run in a fresh interpreter: a package named `json` must not meet the real one
# already imported.
_USE = textwrap.dedent(
    """
    import asyncio, importlib, json, pkgutil, sys
    out, package, client, async_client, resource, method = sys.argv[1:]
    sys.path.insert(0, out)
    pkg = importlib.import_module(package)
    assert pkg.__file__.startswith(out), pkg.__file__
    for module in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(module.name)
    with getattr(pkg, client)(api_key="sk-test", base_url="http://127.0.0.1:9") as c:
        assert callable(getattr(getattr(c, resource), method))
    async def main():
        async with getattr(pkg, async_client)(api_key="sk-test", base_url="http://127.0.0.1:9") as a:
            assert callable(getattr(getattr(a, resource), method))
    asyncio.run(main())
    """
)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("names")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(doc=specs())
def test_colliding_and_reserved_names_are_refused_or_work(doc: dict[str, Any], work: Path) -> None:
    spec = work / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = work / "out"
    before = read_tree(out)
    try:
        generate(spec, out, display_path=DISPLAY)
    except SpecError as exc:
        event("refused: " + ", ".join(sorted({d.code for d in exc.diagnostics})))
        for d in exc.diagnostics:
            assert d.location.path == DISPLAY and d.location.line >= 1, d
        assert read_tree(out) == before
        return
    event("generated")
    config, op = doc["x-codegen"], doc["paths"]["/widgets"]["post"]
    for path in sorted(out.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    proc = subprocess.run(
        [sys.executable, "-c", _USE, str(out), config["package"], config["client"],
         config["async-client"], op["x-resource"], op["x-method"]],
        capture_output=True, text=True, timeout=120, cwd=work,
    )
    assert proc.returncode == 0, json.dumps(doc, ensure_ascii=False) + "\n" + proc.stderr[-3000:]


_INLINE_BEFORE_COMPONENT = """\
openapi: 3.1.0
info: {title: Shop, version: '1'}
paths:
  /items:
    post:
      operationId: createItem
      x-resource: items
      x-method: create
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                meta: {$ref: '#/components/schemas/ItemMeta'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      properties:
        meta:
          type: object
          properties:
            color: {type: string}
    ItemMeta:
      type: object
      properties:
        note: {type: string}
"""

_CHECK_META = """\
import sys, typing
sys.path.insert(0, sys.argv[1])
from shop.types import Item, ItemMeta2, ItemMetaParam
assert set(ItemMetaParam.__annotations__) == {"note"}, ItemMetaParam.__annotations__
assert set(ItemMeta2.model_fields) == {"color"}, ItemMeta2.model_fields
assert Item.model_validate({"meta": {"color": "red"}}).meta == ItemMeta2(color="red")
"""


def test_an_inline_object_never_takes_a_components_name(tmp_path: Path) -> None:
    """``Item.meta`` (inline) is met before the component ``ItemMeta`` is built: it is
    ``ItemMeta2``, and the component keeps its own name and fields (it used to be lost)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(_INLINE_BEFORE_COMPONENT, encoding="utf-8")
    out = tmp_path / "out"
    generate(spec, out, display_path=DISPLAY)
    proc = subprocess.run([sys.executable, "-c", _CHECK_META, str(out)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
