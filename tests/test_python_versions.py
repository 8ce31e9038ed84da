"""The generated package on the oldest Python it declares and the newest this machine has.

Each interpreter gets a fresh virtual environment with the generated package
installed from a copy of ``generated/`` (so pip also checks its
``requires-python``) and its runtime dependencies from the package index; the
client then talks HTTP to the mock server of this process
(``tests/python_versions_client.py``). Interpreters are found through pyenv
(``pyenv root``) or on PATH; one that is absent skips its test, saying which.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.client_support import error_example, message_example, stream_example
from tests.mockserver import MockServer, Reply

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"


def declared_minimum() -> tuple[int, int]:
    text = (GENERATED / "pyproject.toml").read_text()
    found = re.search(r'requires-python = ">=(\d+)\.(\d+)"', text)
    assert found, "generated/pyproject.toml declares no requires-python"
    return int(found.group(1)), int(found.group(2))


def _version(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def interpreters() -> dict[tuple[int, int], str]:
    """Every CPython 3 this machine offers, by version: pyenv's, then PATH's."""
    found: dict[tuple[int, int], str] = {}
    roots: list[Path] = []
    if shutil.which("pyenv"):
        done = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=60)
        if done.returncode == 0 and done.stdout.strip():
            roots.append(Path(done.stdout.strip()))
    if os.environ.get("PYENV_ROOT"):
        roots.append(Path(os.environ["PYENV_ROOT"]))
    candidates = [str(p) for root in roots for p in sorted((root / "versions").glob("3.*/bin/python3"))]
    candidates += [w for minor in range(6, 20) if (w := shutil.which(f"python3.{minor}"))]
    for python in candidates:
        version = _version(python)
        if version is not None and version not in found:
            found[version] = python
    return found


def _choose(which: str) -> tuple[str, tuple[int, int]]:
    available = interpreters()
    if which == "oldest":
        wanted = declared_minimum()
        if wanted not in available:
            pytest.skip(f"no Python {wanted[0]}.{wanted[1]} (the declared minimum) via pyenv or PATH")
        return available[wanted], wanted
    newest = max(available, default=None)
    if newest is None or newest < declared_minimum():
        pytest.skip("no supported Python via pyenv or PATH")
    return available[newest], newest


@pytest.mark.slow
@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_generated_client_on_python(which: str, tmp_path: Path, mock_server: MockServer) -> None:
    python, version = _choose(which)
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    package = tmp_path / "package"
    shutil.copytree(GENERATED, package, ignore=shutil.ignore_patterns(
        "stubs", "docs", ".messages-codegen-cache", "__pycache__", "*.egg-info", "build"))
    subprocess.run([python, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=300)
    venv_python = str(tmp_path / "venv" / "bin" / "python")
    install = subprocess.run([venv_python, "-m", "pip", "install", "-q", str(package)],
                             capture_output=True, text=True, env=env, timeout=900)
    assert install.returncode == 0, install.stdout + install.stderr

    mock_server.enqueue(
        Reply.json(message_example("text"), headers={"request-id": "req_1"}),
        Reply.sse(stream_example("text")),
        Reply.json(error_example(429), status=429, headers={"request-id": "req_429"}),
        Reply.json(message_example("text")),
    )
    run = subprocess.run(
        [venv_python, str(ROOT / "tests" / "python_versions_client.py"), mock_server.url],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    seen = json.loads(run.stdout)

    example = message_example("text")
    assert seen["python"] == list(version)
    assert seen["message"]["id"] == example["id"]
    assert seen["message"]["text"] == [b["text"] for b in example["content"] if b["type"] == "text"]
    assert seen["message"]["round_trip"] == example
    assert seen["stream"]["pieces"] and "".join(seen["stream"]["pieces"]) == "".join(
        seen["stream"]["final"]
    )
    assert seen["error"] == {"class": "RateLimitError", "status": 429, "request_id": "req_429"}
    assert seen["async"] == example["id"]
    assert [r.path for r in mock_server.requests] == ["/v1/messages"] * 4
    assert mock_server.requests[1].json()["stream"] is True
