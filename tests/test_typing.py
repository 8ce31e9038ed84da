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
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tree_support import ROOT

TYPING_DIR = ROOT / "tests" / "typing"
PACKAGE = "anthropic_messages"
GENERATED = ROOT / "generated"
STUBS = GENERATED / "stubs" / f"{PACKAGE}-stubs"
CHECKERS = ("mypy", "basedpyright")
TARGETS = ("package", "stubs")
BIN = Path(sys.executable).parent


def _search_root(target: str, work: Path) -> Path:
    if target == "package":
        return GENERATED
    # mypy finds ``<name>-stubs`` only in site-packages, so the stub package
    # is put on the path under the name it stands for; nothing else is there.
    root = work / "stubs-only"
    root.mkdir()
    (root / PACKAGE).symlink_to(STUBS, target_is_directory=True)
    return root


def _mypy(root: Path, work: Path) -> list[str]:
    config = work / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\nwarn_unused_ignores = True\npython_version = 3.11\n"
        f"mypy_path = {root}\ncache_dir = {work / 'mypy-cache'}\n",
        encoding="utf-8",
    )
    files = sorted(str(p) for p in TYPING_DIR.glob("*.py"))
    return [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-error-summary", *files]


def _pyright(root: Path, work: Path) -> list[str]:
    config = work / "pyrightconfig.json"
    config.write_text(json.dumps({
        "include": [str(TYPING_DIR)],
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


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[int, str]]:
    if not (STUBS / "__init__.pyi").is_file() or not (GENERATED / PACKAGE / "__init__.py").is_file():
        pytest.fail("generated/ lacks the package or its stubs: run `messages-codegen generate`")
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("MYPYPATH", None)
    procs = {}
    for target in TARGETS:
        for checker in CHECKERS:
            work = tmp_path_factory.mktemp(f"{checker}-{target}")
            root = _search_root(target, work)
            args = _mypy(root, work) if checker == "mypy" else _pyright(root, work)
            procs[(checker, target)] = subprocess.Popen(
                args, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
    out = {}
    for key, proc in procs.items():
        output, _ = proc.communicate(timeout=300)
        out[key] = (proc.returncode, output)
    return out


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("checker", CHECKERS)
def test_typing_files_pass(checker: str, target: str, results: dict[tuple[str, str], tuple[int, str]]) -> None:
    code, output = results[(checker, target)]
    assert code == 0, f"{checker} against the {target} found problems in tests/typing:\n{output}"


def test_typing_files_mark_their_errors_for_both_checkers() -> None:
    """Every deliberate error names its code for mypy and its rule for pyright."""
    marked = 0
    for path in sorted(TYPING_DIR.glob("*.py")):
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
