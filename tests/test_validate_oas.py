"""openapi-spec-validator as `generator.validate.oas` loads and speeds it up: the same verdicts.

The golden cases (test_validate.py) pin the diagnostics; these pin the two
shortcuts themselves against the library's own way, error for error.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError

from generator.diagnostics import SpecError
from generator.loader import load_spec
from generator.validate import oas

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "validate_cases"
SPECS = [*sorted(CASES.glob("*.yaml")), ROOT / "spec" / "messages.yaml"]
# Values that break a Schema Object in as many of the dialect's rules as we could think of.
BREAKAGES: list[tuple[str, Any]] = [
    ("type", "strng"), ("type", ["string", "nul"]), ("type", {"$comment": 1}), ("minimum", "a"),
    ("properties", []), ("properties", {"a": 3, "b": {"type": 7}}), ("required", "x"),
    ("enum", {}), ("items", None), ("oneOf", {}), ("allOf", [{"type": "bogus"}]), ("pattern", 3),
    ("format", 3), ("additionalProperties", "no"), ("discriminator", {"propertyName": 3}),
    ("xml", {"name": 1}), ("$defs", {"a": {"type": 7}}), ("dependentRequired", {"a": [1]}),
    ("unevaluatedProperties", 3), ("$anchor", "1bad"), ("$ref", ["x"]), ("description", 3),
    ("propertyNames", {"$defs": {"a": {"minLength": -1}}}), ("prefixItems", {}),
    ("contentMediaType", 1), ("deprecated", "no"), ("definitions", {"a": 1}),
    ("dependencies", {"a": 1}), ("$schema", 3), ("multipleOf", 0),
]


def _specs(paths: list[Path] = SPECS) -> list[dict[str, Any]]:
    found = []
    for path in paths:
        try:
            found.append(load_spec(path, path.name).data)
        except SpecError:
            continue
    return found


def _signature(error: ValidationError) -> tuple[Any, ...]:
    # Everything a diagnostic could be made from. `$dynamicRef` is the one
    # step jsonschema writes into a schema path that a `$ref` leaves out.
    value = error.validator_value if error.validator in ("enum", "const", "type", "required") \
        else None
    return (
        error.message, error.validator, json.dumps(value, sort_keys=True, default=str),
        tuple(error.absolute_path),
        tuple(p for p in error.relative_schema_path if p != "$dynamicRef"),
        json.dumps(error.instance, sort_keys=True, default=str),
        tuple(_signature(e) for e in error.context or []),
    )


def test_the_document_schema_judges_as_the_library_does() -> None:
    # The cases that break the structure, and two documents that pass (3.1 and 3.0).
    names = [p.stem for p in CASES.glob("*.expected") if "error[E10" in p.read_text("utf-8")]
    paths = [CASES / f"{n}.yaml" for n in sorted(names)] + [ROOT / "spec" / "messages.yaml"]
    petstore = ROOT / "tests" / "corpus" / "petstore.yaml"
    for data in _specs([*paths, petstore]):
        cls = oas.get_validator_cls(data)
        if cls not in (oas.OpenAPIV30SpecValidator, oas.OpenAPIV31SpecValidator):
            continue  # reported as E100, never validated
        theirs = [_signature(e) for e in cls.schema_validator.iter_errors(data)]
        ours = [_signature(e) for e in oas.document_validator(cls).iter_errors(data)]
        assert ours == theirs


def test_each_schema_object_is_judged_as_the_library_does() -> None:
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS31Validator, oas31_format_checker
    from openapi_schema_validator._specifications import REGISTRY

    meta = OAS31Validator.META_SCHEMA
    theirs = validator_for(meta, default=OAS31Validator)(
        meta, format_checker=oas31_format_checker, registry=REGISTRY
    )
    ours = oas._dialect_validator(oas31_format_checker)
    unique = {
        json.dumps(s, sort_keys=True, default=str): s
        for data in _specs() for s in ((data.get("components") or {}).get("schemas") or {}).values()
    }
    # Every schema as written; a few small ones broken in every way (the library's way is slow).
    small = [s for key, s in sorted(unique.items(), key=lambda kv: len(kv[0])) if len(key) < 600]
    breakable = small[::15]
    checked = 0
    for schema in unique.values():
        variants = [schema]
        if isinstance(schema, dict) and any(schema is s for s in breakable):
            for key, value in BREAKAGES:
                broken = copy.deepcopy(schema)
                broken[key] = value
                nested = copy.deepcopy(schema)
                nested.setdefault("properties", {})["x"] = {key: value}
                variants += [broken, nested]
        for variant in variants:
            expected = [_signature(e) for e in theirs.iter_errors(variant)]
            assert [_signature(e) for e in ours.iter_errors(variant)] == expected, variant
            checked += bool(expected)
    assert checked > 50


def test_only_the_base_dialect_takes_the_fast_check() -> None:
    from functools import partial

    from openapi_schema_validator import OAS30Validator, oas31_format_checker

    base = partial(oas.OAS31Validator.check_schema, format_checker=oas31_format_checker)
    assert oas.faster_checker(base) is not base
    other = OAS30Validator.check_schema
    assert oas.faster_checker(other) is other


def _python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith("OPENAPI_")}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT,
        capture_output=True, text=True, check=True,
    )
    return result.stdout.strip()


PROBE = (
    "import sys; from generator.validate import validate_file; "
    "d = validate_file('tests/validate_cases/invalid_schema.yaml'); "
    "loaded = 'pydantic_settings' in sys.modules; "
    "import openapi_spec_validator.settings as s; "
    "print(len(d), loaded, s.OpenAPISpecValidatorSettings.__module__)"
)


def test_validation_does_not_load_the_settings_models() -> None:
    # ...and leaves the real settings modules to anyone who imports them afterwards.
    assert _python(PROBE) == "1 False openapi_spec_validator.settings"


def test_settings_in_the_environment_load_the_library_as_it_is() -> None:
    assert _python(PROBE, OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE="64") == \
        "1 True openapi_spec_validator.settings"


def test_the_stand_ins_hold_the_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("OPENAPI_"):
            monkeypatch.delenv(name)
    from openapi_schema_validator.settings import OpenAPISchemaValidatorSettings
    from openapi_spec_validator.settings import OpenAPISpecValidatorSettings

    spec_settings = OpenAPISpecValidatorSettings()
    assert spec_settings.resolved_cache_maxsize == oas.CACHE_SIZE
    assert spec_settings.schema_validator_backend == oas.BACKEND
    assert OpenAPISchemaValidatorSettings().compiled_validator_cache_max_size == oas.CACHE_SIZE


def test_of_several_errors_in_one_schema_the_reported_one_does_not_depend_on_the_hash_seed(
    tmp_path: Path,
) -> None:
    # jsonschema walks some keywords in set order; the checker reports the first
    # error by place instead, so every run prints the same diagnostics.
    spec = (CASES / "invalid_schema.yaml").read_text(encoding="utf-8").replace(
        "          type: strng", '          type: strng\n        x-a: [a]\n        example: "3"'
    )
    path = tmp_path / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    code = f"from generator.validate import validate_file; print(validate_file({str(path)!r}))"
    outputs = {_python(code, PYTHONHASHSEED=seed) for seed in ("0", "1", "2", "3")}
    assert len(outputs) == 1, outputs
