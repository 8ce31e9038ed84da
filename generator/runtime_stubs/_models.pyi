"""Stubs of ``_models``: the base of every response model, without pydantic.

At run time a response model is a pydantic model that keeps unknown fields;
here it is a plain class with annotated attributes and the methods the client
documents, so code can be checked without pydantic installed.
"""

from typing import Any, Literal, Mapping

from typing_extensions import Self, dataclass_transform

__all__ = ["BaseModel", "UnknownVariant"]

@dataclass_transform(kw_only_default=True)
class BaseModel:
    """The base of every response model."""

    @property
    def model_extra(self) -> dict[str, Any] | None: ...
    @property
    def model_fields_set(self) -> set[str]: ...
    _request_id: str | None
    """The request id of the response this object is the top level of."""

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
        """The model as a dict, with wire names and unknown fields."""

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str: ...
    def model_dump(
        self,
        *,
        mode: Literal["json", "python"] | str = "python",
        include: Any = None,
        exclude: Any = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
    ) -> dict[str, Any]: ...
    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: Any = None,
        exclude: Any = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
    ) -> str: ...
    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Self: ...
    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
    ) -> Self: ...
    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        context: Any | None = None,
    ) -> Self: ...
    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self: ...

class UnknownVariant(BaseModel):
    """A union member whose tag this client does not know (from a newer server)."""
