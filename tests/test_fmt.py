"""Our layout against black's: ``fmt.layout`` must give what black would.

The generator no longer runs black over whole files: the templates write black's
layout, and only statements longer than the line go to black, one at a time. The
golden files and ``test_golden.py::test_tree_is_stable`` hold the templates to
that on every recorded tree; here the pieces are held to it on their own, and on
inputs no recorded spec has (random names and strings, very long lines).
"""

from __future__ import annotations

import keyword
import textwrap
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import fmt
from generator.pipeline import load_api, render_tree
from generator.typemap import docstring, literal
from tests.tree_support import case_is_strict

ROOT = Path(__file__).resolve().parent.parent


def _black(text: str, pyi: bool = False) -> str:
    return black.format_str(text, mode=fmt.black_mode(pyi))


def _body(data: bytes) -> bytes:
    return data.split(b"\n", 2)[2]


def test_bundled_output_is_what_full_black_gives() -> None:
    """The documented promise of ``--full-black``: same output, only slower."""
    api, _ = load_api(ROOT / "spec" / "messages.yaml", "spec/messages.yaml")
    fmt.whole_files.clear()
    laid_out = render_tree(api, {})
    assert fmt.whole_files == []
    blackened = render_tree(api, {}, full_black=True)
    assert laid_out.keys() == blackened.keys()
    python = [path for path in laid_out if path.endswith((".py", ".pyi"))]
    assert len(python) > 100
    for path in python:
        assert laid_out[path] == blackened[path], path


LONG_DEF = textwrap.dedent(
    '''\
    class Resource:
        """A docstring line that is much longer than the line length and that black leaves exactly as it is."""

        def create(self, *, first_parameter: int, second_parameter: str, third_parameter: bool = False) -> None:
            return self._client.request(APIRequest(method="post", path="/v1/things", query=strip_not_given({})))
    '''
)


@pytest.mark.parametrize("pyi", [False, True])
def test_long_statements_are_split_as_black_splits_them(pyi: bool) -> None:
    laid_out = fmt.layout("resource.py", LONG_DEF, pyi)
    assert laid_out == _black(LONG_DEF, pyi)
    assert laid_out != LONG_DEF
    # The docstring is as long as before: black does not wrap text.
    assert max(len(line) for line in laid_out.splitlines()) > fmt.LINE_LENGTH


def test_short_text_is_returned_as_it_is() -> None:
    text = 'x = 1\n\n\ndef f() -> None:\n    """Short."""\n'
    assert fmt.layout("short.py", text) is not None
    assert fmt.layout("short.py", text) == text == _black(text)


def test_trailing_blank_lines_are_dropped_like_black_drops_them() -> None:
    assert fmt.layout("tail.py", "x = 1\n\n\n\n") == "x = 1\n" == _black("x = 1\n\n\n\n")
    assert fmt.layout("blank.py", "\n\n") == "\n" == _black("\n\n")
    assert fmt.layout("empty.py", "") == "" == _black("")


@pytest.mark.parametrize(
    "case", sorted(p.name for p in (ROOT / "tests" / "cases").iterdir() if (p / "spec.yaml").is_file())
)
def test_our_templates_never_need_black_for_a_whole_file(case: str) -> None:
    """Black over a whole file is the slow fallback; our templates never need it."""
    spec = f"tests/cases/{case}/spec.yaml"
    api, _ = load_api(ROOT / spec, spec, strict=case_is_strict(case))
    fmt.whole_files.clear()
    render_tree(api, {})
    assert fmt.whole_files == []


def test_a_statement_too_deep_to_lay_out_alone_sends_the_file_to_black() -> None:
    # Nested 13 levels deep, a statement has less than half the line left: the
    # whole file goes to black rather than one statement at a time.
    text = "".join(f"{'    ' * i}if x{i}:\n" for i in range(13))
    text += "    " * 13 + "call(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    assert fmt.layout("deep.py", text) == _black(text)


def test_a_template_that_is_not_python_is_reported_with_its_path() -> None:
    text = "def broken(:\n    " + "x" * 120 + "\n"
    with pytest.raises(fmt.TemplateOutputError, match="broken.py"):
        fmt.layout("broken.py", text)


# -- random input ---------------------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), max_codepoint=0x1FFFF), max_size=40
)
_names = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
)


@given(_text)
@settings(max_examples=300, deadline=None)
def test_string_literals_are_exact_and_in_blacks_quotes(text: str) -> None:
    source = literal(text)
    assert eval(source) == text  # noqa: S307 - the point is that it is only a string
    statement = f"x = {source}\n"
    assert _black(statement) == statement


@given(st.lists(_text, min_size=1, max_size=5), st.sampled_from(["", "    ", "        "]))
@settings(max_examples=200, deadline=None)
def test_docstrings_are_in_blacks_shape(lines: list[str], indent: str) -> None:
    doc = docstring("\n".join(lines), indent)
    depth = len(indent) // 4
    source = "".join(f"{'    ' * i}class C{i}:\n" for i in range(depth)) + f"{indent}{doc}\n"
    assert _black(source) == source


@given(
    st.lists(_names, min_size=1, max_size=12, unique=True),
    st.lists(_text, min_size=1, max_size=8),
    st.sampled_from([False, True]),
)
@settings(max_examples=150, deadline=None)
def test_layout_equals_black_on_template_shaped_code(
    names: list[str], values: list[str], pyi: bool
) -> None:
    """Modules shaped like ours, with lines of every length: layout == black."""
    literals = ", ".join(literal(value) for value in values)
    params = ", ".join(f"{name}: Optional[Literal[{literals}]] = None" for name in names)
    body = " ..." if pyi else "\n        pass"
    source = (
        "from __future__ import annotations\n\n"
        f"__all__ = [{', '.join(literal(name) for name in names)}]\n\n"
        f"Alias: TypeAlias = Literal[{literals}]\n\n\n"
        "class Model(BaseModel):\n"
        + "".join(f"    {name}: Literal[{literals}]\n" for name in names)
        + f"\n    def method(self, *, {params}) -> Union[{', '.join(names)}]:{body}\n"
    )
    if pyi:
        source = source.replace("\n\n\nclass", "\n\nclass")
    # The source is a template's kind of output: black-shaped except where too long.
    expected = _black(source, pyi)
    assert fmt.layout("module.py", source, pyi) == expected


@given(
    st.lists(_names, min_size=1, max_size=4),
    st.lists(st.tuples(_names, st.one_of(st.none(), _names)), min_size=1, max_size=12),
    st.sampled_from(["", "    "]),
    st.sampled_from([False, True]),
)
@settings(max_examples=200, deadline=None)
def test_long_imports_are_laid_out_as_black_does(
    module: list[str], names: list[tuple[str, str | None]], indent: str, pyi: bool
) -> None:
    imported = ", ".join(name if alias is None else f"{name} as {alias}" for name, alias in names)
    statement = f"{indent}from {'.' * len(indent) + '.'.join(module)} import {imported}"
    source = f"if x:\n{statement}\n" if indent else f"{statement}\n"
    assert fmt.layout("imports.py", source, pyi) == _black(source, pyi)


_ENUM_VALUE = st.one_of(
    st.integers(-10**6, 10**12).map(str),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30).map(literal),
    st.text(st.characters(codec="ascii"), max_size=12).map(literal),
)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(_ENUM_VALUE, min_size=1, max_size=60),
    indent=st.sampled_from(["", "    "]),
    alias=st.booleans(),
    pyi=st.booleans(),
)
def test_enum_aliases_are_laid_out_as_black_does_without_black(
    values: list[str], indent: str, alias: bool, pyi: bool
) -> None:
    head = "Choice: TypeAlias = Literal[" if alias else "Choice = Literal["
    statement = f"{indent}{head}{', '.join(values)}]"
    source = f"class C:\n{statement}\n" if indent else statement + "\n"
    expected = _black(source, pyi)
    laid_out = fmt.layout("enum.py", source, pyi)
    assert laid_out == expected
    # And without black: the enum's own path, not black's.
    if statement.isascii() and len(statement) > fmt.LINE_LENGTH:
        assert fmt._literal_alias(statement) is not None


_LONG_NAME = st.integers(1, 110).flatmap(
    lambda n: st.text("abcdefghij_", min_size=n, max_size=n).map(lambda s: "n" + s)
)


@settings(max_examples=300, deadline=None)
@given(
    shape=st.sampled_from(["wrapper", "class", "lazy", "import"]),
    first=_LONG_NAME,
    second=_LONG_NAME,
    indent=st.sampled_from(["", "    ", "        "]),
    pyi=st.booleans(),
)
def test_the_shapes_laid_out_without_black_are_blacks(
    shape: str, first: str, second: str, indent: str, pyi: bool
) -> None:
    # The commonest long statements of large specs skip black; at every length
    # around the line's end, the layout must still be black's own.
    if shape == "wrapper":
        method = f"def f(self):\n    self.{first} = to_raw_response_wrapper(resource.{second})\n"
        source = "".join(f"{'    ' * level}class C{level}:\n" for level in range(len(indent) // 4))
        source += textwrap.indent(method, indent)
    elif shape == "class":
        source = f"class {first}(TypedDict, total=False):\n    {second}: int\n"
    elif shape == "lazy":
        source = f'_LAZY = {{\n    "{first}": ".{second}",\n}}\n'
    else:
        source = f"if x:\n    from .{first} import (\n        {second} as {second},\n    )\n"
    expected = _black(source, pyi)
    assert fmt.layout("shapes.py", source, pyi) == expected
