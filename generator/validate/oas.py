"""openapi-spec-validator, imported cheaply and made fast where it is slow.

Two costs of the library are not in the checks themselves:

- **Import.** openapi-spec-validator and openapi-schema-validator each read
  their settings (two cache sizes and a backend name, from environment
  variables) through a pydantic-settings model, and importing pydantic-settings
  brings in pydantic and asyncio: about 40% of the library's import time.
  While nothing in the environment configures them, the settings are the
  models' defaults, so stand-ins holding those defaults are put in place of
  the two settings modules for the duration of the import (and taken out
  again, so anyone importing them later gets the real ones). When any
  ``OPENAPI_SPEC_VALIDATOR_*`` or ``OPENAPI_SCHEMA_VALIDATOR_*`` variable is
  set, the library is imported as it is. The environment is looked at once,
  when this module is imported.
- **``$dynamicRef``.** OpenAPI 3.1's document schema and its Schema Object
  dialect write recursion as ``$dynamicRef: "#meta"``; jsonschema resolves each
  one by walking the whole dynamic scope and crawling the registry again, which
  made those two passes most of a validation. Where a ``$dynamicRef`` can only
  ever land on one place, ``static_refs`` writes a plain ``$ref`` to that place
  instead, and the dialect's vocabularies are inlined into one schema, so the
  check of each Schema Object follows no reference but its recursion. Same
  schemas, same errors in the same order (tests/test_validate_oas.py compares
  them with the library's, error for error); only the time differs.

The document pass always uses jsonschema, as the library does unless the
optional jsonschema-rs is installed: the diagnostics are made from
jsonschema's errors.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import Any, Callable
from urllib.parse import urldefrag, urljoin

from jsonschema.exceptions import SchemaError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource

from generator.cache import Record

__all__ = [
    "DuplicateOperationIDError",
    "ExtraParametersError",
    "OAS30Validator",
    "OAS31Validator",
    "OpenAPIV30SpecValidator",
    "OpenAPIV31SpecValidator",
    "OpenAPIValidationError",
    "PASSED",
    "ParameterDuplicateError",
    "SchemaPath",
    "SpecValidator",
    "UnresolvableParameterError",
    "document_validator",
    "faster_checker",
    "get_validator_cls",
    "keywords",
    "oas30_format_checker",
    "oas31_format_checker",
    "static_refs",
]

_SETTINGS_MODULES = ("openapi_spec_validator.settings", "openapi_schema_validator.settings")
_ENVIRONMENT_PREFIXES = ("OPENAPI_SPEC_VALIDATOR_", "OPENAPI_SCHEMA_VALIDATOR_")
# The defaults of the two settings models (tests/test_validate_oas.py compares them).
CACHE_SIZE = 128
BACKEND = "auto"


def _stand_ins() -> list[types.ModuleType]:
    spec_settings = types.ModuleType(_SETTINGS_MODULES[0])

    class OpenAPISpecValidatorSettings:
        resolved_cache_maxsize = CACHE_SIZE
        schema_validator_backend = BACKEND

    spec_settings.__dict__.update(
        OpenAPISpecValidatorSettings=OpenAPISpecValidatorSettings,
        get_resolved_cache_maxsize=lambda: CACHE_SIZE,
        get_schema_validator_backend=lambda: BACKEND,
    )
    schema_settings = types.ModuleType(_SETTINGS_MODULES[1])
    defaults = types.SimpleNamespace(compiled_validator_cache_max_size=CACHE_SIZE)
    schema_settings.__dict__.update(
        get_settings=lambda: defaults, reset_settings_cache=lambda: None,
    )
    return [spec_settings, schema_settings]


@contextmanager
def _default_settings() -> Iterator[None]:
    configured = any(name.upper().startswith(_ENVIRONMENT_PREFIXES) for name in os.environ)
    if configured or any(name in sys.modules for name in _SETTINGS_MODULES):
        yield
        return
    stand_ins = _stand_ins()
    sys.modules.update((module.__name__, module) for module in stand_ins)
    try:
        yield
    finally:
        for module in stand_ins:
            if sys.modules.get(module.__name__) is module:
                del sys.modules[module.__name__]
            package, _, name = module.__name__.rpartition(".")
            if getattr(sys.modules.get(package), name, None) is module:
                delattr(sys.modules[package], name)


with _default_settings():
    from jsonschema_path import SchemaPath
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        oas30_format_checker,
        oas31_format_checker,
    )
    # The registry `check_openapi_schema` validates Schema Objects with.
    from openapi_schema_validator._specifications import REGISTRY as _DIALECTS
    from openapi_schema_validator.validators import check_openapi_schema
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation import keywords
    from openapi_spec_validator.validation.exceptions import (
        DuplicateOperationIDError,
        ExtraParametersError,
        OpenAPIValidationError,
        ParameterDuplicateError,
        UnresolvableParameterError,
    )
    from openapi_spec_validator.validation.validators import (
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
        SpecValidator,
    )

# Where openapi-spec-validator's `schemas` module reads each document schema from.
_DOCUMENT_SCHEMAS = {OpenAPIV30SpecValidator: "v3.0", OpenAPIV31SpecValidator: "v3.1"}


def static_refs(schema: Any, targets: dict[str, str]) -> Any:
    """``schema`` with each ``{"$dynamicRef": "#name"}`` a ``{"$ref": targets[name]}``.

    Only right where the caller knows every such reference resolves to
    ``targets[name]``; keys keep their order, so errors come in the same order.
    """
    if isinstance(schema, list):
        return [static_refs(item, targets) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$dynamicRef")
    if isinstance(ref, str) and ref.startswith("#") and ref[1:] in targets:
        target = targets[ref[1:]]
        return {
            ("$ref" if key == "$dynamicRef" else key):
                (target if key == "$dynamicRef" else static_refs(value, targets))
            for key, value in schema.items()
        }
    return {key: static_refs(value, targets) for key, value in schema.items()}


def _dynamic_anchors(schema: Any, pointer: str = "#") -> list[tuple[str, str]]:
    """Each ``$dynamicAnchor`` in ``schema``: its name and a ``$ref`` to its place."""
    if isinstance(schema, dict):
        found = [(schema["$dynamicAnchor"], pointer)] if "$dynamicAnchor" in schema else []
        items: Any = schema.items()
    elif isinstance(schema, list):
        found, items = [], enumerate(schema)
    else:
        return []
    for key, value in items:
        escaped = str(key).replace("~", "~0").replace("/", "~1")
        found += _dynamic_anchors(value, f"{pointer}/{escaped}")
    return found


def _self_contained(schema: Any, root: bool = True) -> bool:
    """Whether ``schema`` refers only into itself and holds no resource of its own."""
    if isinstance(schema, list):
        return all(_self_contained(item, False) for item in schema)
    if not isinstance(schema, dict):
        return True
    ref = schema.get("$ref")
    if (not root and "$id" in schema) or (isinstance(ref, str) and not ref.startswith("#")):
        return False
    return all(_self_contained(value, False) for value in schema.values())


def document_validator(cls: type[SpecValidator]) -> Validator:
    """The validator of ``cls``'s pass over the whole document, built once per process.

    openapi-spec-validator builds it with jsonschema's ``validator_for`` from
    the same file. The 3.1 schema is one resource that refers only into
    itself and holds one ``$dynamicAnchor``, so each ``$dynamicRef`` resolves
    to that anchor's place whatever the dynamic scope.
    """
    return _document_validator(_DOCUMENT_SCHEMAS[cls])


@functools.cache
def _document_validator(folder: str) -> Validator:
    path = files("openapi_spec_validator") / "resources" / "schemas" / folder
    schema = json.loads((path / "schema.json").read_text(encoding="utf-8"))
    anchors = _dynamic_anchors(schema)
    names = [name for name, _ in anchors]
    if _self_contained(schema) and len(set(names)) == len(names):
        schema = static_refs(schema, dict(anchors))
    validator: Validator = validator_for(schema)(schema)
    return validator


def _reachable(registry: Registry[Any], root: str) -> list[str]:
    """The resources ``root`` refers to, directly or not, itself first."""
    found = [root]
    for uri in found:
        stack = [registry.contents(uri)]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    target = urldefrag(urljoin(uri, ref))[0]
                    if target and target not in found:
                        found.append(target)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return found


# Keywords whose values are data, not schemas: nothing in them is a reference.
_DATA = frozenset({"const", "default", "enum", "examples"})
# What only a resource's own root means; an inlined copy goes without them.
_RESOURCE_KEYS = frozenset({"$id", "$schema", "$vocabulary", "$dynamicAnchor"})


def _pointer(document: Any, fragment: str) -> Any:
    node = document
    for part in fragment.split("/")[1:] if fragment else []:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _inlined(contents: Callable[[str], Any], node: Any, base: str, keep: frozenset[str]) -> Any:
    """``node`` with each object that is just a ``$ref`` replaced by what it refers to.

    A reference to a target in ``keep`` (the recursion, and whatever is being
    inlined already) stays a reference, as does one beside other keywords;
    each is made absolute, since inlined schemas lose their own base URI.
    Errors keep their paths, which jsonschema writes without ``$ref``.
    """
    if isinstance(node, list):
        return [_inlined(contents, item, base, keep) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = urljoin(base, ref)
        uri, fragment = urldefrag(target)
        if len(node) == 1 and target not in keep:
            found = _pointer(contents(uri), fragment)
            if isinstance(found, dict):
                found = {k: v for k, v in found.items() if k not in _RESOURCE_KEYS}
            return _inlined(contents, found, uri, keep | {target})
        node = {**node, "$ref": target}
    return {
        key: value if key in _DATA else _inlined(contents, value, base, keep)
        for key, value in node.items()
    }


@functools.cache
def _dialect_validator(format_checker: Any) -> Validator:
    meta = OAS31Validator.META_SCHEMA
    dialect = meta["$id"]

    @functools.cache
    def contents(uri: str) -> Any:
        # Validation starts at the dialect, which declares `$dynamicAnchor: meta`,
        # and every `$dynamicRef: "#meta"` of the vocabularies it includes is
        # reached through it: the outermost such anchor in scope is always the
        # dialect itself, so that is where each one goes.
        return static_refs(_DIALECTS.contents(uri), {"meta": dialect})

    # What is left of the recursion resolves through the registry.
    patched = [
        (uri, Resource.from_contents(contents(uri))) for uri in _reachable(_DIALECTS, dialect)
    ]
    registry = _DIALECTS.with_resources(patched).crawl()
    validator: Validator = validator_for(meta, default=OAS31Validator)(
        _inlined(contents, contents(dialect), dialect, frozenset({dialect})),
        format_checker=format_checker, registry=registry,
    )
    return validator


def faster_checker(checker: Callable[[Any], None]) -> Callable[[Any], None]:
    """``checker``, or an equivalent of it that resolves no ``$dynamicRef``.

    openapi-spec-validator's 3.1 keyword pass checks each Schema Object with
    ``partial(OAS31Validator.check_schema, format_checker=...)`` when it uses
    the OAS 3.1 base dialect; that one is replaced. A Schema Object with a
    ``$schema`` of its own gets its checker unchanged.
    """
    if not isinstance(checker, functools.partial) or checker.args \
            or set(checker.keywords) != {"format_checker"}:
        return checker
    method = checker.func
    if getattr(method, "__self__", None) is not OAS31Validator \
            or getattr(method, "__func__", None) is not check_openapi_schema:
        return checker
    try:
        validator = _dialect_validator(checker.keywords["format_checker"])
    except Exception:
        # Metaschemas of a shape this module does not expect: the library's own way.
        return checker

    def check(schema: Any) -> None:
        key = _digest(schema)
        if key is not None and PASSED.get(key)[0]:
            return
        # What `check_openapi_schema` does, one error as a SchemaError; but of
        # several, the first by place, not the first jsonschema meets: it walks
        # some keywords in set order, which PYTHONHASHSEED changes.
        errors = list(validator.iter_errors(schema))
        if errors:
            first = min(errors, key=lambda e: [str(part) for part in e.absolute_path])
            raise SchemaError.create_from(first)
        if key is not None:
            PASSED.put(key, True)

    return check


# The dialect check is a function of the Schema Object alone and a third of
# validating a spec: the digests of those that passed are kept between runs
# beside the output (``generator.pipeline``), so a regeneration after an edit
# checks only what the edit changed.
PASSED: Record[bool] = Record(lambda value: value is True)


def _digest(schema: Any) -> str | None:
    try:
        text = json.dumps(schema, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None  # not plain JSON (a YAML oddity): always checked
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
