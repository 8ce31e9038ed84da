"""What the import check runs in a fresh interpreter: import a generated package, all of it.

Run by ``generator.imported`` as ``python -c <this file's text> TREE PACKAGE RESULT``,
never imported by the generator itself. It may run under any Python the
generated package supports (3.9 and later), with only the standard library and
the package's own runtime (httpx, pydantic v2) to lean on, so it keeps to the
syntax and library of 3.9.

"Imports" means what a user of the package can reach without calling the API:

1. every module of the package, walked from the files (a module nothing
   imports eagerly is still one a user may import);
2. every name in each module's ``__all__``, which resolves the package's lazy
   exports (``from anthropic_messages import Anthropic`` runs ``__getattr__``);
3. every pydantic model the package defines, built (models are built on first
   use, so a field whose type names nothing fails only when a response arrives).

The outcome is one JSON object written to RESULT: the runtime modules that
are missing (nothing else was tried), or the failures, each with the generated
frames of its traceback. A run that writes no RESULT crashed or hung.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import traceback

# The generated package's runtime: what its pyproject.toml depends on.
RUNTIME = ("httpx", "pydantic", "typing_extensions")


def _missing_runtime() -> list:
    missing = [name for name in RUNTIME if importlib.util.find_spec(name) is None]
    if "pydantic" not in missing:
        import pydantic

        if not str(getattr(pydantic, "VERSION", "1")).startswith("2"):
            missing.append("pydantic>=2 (found " + str(pydantic.VERSION) + ")")
    return missing


def _failure(kind: str, module: str, exc: BaseException, tree: str, name: str = "") -> dict:
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(tree):
            frames.append([frame.filename[len(tree):].lstrip("/\\"), frame.lineno or 1])
    if isinstance(exc, SyntaxError) and exc.filename and str(exc.filename).startswith(tree):
        frames.append([str(exc.filename)[len(tree):].lstrip("/\\"), exc.lineno or 1])
    text = str(exc).replace(tree + "/", "").replace(tree, "")
    return {
        "kind": kind,
        "module": module,
        "name": name,
        "type": type(exc).__name__,
        "message": text,
        "frames": frames,
    }


def probe(tree: str, modules: list) -> dict:
    missing = _missing_runtime()
    if missing:
        return {"missing": missing}
    failures = []
    loaded = []
    for module in modules:
        try:
            loaded.append(importlib.import_module(module))
        except BaseException as exc:  # noqa: BLE001 - anything at import time is a failure
            failures.append(_failure("import", module, exc, tree))
    for module in loaded:
        for name in getattr(module, "__all__", ()):
            try:
                getattr(module, name)
            except BaseException as exc:  # noqa: BLE001
                failures.append(_failure("export", module.__name__, exc, tree, str(name)))
    failures.extend(_build_models(loaded, tree))
    return {"failures": failures}


def _build_models(loaded: list, tree: str) -> list:
    import pydantic

    failures = []
    for module in loaded:
        for name, value in sorted(vars(module).items()):
            if not (
                isinstance(value, type)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__ == module.__name__
                and value.__qualname__ == name
            ):
                continue
            try:
                value.model_rebuild(raise_errors=True)
            except BaseException as exc:  # noqa: BLE001
                failures.append(_failure("model", module.__name__, exc, tree, name))
    return failures


def _modules(tree: str, package: str) -> list:
    """The package first, then every module under it, in a stable order."""
    found = []
    root = os.path.join(tree, package)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, tree).replace(os.sep, ".")
        for name in sorted(files):
            if name == "__init__.py":
                found.append(rel)
            elif name.endswith(".py"):
                found.append(rel + "." + name[:-3])
    return sorted(found, key=lambda m: (m != package, m))


def main(argv: list) -> None:
    tree, package, result = argv[1], argv[2], argv[3]
    # ``python -c`` puts the working directory first: a package of the same
    # name there (the checkout's own output, say) must not stand in for ours.
    sys.path[0] = tree
    modules = _modules(tree, package)
    outcome = probe(tree, modules)
    with open(result, "w", encoding="utf-8") as handle:
        json.dump(outcome, handle)


if __name__ == "__main__":
    main(sys.argv)
