"""The `messages-codegen` command line.

Every command is a thin shell over a library function that the tests call too;
this module only parses arguments, prints, and maps errors to exit codes.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from generator import __version__
from generator.codes import LENIENT
from generator.diagnostics import GeneratorError, SpecError, format_diagnostics

__all__ = ["cli", "main"]

DEFAULT_SPEC = "spec/messages.yaml"


def _fail(exc: GeneratorError, fmt: str = "text") -> None:
    if isinstance(exc, SpecError):
        click.echo(format_diagnostics(exc.diagnostics, fmt), nl=False, err=fmt == "text")
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="messages-codegen")
def cli() -> None:
    """Generate a typed Python client from an OpenAPI description of the Messages API."""


_STRICT_OPTION = click.option(
    "--strict/--no-strict", default=None,
    help="Make findings that do not change the generated code (bad examples and defaults, "
    "unknown keywords, 3.0 leftovers) errors.  [default: the `strict` setting, else off]",
)


def _strict(flag: bool | None, settings: dict[str, object]) -> bool:
    return flag if flag is not None else settings.get("strict") is True


@cli.command()
@click.argument("spec", required=False, default=DEFAULT_SPEC, type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
    show_default=True, help="How to print diagnostics.",
)
@_STRICT_OPTION
def validate(spec: str, fmt: str, strict: bool | None) -> None:
    """Check SPEC (default: spec/messages.yaml) and report every problem found.

    Exit status: 0 clean (warnings allowed), 1 problems found, 2 unreadable file.
    Findings that do not change the generated code (examples, defaults, unknown
    keywords...) are warnings unless --strict or `strict = true` in
    [tool.messages-codegen] of ./pyproject.toml.
    """
    from generator.validate import validate_file

    try:
        diagnostics = validate_file(Path(spec), display_path=spec, strict=_strict(strict, _settings()))
    except GeneratorError as exc:
        _fail(exc, fmt)
        return
    out = format_diagnostics(diagnostics, fmt)
    if fmt == "text":
        if out:
            click.echo(out, nl=False, err=True)
        if not any(d.severity == "error" for d in diagnostics):
            click.echo(f"{spec}: ok", err=True)
    else:
        click.echo(out, nl=False)
    if any(d.severity == "error" for d in diagnostics):
        sys.exit(1)


def _settings() -> dict[str, object]:
    """``[tool.messages-codegen]`` from ./pyproject.toml, if there is one."""
    import tomllib

    path = Path("pyproject.toml")
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    section = data.get("tool", {}).get("messages-codegen", {})
    return section if isinstance(section, dict) else {}


_SPEC_OPTION = click.option("--spec", "spec", default=None, type=click.Path(dir_okay=False),
                            help="The spec to generate from.  [default: spec/messages.yaml]")
_TEMPLATES_OPTION = click.option("--templates", "templates", default=None,
                                 type=click.Path(file_okay=False, exists=True),
                                 help="A directory whose templates override ours, one by one, by name.")
_CHECK_OPTION = click.option("--check", is_flag=True,
                             help="Write nothing; report drift and exit 1 if the output would change.")


@cli.command()
@_SPEC_OPTION
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="The directory to generate into.  [default: generated]")
@_TEMPLATES_OPTION
@_CHECK_OPTION
@click.option("--full-black", is_flag=True,
              help="Run black over every Python file written (the same output, slower).")
@_STRICT_OPTION
@click.option("--python", "python", default=None, metavar="PATH",
              help="The interpreter that imports the generated package before it is written; it "
              "needs httpx and pydantic v2.  [default: the `python` setting, else this one]")
@click.option("--import-check/--no-import-check", "import_check", default=None,
              help="Import the generated package (every module, export and model) in a fresh "
              "interpreter before writing it.  [default: the `import_check` setting, else on]")
def generate(
    spec: str | None, out: str | None, templates: str | None, check: bool, full_black: bool,
    strict: bool | None, python: str | None, import_check: bool | None,
) -> None:
    """Generate the client package, its stubs and its docs from the spec.

    Settings not given as options are read from [tool.messages-codegen] in
    ./pyproject.toml (keys: spec, out, templates, strict, python, import_check).
    """
    settings = _settings()
    out = out or str(settings.get("out", "generated"))
    python = python or (str(settings["python"]) if "python" in settings else None)
    if import_check is None:
        import_check = settings.get("import_check") is not False
    _run(None, spec, out, templates, check, "messages-codegen generate", settings, full_black,
         _strict(strict, settings), python=python, import_check=import_check)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
    show_default=True, help="text for people, markdown for a changelog, json for machines.",
)
@click.option(
    "--fail-on", type=click.Choice(["breaking", "minor", "any"]), default=None,
    help="Exit 1 if a change at or above this level exists.  [default: never]",
)
def diff(old: str, new: str, fmt: str, fail_on: str | None) -> None:
    """Report what changed from OLD to NEW for users of the generated client.

    Each side is a spec file, or git:REV:PATH for a spec file at a git
    revision (git:v1.2.0:spec/messages.yaml); git:REV alone reads the `spec`
    setting of [tool.messages-codegen] (default spec/messages.yaml). Every change has a rule id, its wire
    impact (request/response aware), its effect on the Python surface, and
    file:line:col in both versions; the report suggests a version bump.

    Exit status: 0 (or 1 with --fail-on), 1 a spec has problems, 2 a side
    cannot be read.
    """
    from generator.diff import diff_specs, load_side, render

    try:
        default_spec = str(_settings().get("spec", DEFAULT_SPEC))
        report = diff_specs(load_side(old, default_spec=default_spec),
                            load_side(new, default_spec=default_spec))
    except GeneratorError as exc:
        _fail(exc)
        return
    click.echo(render(report, fmt), nl=False)
    if report.fails(fail_on):  # type: ignore[arg-type]
        sys.exit(1)


def _run(
    target: str | None, spec: str | None, out: str, templates: str | None, check: bool,
    again: str, settings: dict[str, object] | None = None, full_black: bool = False,
    strict: bool | None = None, *, python: str | None = None, import_check: bool = True,
) -> None:
    """Generate ``target`` (every target when None) into ``out``, and report.

    ``again`` is the command that brings ``out`` up to date, for the drift message.
    """
    from generator import incremental
    from generator.provenance import recorded_name
    from generator.writer import TARGETS

    settings = _settings() if settings is None else settings
    strict = _strict(strict, settings)
    spec = spec or str(settings.get("spec", DEFAULT_SPEC))
    templates = templates or (str(settings["templates"]) if "templates" in settings else None)
    template_dir = Path(templates) if templates else None
    chosen = (target,) if target else TARGETS
    source = recorded_name(Path(spec), Path(out))
    # Nothing changed since the last run: say so without loading the pipeline.
    cached = incremental.lookup(
        Path(spec), incremental.inputs_name(spec, source), Path(out), template_dir, chosen
    )
    if cached is not None and strict and any(w.code in LENIENT for w in cached[1]):
        cached = None  # made leniently; strict turns those warnings into errors
    if cached is not None:
        files, warnings = cached
        if warnings:
            click.echo(format_diagnostics(warnings), nl=False, err=True)
        state = "up to date" if check else "nothing to do"
        click.echo(f"{out}: {state} ({len(files)} files, unchanged since the last run)", err=True)
        return

    from generator.pipeline import generate as run

    try:
        result = run(
            Path(spec), Path(out), templates=template_dir, check=check, display_path=spec,
            targets=chosen, full_black=full_black, strict=strict, source=source,
            import_check=import_check, python=python,
        )
    except GeneratorError as exc:
        _fail(exc)
        return
    if result.warnings:
        click.echo(format_diagnostics(result.warnings), nl=False, err=True)
    if check:
        assert result.drift is not None
        if result.drift:
            click.echo(result.drift.report(), nl=False)
            click.echo(f"{out}: out of date; run `{again}` to update it", err=True)
            sys.exit(1)
        click.echo(f"{out}: up to date ({len(result.files)} files)", err=True)
        return
    click.echo(
        f"{out}: {len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed",
        err=True,
    )
    if result.foreign:
        shown = ", ".join(result.foreign[:10]) + (", ..." if len(result.foreign) > 10 else "")
        click.echo(
            f"{out}: left alone {len(result.foreign)} file(s) messages-codegen did not write: {shown}",
            err=True,
        )


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; a BaseException, so no ``except Exception`` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _catch_signals() -> None:
    """Turn SIGINT and SIGTERM into an exception, so every cleanup on the way out runs."""
    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _raise_interrupted)


@cli.command()
@_SPEC_OPTION
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="The directory to write the stub package into (with its pyproject.toml).")
@_TEMPLATES_OPTION
@_CHECK_OPTION
def stubs(spec: str | None, out: str, templates: str | None, check: bool) -> None:
    """Generate only the stub-only package (PEP 561, `<package>-stubs`).

    `.pyi` files for the whole public surface, from the same IR as the
    package; `pip install OUT` makes mypy and pyright check code against them.
    `messages-codegen generate` writes the same stubs under `<out>/stubs/`.
    """
    _run("stubs", spec, out, templates, check, f"messages-codegen stubs --out {out}")


@cli.command()
@_SPEC_OPTION
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="The directory to write the Markdown pages into.")
@click.option("--site", "site", default=None, type=click.Path(file_okay=False),
              help="The directory to write the pages into as a static HTML site, for a browser, offline.")
@click.option("--mermaid", "mermaid", default=None, type=click.Path(dir_okay=False, exists=True),
              help="Mermaid's browser bundle for the site's diagrams.  "
                   "[default: node_modules/mermaid/dist/mermaid.min.js here or in a folder "
                   "above, as `npm ci` installs it]")
@_TEMPLATES_OPTION
@_CHECK_OPTION
def docs(spec: str | None, out: str | None, site: str | None, mermaid: str | None,
         templates: str | None, check: bool) -> None:
    """Generate only the Markdown reference: index.md, a page per operation and per schema.

    `messages-codegen generate` writes the same pages under `<out>/docs/`.
    With --site DIR, also (or only) the same pages as HTML that a browser opens
    from the file system: DIR/index.html, with the diagrams drawn by a local
    copy of Mermaid; nothing is loaded from the network.
    """
    if out is None and site is None:
        raise click.UsageError("give --out DIR (Markdown), --site DIR (HTML), or both")
    if check and site is not None:
        raise click.UsageError("--check compares Markdown output; it does not apply to --site")
    if out is not None:
        _run("docs", spec, out, templates, check, f"messages-codegen docs --out {out}")
    if site is not None:
        _site(spec, site, mermaid, templates)


def _site(spec: str | None, site: str, mermaid: str | None, templates: str | None) -> None:
    from generator.docs.html import MERMAID_HINT, build_site, find_mermaid

    settings = _settings()
    spec = spec or str(settings.get("spec", DEFAULT_SPEC))
    templates = templates or (str(settings["templates"]) if "templates" in settings else None)
    bundle = Path(mermaid) if mermaid else find_mermaid()
    try:
        result = build_site(Path(spec), Path(site), mermaid=bundle, display_path=spec,
                            templates=Path(templates) if templates else None)
    except GeneratorError as exc:
        _fail(exc)
        return
    if result.warnings:
        click.echo(format_diagnostics(result.warnings), nl=False, err=True)
    if bundle is None:
        click.echo("warning: Mermaid's browser bundle was not found: the diagrams show as their "
                   f"source\n  hint: {MERMAID_HINT}", err=True)
    click.echo(f"{site}: {len(result.pages)} pages; open {Path(site) / 'index.html'}", err=True)


def main() -> None:
    _catch_signals()
    try:
        cli(prog_name="messages-codegen")
    except Interrupted as exc:
        # Writing holds signals back while files move, so whenever one lands
        # the output is the old tree or the new one, whole.
        click.echo(f"messages-codegen: interrupted ({exc.name}); nothing was half-written", err=True)
        sys.exit(128 + exc.signum)
    finally:
        # The work is done: a signal that lands while the interpreter shuts
        # down must not turn a finished run into a crash.
        for name in ("SIGINT", "SIGTERM"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
