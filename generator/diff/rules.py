"""The rule table: every kind of change the diff reports, and how much it matters.

A change has two impacts that are judged apart:

* on the **wire**, which depends on the direction the changed schema travels.
  A tighter bound breaks a request (a value the server took is now refused) but
  not a response (every value sent still fits the old bound). A schema that is
  used both ways takes the worse of its two judgements;
* on the **generated Python surface**, which can break with no wire change at
  all: renaming an operationId renames the method ``client.messages.create``.

The suggested version bump follows from both: major if either breaks, patch if
only documentation changed, minor for everything else.

Rule ids are stable: scripts filter on them. Add rules; never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

__all__ = [
    "BUMPS",
    "Bump",
    "Direction",
    "Impact",
    "RULES",
    "Rule",
    "SECTIONS",
    "Section",
    "Verdict",
    "judge",
]

Impact = Literal["breaking", "compatible", "docs"]
Bump = Literal["major", "minor", "patch"]
Direction = Literal["request", "response"]
Section = Literal["breaking", "new", "changed", "docs"]

# Most severe first; reports and --fail-on rely on this order.
BUMPS: tuple[Bump, ...] = ("major", "minor", "patch")
SECTIONS: tuple[Section, ...] = ("breaking", "new", "changed", "docs")
_SEVERITY = {"docs": 0, "compatible": 1, "breaking": 2}

# Reasons shared by several rules.
_FORWARD_ENUM = "generated response models accept enum values they do not know yet"
_FORWARD_UNION = "generated response models accept union members they do not know yet (as an unknown variant)"
_STILL_VALID = "every request that was valid before is still valid"
_SERVER_SENDS_LESS = "the server only stops sending something; what it sends still parses"
_NO_WIRE = "the JSON on the wire is unchanged"
# Inline classes named after the operationId (`CreateThingParamsOptions`) are python.class-renamed's.
_ID_ONLY = "x-resource/x-method name the method; a class named after the operationId is reported on its own"


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    request: Impact  # when the changed schema is sent by the client
    response: Impact  # when it is received by the client
    python_breaking: bool = False  # breaks code written against the generated package
    addition: bool = False  # something new (the "New" section of a changelog)
    why_request: str | None = None
    why_response: str | None = None


@dataclass(frozen=True)
class Verdict:
    impact: Impact
    bump: Bump
    section: Section
    reason: str | None


_TABLE = (
    # -- operations ----------------------------------------------------------------
    Rule("operation.removed", "an operation was removed", "breaking", "breaking"),
    Rule("operation.added", "a new operation", "compatible", "compatible", addition=True),
    Rule(
        "operation.method-renamed", "the Python method of an operation has a new name (operationId, x-resource or x-method)",
        "compatible", "compatible", python_breaking=True,
        why_request="the HTTP request is unchanged; only the Python name moves",
        why_response="the HTTP request is unchanged; only the Python name moves",
    ),
    Rule(
        "operation.id-changed", "the operationId changed but the Python method name did not",
        "docs", "docs", why_request=_ID_ONLY, why_response=_ID_ONLY,
    ),
    Rule("operation.method-added", "an operation gained an x-variants method", "compatible", "compatible", addition=True),
    Rule(
        "operation.method-removed", "an operation lost an x-variants method (or its x-streaming helper)", "compatible", "compatible",
        python_breaking=True, why_request="the HTTP operation remains; its Python method does not",
        why_response="the HTTP operation remains; its Python method does not",
    ),
    Rule(
        "operation.variant-types-changed",
        "an x-variants method now has request or reply types of its own (or lost them)",
        "compatible", "compatible", python_breaking=True,
        why_request="the HTTP request is unchanged; code that names the old classes must name the new ones",
        why_response="the HTTP reply is unchanged; code that names the old classes (annotations, isinstance) must name the new ones",
    ),
    # -- parameters ----------------------------------------------------------------
    Rule(
        "operation.variant-headers-changed",
        "an x-variants method always sends other header values (its entry's `headers`)",
        "compatible", "compatible", python_breaking=False,
        why_request="the method takes the same arguments; only the fixed header values it adds change",
        why_response="the method returns the same type",
    ),
    Rule(
        "pagination.added", "a list operation became paginated (x-pagination)", "compatible", "compatible",
        python_breaking=True,
    ),
    Rule(
        "pagination.removed", "a list operation is no longer paginated (x-pagination)", "compatible", "compatible",
        python_breaking=True,
    ),
    Rule(
        "pagination.changed",
        "the page shape changed: the items, has-more or cursor fields, or the cursor parameters",
        "breaking", "breaking",
    ),
    Rule(
        "download.url-from-changed",
        "a download now follows a URL another reply gives (x-url-from), or no longer does, or follows another",
        "compatible", "compatible", python_breaking=False,
        why_request="the method takes the same arguments; it makes one more request (or one fewer) first",
        why_response="the method returns the same type",
    ),
    Rule(
        "pagination.item-changed",
        "a list method's pages hold another item type (`SyncCursorPage[Job]` -> `SyncCursorPage[Task]`)",
        "breaking", "breaking",
    ),
    Rule("parameter.removed", "a parameter was removed", "breaking", "breaking"),
    Rule("parameter.added", "a new optional parameter", "compatible", "compatible", addition=True),
    Rule("parameter.added-required", "a new required parameter", "breaking", "breaking"),
    Rule("parameter.became-required", "an optional parameter became required", "breaking", "breaking"),
    Rule(
        "parameter.became-optional", "a required parameter became optional", "compatible", "compatible",
        why_request=_STILL_VALID,
    ),
    # -- request and response bodies -------------------------------------------------
    Rule("body.added", "an operation now takes a request body", "compatible", "compatible", addition=True),
    Rule("body.added-required", "an operation now requires a request body", "breaking", "breaking"),
    Rule("body.removed", "an operation no longer takes a request body", "breaking", "breaking"),
    Rule("body.became-required", "the request body became required", "breaking", "breaking"),
    Rule("body.became-optional", "the request body became optional", "compatible", "compatible", why_request=_STILL_VALID),
    Rule("media-type.added", "a new media type for a body", "compatible", "compatible", addition=True),
    Rule("media-type.removed", "a media type of a body was removed", "breaking", "breaking"),
    Rule(
        "response.status-added", "a new response status", "compatible", "compatible", addition=True,
        why_response="unknown statuses already reach the caller (as APIStatusError or the response); this one now has a name",
    ),
    Rule("response.success-removed", "a success status was removed", "breaking", "breaking"),
    Rule(
        "response.error-removed", "an error status was removed", "compatible", "compatible",
        why_response="the server stops sending an error; the generated exception class may go away",
    ),
    # -- fields of objects ------------------------------------------------------------
    Rule("field.removed", "a field was removed", "breaking", "breaking"),
    Rule(
        "field.added", "a new optional field (or any new field in a response)", "compatible", "compatible",
        addition=True, why_response="clients that do not know the field yet ignore it",
    ),
    Rule(
        "field.added-required", "a new required field", "breaking", "compatible", addition=True,
        why_response="a new field the server always sends; old clients ignore it",
    ),
    Rule("field.became-required", "an optional field became required", "breaking", "compatible",
         why_response="the server now always sends it"),
    Rule("field.became-optional", "a required field became optional", "compatible", "breaking",
         why_request=_STILL_VALID),
    Rule("field.renamed", "a field was renamed (same schema removed and added in one object)", "breaking", "breaking",
         python_breaking=True),
    Rule("python.renamed", "the Python name of a parameter or field changed (x-python-name)", "compatible",
         "compatible", python_breaking=True, why_request=_NO_WIRE, why_response=_NO_WIRE),
    Rule(
        "python.name-changed",
        "the generator spells a model attribute, a method argument or a streaming helper differently while "
        "the JSON stays "
        "(`date` -> `date_` once the model uses the type `date`; `limit` -> `body_limit` once a parameter "
        "is called `limit`)",
        "compatible", "compatible", python_breaking=True, why_request=_NO_WIRE, why_response=_NO_WIRE,
    ),
    Rule(
        "python.class-renamed",
        "a generated class has a new name while its schema stays (an inline object named after a changed "
        "operationId, tag or position; a numbered duplicate; `XParams` -> `XParamsModel`; the exception "
        "class of a status, from `x-exception`)",
        "compatible", "compatible", python_breaking=True, why_request=_NO_WIRE, why_response=_NO_WIRE,
    ),
    Rule(
        "python.class-removed",
        "a schema is still there but one of its generated classes is not (no request uses it any more, so "
        "its TypedDict `XParam` goes)",
        "compatible", "compatible", python_breaking=True,
        why_request="by itself nothing on the wire changes; the change of use is reported where it was made",
        why_response="by itself nothing on the wire changes; the change of use is reported where it was made",
    ),
    # -- schemas ---------------------------------------------------------------------
    Rule("schema.became-nullable", "a schema now allows null", "compatible", "breaking", why_request=_STILL_VALID),
    Rule("schema.not-nullable", "a schema no longer allows null", "breaking", "compatible",
         why_response=_SERVER_SENDS_LESS),
    Rule("schema.type-changed", "the type of a schema changed", "breaking", "breaking"),
    Rule("schema.type-widened", "a schema accepts more types of value than before", "compatible", "breaking",
         why_request=_STILL_VALID),
    Rule("schema.type-narrowed", "a schema accepts fewer types of value than before", "breaking", "compatible",
         why_response=_SERVER_SENDS_LESS),
    Rule("schema.ref-changed", "a use of one component now refers to a structurally identical other component",
         "compatible", "compatible", why_request=_NO_WIRE, why_response=_NO_WIRE),
    Rule("schema.format-changed", "the format of a string or number changed", "breaking", "breaking"),
    Rule("schema.format-added", "a string or number gained a format (`uri`, `date-time`, ...)",
         "breaking", "compatible",
         why_response="the server promises more than before; clients that read any value still read these"),
    Rule("schema.format-removed", "a string or number lost its format", "compatible", "breaking",
         why_request="the server accepts more than before"),
    Rule("schema.const-changed", "a constant value changed", "breaking", "breaking"),
    Rule("schema.default-changed", "a default value changed", "compatible", "docs",
         why_request="callers that omit the value get a different behaviour"),
    Rule("schema.deprecated", "something was marked deprecated", "compatible", "compatible"),
    Rule("schema.undeprecated", "something is no longer deprecated", "docs", "docs"),
    Rule("enum.value-removed", "an enum value was removed", "breaking", "compatible", why_response=_SERVER_SENDS_LESS),
    Rule("enum.value-added", "a new enum value", "compatible", "compatible", addition=True, why_response=_FORWARD_ENUM),
    Rule("bounds.tightened", "a bound (minimum, maxLength, pattern, ...) became stricter", "breaking", "compatible",
         why_response="every value the server sends still fits the old bound"),
    Rule("bounds.relaxed", "a bound became looser", "compatible", "compatible", why_request=_STILL_VALID,
         why_response="generated response models do not enforce bounds"),
    Rule("union.member-removed", "a member of a union was removed", "breaking", "compatible",
         why_response=_SERVER_SENDS_LESS),
    Rule("union.member-added", "a new member of a union", "compatible", "compatible", addition=True,
         why_response=_FORWARD_UNION),
    Rule("union.discriminator-changed", "the discriminator property of a union changed", "breaking", "breaking"),
    # -- components --------------------------------------------------------------------
    Rule("component.added", "a new named schema", "compatible", "compatible", addition=True),
    Rule("component.removed", "a named schema was removed", "compatible", "compatible", python_breaking=True,
         why_request="by itself nothing on the wire changes; where it was used is reported separately",
         why_response="by itself nothing on the wire changes; where it was used is reported separately"),
    Rule("component.renamed", "a named schema was renamed (same structure under a new name)", "compatible",
         "compatible", python_breaking=True, why_request=_NO_WIRE, why_response=_NO_WIRE),
    # -- documentation -----------------------------------------------------------------
    Rule("docs.changed", "a description or summary changed", "docs", "docs"),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _TABLE}


def judge(rule_id: str, directions: Iterable[Direction], python_breaking: bool | None = None) -> Verdict:
    """The impact of a change under ``rule_id`` to a schema travelling in ``directions``.

    No direction (a schema no operation reaches) is judged as both: it is still
    part of the generated package. ``python_breaking`` overrides the table for
    the rare change whose Python surface the table cannot know (a rename that
    keeps the class name, say).
    """
    rule = RULES[rule_id]
    sides = sorted(set(directions)) or ["request", "response"]
    options = [
        (rule.request, rule.why_request) if side == "request" else (rule.response, rule.why_response)
        for side in sides
    ]
    impact = max((option[0] for option in options), key=_SEVERITY.__getitem__)
    reasons = [why for level, why in options if level == impact and why]
    reason = reasons[0] if reasons and impact != "breaking" else None
    breaks_python = rule.python_breaking if python_breaking is None else python_breaking
    if impact == "breaking" or breaks_python:
        bump: Bump = "major"
        section: Section = "breaking"
    elif impact == "docs":
        bump, section = "patch", "docs"
    else:
        bump, section = "minor", "new" if rule.addition else "changed"
    return Verdict(impact, bump, section, reason)
