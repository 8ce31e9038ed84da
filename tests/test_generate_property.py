"""Random valid specs: the generator makes code that compiles and imports, or says why not.

Hypothesis builds small OpenAPI 3.1 documents -- objects whose property names
include keywords, builtins, pydantic's own attributes and odd characters;
primitive, array, map, enum, const, nullable and union types; references
between schemas, cycles included; tagged unions; one operation using them with
path, query and header parameters -- and the generator must either produce a
package whose every module compiles and imports and whose every type pydantic
can build, or refuse the spec with located diagnostics (``SpecError``). Any
other exception is a bug.
"""

from __future__ import annotations

import importlib
import keyword
import sys
from pathlib import Path
from typing import Any

import black
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator import fmt
from generator.diagnostics import SpecError
from generator.pipeline import generate
from tests.tree_support import IMPORT_ALL, read_tree

DISPLAY = "random/spec.yaml"

_ODD_NAMES = [
    *sorted(keyword.kwlist)[:12], "type", "self", "json", "copy", "schema", "model_config",
    "model_dump", "str", "int", "object", "None", "user-id", "x.y", "two words", "2fa", "ünï",
    "quote\"d", "back\\slash", "_private", "__dunder__", "List", "Optional", "timeout",
    "extra_headers", "format_path",
]
_SCHEMA_NAMES = [
    "List", "Field", "BaseModel", "Optional", "Literal", "Union", "Dict", "Annotated", "TypedDict",
    "Headers", "Stream", "Timeout", "NotGiven", "Node", "Pet", "Item", "None", "str", "Things",
    "user-profile", "Ünicode",
]
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
)
_IDENT = st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True)

property_names = st.one_of(st.sampled_from(_ODD_NAMES), _IDENT)
schema_names = st.one_of(
    st.sampled_from(_SCHEMA_NAMES), st.from_regex(r"[A-Z][a-zA-Z0-9]{0,8}", fullmatch=True)
)
primitives = st.sampled_from(
    [{"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
     {"type": "string", "format": "date-time"}, {}]
)


def types(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Schemas used in place: everything but a named object."""
    leaves = [primitives, st.lists(_TEXT, min_size=1, max_size=4, unique=True).map(
        lambda values: {"type": "string", "enum": values}
    ), st.one_of(_TEXT, st.integers(-5, 5), st.booleans()).map(lambda v: {"const": v})]
    if refs:
        leaves.append(st.sampled_from(refs).map(lambda n: {"$ref": f"#/components/schemas/{n}"}))

    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            inner.map(lambda t: {"type": "array", "items": t}),
            inner.map(lambda t: {"type": "object", "additionalProperties": t}),
            inner.map(lambda t: {"anyOf": [t, {"type": "null"}]}),
            st.lists(inner, min_size=2, max_size=3).map(lambda ts: {"oneOf": ts}),
            st.sampled_from(["string", "integer", "boolean"]).map(lambda k: {"type": [k, "null"]}),
        )

    return st.recursive(st.one_of(*leaves), extend, max_leaves=4)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    every = draw(st.lists(schema_names, min_size=1, max_size=6, unique=True))
    split = draw(st.integers(1, min(4, len(every))))
    names, aliases = every[:split], every[split:]
    schemas: dict[str, Any] = {}
    for name in aliases:
        # Named non-objects: lists, maps, unions, enums... that may refer to anything.
        schemas[name] = draw(types(every))
    for name in names:
        # The first is the request body: give it a property, so that it has arguments.
        props = draw(st.dictionaries(property_names, types(every), min_size=name == names[0], max_size=5))
        required = draw(st.lists(st.sampled_from(sorted(props)), unique=True)) if props else []
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            schema["required"] = required
        if draw(st.booleans()):
            schema["description"] = draw(_TEXT)
        schemas[name] = schema
    if draw(st.booleans()):
        # A tagged union of two objects, each declaring its tag as a required const.
        tags = draw(st.lists(st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True), min_size=2,
                             max_size=2, unique=True))
        variants = []
        for index, tag in enumerate(tags):
            variant = f"Variant{index}{names[0].strip('-_') or 'X'}"
            if variant in schemas:
                continue
            schemas[variant] = {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string", "const": tag},
                               "value": draw(types(every))},
            }
            variants.append(variant)
        if len(variants) == 2:
            schemas[f"{names[0]}Union"] = {
                "oneOf": [{"$ref": f"#/components/schemas/{v}"} for v in variants],
                "discriminator": {"propertyName": "kind"},
            }
    body, result = names[0], draw(st.sampled_from(sorted(schemas)))
    parameters = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": draw(property_names.filter(lambda n: n not in schemas[body]["properties"])),
         "in": "query", "schema": draw(types([]))},
        {"name": "x-" + draw(_IDENT), "in": "header",
         "schema": {"type": "array", "items": {"type": "string"}}},
    ]
    operation = {
        "operationId": draw(_IDENT),
        "tags": [draw(_IDENT)],
        "parameters": parameters,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        },
        "responses": {
            "200": {
                "description": draw(_TEXT) or "ok",
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Random", "version": "1"},
        "paths": {"/things/{id}": {"post": operation}},
        "components": {"schemas": schemas},
    }


PACKAGE = "random_client"
_WORK: dict[str, Path] = {}
_BLACK_CHECKED: set[str] = set()


def _work_dir(factory: pytest.TempPathFactory) -> Path:
    # One output directory for every example: the runtime modules stay as they
    # are from one example to the next, which spares black most of its work.
    if "dir" not in _WORK:
        _WORK["dir"] = factory.mktemp("random")
    return _WORK["dir"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=specs())
def test_random_specs_generate_code_that_imports_or_fail_with_located_errors(
    doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    doc["x-codegen"] = {"package": PACKAGE, "client": "RandomClient"}
    work = _work_dir(tmp_path_factory)
    spec = work / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = work / "out"
    before = read_tree(out)
    try:
        generate(spec, out, display_path=DISPLAY)
    except SpecError as exc:
        event("refused: " + ", ".join(sorted({d.code for d in exc.diagnostics})))
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.location.path == DISPLAY and d.location.line >= 1 and d.location.col >= 1, d
        assert read_tree(out) == before
        return
    event("generated")
    for path in sorted(out.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    # Our templates lay code out as black would, with black only for long
    # statements: random names and strings must not find a shape they get wrong.
    for path in sorted([*out.rglob("*.py"), *out.rglob("*.pyi")]):
        body = path.read_text(encoding="utf-8").split("\n", 2)[2]
        if body not in _BLACK_CHECKED:
            pyi = path.suffix == ".pyi"
            assert black.format_str(body, mode=fmt.black_mode(pyi)) == body, path.relative_to(out)
            _BLACK_CHECKED.add(body)
    namespace: dict[str, Any] = {"__name__": "random_import_check"}
    exec(IMPORT_ALL, namespace)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    sys.dont_write_bytecode, saved = True, sys.dont_write_bytecode
    try:
        namespace["check"](PACKAGE)
    finally:
        sys.dont_write_bytecode = saved
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
