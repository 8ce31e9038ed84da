"""Findings that do not change the generated code: warnings by default, errors under strict.

``tests/validate_cases/lenient_findings.yaml`` holds one of each lenient code
(its ``.expected`` is the strict output, as the repository's pyproject asks).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.codes import LENIENT
from tests.tree_support import imported

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "validate_cases" / "lenient_findings.yaml"
FOUND = {"E004", "E201", "E213", "E214", "E215", "E230"}


def _codes(output: str, severity: str) -> list[str]:
    return re.findall(rf"{severity}\[([EW]\d{{3}})\]", output)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with no pyproject.toml, as a user's project without settings."""
    (tmp_path / "spec.yaml").write_bytes(SPEC.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lenient_by_default_strict_on_request(workdir: Path) -> None:
    lenient = CliRunner().invoke(cli, ["validate", "spec.yaml"])
    assert lenient.exit_code == 0, lenient.output
    assert sorted(set(_codes(lenient.output, "warning"))) == sorted(FOUND)
    assert _codes(lenient.output, "error") == []
    assert FOUND <= LENIENT

    strict = CliRunner().invoke(cli, ["validate", "--strict", "spec.yaml"])
    assert strict.exit_code == 1
    # The same findings, each once, at the same places: only the severity differs.
    assert _codes(strict.output, "error") == _codes(lenient.output, "warning")
    assert strict.output.replace("error[", "warning[").splitlines()[:-1] == \
        lenient.output.splitlines()[:-2]


def test_the_strict_setting_of_pyproject(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[tool.messages-codegen]\nstrict = true\n")
    assert CliRunner().invoke(cli, ["validate", "spec.yaml"]).exit_code == 1
    assert CliRunner().invoke(cli, ["validate", "--no-strict", "spec.yaml"]).exit_code == 0


def test_generate_agrees_with_validate(workdir: Path) -> None:
    refused = CliRunner().invoke(cli, ["generate", "--strict", "--spec", "spec.yaml", "--out", "out"])
    assert refused.exit_code == 1
    assert sorted(set(_codes(refused.output, "error"))) == sorted(FOUND)
    assert not (workdir / "out").exists()

    made = CliRunner().invoke(cli, ["generate", "--spec", "spec.yaml", "--out", "out"])
    assert made.exit_code == 0, made.output
    assert sorted(set(_codes(made.output, "warning"))) == sorted(FOUND)
    with imported(workdir / "out", "lenient") as package:
        fields = package.types.Thing.model_fields
        # `required: [name, ghost]`: the declared one is required, the other ignored.
        assert fields["name"].is_required() and not fields["note"].is_required()
        thing = package.types.Thing.model_validate({"name": "abc", "note": None, "when": "2024-01-01"})
        assert thing.note is None  # 3.0's `nullable` read as nullable

    # The lenient run's cached result must not let a strict run pass.
    again = CliRunner().invoke(cli, ["generate", "--strict", "--spec", "spec.yaml", "--out", "out"])
    assert again.exit_code == 1, again.output
