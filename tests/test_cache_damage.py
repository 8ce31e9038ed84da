"""A cache is only a cache: a damaged one costs time, never the run.

Each cache a run keeps (the validator's verdicts and black's layouts beside
the output, the incremental state and manifest, Jinja's compiled templates in
the user's cache folder) is damaged in the ways a crash or a bad disk damages
files; the run must succeed and write exactly what a run without caches writes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import render
from generator.pipeline import generate
from generator.writer import CACHE_DIR, read_tree

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "messages.yaml"


def _damaged(data: bytes, how: str) -> bytes:
    if how == "not-utf8":
        return b"\xff\xfe" + data[:50]
    if how == "truncated":
        return data[: len(data) // 2]
    if how == "empty":
        return b""
    if how == "wrong-shape":
        return b'{"key": 5, "entries": [1], "tree": {}, "files": 3, "warnings": 7}\n'
    if how == "well-formed-wrong-values":
        record = json.loads(data)
        if isinstance(record.get("entries"), dict):
            # Valid JSON of the right types, values altered: only a checksum tells.
            record["entries"] = {k: "garbage(" for k in record["entries"]}
        return json.dumps(record).encode()
    raise AssertionError(how)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("clean") / "out"
    generate(SPEC, out, display_path="spec/messages.yaml")
    return out, read_tree(out)


@pytest.mark.parametrize("how", ["not-utf8", "truncated", "empty", "wrong-shape", "well-formed-wrong-values"])
def test_damaged_caches_beside_the_output_are_ignored(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, how: str
) -> None:
    source, expected = clean
    out = tmp_path / "out"
    # Only the caches: every file must be rendered and laid out again, using them.
    shutil.copytree(source / CACHE_DIR, out / CACHE_DIR)
    names = sorted(p.name for p in (out / CACHE_DIR).iterdir() if p.suffix == ".json")
    assert {"layouts.json", "validated.json", "state.json", "manifest.json"} <= set(names)
    for name in names:
        path = out / CACHE_DIR / name
        path.write_bytes(_damaged(path.read_bytes(), how))
    generate(SPEC, out, display_path="spec/messages.yaml")
    assert read_tree(out) == expected
    # And the caches were rebuilt: the next run reads them without complaint.
    layouts = json.loads((out / CACHE_DIR / "layouts.json").read_bytes())
    assert layouts["entries"] and all(v != "garbage(" for v in layouts["entries"].values())


@pytest.mark.parametrize("how", ["truncated", "empty", "not-utf8"])
def test_damaged_jinja_bytecode_cache_is_ignored(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _, expected = clean
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    generate(SPEC, tmp_path / "first", display_path="spec/messages.yaml")
    folder = render.cache_dir()
    assert folder is not None
    compiled = list(folder.glob("*"))
    assert compiled
    for path in compiled:
        path.write_bytes(_damaged(path.read_bytes(), how))
    render._environment.cache_clear()
    generate(SPEC, tmp_path / "second", display_path="spec/messages.yaml")
    assert read_tree(tmp_path / "second") == expected
