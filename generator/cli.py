"""The `messages-codegen` command line.

Every command is a thin shell over a library function that the tests call too;
this module only parses arguments, prints, and maps errors to exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import __version__
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


@cli.command()
@click.argument("spec", required=False, default=DEFAULT_SPEC, type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
    show_default=True, help="How to print diagnostics.",
)
def validate(spec: str, fmt: str) -> None:
    """Check SPEC (default: spec/messages.yaml) and report every problem found.

    Exit status: 0 clean (warnings allowed), 1 problems found, 2 unreadable file.
    """
    from generator.validate import validate_file

    try:
        diagnostics = validate_file(Path(spec), display_path=spec)
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


def main() -> None:
    cli(prog_name="messages-codegen")
