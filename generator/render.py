"""Rendering: the one place Jinja is configured.

``StrictUndefined`` turns a misspelled variable into an error instead of an
empty string. Templates load from the user's override directory first, then
ours, so a user replaces one template by dropping a file of the same name.

Parsing and compiling the templates took about half of rendering, on every
run, so the compiled templates are kept in the user's cache directory
(``$XDG_CACHE_HOME/messages-codegen``, or ``~/.cache/messages-codegen``), in a
folder named for this Jinja and these settings. Jinja checks each template's
source against the checksum stored beside its code, so an edited template is
compiled afresh; a cache that cannot be read or written only costs the time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import jinja2

from generator.typemap import literal

__all__ = ["TEMPLATES_DIR", "cache_dir", "make_environment", "render"]


def _templates_dir() -> Path:
    """Our templates: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


TEMPLATES_DIR = _templates_dir()

# Everything here shapes the compiled code, so it names the cache folder too.
_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def _pystr_or_none(value: Any) -> str:
    return "None" if value is None else literal(str(value))


def _tomlstr(value: Any) -> str:
    # A JSON string is a valid TOML basic string.
    return json.dumps(str(value), ensure_ascii=False)


def make_environment(overrides: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; cached, so templates compile once per process.

    Jinja still checks each template's modification time, so an edited
    template is picked up.
    """
    return _environment(overrides.resolve() if overrides is not None else None, cache_dir())


def cache_dir() -> Path | None:
    """Where compiled templates are kept, or None when there is no home to keep them in."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    settings = json.dumps([sys.version, sorted(_OPTIONS.items())])
    tag = hashlib.sha256(settings.encode()).hexdigest()[:12]
    return Path(base) / "messages-codegen" / f"jinja-{jinja2.__version__}-{tag}"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, made harmless: a cache file it cannot use is a miss."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            # A truncated or foreign file: compile from source instead.
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    # Its files are code we run: use a folder only its owner can write to.
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return _BytecodeCache(str(folder))


@functools.lru_cache(maxsize=8)
def _environment(overrides: Path | None, cache: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None:
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(cache),
        **_OPTIONS,
    )
    env.filters["pystr"] = lambda v: literal(str(v))
    env.filters["pystr_or_none"] = _pystr_or_none
    env.filters["tomlstr"] = _tomlstr
    return env


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    return env.get_template(template).render(ctx=context)
