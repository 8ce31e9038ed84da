"""`messages-codegen diff`: what changed between two versions of a spec, for users of the client.

The pipeline is the generator's in miniature::

    load (file or git:REV) --normalize--> Model --compare--> [Change] --report--> text | markdown | json

``normalize`` resolves references, merges ``allOf`` and unifies nullability;
``compare`` matches operations, components and union members by identity
(never by position) and judges each difference with the table in ``rules``;
``surface`` builds each side into the generator's IR and compares the Python
names it gives (attributes, arguments, classes, exceptions) where the JSON
stayed; ``report`` renders. Only the CLI prints.
"""

from __future__ import annotations

from generator.diagnostics import SpecError
from generator.diff.changes import FAIL_ON, Change, DiffReport, FailOn
from generator.diff.compare import compare_models
from generator.diff.normalize import normalize
from generator.diff.report import FORMATS, render, to_json
from generator.diff.rules import RULES, Rule
from generator.diff.sources import load_side
from generator.loader import Spec
from generator.validate.refs import check_refs
from generator.validate.walk import build_document

__all__ = [
    "Change",
    "DiffReport",
    "FAIL_ON",
    "FORMATS",
    "FailOn",
    "RULES",
    "Rule",
    "diff_specs",
    "load_side",
    "render",
    "to_json",
]


def diff_specs(old: Spec, new: Spec) -> DiffReport:
    """Every change from ``old`` to ``new``, judged, located, and in report order."""
    _refuse_dangling_refs(old, new)
    changes = compare_models(old, normalize(old), new, normalize(new))
    return DiffReport(old.path, new.path, tuple(sorted(changes, key=lambda c: c.sort_key())))


def _refuse_dangling_refs(*sides: Spec) -> None:
    """A ``$ref`` that names nothing would compare as "any value" and report a change that
    is only a typo (E200, or a loop of refs, E225): say so, located, instead of judging it.
    The other checks of ``validate`` stay out: an old revision may fall short of today's
    rules and still be worth comparing."""
    found = [d for spec in sides for d in check_refs(build_document(spec))
             if d.code in ("E200", "E225")]
    if found:
        raise SpecError(found)
