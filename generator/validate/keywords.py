"""Unknown Schema Object keywords (E230): in 3.1 JSON Schema ignores them, so a typo passes.

``requried: [model]`` is valid JSON Schema that requires nothing; the generated
API then silently makes every field optional. A keyword no vocabulary defines
is reported (a warning, an error under ``--strict``) with the closest real one.
OpenAPI 3.0 documents need no such check: their Schema Object is closed, and
openapi-spec-validator already reports an unknown field there (E103).
"""

from __future__ import annotations

from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.validate.document import Document
from generator.validate.text import did_you_mean

__all__ = ["SCHEMA_KEYWORDS", "check_unknown_keywords"]

# JSON Schema 2020-12 (core, applicator, unevaluated, validation, meta-data,
# format, content), OpenAPI's own additions, and the 2019-09 and draft-4
# spellings a 3.1 document may still carry with an obvious meaning.
SCHEMA_KEYWORDS = frozenset({
    "$id", "$schema", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
    "$comment", "$defs", "$recursiveRef", "$recursiveAnchor", "definitions", "dependencies",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems",
    "items", "additionalItems", "contains", "properties", "patternProperties",
    "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
    "dependentRequired", "title", "description", "default", "deprecated", "readOnly",
    "writeOnly", "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
    "discriminator", "xml", "externalDocs", "example",
    # 3.0's `nullable` has its own code (E213).
    "nullable",
})


def check_unknown_keywords(doc: Document) -> Iterator[Diagnostic]:
    if doc.version != "3.1":
        return
    for pointer, schema in doc.schemas:
        for key in schema:
            if not isinstance(key, str) or key in SCHEMA_KEYWORDS or key.startswith("x-"):
                continue
            yield Diagnostic(
                "E230", f"`{key}` is not a Schema Object keyword, so it has no effect",
                doc.at((*pointer, key)),
                hint=did_you_mean(key, SCHEMA_KEYWORDS)
                or "remove it, or name an extension with a leading `x-`",
            )
