"""The generator as one function: ``generate``. The CLI and the tests both call it.

::

    load -> validate -> build IR -> plan -> render -> format -> compile -> import -> write (or compare)

Only ``load`` reads the spec and only the last stage touches the output
directory; any error before it leaves the output exactly as it was. The
compile stage (``generator.compiled``) is the net under all the others: a
Python file that would not compile stops the run (E020) before anything is
written. The import stage (``generator.imported``) is the net under that: the
package is imported in a fresh interpreter while the write stages the changed
files, and the commit waits for it (E021-E024).

One generation renders up to three targets from the same IR into one tree:
the package at the top, its stub-only package under ``stubs/`` and its
Markdown reference under ``docs/``. A target generated alone (``messages-codegen
stubs``, ``messages-codegen docs``) fills its directory by itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from jinja2 import Environment

from generator import __version__, docs, fmt, incremental, stubs
from generator.build import build_api
from generator.cache import Record
from generator.compiled import GeneratedCodeError, Origin, check_compiles, not_python
from generator.imported import DEFAULT_TIMEOUT, ImportCheck, needed
from generator.diagnostics import Diagnostic, SpecError, UsageError, has_errors
from generator.ir import Api
from generator.loader import load_spec
from generator.plan import (
    RUNTIME_MODULES,
    STREAM_HELPER_MODULE,
    OutputFile,
    plan_files,
    uses_stream_helper,
)
from generator.provenance import recorded_name
from generator.render import make_environment, render
from generator.versions import package_version
from generator.writer import (
    CACHE_DIR,
    PROVENANCE,
    TARGETS,
    Drift,
    compare_tree,
    locked,
    owned_files,
    read_tree,
    recover,
    write_tree,
)

__all__ = ["TARGETS", "GenerateResult", "generate", "load_api", "render_tree", "target_roots"]

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
# Where each target goes when they share a tree.
_NESTED_ROOTS = {"package": "", "stubs": "stubs/", "docs": "docs/"}


@dataclass
class GenerateResult:
    api: Api
    files: dict[str, bytes]
    warnings: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Files in the output folder no run of ours wrote: left alone, reported.
    foreign: list[str] = field(default_factory=list)
    drift: Drift | None = None


def display_name(path: Path) -> str:
    """How a path is named in output: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def load_api(
    spec_path: Path, display_path: str | None = None, *, strict: bool = True
) -> tuple[Api, list[Diagnostic]]:
    """Load, validate and build; raises SpecError on any error, returns the warnings.

    ``strict`` makes the findings that do not change the code errors too.
    """
    from generator.validate import validate_spec

    shown = display_path or display_name(spec_path)
    spec = load_spec(spec_path, shown)
    diagnostics = validate_spec(spec, strict=strict, build=False)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    try:
        api = build_api(spec)
    except RecursionError:
        # Validation bounds what it can foresee (E229, E233); this is the net under it.
        raise SpecError([Diagnostic(
            "E233", "the schemas refer to each other too deeply to generate", spec.at(),
            hint="shorten chains of schemas that only refer on (`$ref` to `$ref`)",
        )]) from None
    return api, [d for d in diagnostics if d.severity == "warning"]


def target_roots(targets: Sequence[str]) -> dict[str, str]:
    """Each target's directory in the output tree, as a prefix of its paths.

    Together, the package takes the top and the stubs and docs their own
    folders (``stubs/``, ``docs/``); a target generated alone takes the top.
    """
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown or not targets:
        raise UsageError(f"unknown target(s) {unknown}; choose from {', '.join(TARGETS)}")
    chosen = [t for t in TARGETS if t in targets]
    if len(chosen) == 1:
        return {chosen[0]: ""}
    return {t: _NESTED_ROOTS[t] for t in chosen}


# A file to format: (path, rendered text, stub or not).
_Pending = tuple[str, str, bool]


def render_tree(
    api: Api,
    existing: dict[str, bytes],
    templates: Path | None = None,
    targets: Sequence[str] = TARGETS,
    full_black: bool = False,
    source: str | None = None,
    origins: dict[str, Origin] | None = None,
    package_ready: Callable[[dict[str, bytes]], None] | None = None,
) -> dict[str, bytes]:
    """Every output file's bytes, reusing existing files whose rendered text is unchanged.

    ``full_black`` runs black over every Python file instead of trusting our
    templates' layout; the output is the same, only slower. ``source`` is the
    spec's name that headers and PROVENANCE.json record (default: the name
    the spec was loaded under). Raises GeneratedCodeError (E020, paths relative
    to the tree) when a Python file rendered in this run does not compile.
    ``origins``, when given, receives each file's origin in the spec.
    ``package_ready`` is called with the files so far once the package's
    modules are final, while the stubs are still to be laid out: the import
    check starts there, to run beside the rest of the work.
    """
    env = make_environment(templates)
    source = api.spec_path if source is None else source
    roots = target_roots(targets)
    out: dict[str, bytes] = {}
    pending: list[_Pending] = []
    origins = {} if origins is None else origins
    # The hand-written runtime, copied as it is: black-formatted in the
    # repository (tests/test_golden.py holds it to that), so never laid out.
    verbatim: set[str] = set()
    if "package" in roots:
        root = roots["package"]
        runtime = list(RUNTIME_MODULES) + ([STREAM_HELPER_MODULE] if uses_stream_helper(api) else [])
        for name in runtime:
            text = (RUNTIME_DIR / name).read_text(encoding="utf-8")
            verbatim.add(f"{root}{api.package}/{name}")
            pending.append((f"{root}{api.package}/{name}", text, False))
        _render_planned(plan_files(api), root, env, source, out, pending, origins)
        out[f"{root}{api.package}/py.typed"] = b""
    # Our own templates lay their output out as black would; a user's may not.
    full_black = full_black or templates is not None
    overridden = templates is not None
    # Rendered in this run (not reused) and not the runtime copied as it is.
    to_compile: list[tuple[str, str]] = []
    for is_pyi in (False, True):
        if is_pyi:
            # Rendered once the package is final: the import check runs meanwhile.
            _render_rest(api, roots, env, source, out, pending, origins, verbatim)
        salt = fmt.salt(is_pyi)
        batch = [(path, text, fmt.rendered_hash(text, salt)) for path, text, pyi in pending if pyi == is_pyi]
        to_format = [item for item in batch if not fmt.reusable(existing.get(item[0]), item[2])]
        try:
            if full_black:
                formatted = fmt.format_python(((path, text) for path, text, _ in to_format), is_pyi)
            else:
                formatted = [
                    text if path in verbatim else fmt.layout(path, text, is_pyi)
                    for path, text, _ in to_format
                ]
        except fmt.TemplateOutputError as exc:
            rendered = next((text for path, text, _ in to_format if path == exc.path), None)
            if rendered is None:
                raise
            # Black read the rendered text, before the header's two lines.
            raise not_python(exc.path, rendered, str(exc), origins, overridden, 2) from None
        for (path, _, digest), text in zip(to_format, formatted):
            final = fmt.header(source, digest, text) + text
            if path not in verbatim:
                to_compile.append((path, final))
            out[path] = final.encode("utf-8")
        for path, _, digest in batch:
            if path not in out:
                out[path] = _reheaded(existing[path], source, digest)
        if not is_pyi and package_ready is not None and "package" in roots:
            package_ready(out)
    check_compiles(to_compile, origins, overridden)
    out[PROVENANCE] = _provenance(api, roots, source)
    return dict(sorted(out.items()))


def _render_rest(
    api: Api,
    roots: dict[str, str],
    env: Environment,
    source: str,
    out: dict[str, bytes],
    pending: list[_Pending],
    origins: dict[str, Origin],
    verbatim: set[str],
) -> None:
    """The stubs and the docs: what a run renders after the package."""
    if "stubs" in roots:
        root = roots["stubs"]
        for name in stubs.runtime_stub_modules(api):
            text = (stubs.RUNTIME_STUBS_DIR / name).read_text(encoding="utf-8")
            verbatim.add(f"{root}{stubs.stub_package(api)}/{name}")
            pending.append((f"{root}{stubs.stub_package(api)}/{name}", text, True))
        _render_planned(stubs.plan_stubs(api), root, env, source, out, pending, origins)
    if "docs" in roots:
        _render_planned(docs.plan_docs(api), roots["docs"], env, source, out, pending, origins)


def _reheaded(existing: bytes, source: str, digest: str) -> bytes:
    """A reused file under a header naming the current spec (it may have been renamed)."""
    first = existing.find(b"\n")
    head = fmt.header(source, digest, "").encode("utf-8")
    # Same body, so the body hash ``reusable`` checked stays; only the name may change.
    return head.split(b"\n", 1)[0] + existing[first:]


def _render_planned(
    planned_files: list[OutputFile],
    root: str,
    env: Environment,
    source: str,
    out: dict[str, bytes],
    pending: list[_Pending],
    origins: dict[str, Origin],
) -> None:
    """Render planned files: Python and stubs wait for black, the rest is final."""
    for planned in planned_files:
        path = root + planned.path
        if planned.origin is not None:
            origins[path] = planned.origin
        if planned.template is None:
            text = planned.content
        else:
            text = render(env, planned.template, planned.context)
        if path.endswith((".py", ".pyi")):
            pending.append((path, text, path.endswith(".pyi")))
            continue
        if path.endswith(".toml"):
            text = f"# Generated by messages-codegen from {source}. Do not edit by hand.\n" + text
        elif path.endswith(".md"):
            text = docs.header(source) + text
        out[path] = text.encode("utf-8")


def _provenance(api: Api, roots: dict[str, str], source: str) -> bytes:
    record = {
        "generator": "messages-codegen",
        "generator_version": __version__,
        "black_version": fmt.BLACK_VERSION,
        "spec": source,
        "spec_sha256": api.spec_sha256,
        "targets": {target: root.rstrip("/") or "." for target, root in roots.items()},
    }
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


def generate(
    spec_path: Path,
    out: Path,
    *,
    templates: Path | None = None,
    check: bool = False,
    display_path: str | None = None,
    targets: Sequence[str] = TARGETS,
    full_black: bool = False,
    strict: bool = True,
    source: str | None = None,
    import_check: bool = True,
    python: str | None = None,
    import_timeout: float = DEFAULT_TIMEOUT,
) -> GenerateResult:
    """Generate ``targets`` (by default the package, its stubs and its docs) into ``out``.

    ``display_path`` names the spec in diagnostics. ``source`` names it in the
    output; by default ``display_path`` if given, else its path relative to
    the project holding ``out`` (``provenance.recorded_name``).

    ``import_check`` imports the package in a fresh interpreter (``python``,
    default this one) before anything is written, when the run rewrites any of
    its modules; ``import_timeout`` bounds it (``generator.imported``).
    """
    caches = _caches(out)
    for record, path, key in caches:
        record.load(path, key)
    api, warnings = load_api(spec_path, display_path, strict=strict)
    existing = read_tree(out)
    # Reuse is safe in both modes: a file edited by hand no longer matches the
    # hash of its body that its header records, so it is formatted afresh.
    if source is None:
        source = display_path if display_path is not None else recorded_name(spec_path, out)
    origins: dict[str, Origin] = {}
    package_dir = target_roots(targets).get("package", "") + api.package
    checker: ImportCheck | None = None

    def package_ready(so_far: dict[str, bytes]) -> None:
        """Start importing the package while the stubs are laid out and the files staged."""
        nonlocal checker
        if import_check and needed(so_far, existing, package_dir):
            checker = ImportCheck(so_far, package_dir, origins, templates is not None,
                                  python, import_timeout)
            checker.start()

    def imported() -> None:
        """Wait for the import check; the commit goes ahead only if it passed."""
        if checker is not None:
            try:
                skipped = checker.finish()
                if skipped:
                    result.warnings.extend(GeneratedCodeError(skipped).under(display_name(out)).diagnostics)
            except GeneratedCodeError as exc:
                raise exc.under(display_name(out)) from None

    try:
        try:
            files = render_tree(api, existing, templates, targets, full_black, source, origins,
                                package_ready)
        except GeneratedCodeError as exc:
            # Nothing was written: the output folder holds what it held.
            raise exc.under(display_name(out)) from None
        result = GenerateResult(api=api, files=files, warnings=warnings)
        if check:
            imported()
            owned = owned_files(out, existing) | set(files)
            result.drift = compare_tree(files, {p: b for p, b in existing.items() if p in owned})
            result.drift.foreign = sorted(set(existing) - owned)
            return result
        had = (out.is_dir(), (out / CACHE_DIR).is_dir())
        try:
            _write(spec_path, out, templates, targets, files, result, caches, source, imported)
        except GeneratedCodeError:
            _unmake(out, *had)
            raise
        except OSError as exc:
            # Raised outside the transaction (the lock, the folder itself): nothing was moved.
            where = exc.filename or out
            raise UsageError(f"{out}: cannot write {where}: {exc.strerror or exc}") from None
    finally:
        if checker is not None:
            checker.cancel()
    return result


def _write(
    spec_path: Path,
    out: Path,
    templates: Path | None,
    targets: Sequence[str],
    files: dict[str, bytes],
    result: GenerateResult,
    caches: list[tuple[Record[Any], Path, str]],
    source: str,
    before_commit: Callable[[], None],
) -> None:
    """The write phase, one run at a time: what is on disk is read again under the lock.

    ``before_commit`` runs once the changed files are staged, before any of
    them moves into ``out``; what it raises leaves ``out`` as it was.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a directory")
    with locked(out):
        recover(out)
        existing = read_tree(out)
        _refuse_other_targets(out, existing, files)
        written = write_tree(out, files, existing, before_commit)
        result.written, result.unchanged, result.removed = (
            written.written, written.unchanged, written.removed,
        )
        result.foreign = written.foreign
        incremental.remember(
            result.api.spec_sha256, result.api.spec_files,
            incremental.inputs_name(result.api.spec_path, source), out,
            templates, targets, files, result.warnings,
        )
        if (out / CACHE_DIR).is_dir():
            for record, path, key in caches:
                record.save(path, key)


def _unmake(out: Path, had_out: bool, had_cache: bool) -> None:
    """Remove the folders the write phase made (for its lock) before the import check failed."""
    if not had_cache:
        shutil.rmtree(out / CACHE_DIR, ignore_errors=True)
    if not had_out:
        with contextlib.suppress(OSError):
            out.rmdir()  # only if nothing else appeared there meanwhile


def _caches(out: Path) -> list[tuple[Record[Any], Path, str]]:
    """What a run keeps beside the incremental state, where, and under which key.

    The Schema Objects that passed validation, and black's layouts of long
    statements: each depends on our code and on the versions of what computed
    it, which the key names, so a change of either starts afresh.
    """
    from generator.validate.oas import PASSED

    code = incremental.code_digest()

    def key(*packages: str) -> str:
        parts = [code, *(f"{name} {package_version(name)}" for name in packages)]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:20]

    folder = out / CACHE_DIR
    return [
        (PASSED, folder / "validated.json",
         key("jsonschema", "openapi-schema-validator", "openapi-spec-validator")),
        (fmt.LAID_OUT, folder / "layouts.json", key("black")),
    ]


def _refuse_other_targets(out: Path, existing: dict[str, bytes], files: dict[str, bytes]) -> None:
    """Writing removes what a generation does not produce: never another target's tree."""
    try:
        before = json.loads(existing[PROVENANCE]).get("targets")
    except (KeyError, ValueError, AttributeError):
        return
    after = json.loads(files[PROVENANCE])["targets"]
    if before is not None and before != after:
        raise UsageError(
            f"{out}: holds the generated {', '.join(sorted(before))}, not "
            f"{', '.join(sorted(after))}; refusing to replace it (choose another --out)"
        )
