"""The name conversions every generated identifier goes through."""

from __future__ import annotations

import doctest
import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import naming
from generator.naming import (
    attribute_name,
    class_name,
    is_valid_identifier,
    safe_identifier,
    snake_case,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("camelCase", "camel_case"),
        ("PascalCase", "pascal_case"),
        ("kebab-case", "kebab_case"),
        ("with spaces", "with_spaces"),
        ("dotted.name", "dotted_name"),
        ("HTTPResponse", "http_response"),
        ("anthropic-beta", "anthropic_beta"),
        ("x-api-key", "x_api_key"),
        ("ToolUseBlockParam", "tool_use_block_param"),
        ("userIDs", "user_ids"),
        ("base64Data", "base64_data"),
        ("already_snake", "already_snake"),
        ("2fa", "n_2fa"),
        ("1024x1024", "n_1024x1024"),
        ("__dunder__", "dunder"),
        ("-", "unnamed"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ToolUseBlockParam", "ToolUseBlockParam"),
        ("RawMessageStreamEvent", "RawMessageStreamEvent"),
        ("HTTPResponse", "HTTPResponse"),
        ("message_stop", "MessageStop"),
        ("Foo_Bar", "FooBar"),
        ("anthropic-beta", "AnthropicBeta"),
        ("camelCase", "CamelCase"),
        ("3ds", "N3ds"),
        ("none", "None_"),
    ],
)
def test_class_name(name: str, expected: str) -> None:
    assert class_name(name) == expected


def test_collisions_are_what_the_validator_reports() -> None:
    assert class_name("Foo_Bar") == class_name("FooBar")
    assert attribute_name("user-id") == attribute_name("user_id")
    assert attribute_name("class") == attribute_name("class_") == "class_"


def test_only_hard_keywords_are_escaped() -> None:
    assert safe_identifier("class") == "class_"
    assert safe_identifier("None") == "None_"
    for soft in ("type", "match", "case", "id", "input"):
        assert safe_identifier(soft) == soft


def test_is_valid_identifier() -> None:
    assert is_valid_identifier("betas")
    assert not is_valid_identifier("anthropic-beta")
    assert not is_valid_identifier("class")
    assert not is_valid_identifier("")
    assert not is_valid_identifier(3)


def test_docstring_examples() -> None:
    result = doctest.testmod(naming)
    assert result.attempted > 10
    assert result.failed == 0


_names = st.text(
    alphabet=st.sampled_from("abcXYZ019_-. ÄéIDsHTTP"), max_size=20
) | st.sampled_from(keyword.kwlist)


@given(_names)
def test_conversions_give_identifiers_and_are_idempotent(name: str) -> None:
    snake = snake_case(name)
    assert snake.isidentifier()
    assert snake_case(snake) == snake
    attr = attribute_name(name)
    assert is_valid_identifier(attr)
    assert attribute_name(attr) == attr
    cls = class_name(name)
    assert is_valid_identifier(cls)
    assert class_name(cls) == cls
