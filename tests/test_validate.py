"""The strict validator: a corpus of broken specs beside the exact output each must produce.

Adding a case is adding two files: ``tests/validate_cases/NAME.yaml`` (a small
valid 3.1 document plus one defect) and ``NAME.expected``; write or refresh the
latter with ``pytest tests/test_validate.py --update-golden`` and read the diff.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.codes import CODES, lookup
from generator.diagnostics import Diagnostic, UsageError, format_diagnostics
from generator.loader import load_spec, load_text
from generator.validate import validate_file, validate_spec
from generator.validate.examples import sse_events

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "validate_cases"
SHARED_SPECS = ROOT.parent / "shared" / "specs"
CORPUS = ROOT / "tests" / "corpus"
CASE_NAMES = sorted(p.stem for p in CASES.glob("*.yaml"))
# Codes no spec can provoke: reserved, retired (E406: non-object bodies are
# generated), or a bug of ours. E202 (a `$ref` to another file left unbundled)
# only for a spec given as text alone (`loader.load_text`), whose other files
# are not at hand.
# E020-E024 and W325 are about the generated code, not the spec: tests/test_generated_compiles.py
# and tests/test_generated_imports.py provoke them.
UNREACHABLE = {"E007", "E020", "E021", "E022", "E023", "E024", "E202", "E299", "E406", "W325"}
_CODE = re.compile(r"(?:error|warning)\[([EW]\d{3})\]")


def run_case(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """The text output and exit status of `messages-codegen validate` on one case."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["validate", f"tests/validate_cases/{name}.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output, result.exit_code


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    output, status = run_case(name, monkeypatch)
    expected_path = CASES / f"{name}.expected"
    if update_golden:
        expected_path.write_text(output, encoding="utf-8", newline="\n")
        return
    assert expected_path.exists(), (
        f"{expected_path.relative_to(ROOT)} is missing; create it with "
        "`pytest tests/test_validate.py --update-golden`"
    )
    expected = expected_path.read_text(encoding="utf-8")
    assert output == expected, (
        f"output differs from {expected_path.relative_to(ROOT)}; if the change is intended, "
        "accept it with `pytest tests/test_validate.py --update-golden`"
    )
    assert status == (1 if "error[" in expected else 0)
    assert "Traceback" not in output


def test_every_code_is_in_the_table_and_covered() -> None:
    emitted: set[str] = set()
    for name in CASE_NAMES:
        expected = CASES / f"{name}.expected"
        if expected.exists():
            emitted.update(_CODE.findall(expected.read_text(encoding="utf-8")))
    for code in emitted:
        lookup(code)  # KeyError for a code the table does not list
    # E4xx come from generator.build, which validate runs once every check passes.
    ours = {entry.code for entry in CODES if entry.code[:2] in ("E0", "E1", "E2", "E4", "W3")}
    missing = ours - emitted - UNREACHABLE
    assert not missing, f"no case in tests/validate_cases provokes {sorted(missing)}"


def test_code_table_is_well_formed() -> None:
    codes = [entry.code for entry in CODES]
    slugs = [entry.slug for entry in CODES]
    assert len(set(codes)) == len(codes) and len(set(slugs)) == len(slugs)
    assert codes == sorted(codes)
    assert {f"E00{i}" for i in range(1, 9)} <= set(codes)
    for entry in CODES:
        assert re.fullmatch(r"[EW]\d{3}", entry.code)
        assert re.fullmatch(r"[a-z0-9.-]+", entry.slug)
        assert entry.summary and "\n" not in entry.summary


def test_one_case_per_defect_at_least_25() -> None:
    assert len(CASE_NAMES) >= 25


def test_dangling_ref_is_one_located_diagnostic_not_the_whole_spec() -> None:
    # openapi-spec-validator raises PointerToNowhere with the whole document in its message.
    diagnostics = validate_file(CASES / "dangling_ref.yaml", "dangling_ref.yaml")
    errors = [d for d in diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["E200"]
    assert "does not exist within" not in format_diagnostics(diagnostics)
    assert errors[0].location.line > 1


def test_diagnostics_come_sorted_and_each_once() -> None:
    diagnostics = validate_file(CASES / "many_defects.yaml", "many_defects.yaml")
    assert diagnostics == sorted(diagnostics, key=Diagnostic.sort_key)
    keys = [(d.code, d.location, d.message) for d in diagnostics]
    assert len(keys) == len(set(keys))
    assert len({d.code for d in diagnostics}) >= 10


def test_a_missing_file_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        validate_file(CASES / "no-such-spec.yaml")


@pytest.mark.parametrize("name", ["petstore.yaml", "petstore-expanded.yaml"])
def test_public_3_0_specs_have_no_errors(name: str) -> None:
    path = CORPUS / name
    assert [d for d in validate_file(path) if d.severity == "error"] == []


def test_the_bundled_spec_has_no_errors() -> None:
    path = ROOT / "spec" / "messages.yaml"
    if not path.exists():
        pytest.skip("spec/messages.yaml is not written yet")
    diagnostics = validate_file(path, "spec/messages.yaml")
    assert [d for d in diagnostics if d.severity == "error"] == [], format_diagnostics(diagnostics)


@pytest.mark.slow
def test_stripe_has_no_false_errors() -> None:
    path = SHARED_SPECS / "stripe-2023-09-12.yaml"
    if not path.exists():
        pytest.skip(f"{path} is not available")
    diagnostics = validate_file(path)
    assert [d for d in diagnostics if d.severity == "error"] == [], format_diagnostics(diagnostics)


def test_sse_events_follow_the_stream_format() -> None:
    text = (
        ": a comment\n"
        "event: one\n"
        "data: {\"a\":\n"
        "data: 1}\n"
        "\n"
        "data:no-space\n"
        "\n"
        "\n"
        "event: last\n"
        "data: 3"
    )
    assert list(sse_events(text)) == [
        (3, "one", '{"a":\n1}'),
        (6, None, "no-space"),
        (10, "last", "3"),
    ]


# Random damage to a small valid spec must give diagnostics, never an exception.

BASES = [
    load_spec(CASES / f"{name}.yaml", name).data
    for name in ("keyword_names_ok", "many_defects", "bad_x_variants", "invalid_sse_example")
]
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=8),
    st.sampled_from(["#/components/schemas/Thing", "#/nowhere", "other.yaml#/x", "{id}",
                     "class", "3.0.3", "3.1.0"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["$ref", "type", "properties", "required", "oneOf",
                                     "discriminator", "in", "name", "nullable", "example"]),
                    st.text("ab{}#/", max_size=4), max_size=3),
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(node, (dict, list)) else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()
    for key, child in children:
        found += _containers(child, (*path, key))
    return found


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    spec = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(_containers(spec)))
        node: Any = spec
        for key in path:
            node = node[key]
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        action = draw(st.sampled_from(["delete", "replace", "insert"]))
        if action == "insert" or not keys:
            if isinstance(node, dict):
                node[draw(st.sampled_from(["x", "$ref", "type", "nullable", "discriminator",
                                           "oneOf", "x-variants", "x-streaming", "default"]))] = \
                    draw(JUNK)
            else:
                node.append(draw(JUNK))
            continue
        key = draw(st.sampled_from(keys))
        if action == "delete":
            del node[key]
        else:
            node[key] = draw(JUNK)
    return spec


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_mutated_specs_never_raise(data: dict[str, Any]) -> None:
    import json

    spec = load_text(json.dumps(data), "mutated.json")
    diagnostics = validate_spec(spec)
    for d in diagnostics:
        lookup(d.code)
        assert d.code != "E299", d.to_text()
