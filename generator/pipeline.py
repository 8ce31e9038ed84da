"""The generator as one function: ``generate``. The CLI and the tests both call it.

::

    load -> validate -> build IR -> plan -> render -> format -> write (or compare)

Only ``load`` reads the spec and only the last stage touches the output
directory; any error before it leaves the output exactly as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import black

from generator import __version__, fmt
from generator.build import build_api
from generator.diagnostics import Diagnostic, SpecError, has_errors
from generator.ir import Api
from generator.loader import load_spec
from generator.plan import RUNTIME_MODULES, STREAM_HELPER_MODULE, plan_files, uses_stream_helper
from generator.render import make_environment, render
from generator.writer import PROVENANCE, Drift, compare_tree, read_tree, write_tree

__all__ = ["GenerateResult", "generate", "load_api", "render_tree"]

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"


@dataclass
class GenerateResult:
    api: Api
    files: dict[str, bytes]
    warnings: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    drift: Drift | None = None


def display_name(path: Path) -> str:
    """How a path is named in output: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def load_api(spec_path: Path, display_path: str | None = None) -> tuple[Api, list[Diagnostic]]:
    """Load, validate and build; raises SpecError on any error, returns the warnings."""
    from generator.validate import validate_spec

    shown = display_path or display_name(spec_path)
    spec = load_spec(spec_path, shown)
    diagnostics = validate_spec(spec)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    return build_api(spec), [d for d in diagnostics if d.severity == "warning"]


def render_tree(api: Api, existing: dict[str, bytes], templates: Path | None = None) -> dict[str, bytes]:
    """Every output file's bytes, reusing existing files whose rendered text is unchanged."""
    env = make_environment(templates)
    source = api.spec_path
    out: dict[str, bytes] = {}
    pending: list[tuple[str, str, str]] = []  # (path, rendered text, digest)
    runtime = list(RUNTIME_MODULES) + ([STREAM_HELPER_MODULE] if uses_stream_helper(api) else [])
    for name in runtime:
        text = (RUNTIME_DIR / name).read_text(encoding="utf-8")
        pending.append((f"{api.package}/{name}", text, fmt.rendered_hash(text, fmt.BLACK_SALT)))
    for planned in plan_files(api):
        if planned.template is None:
            text = planned.content
        else:
            text = render(env, planned.template, planned.context)
        if not planned.path.endswith(".py"):
            out[planned.path] = text.encode("utf-8")
            continue
        pending.append((planned.path, text, fmt.rendered_hash(text, fmt.BLACK_SALT)))
    to_format = [
        (path, text, digest) for path, text, digest in pending
        if not fmt.reusable(existing.get(path), digest)
    ]
    formatted = fmt.format_python((path, text) for path, text, _ in to_format)
    for (path, _, digest), text in zip(to_format, formatted):
        out[path] = (fmt.header(source, digest) + text).encode("utf-8")
    for path, _, digest in pending:
        if path not in out:
            out[path] = existing[path]
    out[f"{api.package}/py.typed"] = b""
    out[PROVENANCE] = _provenance(api)
    return dict(sorted(out.items()))


def _provenance(api: Api) -> bytes:
    record = {
        "generator": "messages-codegen",
        "generator_version": __version__,
        "black_version": black.__version__,
        "spec": api.spec_path,
        "spec_sha256": api.spec_sha256,
    }
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


def generate(
    spec_path: Path,
    out: Path,
    *,
    templates: Path | None = None,
    check: bool = False,
    display_path: str | None = None,
) -> GenerateResult:
    api, warnings = load_api(spec_path, display_path)
    existing = read_tree(out)
    files = render_tree(api, existing, templates)
    result = GenerateResult(api=api, files=files, warnings=warnings)
    if check:
        result.drift = compare_tree(files, existing)
        return result
    written = write_tree(out, files, existing)
    result.written, result.unchanged, result.removed = (
        written.written, written.unchanged, written.removed,
    )
    return result
