"""``Discriminated`` unions parsed twice over: the plain-tag fast path and the lenient fallback.

``_response.validator`` parses with every tag read by pydantic-core alone and,
only when that fails, with the lenient schema (unknown tags into
``UnknownVariant``). These tests hold the promise that makes it safe: the
result, or the error, is always the one the lenient schema alone gives.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Union

import httpx
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime._errors import APIResponseValidationError
from generator.runtime._models import (
    BaseModel,
    Discriminated,
    UnknownVariant,
    _TagReader,
    plain_tag_schema,
)
from generator.runtime._response import describe_validation_error, header, parse_body, validator


class Text(BaseModel):
    type: Literal["text"]
    text: str


class Image(BaseModel):
    type: Literal["image"]
    url: str


Block = Annotated[
    Union[Text, Image], Discriminated("type", {"text": Text, "image": Image}, UnknownVariant)
]


class Delta(BaseModel):
    type: Literal["delta"]
    block: Block


class Page(BaseModel):
    type: Literal["page"]
    blocks: list[Block]


Event = Annotated[
    Union[Delta, Page], Discriminated("type", {"delta": Delta, "page": Page}, UnknownVariant)
]


# The same shapes again, every class built before any validator of them is, as
# a generated package's classes are by the time a response arrives. pydantic-core
# would then reuse each class's own (lenient) validator inside the fast one.
class BuiltText(BaseModel):
    type: Literal["text"]
    text: str


class BuiltImage(BaseModel):
    type: Literal["image"]
    url: str


BuiltBlock = Annotated[
    Union[BuiltText, BuiltImage],
    Discriminated("type", {"text": BuiltText, "image": BuiltImage}, UnknownVariant),
]


class BuiltDelta(BaseModel):
    type: Literal["delta"]
    block: BuiltBlock


class BuiltPage(BaseModel):
    type: Literal["page"]
    blocks: list[BuiltBlock]


BuiltEvent = Annotated[
    Union[BuiltDelta, BuiltPage],
    Discriminated("type", {"delta": BuiltDelta, "page": BuiltPage}, UnknownVariant),
]
BUILT = (BuiltText, BuiltImage, BuiltDelta, BuiltPage, UnknownVariant)
for _built in BUILT:
    _built.model_rebuild()

RESPONSE = httpx.Response(200, request=httpx.Request("POST", "https://api.test/v1/x"))


def lenient(tp: object) -> pydantic.TypeAdapter[Any]:
    """The lenient schema alone: what every response was parsed with before the fast path."""
    return pydantic.TypeAdapter(tp)


def shape(value: object) -> object:
    """Classes and data of a parsed value, so two results compare as wholes."""
    if isinstance(value, pydantic.BaseModel):
        fields = {name: shape(getattr(value, name)) for name in value.model_fields_set}
        return (type(value).__name__, fields, value.model_extra)
    if isinstance(value, list):
        return [shape(item) for item in value]
    return value


def outcome(parse: Any, data: str) -> object:
    try:
        return ("ok", shape(parse(data)))
    except pydantic.ValidationError as exc:
        return ("error", exc.errors(include_url=False))


def test_known_tags_parse_in_pydantic_core_alone() -> None:
    parser = validator(Event)
    assert parser.lenient is not None  # the type has a union that needs it
    data = json.dumps(
        {"type": "page", "blocks": [{"type": "text", "text": "a"}, {"type": "image", "url": "u"}]}
    )
    page = parser.fast.validate_json(data)  # no Python call-back decides any tag
    assert type(page) is Page and [type(b) for b in page.blocks] == [Text, Image]
    assert shape(parser.validate_json(data)) == shape(lenient(Event).validate_json(data))


@pytest.mark.parametrize(
    "data",
    [
        {"type": "annotation", "note": "new"},
        {"type": "delta", "block": {"type": "video", "url": "v"}},
        {"type": "page", "blocks": [{"type": "text", "text": "a"}, {"type": "audio"}]},
    ],
    ids=["event", "nested-block", "block-in-a-list"],
)
def test_unknown_tags_become_unknown_variants_at_any_depth(data: dict[str, Any]) -> None:
    text = json.dumps(data)
    parser = validator(Event)
    with pytest.raises(pydantic.ValidationError):
        parser.fast.validate_json(text)
    parsed = parser.validate_json(text)
    assert shape(parsed) == shape(lenient(Event).validate_json(text))
    assert parsed.to_dict() == data  # nothing lost on the way
    assert "UnknownVariant" in repr(shape(parsed))


@pytest.mark.parametrize(
    "block",
    [{"text": "no tag"}, {"type": 7, "text": "x"}, {"type": ["text"]}, {"type": "\x00unknown"}],
    ids=["missing", "number", "unhashable", "the-fallback-key"],
)
def test_odd_tags_are_unknown_too(block: dict[str, Any]) -> None:
    text = json.dumps({"type": "delta", "block": block})
    parsed = validator(Event).validate_json(text)
    assert isinstance(parsed, Delta) and isinstance(parsed.block, UnknownVariant)
    assert parsed.block.to_dict() == block


@pytest.mark.parametrize(
    "data",
    [
        {"type": "delta", "block": {"type": "text"}},
        {"type": "delta", "block": {"type": "image", "url": 5}},
        {"type": "page", "blocks": [{"type": "text", "text": "a"}, {"type": "text"}]},
        {"type": "delta", "block": "not an object"},
        {"type": "page"},
        ["not", "an", "object"],
    ],
    ids=["missing-field", "wrong-type", "second-in-list", "block-not-object", "no-blocks", "list"],
)
def test_a_malformed_known_member_reports_what_the_lenient_schema_reports(
    data: object,
) -> None:
    text = json.dumps(data)
    with pytest.raises(pydantic.ValidationError) as fast_path:
        validator(Event).validate_json(text)
    with pytest.raises(pydantic.ValidationError) as alone:
        lenient(Event).validate_json(text)
    assert fast_path.value.errors() == alone.value.errors()
    with pytest.raises(APIResponseValidationError) as caught:
        parse_body(text.encode(), Event, RESPONSE)
    assert str(caught.value) == describe_validation_error(alone.value, Event)
    assert caught.value.body == data


def test_a_model_class_is_parsed_the_same_way() -> None:
    parser = validator(Page)
    assert parser.lenient is Page.__pydantic_validator__  # what model_validate_json uses
    data = {"type": "page", "blocks": [{"type": "gif", "id": 1}, {"type": "text", "text": "t"}]}
    page = parse_body(json.dumps(data).encode(), Page, RESPONSE)
    assert shape(page) == shape(Page.model_validate(data))
    assert isinstance(page.blocks[0], UnknownVariant) and isinstance(page.blocks[1], Text)
    # Python objects (models included) go through the same two steps.
    again = parser.validate_python({"type": "page", "blocks": [*page.blocks, {"type": "?"}]})
    assert [type(b) for b in again.blocks] == [UnknownVariant, Text, UnknownVariant]


def test_a_type_without_such_a_union_has_one_schema() -> None:
    Strict = Annotated[Union[Text, Image], pydantic.Field(discriminator="type")]
    assert plain_tag_schema(pydantic.TypeAdapter(Strict).core_schema) is None
    parser = validator(Strict)
    assert parser.lenient is None
    assert type(parser.validate_json('{"type": "image", "url": "u"}')) is Image
    with pytest.raises(pydantic.ValidationError):
        parser.validate_json('{"type": "video"}')  # no fallback was asked for
    assert validator(Strict) is parser  # cached


def test_models_built_first_read_their_tags_in_pydantic_core_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert all(cls.__dict__.get("__pydantic_complete__") is True for cls in BUILT)
    parser = validator(BuiltEvent)
    assert all(cls.__dict__.get("__pydantic_complete__") is True for cls in BUILT)  # restored
    assert validator(BuiltPage).fast is not BuiltPage.__pydantic_validator__
    calls: list[object] = []
    reader = _TagReader.__call__

    def counted(self: _TagReader, value: object) -> str:
        calls.append(value)
        return reader(self, value)

    monkeypatch.setattr(_TagReader, "__call__", counted)
    page = {
        "type": "page",
        "blocks": [{"type": "text", "text": "a"}, {"type": "image", "url": "u"}],
    }
    for fast in (parser.fast, validator(BuiltPage).fast):
        parsed = fast.validate_json(json.dumps(page))
        assert [type(b) for b in parsed.blocks] == [BuiltText, BuiltImage]
    assert calls == []  # no tag was read by a Python call-back
    unknown = json.dumps({"type": "delta", "block": {"type": "video", "url": "v"}})
    with pytest.raises(pydantic.ValidationError):
        parser.fast.validate_json(unknown)  # plain inside BuiltDelta, not only at the top
    assert isinstance(parser.validate_json(unknown).block, UnknownVariant)
    assert calls  # the lenient schema still reads tags leniently


def test_plain_tag_schema_changes_only_the_discriminators() -> None:
    schema = lenient(Event).core_schema
    plain = plain_tag_schema(schema)
    assert plain is not None

    def tags(node: object) -> list[object]:
        if isinstance(node, list):
            return [t for item in node for t in tags(item)]
        if not isinstance(node, dict):
            return []
        own = [node["discriminator"]] if node.get("type") == "tagged-union" else []
        return own + [t for value in node.values() for t in tags(value)]

    before, after = tags(schema), tags(plain)
    assert len(after) == len(before) >= 2 and set(after) == {"type"}
    assert all(callable(t) for t in before)  # the original is left as it was


# Mostly known tags and fitting fields, so that the fast path succeeds often.
_tag = st.sampled_from(["text", "image", "delta", "page"] * 3 + ["video", "", None, 3])
_scalar = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.booleans())
_string = st.one_of(st.text(max_size=3), st.text(max_size=3), _scalar)


def _object(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    fields = st.fixed_dictionaries(
        {},
        optional={
            "text": _string,
            "url": _string,
            "block": children,
            "blocks": st.lists(children, max_size=3),
            "extra": _scalar,
        },
    )
    return st.builds(lambda tag, rest: rest if tag is None else {"type": tag, **rest}, _tag, fields)


_anything = st.recursive(_scalar, lambda children: _object(children), max_leaves=8)
_block = st.one_of(
    st.builds(lambda text: {"type": "text", "text": text}, st.text(max_size=3)),
    st.builds(lambda url: {"type": "image", "url": url}, st.text(max_size=3)),
    _object(_scalar),
)
_well_formed = st.one_of(
    st.builds(lambda block: {"type": "delta", "block": block}, _block),
    st.builds(lambda blocks: {"type": "page", "blocks": blocks}, st.lists(_block, max_size=4)),
)
_documents = st.one_of(_anything, _well_formed)


@settings(max_examples=400, deadline=None)
@given(_documents)
def test_fast_then_lenient_is_always_the_lenient_outcome(document: object) -> None:
    text = json.dumps(document)
    assert outcome(validator(Event).validate_json, text) == outcome(
        lenient(Event).validate_json, text
    )
    assert outcome(validator(Event).validate_python, document) == outcome(
        lenient(Event).validate_python, document
    )


@settings(max_examples=200, deadline=None)
@given(_documents)
def test_fast_then_lenient_is_the_lenient_outcome_for_models_built_first(
    document: object,
) -> None:
    text = json.dumps(document)
    assert outcome(validator(BuiltEvent).validate_json, text) == outcome(
        lenient(BuiltEvent).validate_json, text
    )
    assert outcome(validator(BuiltEvent).validate_python, document) == outcome(
        lenient(BuiltEvent).validate_python, document
    )


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [("Request-Id", "req_1")],
        [("date", "today"), ("request-id", "req_2"), ("server", "x")],
        [("request-id", "a"), ("other", "b"), ("REQUEST-ID", "c")],
        [("request-id", "req_\u00e9".encode())],
        [("request-id", b"req_\xe9")],
    ],
    ids=["absent", "mixed-case", "among-others", "repeated", "utf-8", "latin-1"],
)
def test_header_reads_what_headers_get_reads(headers: list[tuple[str, Any]]) -> None:
    made = httpx.Headers(headers)
    for name in ("request-id", "Request-ID", "server", "missing"):
        assert header(made, name) == made.get(name)
    response = httpx.Response(200, headers=headers, json={"type": "page", "blocks": []})
    parsed = parse_body(response.content, Page, response)
    assert parsed._request_id == response.headers.get("request-id")


def test_header_falls_back_to_get_on_headers_kept_otherwise() -> None:
    class Kept(dict[str, str]):  # no ``_list``, as a later httpx might keep them
        pass

    assert header(Kept({"request-id": "r"}), "request-id") == "r"  # type: ignore[arg-type]
    assert header(Kept(), "request-id") is None  # type: ignore[arg-type]
