"""Every diagnostic code, in one table.

Codes are stable: tests, CI annotations and users' muscle memory refer to them,
so a code is never reused for a different problem. Ranges:

- ``E0xx`` the YAML layer (``generator.loader``): the file is not strict, JSON-typed YAML;
  ``E010``-``E019``: a ``$ref`` to another file that cannot be bundled (``generator.bundle``);
  ``E020``-``E024``: the generated code itself (``generator.compiled``), located in the generated file.
- ``E1xx`` structure, as openapi-spec-validator judges it against the OpenAPI schema.
- ``E2xx`` our own checks: what the generator relies on beyond the OpenAPI schema.
- ``E4xx`` the generator (``generator.build``): valid OpenAPI it cannot turn into code yet.
- ``W3xx`` warnings: suspicious but harmless to the generated code.

A ``lenient`` code is a finding about the spec that does not change the
generated code (an example or a default that does not match its schema, an
unknown keyword...), or one the generator works around with code that is still
correct (a union whose tag is unusable is decoded without it): a warning by default, an error under ``--strict`` (or
``strict = true`` in ``[tool.messages-codegen]``). Its code stays the same
either way, so a CI log and a local run name the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CODES", "LENIENT", "Code", "lookup"]


@dataclass(frozen=True)
class Code:
    code: str
    slug: str
    summary: str
    lenient: bool = False


CODES: tuple[Code, ...] = (
    # The YAML layer (generator.loader).
    Code("E001", "invalid-yaml", "the file is not valid YAML"),
    Code("E002", "duplicate-key", "a mapping repeats a key; YAML would keep only the last"),
    Code("E003", "yaml11-boolean", "an unquoted word such as `on` or `yes` that YAML 1.1 reads as a boolean"),
    Code("E004", "yaml11-date", "an unquoted date, which YAML 1.1 reads as a date, not a string",
         lenient=True),
    Code("E005", "not-json", "a YAML value with no JSON equivalent (octal, tags, merge keys, deep nesting)"),
    Code("E006", "non-string-key", "a mapping key that is not a string"),
    Code("E007", "reserved", "reserved for the YAML layer; not emitted"),
    Code("E008", "not-a-mapping", "the document is not a mapping at the top level"),
    Code("E009", "yaml11-base60", "an unquoted time such as `18:00`, which YAML 1.1 reads as a base-60 number",
         lenient=True),
    # References to other files (generator.bundle).
    Code("E010", "ref-to-url", "a `$ref` to a URL, which the generator never fetches"),
    Code("E011", "ref-file-unreadable", "a `$ref` names a file that does not exist or cannot be read"),
    Code("E012", "ref-target-missing", "a `$ref` into another file points at nothing there"),
    Code("E013", "ref-outside-folder", "a `$ref` to a file outside the root spec's folder, or by an absolute path"),
    Code("E014", "path-item-cycle", "path items (or operations) that include each other through files"),
    Code("E015", "path-item-ref-clash", "a key written both beside a path item's `$ref` and in the file it names"),
    # The generated code itself (generator.compiled): located in the generated file.
    Code("E020", "generated-code-does-not-compile",
         "a generated Python file does not compile (a generator bug, or a --templates override)"),
    # The generated package imported in a fresh interpreter (generator.imported).
    Code("E021", "generated-module-does-not-import",
         "a generated module raises when imported (a name that does not exist, a circular import...)"),
    Code("E022", "generated-export-does-not-resolve",
         "a name in a generated module's `__all__` (a lazy export of the package) does not resolve"),
    Code("E023", "generated-model-does-not-build",
         "a generated pydantic model fails to build (a field whose type names nothing...)"),
    Code("E024", "import-check-unfinished",
         "the import check of the generated package timed out or crashed without a result"),
    # Structure (openapi-spec-validator).
    Code("E100", "unsupported-version", "`openapi` is missing or names a version other than 3.0.x or 3.1.x"),
    Code("E101", "missing-field", "a field the OpenAPI schema requires is missing"),
    Code("E102", "wrong-type", "a field has the wrong JSON type"),
    Code("E103", "unknown-field", "a field the OpenAPI schema does not allow here"),
    Code("E104", "invalid-value", "a value the OpenAPI schema does not allow"),
    Code("E105", "invalid-schema", "a Schema Object is not valid JSON Schema for the document's dialect"),
    # Our checks.
    Code("E200", "unresolved-ref", "a local `$ref` points at nothing"),
    Code("E201", "required-not-a-property", "`required` names a property the schema does not declare",
         lenient=True),
    Code("E202", "external-ref", "a `$ref` to another file where the generator does not bundle one"),
    Code("E203", "unresolved-mapping", "a discriminator mapping entry points at nothing"),
    # E204-E206 and E208 leave the union without a usable tag. The generator then
    # decodes it by trying its variants (pydantic's smart union), as if it had
    # no discriminator: working code, so a warning unless --strict.
    Code("E204", "variant-without-tag", "a union variant does not declare the discriminator property",
         lenient=True),
    Code("E205", "tag-not-required", "a union variant does not require the discriminator property",
         lenient=True),
    Code("E206", "tag-not-single-valued", "a variant's discriminator property has no string `const` or `enum` value",
         lenient=True),
    Code("E207", "mapping-mismatch", "the discriminator mapping disagrees with the variants' tag values"),
    Code("E208", "duplicate-tag", "two variants of one union have the same tag value", lenient=True),
    Code("E209", "duplicate-operation-id", "two operations share an operationId"),
    Code("E210", "undeclared-path-parameter", "a `{name}` in a path template has no `in: path` parameter"),
    Code("E211", "unused-path-parameter", "an `in: path` parameter does not appear in the path template"),
    Code("E212", "duplicate-parameter", "an operation declares the same parameter (name and `in`) twice"),
    Code("E213", "nullable-in-3.1", "`nullable` in an OpenAPI 3.1 document (read as in 3.0)",
         lenient=True),
    Code("E214", "invalid-example", "an example does not match its schema",
         lenient=True),
    Code("E215", "invalid-default", "a default does not match its schema",
         lenient=True),
    Code("E216", "invalid-sse-example", "an event-stream example has an event whose data is not valid",
         lenient=True),
    Code("E217", "class-name-collision", "two schema names become the same Python class name"),
    Code("E218", "property-name-collision", "two properties of one object become the same Python name"),
    Code("E219", "argument-name-collision", "two arguments of one method become the same Python name"),
    Code("E220", "bad-x-variants", "an `x-variants` entry is malformed or names an unknown parameter"),
    Code("E221", "bad-x-streaming", "`x-streaming` is malformed or its flag is not a boolean body property"),
    Code("E222", "bad-x-exception", "`x-exception` is not a PascalCase class name"),
    Code("E223", "bad-x-python-name", "`x-python-name` is not a usable Python identifier"),
    Code("E224", "bad-x-codegen", "`x-codegen`, `x-resource` or `x-method` is malformed"),
    Code("E225", "ref-loop", "a chain of `$ref`s that comes back to itself without defining anything"),
    Code("E226", "module-name-clash", "two schemas become one module file (by case), or a name too long for a file"),
    Code("E227", "reserved-name", "a name the runtime, Python or the standard library already uses"),
    Code("E228", "templated-base-url", "the default base URL (the first server's) holds `{variables}`"),
    Code("E229", "allof-cycle", "`allOf` parts that include each other in a cycle"),
    Code("E230", "unknown-keyword", "a Schema Object keyword JSON Schema does not define (a typo?)",
         lenient=True),
    Code("E231", "bad-x-pagination", "`x-pagination` is malformed or names a page field or query parameter that does not exist"),
    Code("E232", "bad-jsonl-response", "a JSON Lines response has no line schema, or shares its status with another media type"),
    Code("E233", "alias-chain-too-long", "a chain of more than 100 schemas that are each only a `$ref` to the next"),
    Code("E234", "bad-x-request-body", "`x-request-body` is not a local `$ref` to a schema, or its operation has no JSON request body"),
    Code("E235", "form-body-not-object", "a form or multipart body whose schema is not an object, so it names no fields"),
    Code("E240", "bad-x-url-from", "`x-url-from` is not a mapping with an `operation` and a `field`, or has unknown keys"),
    Code("E241", "x-url-from-unknown-operation", "`x-url-from` names an operationId no operation has (or its own)"),
    Code("E242", "x-url-from-bad-field", "`x-url-from` names a field its operation's JSON reply lacks, or a URL field that is not a string"),
    Code("E243", "x-url-from-other-resource", "the operation `x-url-from` names is not on the download's resource (or one of its variants' resources)"),
    Code("E244", "x-url-from-bad-arguments", "a download by URL that is not a body-less GET, or lacks a parameter its source operation requires"),
    Code("E299", "internal-error", "a check of the validator itself failed; please report it"),
    # Constructs the generator does not support yet (generator.build).
    Code("E401", "unsupported-keyword", "a schema keyword (`not`, `if`, `patternProperties`...) the generator cannot express"),
    Code("E402", "allof-not-object", "an `allOf` part that is not an object schema"),
    Code("E403", "unsupported-ref", "a `$ref` to something other than a local component"),
    Code("E404", "unsupported-media-type", "a structured request body in a media type other than JSON or a form (XML)"),
    Code("E405", "stream-without-flag", "an event-stream response with no boolean body property to request it"),
    Code("E406", "non-object-body", "retired: a JSON request body that is not an object is now one `body` argument"),
    Code("E407", "alias-cycle", "a schema that refers to itself through lists, maps and unions only"),
    Code("E413", "python-name-clash", "two schemas that would generate one Python class (`X` sent in requests is `XParam`)"),
    # Warnings.
    Code("W300", "unused-component", "a component nothing refers to"),
    Code("W301", "not-fully-checked", "openapi-spec-validator failed on part of the document"),
    Code("W302", "webhooks-not-generated", "`webhooks`: requests the API sends, which a client has no method for"),
    Code("W310", "renamed-schema", "a schema from another file renamed: the name it would get is taken"),
    Code("W320", "x-url-from-query-ignored", "query parameters of a download by URL, which the URL the reply gives replaces"),
    Code("W321", "x-url-from-not-uri", "the field `x-url-from` follows does not say it holds a URL (`format: uri`)"),
    Code("W325", "import-check-skipped",
         "the generated package was not import-checked: the interpreter lacks httpx or pydantic v2"),
)

LENIENT = frozenset(entry.code for entry in CODES if entry.lenient)
_BY_CODE = {entry.code: entry for entry in CODES}


def lookup(code: str) -> Code:
    """The table entry for ``code``; KeyError for a code that does not exist."""
    return _BY_CODE[code]
