"""After compiling, importing: the generated package imports, all of it, before it is written.

Code can compile and still fail when imported: a name a class body uses that
does not exist, two modules that import each other, an ``__all__`` naming
something its lazy ``__getattr__`` cannot find, a pydantic model whose field
names a type nowhere defined. So ``generate`` imports the package before it
replaces the output: every module, every name in every ``__all__``, every
pydantic model built (``generator/import_probe.py`` says exactly what).

It runs in a fresh interpreter, so nothing the package does at import time
reaches the generator's own process, with no stdin and a time limit. The
package is written to a temporary folder first: the whole package, as a user
would import it, where the output folder's staging area holds only the files
that change. It runs while the changed files are staged, and the commit waits
for it (``generator.pipeline``); a failure leaves the output as it was.

The interpreter is the one running the generator unless ``--python`` names
another (the project's own, where the client will run). The generator does not
depend on httpx and pydantic; an interpreter without them cannot import the
package, so the check is skipped with a warning (``W325``) that says how to get it.

Failures are errors located in the generated file (``E021`` a module does
not import, ``E022`` a name of ``__all__`` does not resolve, ``E023`` a model
does not build, ``E024`` the check did not finish), with the spec construct the
file came from when known, as ``E020`` does for code that does not compile.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping

from generator.compiled import BUG, GeneratedCodeError, Origin, origin_of
from generator.diagnostics import Diagnostic, Location, UsageError

__all__ = ["DEFAULT_TIMEOUT", "ImportCheck", "needed"]

PROBE = Path(__file__).resolve().parent / "import_probe.py"
# Long enough for the largest specs on a slow, busy machine; a package whose
# import takes longer than this has a problem of its own.
DEFAULT_TIMEOUT = 300.0
_OVERRIDE = (
    "the templates given with --templates render code that does not import: check yours "
    "(if the file comes from a template you did not override, it is a bug in messages-codegen)"
)
# Beyond this many changed modules, the check runs without comparing their code.
_PARSE_AT_MOST = 40
# How pydantic (and Python) name an annotation that resolves to nothing.
_UNDEFINED = re.compile(r"name '(\w+)' is not defined")
_WHAT = {
    "import": ("E021", "the generated module `{module}` does not import"),
    "export": ("E022", "`{name}` is in `__all__` of `{module}` but does not resolve"),
    "model": ("E023", "the generated model `{module}.{name}` does not build"),
    "client": ("E022", "the generated client `{module}.{name}` cannot be made with an API key"),
    "reach": ("E022", "`{path}` (a resource, made on first use) does not resolve"),
}


def needed(files: Mapping[str, bytes], existing: Mapping[str, bytes], package_dir: str) -> bool:
    """Whether the package's code differs from what the output holds.

    What the output holds passed this check when it was written; a run that
    changes none of the package's code has nothing new to import: --check of
    an up-to-date tree, a docs-only change, and an edit of descriptions, which
    changes only docstrings and comments (nothing the import runs reads them:
    the package never looks at ``__doc__``).
    """
    prefix = package_dir.rstrip("/") + "/"
    paths = {p for p in (*files, *existing) if p.startswith(prefix) and p.endswith(".py")}
    changed = sorted(p for p in paths if files.get(p) != existing.get(p))
    if len(changed) > _PARSE_AT_MOST:
        # Parsing them all (twice) would cost the generator more than the check,
        # which runs beside it: a renamed spec changes every header, say.
        return True
    return any(_code(files.get(p)) != _code(existing.get(p)) for p in changed)


def _code(source: bytes | None) -> str | None:
    """A module's code without its docstrings and comments (None: absent or unreadable)."""
    if source is None:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return ast.dump(_NoStrings().visit(tree))


class _NoStrings(ast.NodeTransformer):
    """Drop every statement that is only a string: a docstring, a field's description.

    A body may end up empty; the tree is only compared, never compiled.
    """

    def visit_Expr(self, node: ast.Expr) -> ast.AST | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None
        return node


class ImportCheck:
    """One check of one package: ``start`` it, do other work, then ``finish`` it.

    ``package_dir`` is the package's folder in the output tree
    (``anthropic_messages``, or ``pkg`` under a root prefix); diagnostics name
    files by their path in the tree, as ``GeneratedCodeError.under`` expects.
    """

    def __init__(
        self,
        files: Mapping[str, bytes],
        package_dir: str,
        origins: dict[str, Origin],
        overridden: bool,
        python: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.package_dir = package_dir.rstrip("/")
        self.origins = origins
        self.overridden = overridden
        self.python = python
        self.timeout = timeout
        self.files = files
        root = self.package_dir.rpartition("/")[0]
        self._root = root + "/" if root else ""
        self._deadline = 0.0
        self._tmp: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start importing the package, from a temporary folder the check writes itself."""
        executable = _interpreter(self.python)
        package = self.package_dir.rpartition("/")[2]
        prefix = self.package_dir + "/"
        # One file for the check to unpack on its own core: hundreds of small
        # files written here would hold up the generator instead.
        modules = {
            rel[len(prefix):]: data.decode("utf-8", "surrogateescape")
            for rel, data in self.files.items() if rel.startswith(prefix) and rel.endswith(".py")
        }
        try:
            self._tmp = tempfile.mkdtemp(prefix="messages-codegen-import-")
            tree = os.path.join(self._tmp, "tree")
            bundle = os.path.join(self._tmp, "package.json")
            with open(bundle, "w", encoding="utf-8") as handle:
                json.dump(modules, handle)
        except OSError as exc:
            self.cancel()
            where = exc.filename or tempfile.gettempdir()
            raise UsageError(f"cannot write the import check's files ({where}): "
                             f"{exc.strerror or exc}; the output was left as it was") from None
        except BaseException:
            self.cancel()
            raise
        try:
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
            env.pop("PYTHONSTARTUP", None)
            with open(os.path.join(self._tmp, "output"), "wb") as sink:
                self._proc = subprocess.Popen(
                    [executable, "-c", PROBE.read_text(encoding="utf-8"), tree, package,
                     os.path.join(self._tmp, "result.json"), bundle],
                    stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                    cwd=self._tmp, env=env,
                )
        except OSError as exc:
            self.cancel()
            raise UsageError(f"cannot run the import check with {self._shown()}: "
                             f"{exc.strerror or exc}") from None
        except BaseException:
            self.cancel()
            raise
        self._deadline = time.monotonic() + self.timeout

    def finish(self) -> list[Diagnostic]:
        """Wait for the check; the warnings, or GeneratedCodeError. Always cleans up."""
        assert self._proc is not None and self._tmp is not None
        try:
            try:
                self._proc.wait(timeout=max(self._deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                raise GeneratedCodeError([self._unfinished(
                    f"the import check did not finish within {self.timeout:g} s",
                )]) from None
            try:
                result = json.loads(Path(self._tmp, "result.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise GeneratedCodeError([self._unfinished(
                    f"the import check stopped without a result (exit status "
                    f"{self._proc.returncode}){self._output_tail()}",
                )]) from None
            if result.get("missing"):
                return [self._skipped(result["missing"])]
            problems = self._diagnostics(result.get("failures", []))
            if problems:
                raise GeneratedCodeError(problems)
            return []
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the check if it still runs and remove its folder."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # ---------------------------------------------------------------- diagnostics

    def _shown(self) -> str:
        return f"--python {self.python}" if self.python else "the Python running messages-codegen"

    def _init_path(self) -> str:
        return f"{self.package_dir}/__init__.py"

    def _skipped(self, missing: list[str]) -> Diagnostic:
        where = f"`{self.python}` (--python)" if self.python else "the Python running messages-codegen"
        return Diagnostic(
            "W325",
            f"the generated package was not import-checked: {where} lacks its runtime "
            f"({', '.join(missing)})",
            Location(self._init_path(), 1, 1),
            severity="warning",
            hint="install the client's runtime there (`pip install httpx 'pydantic>=2'`), or name "
            "an interpreter that has it with --python PATH (or `python` in [tool.messages-codegen]); "
            "--no-import-check skips the check without this warning",
        )

    def _unfinished(self, message: str) -> Diagnostic:
        return Diagnostic(
            "E024", message, Location(self._init_path(), 1, 1),
            hint="a module that loops or blocks at import time, or an interpreter that crashed; "
            "--no-import-check skips the check",
        )

    def _output_tail(self) -> str:
        assert self._tmp is not None
        try:
            text = Path(self._tmp, "output").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        lines = [line for line in text.replace(self._tmp + "/tree/", "").splitlines() if line.strip()]
        return ": " + lines[-1].strip() if lines else ""

    def _diagnostics(self, failures: list[dict[str, object]]) -> list[Diagnostic]:
        seen: set[tuple[str, int, str]] = set()
        problems: list[Diagnostic] = []
        for failure in failures:
            diagnostic = self._diagnostic(failure)
            key = (diagnostic.location.path, diagnostic.location.line, str(failure.get("message")))
            # One cause, met again by every module that imports the one that failed.
            if key not in seen:
                seen.add(key)
                problems.append(diagnostic)
        return problems

    def _diagnostic(self, failure: dict[str, object]) -> Diagnostic:
        kind = str(failure.get("kind"))
        module, name = str(failure.get("module")), str(failure.get("name") or "")
        code, what = _WHAT.get(kind, _WHAT["import"])
        frames = [(self._root + str(path), int(line)) for path, line in failure.get("frames") or []]  # type: ignore[attr-defined]
        own = self._module_path(module)
        if frames and not (kind in ("export", "model") and frames[-1][0] == own):
            path, line = frames[-1]
        elif kind == "export":
            path, line = own, self._line_of(own, f'"{name}"', after="__all__")
        elif kind == "reach":
            owner = self._line_of(own, f"class {failure.get('owner')}(")
            path, line = own, self._line_of(own, f"def {name}(", start=owner)
        elif kind == "client":
            path, line = own, self._line_of(own, f"class {name}(")
        elif kind == "model":
            path, line = own, self._line_of(own, f"class {name}(")
            undefined = _UNDEFINED.search(str(failure.get("message")))
            if undefined is not None:
                # The field whose type names nothing, in the class body.
                line = self._line_of(own, undefined.group(1), start=line)
        else:
            path, line = own, 1
        if kind == "import":
            # Where it failed, not the first module that happened to import it.
            module = self._module_of(path) or module
        text = self._line_text(path, line)
        origin = origin_of(path, text, self.origins)
        hint = _OVERRIDE if self.overridden else BUG
        related: tuple[Location, ...] = ()
        if origin is not None:
            hint = f"generated from {origin[0]}; {hint}"
            related = (origin[1],) if origin[1] is not None else ()
        message = what.format(module=module, name=name, path=failure.get("path"))
        # The first line says it; pydantic adds a paragraph with a link.
        reason = str(failure.get("message")).strip().split("\n", 1)[0]
        return Diagnostic(
            code, f"{message}: {failure.get('type')}: {reason}",
            Location(path, line, _column(text)), hint=hint, related=related,
        )

    def _module_path(self, module: str) -> str:
        parts = module.split(".")[1:]
        base = "/".join([self.package_dir, *parts])
        return base + ".py" if f"{base}.py" in self.files else f"{base}/__init__.py"

    def _module_of(self, path: str) -> str | None:
        if not (path.startswith(self._root) and path.endswith(".py")):
            return None
        parts = path[len(self._root):-3].split("/")
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def _line_text(self, path: str, line: int) -> str:
        data = self.files.get(path, b"")
        lines = data.decode("utf-8", "replace").splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _line_of(self, path: str, needle: str, after: str = "", start: int = 1) -> int:
        """The first line holding ``needle``, from line ``start`` or the first line starting ``after``."""
        lines = self.files.get(path, b"").decode("utf-8", "replace").splitlines()
        first = start - 1
        if after:
            first = next((i for i, text in enumerate(lines) if text.startswith(after)), first)
        return next((i + 1 for i in range(first, len(lines)) if needle in lines[i]), start)


def _column(text: str) -> int:
    return len(text) - len(text.lstrip()) + 1


def _interpreter(python: str | None) -> str:
    if python is None:
        return sys.executable
    found = shutil.which(python) if os.sep not in python else python
    if found is None or not os.path.isfile(found) or not os.access(found, os.X_OK):
        raise UsageError(f"--python {python}: no such interpreter")
    # The check runs in a folder of its own; a venv's python is a symlink that must stay one.
    return os.path.abspath(found)
