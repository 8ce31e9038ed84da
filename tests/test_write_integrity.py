"""The output is the old tree or the new one, whatever happens while it is written.

Real signals at random points of the write phase, real concurrent runs, a real
per-file size limit, a full disk and folders we may not write: after each, the
output folder holds exactly the old tree or exactly the new one, and no stray
file. The write phase of the runs under test is slowed down (each staged write
and each rename sleeps a little) so that a random delay lands inside it; the
code that runs is otherwise the real one.
"""

from __future__ import annotations

import errno
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import transaction, writer
from generator.pipeline import generate
from generator.writer import CACHE_DIR, read_tree

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "messages.yaml"

# Runs the CLI with every staged write and rename slowed down, and says on
# stderr when the write phase starts (the test's clock starts there).
_SLOW_RUN = r"""
import os, sys, time
from generator import transaction
from generator.cli import main

real_replace, real_open = os.replace, open
stage = transaction.Transaction.stage

def slow_replace(a, b):
    time.sleep(0.005)
    real_replace(a, b)

def slow_open(*args, **kwargs):
    time.sleep(0.005)
    return real_open(*args, **kwargs)

def staged(self, *args):
    sys.stderr.write("WRITE-PHASE\n")
    sys.stderr.flush()
    return stage(self, *args)

transaction.os.replace = slow_replace
transaction.open = slow_open
transaction.Transaction.stage = staged
sys.argv[0] = "messages-codegen"
main()
"""


def _spec(tmp: Path, name: str, schema: str) -> Path:
    """The bundled spec under another name, with one extra schema: most files change."""
    text = SPEC.read_text(encoding="utf-8")
    anchor = "\n  schemas:\n"
    assert anchor in text
    extra = (
        f"\n  schemas:\n    {schema}:\n      type: object\n      description: Only in {name}.\n"
        "      properties:\n        note:\n          type: string\n"
    )
    path = tmp / name
    path.write_text(text.replace(anchor, extra, 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("trees")
    old_spec = _spec(tmp, "old.yaml", "Legacy2099")
    new_spec = _spec(tmp, "new.yaml", "Fresh2099")
    old_out, new_out = tmp / "old", tmp / "new"
    generate(old_spec, old_out, display_path="old.yaml")
    # Over a copy of the old tree, as the runs under test do: files whose
    # rendered text did not change may be reused as they are.
    shutil.copytree(old_out, new_out)
    generate(new_spec, new_out, display_path="new.yaml")
    old, new = read_tree(old_out), read_tree(new_out)
    assert set(old) != set(new), "the two trees must differ in files, not only bytes"
    changed = sum(old.get(p) != data for p, data in new.items())
    removed = len(set(old) - set(new))
    # The slowed write phase: each changed file staged (5 ms) and moved twice,
    # each removed file moved once; interpreter time comes on top.
    phase = 0.005 * (3 * changed + removed)
    return {"old_spec": old_spec, "new_spec": new_spec, "old_out": old_out, "old": old, "new": new,
            "phase": phase}


def _fresh_copy(trees: dict[str, object], dest: Path) -> Path:
    shutil.copytree(trees["old_out"], dest)  # type: ignore[arg-type]
    # A user's own file beside ours: never touched by any outcome.
    (dest / "notes-of-mine.txt").write_text("mine\n", encoding="utf-8")
    return dest


def _strays(out: Path) -> list[str]:
    found = [p.relative_to(out).as_posix() for p in out.rglob("*") if ".tmp-" in p.name]
    if (out / CACHE_DIR / "txn").exists():
        found.append(f"{CACHE_DIR}/txn")
    return found


def _outcome(out: Path, trees: dict[str, object]) -> str:
    tree = read_tree(out)
    assert tree.pop("notes-of-mine.txt") == b"mine\n"
    if tree == trees["old"]:
        return "old"
    if tree == trees["new"]:
        return "new"
    mixed = sorted(p for p in set(tree) | set(trees["new"]) if tree.get(p) != trees["new"].get(p))  # type: ignore[union-attr]
    from_old = sorted(p for p in set(tree) | set(trees["old"]) if tree.get(p) != trees["old"].get(p))  # type: ignore[union-attr]
    raise AssertionError(f"a mix of old and new: {len(mixed)} paths differ from new, e.g. {mixed[:5]}, "
                         f"{len(from_old)} from old, e.g. {from_old[:5]}")


def _slow_generate(spec: Path, out: Path, cwd: Path) -> subprocess.Popen[str]:
    # Run beside the spec, so that headers name it as the trees' do.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cwd / "xdg")}
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_RUN, "generate", "--spec", spec.name, "--out", str(out)],
        cwd=spec.parent, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )


def _wait_for_write_phase(proc: subprocess.Popen[str]) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if "WRITE-PHASE" in line:
            return
    raise AssertionError(f"the run ended before writing (exit {proc.wait()})")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_at_random_points_of_the_write_leaves_old_or_new(
    trees: dict[str, object], tmp_path: Path, signum: int
) -> None:
    rng = random.Random(f"write-integrity-{signum}")
    seen: list[str] = []
    for trial in range(8):
        out = _fresh_copy(trees, tmp_path / f"out{trial}")
        proc = _slow_generate(trees["new_spec"], out, tmp_path)  # type: ignore[arg-type]
        _wait_for_write_phase(proc)
        # The delays cover staging and commit alike, and a little beyond.
        time.sleep(rng.uniform(0.0, 1.3 * trees["phase"]))  # type: ignore[operator]
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        # 0: the signal came after the run was done with the output.
        assert proc.returncode in (0, 128 + signum), err
        assert "Traceback" not in err, err
        assert _strays(out) == []
        seen.append(_outcome(out, trees))
        if proc.returncode != 0:
            assert "nothing was half-written" in err
    # The delays are spread so that both outcomes occur; a check that can
    # only ever see one of them proves little.
    assert "old" in seen and "new" in seen, seen


def test_sigkill_mid_commit_is_rolled_back_by_the_next_run(
    trees: dict[str, object], tmp_path: Path
) -> None:
    rng = random.Random("sigkill")
    for trial in range(4):
        out = _fresh_copy(trees, tmp_path / f"out{trial}")
        proc = _slow_generate(trees["new_spec"], out, tmp_path)  # type: ignore[arg-type]
        _wait_for_write_phase(proc)
        # Into the commit: after staging (a third of the phase), before its end.
        time.sleep(rng.uniform(0.35, 1.0) * trees["phase"])  # type: ignore[operator]
        proc.kill()
        proc.communicate(timeout=60)
        with writer.locked(out):
            writer.recover(out)
        assert _outcome(out, trees) in ("old", "new")
        assert _strays(out) == []


def test_concurrent_runs_into_one_folder_take_turns(trees: dict[str, object], tmp_path: Path) -> None:
    for trial in range(3):
        out = _fresh_copy(trees, tmp_path / f"out{trial}")
        procs = [
            _slow_generate(trees[spec], out, tmp_path)  # type: ignore[arg-type]
            for spec in ("new_spec", "old_spec")
        ]
        errs = [proc.communicate(timeout=120)[1] for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], errs
        assert _outcome(out, trees) in ("old", "new")
        assert _strays(out) == []


def test_file_size_limit_gives_a_clean_error_and_the_old_tree(
    trees: dict[str, object], tmp_path: Path
) -> None:
    out = _fresh_copy(trees, tmp_path / "out")
    changed = [p for p, data in trees["new"].items() if trees["old"].get(p) != data]  # type: ignore[attr-defined]
    sizes = sorted(len(trees["new"][p]) for p in changed)  # type: ignore[index]
    limit = sizes[len(sizes) // 2]  # half the changed files fit, half do not

    def restrict() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--spec", "new.yaml", "--out", str(out)],
        cwd=trees["new_spec"].parent,  # type: ignore[attr-defined]
        env=env, capture_output=True, text=True, preexec_fn=restrict, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(r"cannot write .*: File too large; the output was left as it was", proc.stderr)
    assert _outcome(out, trees) == "old"
    assert _strays(out) == []


class _FullDisk:
    """A file whose writes fail as a full disk fails them, after ``room`` bytes in all."""

    room = 200_000

    def __init__(self, path: object, mode: str = "r", *args: object, **kwargs: object) -> None:
        self._file = open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    def write(self, data: bytes) -> int:
        if len(data) > _FullDisk.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self._file.name)
        _FullDisk.room -= len(data)
        return self._file.write(data)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def test_full_disk_while_staging_leaves_the_old_tree(
    trees: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _fresh_copy(trees, tmp_path / "out")
    changed = [data for p, data in trees["new"].items() if trees["old"].get(p) != data]  # type: ignore[attr-defined]
    monkeypatch.setattr(_FullDisk, "room", sum(map(len, changed)) // 2)
    monkeypatch.setattr(transaction, "open", _FullDisk, raising=False)
    with pytest.raises(writer.UsageError, match=r"No space left on device; the output was left"):
        generate(trees["new_spec"], out, display_path="new.yaml")  # type: ignore[arg-type]
    assert _outcome(out, trees) == "old"
    assert _strays(out) == []


def test_failure_mid_commit_rolls_back(
    trees: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _fresh_copy(trees, tmp_path / "out")
    real = os.replace
    calls = [0]

    def failing(a: object, b: object) -> None:
        calls[0] += 1
        if calls[0] == 100:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(b))
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction.os, "replace", failing)
    with pytest.raises(writer.UsageError, match="Permission denied; the output was left as it was"):
        generate(trees["new_spec"], out, display_path="new.yaml")  # type: ignore[arg-type]
    monkeypatch.undo()
    assert calls[0] >= 100
    assert _outcome(out, trees) == "old"
    assert _strays(out) == []


def test_unwritable_output_folder_is_a_clean_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--spec", str(SPEC),
         "--out", str(blocker / "out")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "cannot write" in proc.stderr and "Not a directory" in proc.stderr


def test_permission_error_on_the_lock_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anywhere, so the refusal is simulated where it would come.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "out"))

    monkeypatch.setattr(transaction, "open", refuse, raising=False)
    with pytest.raises(writer.UsageError, match="cannot write .*Permission denied"):
        generate(SPEC, tmp_path / "out", display_path="spec/messages.yaml")
    assert not (tmp_path / "out" / "PROVENANCE.json").exists()


def test_only_our_files_are_removed_and_the_rest_is_reported(
    trees: dict[str, object], tmp_path: Path
) -> None:
    out = _fresh_copy(trees, tmp_path / "out")
    package = next(p for p in trees["old"] if p.endswith("/__init__.py")).split("/")[0]  # type: ignore[attr-defined]
    helper = out / package / "my_helper.py"
    helper.write_text("def mine() -> int:\n    return 1\n", encoding="utf-8")
    # Without the manifest (a fresh clone has none), our header still tells.
    (out / CACHE_DIR / "manifest.json").unlink()
    result = generate(trees["new_spec"], out, display_path="new.yaml")  # type: ignore[arg-type]
    assert helper.read_text(encoding="utf-8") == "def mine() -> int:\n    return 1\n"
    assert sorted(result.foreign) == sorted(["notes-of-mine.txt", f"{package}/my_helper.py"])
    assert result.removed and all(p in trees["old"] for p in result.removed)  # type: ignore[operator]
    tree = read_tree(out)
    assert tree.pop(f"{package}/my_helper.py") and tree.pop("notes-of-mine.txt")
    assert tree == trees["new"]
