"""`messages-codegen validate`: formats and exit statuses, as users run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CASE = "tests/validate_cases/many_defects.yaml"
CLEAN = "tests/validate_cases/keyword_names_ok.yaml"
WARNING_ONLY = "tests/validate_cases/unused_component.yaml"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(cli, ["validate", *args])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        return result

    return invoke


def test_clean_spec_exits_0(run) -> None:  # type: ignore[no-untyped-def]
    result = run(CLEAN)
    assert result.exit_code == 0
    assert result.output == f"{CLEAN}: ok\n"


def test_warnings_alone_exit_0(run) -> None:  # type: ignore[no-untyped-def]
    result = run(WARNING_ONLY)
    assert result.exit_code == 0
    assert "warning[W300]" in result.stderr
    assert result.stderr.endswith(f"{WARNING_ONLY}: ok\n")


def test_text_goes_to_stderr_and_exits_1(run) -> None:  # type: ignore[no-untyped-def]
    result = run(CASE)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{CASE}:5:3: error[E103]: unknown field `descripton` in `info`" in result.stderr
    assert result.stderr.endswith("11 errors, 2 warnings\n")


def test_json_format(run) -> None:  # type: ignore[no-untyped-def]
    result = run(CASE, "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert items[0] == {
        "path": CASE, "line": 5, "col": 3, "severity": "error", "code": "E103",
        "message": "unknown field `descripton` in `info`",
        "hint": "did you mean `description`?", "related": [],
    }
    assert {item["code"] for item in items} >= {"E200", "E201", "E209", "W300"}
    duplicate = next(item for item in items if item["code"] == "E209")
    assert duplicate["related"] == [f"{CASE}:9:7"]


def test_json_format_clean_is_an_empty_list(run) -> None:  # type: ignore[no-untyped-def]
    result = run(CLEAN, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_github_format(run) -> None:  # type: ignore[no-untyped-def]
    result = run(CASE, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={CASE},line=5,col=3,title=E103::unknown field `descripton` in `info` "
        "(hint: did you mean `description`?)"
    )
    assert any(line.startswith("::warning ") and "title=W300" in line for line in lines)


def test_yaml_errors_use_the_requested_format(run) -> None:  # type: ignore[no-untyped-def]
    result = run("tests/validate_cases/yaml_duplicate_key.yaml", "--format", "json")
    assert result.exit_code == 1
    assert [item["code"] for item in json.loads(result.stdout)] == ["E002"]


def test_missing_file_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    result = run("tests/validate_cases/no-such-spec.yaml")
    assert result.exit_code == 2
    assert "cannot read spec" in result.stderr


def test_file_that_is_not_utf8_is_located(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes("openapi: 3.1.0\ninfo: {title: caf\xe9}\n".encode("latin-1"))
    result = run(str(spec))
    assert result.exit_code == 1
    # The line and column of the byte, as an editor shows them: not a byte offset.
    assert f"{spec}:2:18: error[E001]: the file is not UTF-8: byte 0xe9" in result.stderr


def test_nul_byte_is_located(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "nul.yaml"
    lines = ["openapi: 3.1.0", "info:", "  title: x", "  version: '1'", "paths: {}"] * 10
    lines[44] = "  title: a\0b"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(str(spec))
    assert result.exit_code == 1
    assert f"{spec}:45:11: error[E001]: invalid YAML: unacceptable character U+0000" in result.stderr


def test_unquoted_exponent_number_is_a_number(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # YAML 1.1 reads `1e3` (no decimal point) as a string; JSON and YAML 1.2 as a number.
    spec = tmp_path / "exp.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n"
                    "components:\n  schemas:\n    N:\n      type: number\n      maximum: 1e3\n"
                    "      minimum: '1e3'\n", encoding="utf-8")
    result = run(str(spec))
    assert result.exit_code == 1
    # The quoted one stays a string, and is the only error.
    assert f"{spec}:9:7: error[E105]: invalid schema: `minimum` must be a number" in result.stderr
    assert "1 error," in result.stderr


def test_a_long_ref_chain_is_one_located_error_not_a_warning_each(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A 1,000-link chain of schemas that only refer on used to make the
    # structural validator recurse past Python's limit, once per link it
    # reached: dozens of "RecursionError" warnings and no word on the cause.
    links = "".join(
        f"    S{i}:\n      $ref: '#/components/schemas/S{i + 1}'\n" for i in range(1000)
    )
    spec = tmp_path / "chain.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\n"
        "paths:\n  /s:\n    get:\n      operationId: get_s\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema:\n                $ref: '#/components/schemas/S0'\n"
        f"components:\n  schemas:\n{links}    S1000:\n      type: string\n",
        encoding="utf-8",
    )
    result = run(str(spec))
    assert result.exit_code == 1
    assert "RecursionError" not in result.stderr
    assert result.stderr.count("warning[W301]") <= 1
    assert "error[E233]" in result.stderr
