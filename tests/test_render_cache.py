"""Compiled templates kept between runs change nothing but the time a run takes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import render
from generator.build import build_api
from generator.loader import load_spec
from generator.pipeline import render_tree

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def api():  # type: ignore[no-untyped-def]
    return build_api(load_spec(ROOT / "spec" / "messages.yaml", "spec/messages.yaml"))


def _render(  # type: ignore[no-untyped-def]
    api, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, bytes]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    return render_tree(api, {})


def test_output_is_the_same_with_a_cold_a_warm_and_a_broken_cache(
    api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    unusable = tmp_path / "not-a-folder"
    unusable.write_text("", encoding="utf-8")
    without = _render(api, unusable, monkeypatch)

    home = tmp_path / "cache"
    assert _render(api, home, monkeypatch) == without
    folder = render.cache_dir()
    assert folder is not None and folder.parent.parent == home
    written = sorted(folder.iterdir())
    assert written and all(p.suffix == ".cache" for p in written)
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)

    for path in written:  # a truncated file, as a crash in mid-write would leave
        path.write_bytes(path.read_bytes()[:20])
    render._environment.cache_clear()
    assert _render(api, home, monkeypatch) == without
    render._environment.cache_clear()
    assert _render(api, home, monkeypatch) == without


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = render.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert render._bytecode_cache(folder) is None
    folder.chmod(0o700)
    assert render._bytecode_cache(folder) is not None


def test_the_folder_names_this_jinja(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = render.cache_dir()
    assert folder is not None and folder.name.startswith(f"jinja-{jinja2.__version__}-")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    assert render.cache_dir() == Path.home() / ".cache" / "messages-codegen" / folder.name
