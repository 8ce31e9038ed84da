"""Response models that tolerate what a newer server sends.

The API grows faster than users regenerate their client, so a response is
parsed leniently in three ways, none of which the static types need to know
about:

- unknown fields are kept (``extra="allow"``) and readable as attributes;
- an enum annotated with ``OpenEnum`` also accepts values it does not list;
- a date-time annotated with ``LenientDateTime`` parses ISO 8601 / RFC 3339
  (with ``Z``, ``+00:00`` or ``+0000``), then a few spellings servers and
  proxies use (``+00``, an RFC 2822 date), and otherwise keeps the text as it
  came; a calendar date annotated with ``LenientDate`` parses ``2025-03-01``,
  takes the date a full date-time spells, and otherwise keeps the text too;
- a union annotated with ``Discriminated`` dispatches on its tag without trial
  parsing, and a tag it does not know parses into the union's fallback model
  instead of failing.

Telling an unknown tag from a known one takes a Python call-back at every union
level, for which pydantic-core first turns the object into Python: for a stream
event that costs about three times validating it. So the client
(``_response.validator``) parses a response twice only when it must: first with
``plain_tag_validator`` (every tag read by pydantic-core alone, where an unknown
tag is an error), and only if that fails with the lenient schema, the models'
own. The two send every known tag to the same member, so whenever the first
succeeds its result is the one the second would give, and every failure is
reported by the lenient schema.

Type checkers see ``Annotated[Literal[...], OpenEnum()]`` as the plain
``Literal`` and ``Annotated[A | B, Discriminated(...)]`` as ``A | B``, so code
that narrows on ``block.type == "text"`` keeps working. A value the client did
not know about is still visible at run time (``isinstance(block,
UnknownContentBlock)``, or a ``str`` outside the ``Literal``).
"""

from __future__ import annotations

import email.utils
import functools
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Mapping

import pydantic
import pydantic_core
from pydantic import ConfigDict, GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = [
    "BaseModel",
    "Discriminated",
    "LenientDate",
    "LenientDateTime",
    "OpenEnum",
    "UnknownVariant",
    "plain_tag_schema",
    "plain_tag_validator",
]


class BaseModel(pydantic.BaseModel):
    """The base of every response model."""

    # defer_build: a model is built on first use, so importing the package stays cheap.
    model_config = ConfigDict(
        extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True
    )

    if TYPE_CHECKING:
        # Set on the top-level object of a response (``message._request_id``),
        # never on the objects inside it; the name is the official SDK's.
        _request_id: str | None

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, Any]:
        """The model as a dict, with wire names and unknown fields.

        ``exclude_unset`` (the default) keeps only what the server sent;
        ``mode="json"`` makes every value JSON-compatible.
        """
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """The model as JSON text, with the same choices as ``to_dict``."""
        return self.model_dump_json(
            indent=indent,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    def __str__(self) -> str:
        # ``Message(id='msg_01', ...)``, as the official SDK prints it; pydantic's
        # own ``str`` leaves out the class name.
        fields = ", ".join(
            repr(value) if name is None else f"{name}={value!r}"
            for name, value in self.__repr_args__()
        )
        return f"{type(self).__name__}({fields})"


@dataclass(frozen=True)
class OpenEnum:
    """Marks a ``Literal`` whose list of values the server may extend."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Left to right: a listed value stays the listed value; any other string
        # is kept as-is instead of failing the whole response.
        return core_schema.union_schema(
            [handler(source), core_schema.str_schema()], mode="left_to_right"
        )


class LenientDateTime:
    """Marks a ``datetime`` of a response: parsed when it can be, kept as text when not.

    A reply must not fail because a server spelled a date unusually, so the
    odd spellings are tried in Python (only once pydantic-core's own ISO 8601
    parser has refused the value) and anything else stays the ``str`` it was.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.union_schema(
            [
                handler(source),
                core_schema.no_info_plain_validator_function(_odd_datetime),
                core_schema.str_schema(),
            ],
            mode="left_to_right",
        )


# An ISO 8601 date-time whose offset is hours only (``+00``, ``-05``).
_HOURS_OFFSET = re.compile(r"^(.*T[0-9:.]+)([+-][0-9]{2})$")


def _odd_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a date-time")
    text = value.strip()
    short = _HOURS_OFFSET.match(text)
    if short:
        return datetime.fromisoformat(f"{short.group(1)}{short.group(2)}:00")
    try:
        return email.utils.parsedate_to_datetime(text)  # "Fri, 18 Oct 2024 18:20:01 GMT"
    except (TypeError, ValueError, IndexError):
        raise ValueError("not a date-time") from None


class LenientDate:
    """Marks a ``date`` of a response: parsed when it can be, kept as text when not.

    A server that sends a full date-time where a date is documented
    (``2025-03-01T00:00:00Z``, or an RFC 2822 date) gives the calendar date it
    spells, in its own offset: converting to another zone would change the day.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.union_schema(
            [
                # ISO 8601's basic form (`20250301`) first: pydantic would read
                # the digits as seconds since 1970. The pattern is checked in
                # pydantic-core, so other dates make no Python call here.
                core_schema.chain_schema(
                    [
                        core_schema.str_schema(pattern=r"^[0-9]{8}$"),
                        core_schema.no_info_plain_validator_function(_basic_date),
                    ]
                ),
                handler(source),
                core_schema.no_info_plain_validator_function(_odd_date),
                core_schema.str_schema(),
            ],
            mode="left_to_right",
        )


def _basic_date(value: str) -> date | str:
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return value  # eight digits that are no date: kept, never read as seconds


def _odd_date(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError("not a date")
    try:
        moment: datetime = _datetime_validator().validate_python(value.strip())
        return moment.date()
    except pydantic_core.ValidationError:
        pass
    try:
        return _odd_datetime(value).date()
    except ValueError:
        raise ValueError("not a date") from None


@functools.lru_cache(maxsize=None)
def _datetime_validator() -> pydantic_core.SchemaValidator:
    # Built on first use: most replies hold no odd date.
    return pydantic_core.SchemaValidator(core_schema.datetime_schema())


# eq=False keeps instances hashable by identity: typing hashes Annotated metadata.
@dataclass(frozen=True, eq=False)
class Discriminated:
    """Marks a union dispatched on ``tag``, with ``fallback`` for unknown tags.

    ``variants`` maps each tag value to its member type. Members are looked up
    by tag, never tried one after another, so a malformed known block reports
    that block's own error.
    """

    tag: str
    variants: Mapping[str, Any]
    fallback: Any = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        choices: dict[Any, core_schema.CoreSchema] = {
            value: handler.generate_schema(member) for value, member in self.variants.items()
        }
        if self.fallback is None:
            return core_schema.tagged_union_schema(choices, discriminator=self.tag)
        choices[_UNKNOWN] = handler.generate_schema(self.fallback)
        return core_schema.tagged_union_schema(
            choices, discriminator=_TagReader(self.tag, frozenset(self.variants))
        )


# The fallback's key among the choices. No server sends it, so the plain
# reading of the tag never picks it; only ``_TagReader`` does.
_UNKNOWN = "\x00unknown"


class _TagReader:
    """The lenient discriminator: a known tag, or the fallback's key for anything else."""

    __slots__ = ("known", "tag")

    def __init__(self, tag: str, known: frozenset[str]) -> None:
        self.tag = tag
        self.known = known

    @property
    def __name__(self) -> str:  # pydantic-core names a callable discriminator by it
        return f"lenient_{self.tag}"

    def __call__(self, value: Any) -> str:
        if isinstance(value, Mapping):
            found = value.get(self.tag)
        else:
            found = getattr(value, self.tag, None)
        # A non-string tag (even an unhashable one) is unknown too; a value that
        # is not an object at all is left to the fallback model to report.
        return found if isinstance(found, str) and found in self.known else _UNKNOWN


def plain_tag_schema(schema: core_schema.CoreSchema) -> core_schema.CoreSchema | None:
    """``schema`` with each ``Discriminated`` union reading its tag in pydantic-core alone.

    An unknown tag fails there instead of reaching the fallback; see the module
    docstring for why that is worth a second schema. ``None`` when ``schema``
    has no such union (it is then as fast as it gets).
    """
    found = False

    def plain(node: Any) -> Any:
        nonlocal found
        if isinstance(node, list):
            return [plain(item) for item in node]
        if not isinstance(node, dict):
            return node
        copy = {key: plain(value) for key, value in node.items()}
        reader = copy.get("discriminator")
        if copy.get("type") == "tagged-union" and isinstance(reader, _TagReader):
            copy["discriminator"] = reader.tag
            found = True
        return copy

    result: core_schema.CoreSchema = plain(schema)
    return result if found else None


# Held while a validator is built with its models' flags lowered (below), so
# that two builds never lower and restore the same flags out of order.
BUILD_LOCK = threading.RLock()


def plain_tag_validator(
    schema: core_schema.CoreSchema,
) -> pydantic_core.SchemaValidator | None:
    """A validator of ``plain_tag_schema(schema)``, or ``None`` when that is ``None``.

    pydantic-core does not build the validator of a model it meets in a
    schema when the model's class is complete: it reuses the class's own
    (``__pydantic_validator__``), which reads tags leniently, and the plain
    copy would be plain at its top level only. So each model class of the
    copy is marked incomplete while the validator is built, and restored
    right after, under ``BUILD_LOCK``. Were a later pydantic-core to reuse
    validators some other way, the result would still be right: lenient
    parts parse known tags as the plain ones do, only more slowly.
    """
    plain = plain_tag_schema(schema)
    if plain is None:
        return None
    lowered = [
        cls for cls in _model_classes(plain) if cls.__dict__.get("__pydantic_complete__") is True
    ]
    with BUILD_LOCK:
        try:
            for cls in lowered:
                cls.__pydantic_complete__ = False
            # No config: a model's own travels inside its schema, and a
            # TypeAdapter without one (as ``_response`` makes them) has none.
            return pydantic_core.SchemaValidator(plain)
        finally:
            for cls in lowered:
                cls.__pydantic_complete__ = True


def _model_classes(schema: Any) -> list[type[Any]]:
    """The classes of every ``model`` node of ``schema``, each once, in order of appearance."""
    found: dict[type[Any], None] = {}
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "model" and isinstance(node.get("cls"), type):
                found[node["cls"]] = None
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return list(found)


class UnknownVariant(BaseModel):
    """A union member whose tag this client does not know (from a newer server).

    Every field it was sent is kept and readable as an attribute (``.type``
    included), so the data survives until the client is regenerated.
    """
