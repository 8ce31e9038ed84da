"""A run with nothing changed stops early, and any change sends it down the full path."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.writer import CACHE_DIR

ROOT = Path(__file__).resolve().parent.parent
SHORTCUT = "unchanged since the last run"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the bundled spec, generated once."""
    (tmp_path / "spec").mkdir()
    shutil.copy(ROOT / "spec" / "messages.yaml", tmp_path / "spec" / "messages.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["generate", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert SHORTCUT not in result.output
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_nothing_changed_takes_the_shortcut(project: Path) -> None:
    code, output = _run("generate", "--out", "out", "--check")
    assert code == 0 and output.startswith("out: up to date (") and SHORTCUT in output
    code, output = _run("generate", "--out", "out")
    assert code == 0 and SHORTCUT in output



def test_a_spec_edit_is_noticed(project: Path) -> None:
    spec = project / "spec" / "messages.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("Tokens generated.", "Tokens produced."),
        encoding="utf-8",
    )
    code, output = _run("generate", "--out", "out", "--check")
    assert code == 1 and SHORTCUT not in output
    assert "+    \"\"\"Tokens produced.\"\"\"" in output


def test_a_hand_edited_output_file_is_noticed(project: Path) -> None:
    usage = project / "out" / "anthropic_messages" / "types" / "usage.py"
    usage.write_text(usage.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    code, output = _run("generate", "--out", "out", "--check")
    assert code == 1 and "changed: anthropic_messages/types/usage.py" in output
    code, output = _run("generate", "--out", "out")
    assert code == 0 and "1 written" in output
    assert "# mine" not in usage.read_text(encoding="utf-8")


def test_an_override_template_edit_is_noticed(project: Path) -> None:
    overrides = project / "overrides"
    overrides.mkdir()
    shutil.copy(ROOT / "templates" / "version.py.jinja", overrides / "version.py.jinja")
    assert _run("generate", "--out", "out", "--templates", "overrides")[0] == 0
    assert SHORTCUT in _run("generate", "--out", "out", "--templates", "overrides", "--check")[1]
    (overrides / "version.py.jinja").write_text(
        (overrides / "version.py.jinja").read_text(encoding="utf-8") + "# local\n", encoding="utf-8"
    )
    code, output = _run("generate", "--out", "out", "--templates", "overrides", "--check")
    assert code == 1 and "+# local" in output


def test_the_cache_is_not_part_of_the_tree(project: Path) -> None:
    cache = project / "out" / ".messages-codegen-cache"
    assert (cache / "state.json").is_file()
    shutil.rmtree(cache)
    code, output = _run("generate", "--out", "out", "--check")
    assert code == 0 and SHORTCUT not in output and "extra" not in output


def test_schema_objects_are_checked_again_when_they_change(project: Path) -> None:
    # Verdicts kept beside the output are by content: an edited Schema Object is new.
    record = json.loads((project / "out" / CACHE_DIR / "validated.json").read_text(encoding="utf-8"))
    assert len(record["entries"]) > 50 and record["key"]
    spec = project / "spec" / "messages.yaml"
    text = spec.read_text(encoding="utf-8")
    broken = text.replace("    Usage:\n      type: object\n", "    Usage:\n      type: objekt\n", 1)
    assert broken != text
    spec.write_text(broken, encoding="utf-8")
    code, output = _run("generate", "--out", "out")
    assert code == 1 and "error[E105]" in output


def test_verdicts_recorded_under_another_key_are_not_trusted(project: Path) -> None:
    spec = project / "spec" / "messages.yaml"
    broken = spec.read_text(encoding="utf-8").replace(
        "    Usage:\n      type: object\n", "    Usage:\n      type: objekt\n", 1
    )
    spec.write_text(broken, encoding="utf-8")
    schema = yaml.safe_load(broken)["components"]["schemas"]["Usage"]
    digest = hashlib.sha256(
        json.dumps(schema, sort_keys=True, separators=(",", ":")).encode("utf-8")
    ).hexdigest()[:32]
    record = project / "out" / CACHE_DIR / "validated.json"
    record.write_text(json.dumps({"key": "another", "entries": {digest: True}}), encoding="utf-8")
    code, output = _run("generate", "--out", "out")
    assert code == 1 and "error[E105]" in output


def test_a_run_after_an_edit_reuses_the_layouts_black_gave(project: Path) -> None:
    # ContentBlock's module holds a statement too long for the line, which only
    # black can lay out; the layout kept beside the output spares the next run
    # even black's import.
    spec = project / "spec" / "messages.yaml"
    text = spec.read_text(encoding="utf-8")
    edited = text.replace("Any block that may appear in a reply's content", "Any block of a reply", 1)
    assert edited != text
    spec.write_text(edited, encoding="utf-8")
    code = (
        "import runpy, sys\n"
        "sys.argv = ['messages-codegen', 'generate', '--out', 'out']\n"
        "try:\n    runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('black' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False", result.stderr
    body = (project / "out" / "anthropic_messages" / "types" / "content_block.py").read_text()
    assert "Any block of a reply" in body and "ContentBlock: TypeAlias = Annotated[\n" in body
