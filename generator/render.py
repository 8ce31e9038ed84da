"""Rendering: the one place Jinja is configured.

``StrictUndefined`` turns a misspelled variable into an error instead of an
empty string. Templates load from the user's override directory first, then
ours, so a user replaces one template by dropping a file of the same name.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jinja2

from generator.typemap import literal

__all__ = ["TEMPLATES_DIR", "make_environment", "render"]

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


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
    return _environment(overrides.resolve() if overrides is not None else None)


@functools.lru_cache(maxsize=8)
def _environment(overrides: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None:
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pystr"] = lambda v: literal(str(v))
    env.filters["pystr_or_none"] = _pystr_or_none
    env.filters["tomlstr"] = _tomlstr
    return env


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    return env.get_template(template).render(ctx=context)
