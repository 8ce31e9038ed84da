"""`generate` imports the package before writing it (E021-E024, W325), and leaves the output as it was.

Code that compiles can still fail to import. The spec is fine in every case
here; a `--templates` override renders the code that fails, as a generator bug
would. Each failure names the generated file and line, the exception, and the
schema the file came from; the output folder keeps every byte it had.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import imported
from generator.cli import cli
from generator.diagnostics import SpecError
from generator.pipeline import generate
from tests.tree_support import PETS_SPEC, files_of, override_template, pets_project  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent

PET = "out/pets/types/pet.py"
# Where the schema `Pet` is declared in PETS_SPEC.
PET_IN_SPEC = "  note: see also spec.yaml:15:5\n"


def _generate(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["generate", "--spec", "spec.yaml", "--out", "out", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def _where(pets_project: Path, extra: str, text: str) -> int:
    """The line ``text`` lands on in pet.py, rendered with ``extra`` but not import-checked."""
    templates = override_template(pets_project / "probe-templates", "model.py.jinja", extra)
    result = _generate("--templates", str(templates), "--out", "where", "--no-import-check")
    assert result.exit_code == 0, result.output
    return _line_of(pets_project / "where" / "pets" / "types" / "pet.py", text)


@pytest.mark.parametrize(
    ("extra", "text", "col", "expected"),
    [
        pytest.param(
            "\n\nDEFAULT_NAME = MissingName\n", "DEFAULT_NAME = MissingName", 1,
            "error[E021]: the generated module `pets.types.pet` does not import: "
            "NameError: name 'MissingName' is not defined\n",
            id="a-name-that-does-not-exist",
        ),
        pytest.param(
            "\n\nfrom .pet_owner_2099 import PetOwner\n", "from .pet_owner_2099 import PetOwner", 1,
            "error[E021]: the generated module `pets.types.pet` does not import: "
            "ModuleNotFoundError: No module named 'pets.types.pet_owner_2099'\n",
            id="an-import-of-a-missing-module",
        ),
        pytest.param(
            "\n\nfrom .._models import NotInTheRuntime\n", "from .._models import NotInTheRuntime", 1,
            "error[E021]: the generated module `pets.types.pet` does not import: "
            "ImportError: cannot import name 'NotInTheRuntime' from 'pets._models' (pets/_models.py)\n",
            id="an-import-of-a-missing-name",
        ),
        pytest.param(
            "\n\nclass Broken(BaseModel):\n    owner: PetOwner2099\n", "    owner: PetOwner2099", 5,
            "error[E023]: the generated model `pets.types.pet.Broken` does not build: "
            "PydanticUndefinedAnnotation: name 'PetOwner2099' is not defined\n",
            id="a-model-that-does-not-build",
        ),
        pytest.param(
            '\n\n__all__ += ["Ghost"]\n', '__all__ += ["Ghost"]', 1,
            "error[E022]: `Ghost` is in `__all__` of `pets.types.pet` but does not resolve: "
            "AttributeError: module 'pets.types.pet' has no attribute 'Ghost'\n",
            id="an-export-that-does-not-resolve",
        ),
    ],
)
def test_a_package_that_does_not_import_is_located_and_writes_nothing(
    pets_project: Path, extra: str, text: str, col: int, expected: str
) -> None:
    line = _where(pets_project, extra, text)
    assert _generate().exit_code == 0
    before = files_of(pets_project / "out")

    result = _generate("--templates", str(override_template(pets_project / "bad", "model.py.jinja", extra)))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{PET}:{line}:{col}: {expected}{PET_IN_SPEC}"), result.stderr
    assert "hint: generated from schema `Pet`; the templates given with --templates render code that " \
        "does not import" in result.stderr
    assert result.stderr.endswith("1 error, 0 warnings\n")
    assert str(pets_project) not in result.stderr  # never a path of this machine
    assert files_of(pets_project / "out") == before


def test_a_lazy_export_of_the_package_that_does_not_resolve(pets_project: Path) -> None:
    # The package `__init__` exports lazily: its `__all__` and its table of where
    # each name lives are rendered apart, so one can name what the other lacks.
    original = (ROOT / "templates" / "package_init.py.jinja").read_text(encoding="utf-8")
    assert "_LAZY = {" in original
    bad = pets_project / "bad"
    bad.mkdir()
    (bad / "package_init.py.jinja").write_text(
        original + '\n\n__all__ += ["PetClient2099"]\n_LAZY["PetClient2099"] = "._client"\n',
        encoding="utf-8",
    )

    result = _generate("--templates", str(bad))

    assert result.exit_code == 1
    assert "out/pets/__init__.py:" in result.stderr
    assert (
        "error[E022]: `PetClient2099` is in `__all__` of `pets` but does not resolve: "
        "AttributeError: module 'pets._client' has no attribute 'PetClient2099'\n"
    ) in result.stderr
    assert not (pets_project / "out").exists()


def test_modules_that_import_each_other_in_a_cycle(pets_project: Path) -> None:
    # pet.py imports the resource at the top, and the resource needs `Pet`
    # from the module still being initialised.
    extra = "from ..resources.default import Default as _Default  # noqa\n"
    original = (ROOT / "templates" / "model.py.jinja").read_text(encoding="utf-8")
    marker = "from __future__ import annotations\n"
    assert marker in original
    bad = pets_project / "bad"
    bad.mkdir()
    (bad / "model.py.jinja").write_text(original.replace(marker, marker + extra, 1), encoding="utf-8")

    result = _generate("--templates", str(bad))

    assert result.exit_code == 1
    # Both ends of the cycle, each where its import stands.
    assert re.search(
        r"^out/pets/types/pet\.py:\d+:1: error\[E021\]: the generated module `pets\.types\.pet` "
        r"does not import: ImportError: cannot import name 'Default' from partially initialized "
        r"module 'pets\.resources\.default' \(most likely due to a circular import\)",
        result.stderr, re.MULTILINE,
    ), result.stderr
    assert "out/pets/resources/default.py:" in result.stderr
    assert "generated from the `default` resource (operations `listPets`)" in result.stderr
    assert not (pets_project / "out").exists()


def test_a_resource_the_client_makes_on_first_use_is_reached(pets_project: Path) -> None:
    # `client.default` builds its resource only when read: the check reads it.
    original = (ROOT / "templates" / "client.py.jinja").read_text(encoding="utf-8")
    line = "        return {{ child.class_name }}(self)\n"
    assert line in original
    bad = pets_project / "bad"
    bad.mkdir()
    (bad / "client.py.jinja").write_text(
        original.replace(line, line.replace("(self)", '(self, "extra-2099")')), encoding="utf-8"
    )
    where = _generate("--templates", str(bad), "--no-import-check", "--out", "where")
    assert where.exit_code == 0
    at = _line_of(pets_project / "where" / "pets" / "_client.py", '        return Default(self, "extra-2099")')

    result = _generate("--templates", str(bad))

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"out/pets/_client.py:{at}:9: error[E022]: `Pets().default` (a resource, made on first use) "
        "does not resolve: TypeError: "
    ), result.stderr
    assert not (pets_project / "out").exists()


def test_the_bundled_package_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The happy path: the check runs on the bundled spec's package, and passes."""
    finished: list[list[str]] = []
    real = imported.ImportCheck.finish

    def spy(self: imported.ImportCheck) -> list:  # type: ignore[type-arg]
        warnings = real(self)
        finished.append([w.code for w in warnings])
        return warnings

    monkeypatch.setattr(imported.ImportCheck, "finish", spy)
    out = tmp_path / "out"
    generate(ROOT / "spec" / "messages.yaml", out, display_path="spec/messages.yaml")
    assert finished == [[]]  # ran once, found nothing, skipped nothing
    assert (out / "anthropic_messages" / "__init__.py").is_file()
    # Every name of the package, as a user reaches it, in a fresh interpreter.
    probe = (
        "import anthropic_messages as m, anthropic_messages.types as t\n"
        "from anthropic_messages import Anthropic, AsyncAnthropic\n"
        "assert [getattr(m, n) for n in m.__all__] and [getattr(t, n) for n in t.__all__]\n"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=out, check=True, stdin=subprocess.DEVNULL)


def test_a_check_that_hangs_is_stopped_and_writes_nothing(pets_project: Path) -> None:
    templates = override_template(pets_project / "bad", "model.py.jinja", "\n\nimport time\nwhile True:\n    time.sleep(0.05)\n")
    with pytest.raises(SpecError) as caught:
        generate(pets_project / "spec.yaml", pets_project / "out", templates=templates, display_path="spec.yaml",
                 import_timeout=2)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E024"
    assert diagnostic.to_text().startswith(
        "out/pets/__init__.py:1:1: error[E024]: the import check did not finish within 2 s"
    )
    assert not (pets_project / "out").exists()


def test_check_and_an_unchanged_run_do_not_import_again(
    pets_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    real = imported.ImportCheck.start

    def spy(self: imported.ImportCheck) -> None:
        started.append(self.package_dir)
        real(self)

    monkeypatch.setattr(imported.ImportCheck, "start", spy)
    spec, out = pets_project / "spec.yaml", pets_project / "out"
    generate(spec, out, display_path="spec.yaml")
    assert started == ["pets"]
    # No incremental shortcut here (the library entry point): the package is
    # rendered again, byte for byte, so there is nothing new to import.
    generate(spec, out, display_path="spec.yaml")
    assert not generate(spec, out, display_path="spec.yaml", check=True).drift
    assert started == ["pets"]
    # A docs-only target never holds a package.
    generate(spec, pets_project / "docs-only", display_path="spec.yaml", targets=["docs"])
    assert started == ["pets"]
    # An edit of descriptions changes docstrings only: nothing an import runs.
    spec.write_text(PETS_SPEC.replace("        name: {type: string}\n",
                                 "        name: {type: string, description: What the pet answers to.}\n"),
                    encoding="utf-8")
    edited = generate(spec, out, display_path="spec.yaml")
    assert "pets/types/pet.py" in edited.written
    assert "What the pet answers to." in (out / "pets" / "types" / "pet.py").read_text(encoding="utf-8")
    assert started == ["pets"]
    # A change to the package's code is imported again, --check included.
    templates = override_template(pets_project / "changed", "model.py.jinja", "\n\nEXTRA = 1\n")
    result = generate(spec, out, templates=templates, display_path="spec.yaml", check=True)
    assert result.drift
    assert started == ["pets", "pets"]
    # And so is a new field.
    spec.write_text(PETS_SPEC.replace("        name: {type: string}\n",
                                 "        name: {type: string}\n        age: {type: integer}\n"),
                    encoding="utf-8")
    generate(spec, out, display_path="spec.yaml")
    assert started == ["pets", "pets", "pets"]


def test_check_reports_a_package_that_does_not_import(pets_project: Path) -> None:
    assert _generate().exit_code == 0
    before = files_of(pets_project / "out")
    templates = override_template(pets_project / "bad", "model.py.jinja", "\n\nDEFAULT_NAME = MissingName\n")
    result = _generate("--templates", str(templates), "--check")
    assert result.exit_code == 1
    assert f"{PET}:" in result.stderr and "error[E021]" in result.stderr
    assert files_of(pets_project / "out") == before


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real interpreter without the client's runtime: a fresh venv, nothing installed."""
    folder = tmp_path_factory.mktemp("bare") / "venv"
    venv.create(folder, with_pip=False, system_site_packages=False)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    missing = subprocess.run(
        [str(python), "-c", "import importlib.util as u; print(u.find_spec('pydantic') is None)"],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
    )
    assert missing.stdout.strip() == "True"
    return python


def test_an_interpreter_without_the_runtime_skips_the_check_with_a_warning(
    pets_project: Path, bare_python: Path
) -> None:
    result = _generate("--python", str(bare_python))

    assert result.exit_code == 0
    assert (
        "out/pets/__init__.py:1:1: warning[W325]: the generated package was not import-checked: "
        f"`{bare_python}` (--python) lacks its runtime (httpx, pydantic, typing_extensions)\n"
    ) in result.stderr
    assert "hint: install the client's runtime there" in result.stderr
    assert (pets_project / "out" / "pets" / "types" / "pet.py").is_file()


def test_the_warning_does_not_hide_a_package_that_does_not_import(
    pets_project: Path, bare_python: Path
) -> None:
    # The same broken package: skipped without the runtime, refused with it.
    templates = str(override_template(pets_project / "bad", "model.py.jinja", "\n\nDEFAULT_NAME = MissingName\n"))
    skipped = _generate("--templates", templates, "--python", str(bare_python), "--out", "skipped")
    assert skipped.exit_code == 0 and "warning[W325]" in skipped.stderr

    refused = _generate("--templates", templates, "--python", sys.executable)
    assert refused.exit_code == 1 and "error[E021]" in refused.stderr
    assert not (pets_project / "out").exists()


def test_no_import_check_skips_it_silently(pets_project: Path, bare_python: Path) -> None:
    templates = str(override_template(pets_project / "bad", "model.py.jinja", "\n\nDEFAULT_NAME = MissingName\n"))
    result = _generate("--templates", templates, "--no-import-check")
    assert result.exit_code == 0
    assert "W325" not in result.stderr and "E021" not in result.stderr


def test_an_interpreter_that_does_not_exist_is_a_usage_error(pets_project: Path) -> None:
    result = _generate("--python", "no-such-dir/python")
    assert result.exit_code == 2
    assert result.stderr == "error: --python no-such-dir/python: no such interpreter\n"
    assert not (pets_project / "out").exists()


def test_an_interrupt_during_the_check_leaves_the_output_and_no_process_behind(pets_project: Path) -> None:
    # A package whose import never ends: the run is interrupted while it waits.
    assert _generate().exit_code == 0
    before = files_of(pets_project / "out")
    templates = override_template(pets_project / "slow", "model.py.jinja", "\n\nimport time\nwhile True:\n    time.sleep(0.05)\n")
    scratch = pets_project / "scratch"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    run = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", "--spec", "spec.yaml", "--out", "out",
         "--templates", str(templates)],
        cwd=pets_project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The check has begun once its folder holds the package.
        deadline = time.monotonic() + 120
        while not list(scratch.glob("messages-codegen-import-*/tree/pets/types/pet.py")):
            assert run.poll() is None and time.monotonic() < deadline, run.communicate()
            time.sleep(0.05)
        time.sleep(0.5)
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 128 + signal.SIGINT, stderr
    assert "interrupted (SIGINT)" in stderr and "Traceback" not in stderr
    assert files_of(pets_project / "out") == before
    assert list(scratch.iterdir()) == []  # the check's folder is gone, and its process with it
