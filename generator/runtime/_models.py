"""Response models that tolerate what a newer server sends.

The API grows faster than users regenerate their client, so a response is
parsed leniently in three ways, none of which the static types need to know
about:

- unknown fields are kept (``extra="allow"``) and readable as attributes;
- an enum annotated with ``OpenEnum`` also accepts values it does not list;
- a union annotated with ``Discriminated`` dispatches on its tag without trial
  parsing, and a tag it does not know parses into the union's fallback model
  instead of failing.

Type checkers see ``Annotated[Literal[...], OpenEnum()]`` as the plain
``Literal`` and ``Annotated[A | B, Discriminated(...)]`` as ``A | B``, so code
that narrows on ``block.type == "text"`` keeps working. A value the client did
not know about is still visible at run time (``isinstance(block,
UnknownContentBlock)``, or a ``str`` outside the ``Literal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import pydantic
from pydantic import ConfigDict, GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = ["BaseModel", "Discriminated", "OpenEnum", "UnknownVariant"]


class BaseModel(pydantic.BaseModel):
    """The base of every response model."""

    # defer_build: a model is built on first use, so importing the package stays cheap.
    model_config = ConfigDict(
        extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True
    )

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-compatible data, with wire names and unknown fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent, by_alias=True, exclude_unset=True)


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
        unknown = _UNKNOWN
        choices[unknown] = handler.generate_schema(self.fallback)
        return core_schema.tagged_union_schema(
            choices, discriminator=_tag_reader(self.tag, frozenset(self.variants), unknown)
        )


_UNKNOWN = "\x00unknown"


def _tag_reader(tag: str, known: frozenset[str], unknown: str) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if isinstance(value, Mapping):
            found = value.get(tag)
        else:
            found = getattr(value, tag, None)
        if found in known:
            return found
        # Not an object at all: let the fallback model report the real problem.
        return unknown

    return read


class UnknownVariant(BaseModel):
    """A union member whose tag this client does not know (from a newer server).

    Every field it was sent is kept and readable as an attribute (``.type``
    included), so the data survives until the client is regenerated.
    """
