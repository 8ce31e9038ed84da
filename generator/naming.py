"""Every name that turns into Python goes through here.

The validator uses these same functions to report names that collide once
converted, so the generator can trust that two distinct spec names never become
one Python name. All functions are pure and deterministic, and each conversion
is idempotent: converting its own output changes nothing.

Words are found the way a reader finds them: separators (anything that is not a
letter or digit: ``-``, ``_``, ``.``, spaces) split words, and so does case,
with an acronym kept whole (``HTTPResponse`` is ``HTTP`` + ``Response``; ``IDs``
is one word). Digits stay with the word they follow (``base64Data`` is
``base64`` + ``Data``).
"""

from __future__ import annotations

import keyword
import re

__all__ = [
    "attribute_name",
    "class_name",
    "is_valid_identifier",
    "safe_identifier",
    "snake_case",
    "split_words",
]

# ASCII upper case drives the word splitting; any other letter (accented, CJK)
# counts as lower case, so non-ASCII names survive instead of being dropped.
_LOWER = r"[^\W_A-Z0-9]"
_WORD = re.compile(
    r"[A-Z]{2,}s(?![a-z])"  # plural acronym: IDs, URLs
    r"|[A-Z]+(?!" + _LOWER + r")[0-9]*"  # acronym, maybe with digits: HTTP, ES256
    r"|[A-Z]?" + _LOWER + r"(?:" + _LOWER + r"|[0-9])*"  # word: Tool, use, base64, v1beta
    r"|[0-9](?:" + _LOWER + r"|[0-9])*"  # number, maybe with letters: 2fa, 1024x1024
)
_NO_UNDERSCORE = re.compile(r"[^\W_]+\Z")

# Names that would otherwise start with a digit get these, short and readable.
_SNAKE_PREFIX = "n_"
_CLASS_PREFIX = "N"
# What a name with no letters or digits at all (say ``-``) becomes.
_EMPTY_SNAKE = "unnamed"
_EMPTY_CLASS = "Unnamed"


def split_words(name: str) -> list[str]:
    """The words of ``name``, with their case kept.

    >>> split_words("HTTPResponse")
    ['HTTP', 'Response']
    >>> split_words("anthropic-beta")
    ['anthropic', 'beta']
    >>> split_words("userIDs.v2")
    ['user', 'IDs', 'v2']
    """
    return _WORD.findall(name)


def snake_case(name: str) -> str:
    """``name`` as a snake_case identifier (keywords are left alone: see ``attribute_name``).

    >>> snake_case("ToolUseBlockParam")
    'tool_use_block_param'
    >>> snake_case("HTTPResponse")
    'http_response'
    >>> snake_case("anthropic-beta")
    'anthropic_beta'
    >>> snake_case("stop reason.v2")
    'stop_reason_v2'
    >>> snake_case("userIDs")
    'user_ids'
    >>> snake_case("2fa")
    'n_2fa'
    >>> snake_case("already_snake")
    'already_snake'
    """
    words = split_words(name)
    if not words:
        return _EMPTY_SNAKE
    result = "_".join(word.lower() for word in words)
    if not result.isidentifier():
        result = _SNAKE_PREFIX + result
    return result


def class_name(name: str) -> str:
    """``name`` as a PascalCase class name; a name that already is one is kept as it is.

    >>> class_name("RawMessageStreamEvent")
    'RawMessageStreamEvent'
    >>> class_name("message_stop")
    'MessageStop'
    >>> class_name("Foo_Bar")
    'FooBar'
    >>> class_name("HTTP_response")
    'HTTPResponse'
    >>> class_name("3ds")
    'N3ds'
    >>> class_name("none")
    'None_'
    """
    if _is_pascal(name):
        result = name
    else:
        words = split_words(name)
        if not words:
            return _EMPTY_CLASS
        result = "".join(word[0].upper() + word[1:] for word in words)
        if not result.isidentifier():
            result = _CLASS_PREFIX + result
    # None, True and False are the only PascalCase keywords.
    return safe_identifier(result)


def _is_pascal(name: str) -> bool:
    # Letters without case (CJK) count as capitals, so class_name stays idempotent.
    first = name[:1]
    return first.isalpha() and not first.islower() and bool(_NO_UNDERSCORE.match(name))


def safe_identifier(name: str) -> str:
    """``name`` with a trailing ``_`` if it is a hard Python keyword.

    Soft keywords (``type``, ``match``, ``case``) are valid names and stay as
    they are, and so do builtins (``id``, ``input``): a field named after one
    shadows nothing outside its class. Only keywords are changed; use
    ``snake_case`` or ``class_name`` first to make a name an identifier.

    >>> safe_identifier("class")
    'class_'
    >>> safe_identifier("type")
    'type'
    """
    return name + "_" if keyword.iskeyword(name) else name


def attribute_name(name: str) -> str:
    """The Python name of a property, parameter or method: snake_case, keywords escaped.

    >>> attribute_name("class")
    'class_'
    >>> attribute_name("stopSequences")
    'stop_sequences'
    """
    return safe_identifier(snake_case(name))


def is_valid_identifier(name: object) -> bool:
    """Whether ``name`` can be used as written as a Python name (not a keyword).

    >>> is_valid_identifier("betas")
    True
    >>> is_valid_identifier("anthropic-beta")
    False
    >>> is_valid_identifier("class")
    False
    """
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)
