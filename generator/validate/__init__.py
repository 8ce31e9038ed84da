"""Strict validation of a spec: every problem, located, in one run.

openapi-spec-validator is the structural gate (E1xx); our own checks (E2xx,
W3xx) run beside it on every document, broken or not, so one run reports
everything. Each check is a generator of diagnostics over one shared
``Document`` (a single walk of the spec with a ref cache); a check that fails
on input nobody foresaw becomes an E299 diagnostic rather than a traceback.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from generator.codes import LENIENT
from generator.diagnostics import Diagnostic, SpecError
from generator.loader import Spec, load_spec
from generator.validate.document import Document
from generator.validate.examples import check_examples
from generator.validate.extensions import check_extensions
from generator.validate.generatable import check_buildable, check_generatable
from generator.validate.keywords import check_unknown_keywords
from generator.validate.names import check_class_names, check_property_names
from generator.validate.operations import (
    check_arguments,
    check_operation_ids,
    check_path_parameters,
)
from generator.validate.paging import check_paging
from generator.validate.refs import check_refs, check_unused
from generator.validate.schemas import check_discriminators, check_nullable, check_required
from generator.validate.structural import check_structure
from generator.validate.text import short
from generator.validate.url_from import check_url_from
from generator.validate.walk import build_document
from generator.validate.webhooks import check_webhooks

__all__ = ["CHECKS", "validate_file", "validate_spec"]

Check = Callable[[Document], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    check_structure,
    check_refs,
    check_discriminators,
    check_required,
    check_nullable,
    check_unknown_keywords,
    check_operation_ids,
    check_path_parameters,
    check_arguments,
    check_examples,
    check_class_names,
    check_property_names,
    check_extensions,
    check_generatable,
    check_paging,
    check_url_from,
    check_unused,
    check_webhooks,
)


def validate_file(
    path: Path | str, display_path: str | None = None, *, strict: bool = True
) -> list[Diagnostic]:
    """Load and validate the spec at ``path``; YAML problems come back as diagnostics.

    Raises UsageError (exit 2) only for a file that cannot be read at all.
    """
    try:
        spec = load_spec(path, display_path)
    except SpecError as exc:
        return list(exc.diagnostics)
    return validate_spec(spec, strict=strict)


def validate_spec(spec: Spec, *, strict: bool = True, build: bool = True) -> list[Diagnostic]:
    """Every problem in ``spec``, sorted by location; empty when it is clean.

    Without ``strict``, findings that do not change the generated code
    (``generator.codes.LENIENT``) come back as warnings. With ``build``, a
    spec no check refuses is also built as ``generate`` builds it, so that
    what the build refuses is reported here too (``load_api``, which builds
    next anyway, passes False).
    """
    found: dict[tuple[str, object, str], Diagnostic] = {}
    for finding in spec.findings:
        _add(found, finding)
    try:
        doc = build_document(spec)
    except Exception as exc:
        # Structure is still judged on the raw data; the walk's checks see nothing.
        doc = Document(spec, "3.1")
        _add(found, _internal(spec, "the document walk", exc))
    for check in CHECKS:
        try:
            for diagnostic in check(doc):
                _add(found, diagnostic)
        except Exception as exc:  # a bug in a check must not hide the others' findings
            _add(found, _internal(spec, check.__name__, exc))
    if build and not any(_severity(d, strict).severity == "error" for d in found.values()):
        try:
            for diagnostic in check_buildable(spec):
                _add(found, diagnostic)
        except Exception as exc:
            _add(found, _internal(spec, "the build", exc))
    return sorted((_severity(d, strict) for d in found.values()), key=Diagnostic.sort_key)


def _severity(diagnostic: Diagnostic, strict: bool) -> Diagnostic:
    if strict or diagnostic.code not in LENIENT or diagnostic.severity == "warning":
        return diagnostic
    return replace(diagnostic, severity="warning")


def _internal(spec: Spec, where: str, exc: Exception) -> Diagnostic:
    return Diagnostic(
        "E299", short(f"internal error in {where}: {type(exc).__name__}: {exc}"), spec.at(),
        hint="the other checks ran; please report this with the spec",
    )


def _add(found: dict[tuple[str, object, str], Diagnostic], diagnostic: Diagnostic) -> None:
    # One problem reached two ways (a variant shared by two unions, say) is
    # reported once, with every place it involves.
    key = (diagnostic.code, diagnostic.location, diagnostic.message)
    if key not in found:
        found[key] = diagnostic
        return
    old = found[key]
    related = old.related + tuple(r for r in diagnostic.related if r not in old.related)
    if related != old.related:
        found[key] = Diagnostic(old.code, old.message, old.location, old.severity, old.hint,
                                tuple(sorted(related)))
