"""The typing tests (``tests/typing/``) under both checkers, against the package and its stubs.

Four runs, one per checker and target, each over the whole folder, started
together: ``mypy --strict --warn-unused-ignores`` and basedpyright (strict, with
``reportUnnecessaryTypeIgnoreComment``), against

- the package: ``generated/`` on the search path;
- the stubs: only ``generated/stubs/anthropic_messages-stubs`` on the search
  path, as ``anthropic_messages``, and the package nowhere (it is not installed;
  ``test_stubs_are_alone`` makes sure).

The same files must pass all four: a deliberate error that one target stops
reporting fails as an unused ``ignore``. Both targets are the committed
``generated/`` tree, which ``test_golden.py`` holds equal to a fresh generation.

``tests/typing/cases/<case>/`` holds scripts for a feature case's package
(what the bundled API lacks, such as binary uploads and downloads): the same
four runs, against that case's package and stubs generated from its spec into
a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.pipeline import generate
from tests.tree_support import ROOT

TYPING_DIR = ROOT / "tests" / "typing"
PACKAGE = "anthropic_messages"
GENERATED = ROOT / "generated"
STUBS = GENERATED / "stubs" / f"{PACKAGE}-stubs"
CHECKERS = ("mypy", "basedpyright")
TARGETS = ("package", "stubs")
BIN = Path(sys.executable).parent


CASE_SCRIPTS = TYPING_DIR / "cases"


@dataclass(frozen=True)
class Suite:
    """A folder of scripts and the package (and stubs) they are checked against."""

    scripts: Path
    package: str
    generated: Path  # the folder holding the package and ``stubs/<package>-stubs``

    @property
    def stubs(self) -> Path:
        return self.generated / "stubs" / f"{self.package}-stubs"


def _search_root(suite: Suite, target: str, work: Path) -> Path:
    if target == "package":
        return suite.generated
    # mypy finds ``<name>-stubs`` only in site-packages, so the stub package
    # is put on the path under the name it stands for; nothing else is there.
    root = work / "stubs-only"
    root.mkdir()
    (root / suite.package).symlink_to(suite.stubs, target_is_directory=True)
    return root


def _mypy(suite: Suite, root: Path, work: Path) -> list[str]:
    config = work / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\nwarn_unused_ignores = True\npython_version = 3.11\n"
        f"mypy_path = {root}\ncache_dir = {work / 'mypy-cache'}\n",
        encoding="utf-8",
    )
    files = sorted(str(p) for p in suite.scripts.glob("*.py"))
    return [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-error-summary", *files]


def _pyright(suite: Suite, root: Path, work: Path) -> list[str]:
    config = work / "pyrightconfig.json"
    config.write_text(json.dumps({
        "include": [str(suite.scripts)],
        # The cases' scripts are another suite's, checked against another package.
        "exclude": [str(CASE_SCRIPTS)] if suite.scripts == TYPING_DIR else [],
        "extraPaths": [str(root)],
        "pythonVersion": "3.11",
        "typeCheckingMode": "strict",
        # Only ``# pyright: ignore[rule]`` counts; ``# type: ignore`` is mypy's.
        "enableTypeIgnoreComments": False,
        "reportUnnecessaryTypeIgnoreComment": "error",
        # The stubs stand alone: their package is (rightly) nowhere to be found.
        "reportMissingModuleSource": "none",
    }), encoding="utf-8")
    return [str(BIN / "basedpyright"), "--project", str(config), "--pythonpath", sys.executable,
            "--warnings"]


SUITES = ("anthropic_messages", *sorted(p.name for p in CASE_SCRIPTS.iterdir() if p.is_dir()))


def _suite(name: str, tmp_path_factory: pytest.TempPathFactory) -> Suite:
    if name == PACKAGE:
        return Suite(TYPING_DIR, PACKAGE, GENERATED)
    out = tmp_path_factory.mktemp(f"case-{name}")
    spec = ROOT / "tests" / "cases" / name / "spec.yaml"
    generate(spec, out, display_path=f"{name}/spec.yaml", targets=("package", "stubs"))
    package = next(p.parent.name for p in out.glob("*/__init__.py"))
    return Suite(CASE_SCRIPTS / name, package, out)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], tuple[int, str]]:
    if not (STUBS / "__init__.pyi").is_file() or not (GENERATED / PACKAGE / "__init__.py").is_file():
        pytest.fail("generated/ lacks the package or its stubs: run `messages-codegen generate`")
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("MYPYPATH", None)
    out = {}
    # One suite at a time, its four runs together: eight checkers at once
    # would only queue for the same two cores.
    for name in SUITES:
        suite = _suite(name, tmp_path_factory)
        procs = {}
        for target in TARGETS:
            for checker in CHECKERS:
                work = tmp_path_factory.mktemp(f"{name}-{checker}-{target}")
                root = _search_root(suite, target, work)
                args = _mypy(suite, root, work) if checker == "mypy" else _pyright(suite, root, work)
                procs[(name, checker, target)] = subprocess.Popen(
                    args, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    text=True,
                )
        for key, proc in procs.items():
            output, _ = proc.communicate(timeout=300)
            out[key] = (proc.returncode, output)
    return out


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("suite", SUITES)
def test_typing_files_pass(
    suite: str, checker: str, target: str, results: dict[tuple[str, str, str], tuple[int, str]]
) -> None:
    code, output = results[(suite, checker, target)]
    assert code == 0, f"{checker} against {suite}'s {target} found problems in tests/typing:\n{output}"


def test_typing_files_mark_their_errors_for_both_checkers() -> None:
    """Every deliberate error names its code for mypy and its rule for pyright."""
    marked = 0
    for path in sorted(TYPING_DIR.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            mypy, pyright = "# type: ignore" in line, "# pyright: ignore" in line
            assert mypy == pyright, f"{path.name}:{number}: one checker's suppression without the other's"
            assert "# type: ignore[" in line or not mypy, f"{path.name}:{number}: name the mypy code"
            assert "# pyright: ignore[" in line or not pyright, f"{path.name}:{number}: name the rule"
            marked += mypy
    assert marked >= 10


def test_stubs_are_alone() -> None:
    """The stubs run is not rescued by an installed package or by pydantic-only names."""
    found = subprocess.run(
        [sys.executable, "-c", f"import importlib.util; print(importlib.util.find_spec({PACKAGE!r}))"],
        capture_output=True, text=True, cwd=TYPING_DIR, env={k: v for k, v in os.environ.items()
                                                              if k != "PYTHONPATH"},
    )
    assert found.stdout.strip() == "None", f"{PACKAGE} is importable outside generated/: {found.stdout}"
