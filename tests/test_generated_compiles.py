"""`generate` refuses to write code that does not compile (E020), and leaves the output as it was.

The spec is fine in every case here; a `--templates` override renders the bad
code, as a generator bug would. The error names the generated file, the line
where the problem would be, and the schema the file came from.
"""

from __future__ import annotations

import re

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import cli
from generator.pipeline import load_api, render_tree
from generator.plan import plan_files
from generator.render import make_environment, render
from tests.tree_support import files_of, override_template, pets_project  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent

DUPLICATE = "\n\ndef twice(a, a):\n    return a\n"
VALID = "\n\ndef twice(a, b):\n    return a\n"
NOT_PYTHON = "\n\ndef broken(:\n    pass\n"


def _generate(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["generate", "--spec", "spec.yaml", "--out", "out", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


@pytest.mark.parametrize(
    ("template", "written"),
    [
        ("model.py.jinja", "out/pets/types/pet.py"),
        ("stubs/model.pyi.jinja", "out/stubs/pets-stubs/types/pet.pyi"),
    ],
)
def test_a_duplicate_argument_is_located_in_the_generated_file(
    pets_project: Path, template: str, written: str
) -> None:
    # Where the function lands once written: the same override, with the code valid.
    override_template(pets_project / "valid", template, VALID)
    assert _generate("--templates", "valid").exit_code == 0
    line = _line_of(pets_project / written, "def twice(a, b):")
    before = files_of(pets_project / "out")

    override_template(pets_project / "bad", template, DUPLICATE)
    result = _generate("--templates", "bad")

    assert result.exit_code == 1
    assert (
        f"{written}:{line}:14: error[E020]: the generated code does not compile: "
        "duplicate argument 'a' in function definition\n"
    ) in result.stderr
    assert "  note: see also spec.yaml:15:5\n" in result.stderr  # the schema `Pet`
    assert "hint: generated from schema `Pet`; the templates given with --templates" in result.stderr
    assert result.stderr.endswith("1 error, 0 warnings\n")
    assert files_of(pets_project / "out") == before


def test_a_template_that_renders_no_python_is_located_and_writes_nothing(pets_project: Path) -> None:
    assert _generate().exit_code == 0
    before = files_of(pets_project / "out")
    override_template(pets_project / "bad", "model.py.jinja", NOT_PYTHON)

    result = _generate("--templates", "bad")

    # Black cannot read it either, so it is never laid out: the line is the
    # rendered text's, under the file's two header lines.
    api, _ = load_api(pets_project / "spec.yaml", "spec.yaml")
    (pet,) = [f for f in plan_files(api) if f.path == "pets/types/pet.py"]
    rendered = render(make_environment(pets_project / "bad"), pet.template, pet.context)
    line = rendered.splitlines().index("def broken(:") + 1 + 2
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"out/pets/types/pet.py:{line}:12: error[E020]: the generated code does not compile: "
        "invalid syntax\n  note: see also spec.yaml:15:5\n  hint: generated from schema `Pet`; "
    )
    assert files_of(pets_project / "out") == before


def test_check_reports_code_that_does_not_compile_too(pets_project: Path) -> None:
    assert _generate().exit_code == 0
    before = files_of(pets_project / "out")
    override_template(pets_project / "bad", "model.py.jinja", DUPLICATE)
    result = _generate("--templates", "bad", "--check")
    assert result.exit_code == 1
    assert "out/pets/types/pet.py:" in result.stderr and "error[E020]" in result.stderr
    assert files_of(pets_project / "out") == before


def test_files_reused_from_the_previous_output_are_not_compiled_again(
    pets_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, _ = load_api(pets_project / "spec.yaml", "spec.yaml")
    compiled: list[list[str]] = []
    real = pipeline.check_compiles

    def spy(files, origins, overridden):  # type: ignore[no-untyped-def]
        files = list(files)
        compiled.append([path for path, _ in files])
        real(files, origins, overridden)

    monkeypatch.setattr(pipeline, "check_compiles", spy)
    first = render_tree(api, {})
    again = render_tree(api, first)
    assert again == first
    rendered = {p for p in first if p.endswith((".py", ".pyi"))}
    # The first run compiles what it rendered (not the runtime copied as it is); the second nothing.
    assert "pets/types/pet.py" in compiled[0] and "stubs/pets-stubs/types/pet.pyi" in compiled[0]
    assert "pets/_base_client.py" not in compiled[0]
    assert set(compiled[0]) < rendered
    assert compiled[1] == []


def test_an_import_of_a_module_is_blamed_on_the_schema_of_that_module(pets_project: Path) -> None:
    # As a schema named `From` once gave `from .from import From` in types/__init__.py.
    bad = pets_project / "bad"
    bad.mkdir()
    original = (ROOT / "templates" / "types_init.py.jinja").read_text(encoding="utf-8")
    # Only the line importing `Pet` (types/__init__.py), not the resources' (same template).
    broken = original.replace('" as " ~ name %}', '" as " ~ name ~ (" Pet" if name == "Pet" else "") %}')
    assert broken != original
    (bad / "types_init.py.jinja").write_text(broken, encoding="utf-8")

    result = _generate("--templates", "bad")

    assert result.exit_code == 1
    assert re.search(
        r"^out/pets/types/__init__\.py:\d+:\d+: error\[E020\]: the generated code does not compile: ",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert "  note: see also spec.yaml:15:5\n  hint: generated from schema `Pet`; " in result.stderr
    assert not (pets_project / "out").exists()
