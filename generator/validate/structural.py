"""Structure, as openapi-spec-validator judges it (codes E1xx, and W301).

openapi-spec-validator works in two passes: the OpenAPI JSON Schema over the
whole document, then "keyword" validators that walk paths and schemas (each
Schema Object against its dialect, duplicate tags, and checks we make
ourselves with better locations). Its errors carry no position in the file, and
its walk stops at the first exception (a dangling ``$ref`` raises
``PointerToNowhere`` with the whole spec in its message). So both passes run
here with thin subclasses that remember where each error arose and turn
exceptions into located diagnostics; nothing it raises reaches the user as a
traceback. A failure of the library (it recurses on a deeply nested schema, and
trips over a null extension under ``paths``) is a warning, W301: the document
may be fine, and our own checks ran regardless.

The keyword pass assumes the document passed the first one (it indexes
``parameter["name"]`` without looking), so it runs only then.

The library comes through ``generator.validate.oas``, which imports it
without its settings models and gives both passes validators that resolve
OpenAPI 3.1's ``$dynamicRef``s ahead of time (built once per process); the
verdicts are the library's own.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from jsonschema.exceptions import ValidationError

from generator.diagnostics import Diagnostic
from generator.loader import Pointer
from generator.validate.document import Document
from generator.validate.oas import (
    DuplicateOperationIDError,
    ExtraParametersError,
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIValidationError,
    ParameterDuplicateError,
    SchemaPath,
    SpecValidator,
    UnresolvableParameterError,
    document_validator,
    faster_checker,
    get_validator_cls,
    keywords,
)
from generator.validate.refs import collapse_aliases, has_ref_loop
from generator.validate.text import (
    did_you_mean,
    error_message,
    json_list,
    json_type,
    most_specific,
    short,
    short_repr,
)

__all__ = ["check_structure"]

# Our own checks report these with both locations and hints (E201, E209-E212, E215).
_OURS = (
    DuplicateOperationIDError,
    ExtraParametersError,
    ParameterDuplicateError,
    UnresolvableParameterError,
)
_SUPPORTED: tuple[type[SpecValidator], ...] = (OpenAPIV30SpecValidator, OpenAPIV31SpecValidator)
_ARTICLES = {
    "object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
    "number": "a number", "boolean": "a boolean", "null": "null",
}
_QUOTED = re.compile(r"^'(.*)' is a required property$")


def check_structure(doc: Document) -> Iterator[Diagnostic]:
    data = doc.data
    try:
        cls = get_validator_cls(data)
    except Exception:
        cls = None
    if cls not in _SUPPORTED:
        yield _unsupported(doc)
        return
    assert cls is not None
    try:
        errors = [most_specific(e) for e in document_validator(cls).iter_errors(data)]
    except Exception as exc:
        yield _incomplete(doc, (), exc)
        return
    # A value of the wrong type fails every other rule at its place too; say it once.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    for error in errors:
        if error.validator == "type" or tuple(error.absolute_path) not in mistyped:
            yield from _schema_error(doc, error)
    if not errors:
        yield from _keyword_pass(doc, _located(cls))


def _unsupported(doc: Document) -> Diagnostic:
    version = doc.data.get("openapi", doc.data.get("swagger"))
    if version is None:
        message = "`openapi` is missing, so this is not an OpenAPI 3 document"
    else:
        message = f"OpenAPI version {short_repr(version)} is not supported"
    return Diagnostic(
        "E100", message, doc.at(("openapi",) if "openapi" in doc.data else ()),
        hint="this generator reads OpenAPI 3.1.x (and 3.0.x); start with `openapi: 3.1.0`",
    )


def _schema_error(doc: Document, error: ValidationError) -> Iterator[Diagnostic]:
    pointer = tuple(error.absolute_path)
    if error.validator == "uniqueItems" and pointer[-1:] == ("parameters",):
        return  # E212 reports each repeated parameter, with both places
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_fields(doc, error, pointer)
        return
    code, message, hint = _describe(error, pointer)
    yield Diagnostic(code, message, doc.at(pointer), hint=hint)


def _describe(error: ValidationError, pointer: Pointer) -> tuple[str, str, str | None]:
    what = _name(pointer)
    if error.validator == "required":
        match = _QUOTED.match(error.message)
        name = match.group(1) if match else short(error.message)
        return "E101", f"{what} is missing the required field `{name}`", None
    if error.validator == "type":
        expected: Any = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_ARTICLES.get(n, str(n)) for n in names)
        return "E102", f"{what} must be {wanted}, not {json_type(error.instance)}", None
    if error.validator in ("oneOf", "anyOf") and error.context and all(
        e.validator == "required" and list(e.absolute_path) == list(error.absolute_path)
        for e in error.context
    ):
        fields = ", ".join(f"`{n}`" for e in error.context for n in _names(e.validator_value))
        return "E101", f"{what} needs one of {fields}", None
    hint = None
    if pointer[-1:] == ("required",) and "parameters" in pointer:
        hint = "a path parameter must say `required: true`"
    if error.validator == "enum":
        return "E104", f"{what} must be one of {json_list(error.validator_value)}", hint
    if error.validator == "const":
        return "E104", f"{what} must be {json_list([error.validator_value])}", hint
    return "E104", f"{what}: {error_message(error)}", None


def _name(pointer: Pointer) -> str:
    if not pointer:
        return "the document"
    if isinstance(pointer[-1], int) and len(pointer) > 1:
        return f"`{pointer[-2]}[{pointer[-1]}]`"
    return f"`{pointer[-1]}`"


def _unknown_fields(doc: Document, error: ValidationError, pointer: Pointer) -> Iterator[Diagnostic]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    declared = schema.get("properties")
    known = list(declared) if isinstance(declared, dict) else []
    matching = schema.get("patternProperties")
    patterns = list(matching) if isinstance(matching, dict) else []
    instance = error.instance if isinstance(error.instance, dict) else {}
    # Every OpenAPI object that is closed allows `x-` extensions; in 3.1 the
    # pattern saying so sits in a `$ref`'d schema the error does not carry,
    # so a typo beside `x-` keys must not make them look unknown too.
    extras = [
        key for key in instance
        if key not in known and not str(key).startswith("x-")
        and not any(_search(p, key) for p in patterns)
    ]
    if not extras:
        yield Diagnostic("E103", error_message(error), doc.at(pointer))
    where = _name(pointer) if pointer else "the top level"
    for key in extras:
        hint = did_you_mean(key, known) or "extensions must start with `x-`"
        yield Diagnostic(
            "E103", f"unknown field `{key}` in {where}", doc.at((*pointer, key)), hint=hint
        )


def _search(pattern: str, key: str) -> bool:
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


# The keyword pass, with locations.


def _names(value: object) -> list[object]:
    return list(value) if isinstance(value, (list, tuple)) else []


class _Failure(OpenAPIValidationError):
    """An exception from the keyword pass, turned into an error where it happened."""

    spec_parts: object = None

    def __init__(self, exc: Exception) -> None:
        super().__init__(f"{type(exc).__name__}: {exc}")
        self.exc = exc


class _NoDefaults(keywords.ValueValidator):
    # Defaults are checked by our E215 check, located and with refs resolved.
    def __call__(self, schema: SchemaPath, value: Any) -> Iterator[ValidationError]:
        return iter(())


def _locating(base: type[keywords.KeywordValidator]) -> type[keywords.KeywordValidator]:
    """``base`` whose errors (and exceptions) remember the spec path being validated."""

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        parts = tuple(where.parts) if where is not None else ()
        try:
            for error in base.__call__(self, *args, **kwargs):
                if getattr(error, "spec_parts", None) is None:
                    error.spec_parts = parts
                yield error
        except Exception as exc:
            failure = _Failure(exc)
            failure.spec_parts = parts
            yield failure

    return type(base.__name__, (base,), {"__call__": __call__})


class _IdSet(set[int]):
    """The keyword pass remembers visited schemas in lists; as a set it is quadratic no more."""

    append = set.add


def _faster_schemas(base: type[keywords.KeywordValidator]) -> type[keywords.KeywordValidator]:
    def __init__(self: Any, registry: Any) -> None:
        base.__init__(self, registry)
        self.visited_schema_ids = _IdSet()
        self.meta_checked_schema_ids = _IdSet()

    def _get_schema_checker(self: Any, schema: SchemaPath, value: Any) -> Any:
        checker = base._get_schema_checker(self, schema, value)  # type: ignore[attr-defined]
        return faster_checker(checker)

    return type(base.__name__, (base,), {
        "__init__": __init__, "_get_schema_checker": _get_schema_checker,
    })


_LOCATED: dict[type[SpecValidator], type[SpecValidator]] = {}


def _located(cls: type[SpecValidator]) -> type[SpecValidator]:
    if cls not in _LOCATED:
        validators = {name: _locating(kv) for name, kv in cls.keyword_validators.items()}
        validators["default"] = _NoDefaults
        validators["schema"] = _faster_schemas(validators["schema"])
        _LOCATED[cls] = type(cls.__name__, (cls,), {
            "keyword_validators": validators,
            # Never fetch other files or URLs; E202 reports external refs.
            "resolver_handlers": {},
        })
    return _LOCATED[cls]


def _keyword_pass(doc: Document, cls: type[SpecValidator]) -> Iterator[Diagnostic]:
    try:
        validator = cls(collapse_aliases(doc))
        errors = list(validator.root_validator(validator.schema_path))
    except Exception as exc:
        errors = [_Failure(exc)]
    located = [e for e in errors if not isinstance(e, (_Failure, *_OURS))]
    failed: set[type[Exception]] = set()
    for error in errors:
        if isinstance(error, _OURS):
            continue
        parts = tuple(getattr(error, "spec_parts", ()) or ())
        pointer = doc.physical(parts)
        if isinstance(error, _Failure):
            if located or _is_reference_problem(error.exc) or (
                isinstance(error.exc, RecursionError) and has_ref_loop(doc)
            ):
                # A crash beside a real error is a consequence of it, and the reference
                # check reports dangling refs and ref loops at every use.
                continue
            if type(error.exc) in failed:
                continue  # one crash of the library, reached from many places: said once
            failed.add(type(error.exc))
            yield _incomplete(doc, pointer, error.exc)
        elif isinstance(error.validator, str):
            # A Schema Object failed its dialect's meta-schema; paths are inside it.
            inner = most_specific(error)
            where = doc.physical((*parts, *inner.absolute_path))
            _, message, hint = _describe(inner, where)
            yield Diagnostic("E105", f"invalid schema: {message}", doc.at(where), hint=hint)
        elif str(error.message).endswith("is not of type 'object', 'boolean'"):
            yield Diagnostic(
                "E105", f"invalid schema: {_name(pointer)} must be an object or a boolean",
                doc.at(pointer),
            )
        else:
            yield Diagnostic("E104", short(f"{_name(pointer)}: {error.message}"), doc.at(pointer))


def _incomplete(doc: Document, pointer: Pointer, exc: Exception) -> Diagnostic:
    # A warning: the document may well be valid; the library just could not say.
    return Diagnostic(
        "W301", short(f"openapi-spec-validator failed here ({type(exc).__name__}: {exc}), "
                      "so this part was not fully checked"),
        doc.at(pointer), severity="warning",
        hint="our own checks still ran; this is a limitation of openapi-spec-validator",
    )


def _is_reference_problem(exc: Exception) -> bool:
    from referencing.exceptions import NoSuchResource, Unresolvable

    return isinstance(exc, (Unresolvable, NoSuchResource))
