"""Plan the stub-only package (PEP 561): ``<package>-stubs``, one ``.pyi`` per module.

The stubs come from the same IR, through the same ``TypeWriter`` and the same
planning functions as the package (``generator.plan`` builds every context);
this module picks the stub templates (``templates/stubs/``) and changes only
what a stub says differently:

- a stub is never executed, so every import sits at the top (cycles between
  modules are fine) and no annotation needs quoting;
- defaults and bodies are ``...``, and overloads need no implementation;
- ``Annotated[..., OpenEnum()]`` and ``Discriminated(...)`` tell pydantic how
  to parse a response; a type checker reads them as the plain type, so the
  stubs leave them out (``StaticTypeWriter``);
- response models derive from the stubs' own ``BaseModel`` (``_models.pyi``),
  so checking code against the stubs needs neither pydantic nor the package.

The hand-written parts of the runtime have hand-written stubs in
``generator/runtime_stubs/``, copied into every stub package as the runtime is
copied into every package. No I/O happens here: the pipeline reads those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Literal

from generator import ir, naming
from generator.plan import (
    _RESOURCE_SUFFIXES,
    OutputFile,
    _alias_context,
    _client_file,
    _exceptions_file,
    _method_view,
    _model_context,
    _package_init,
    _param_context,
    _resource_module,
    resource_origin,
    schema_origin,
    stdlib_imports,
    uses_stream_helper,
)
from generator.typemap import (
    TypeWriter,
    docstring,
    module_name,
    schema_cycles,
    schema_sides,
    taken_names,
)

__all__ = [
    "RUNTIME_STUBS",
    "RUNTIME_STUBS_DIR",
    "STREAM_HELPER_STUB",
    "StaticTypeWriter",
    "plan_stubs",
    "runtime_stub_modules",
    "stub_package",
]

RUNTIME_STUBS_DIR = Path(__file__).resolve().parent / "runtime_stubs"
# Stubs of the hand-written runtime modules that the public surface reaches.
RUNTIME_STUBS = (
    "_base_client.pyi",
    "_binary.pyi",
    "_errors.pyi",
    "_jsonl.pyi",
    "_models.pyi",
    "_pagination.pyi",
    "_resource.pyi",
    "_response.pyi",
    "_streaming.pyi",
    "_types.pyi",
)
STREAM_HELPER_STUB = "_message_stream.pyi"


@dataclass
class StaticTypeWriter(TypeWriter):
    """``TypeWriter`` as a type checker reads it: the same table, without parsing markers.

    The package's response types carry ``Annotated`` metadata for pydantic
    (open enums, tag dispatch); a checker sees through it, so stubs and docs
    print the plain type.
    """

    def _open(self, text: str) -> str:
        return text

    def _datetime(self, kind: Literal["date", "datetime"] = "datetime") -> str:
        if self.side == "model":
            return self.helper(kind)
        return super()._datetime(kind)

    def _union(self, t: ir.UnionOf) -> str:
        return super()._union(replace(t, discriminator=None))


def stub_package(api: ir.Api) -> str:
    """The stub package's directory: ``<package>-stubs`` (PEP 561)."""
    return f"{api.package}-stubs"


def runtime_stub_modules(api: ir.Api) -> list[str]:
    return list(RUNTIME_STUBS) + ([STREAM_HELPER_STUB] if uses_stream_helper(api) else [])


def plan_stubs(api: ir.Api) -> list[OutputFile]:
    """Every generated stub file, by path relative to the stubs' root directory.

    The runtime stubs (``runtime_stub_modules``) are not listed: they are copied.
    """
    schemas = {s.name: s for s in api.schemas}
    root = stub_package(api)
    cycles = schema_cycles(schemas)
    taken = taken_names(schemas)
    files: list[OutputFile] = []
    exports: list[tuple[str, str]] = []
    for schema in api.schemas:
        for out, export in _schema_stubs(schema, schemas, root, cycles, taken):
            files.append(out)
            exports.append(export)
    files.append(_exports_file(f"{root}/types/__init__.pyi", exports,
                               "Every type of the API: response models, request shapes and aliases."))
    files.extend(_resource_stubs(api, schemas, root))
    files.append(_client_stub(api, root))
    files.append(_exceptions_stub(api, root))
    files.append(_package_stub(api, root))
    files.append(OutputFile(f"{root}/_version.pyi", "stubs/version.pyi.jinja", {}))
    files.append(OutputFile("pyproject.toml", "stubs/pyproject.toml.jinja", {
        "dist_name": f"{api.package.replace('_', '-')}-stubs",
        "root": root,
        "version": api.package_version,
        "description": f"Type stubs for {api.package}, the typed Python client for {api.title}",
    }))
    return sorted(files, key=lambda f: f.path)


# -- types ---------------------------------------------------------------------


def _schema_stubs(
    schema: ir.Schema,
    schemas: dict[str, ir.Schema],
    root: str,
    cycles: dict[str, int],
    taken: frozenset[str],
) -> Iterator[tuple[OutputFile, tuple[str, str]]]:
    for side, py_name in schema_sides(schema):
        writer = StaticTypeWriter(schemas, side, home=schema.name, cycles=cycles, taken=taken)
        module = module_name(py_name)
        match schema:
            case ir.ObjectSchema() if side == "model":
                ctx = _model_context(schema, py_name, writer)
                # A stub states that a default exists, not what it is.
                ctx["fields"] = [{**f, "assign": " = ..." if f["assign"] else ""} for f in ctx["fields"]]
                template = "stubs/model.pyi.jinja"
            case ir.ObjectSchema():
                ctx = _param_context(schema, py_name, writer)
                template = "stubs/param.pyi.jinja"
            case _:
                ctx = _alias_context(schema, py_name, writer)
                template = "stubs/alias.pyi.jinja"
        ctx["imports"] = _type_imports(ctx)
        yield OutputFile(
            f"{root}/types/{module}.pyi", template, ctx, origin=schema_origin(schema)
        ), (module, py_name)


def _type_imports(ctx: dict[str, Any]) -> list[str]:
    """Import lines of a type stub; pydantic's ``Field`` (aliases, defaults) is not needed."""
    lines = [f"from {module} import {', '.join(names)}" for module, names in ctx["stdlib"]]
    if ctx["typing"]:
        lines.append(f"from typing import {', '.join(ctx['typing'])}")
    if ctx["typing_extensions"]:
        lines.append(f"from typing_extensions import {', '.join(ctx['typing_extensions'])}")
    lines += [f"from ..{module} import {', '.join(names)}" for module, names in ctx["runtime"]]
    lines += [f"from .{module} import {spec}" for module, spec in ctx["refs"]]
    return lines


def _exports_file(path: str, exports: list[tuple[str, str]], doc: str) -> OutputFile:
    return OutputFile(path, "stubs/exports.pyi.jinja", {
        "doc": docstring(doc),
        "exports": sorted(exports),
        "all": sorted(name for _, name in exports),
    })


# -- resources, client, exceptions, package ---------------------------------------

# Names a resource stub imports besides the API's types: a type with one of
# these names is imported there as ``Name as _Name``.
_RESOURCE_NAMES = frozenset({
    "Literal", "Optional", "Union", "overload", "cached_property",
    "AsyncAPIResource", "SyncAPIResource", "APIResponse", "AsyncAPIResponse",
    "Body", "Headers", "NotGiven", "Query", "Timeout", "AsyncStream", "Stream",
    "AsyncMessageStreamManager", "MessageStreamManager",
    "AsyncBinaryResponse", "AsyncFileContent", "BinaryResponse", "BinarySpec", "FileContent",
    "FilePart",
})


def _resource_stubs(api: ir.Api, schemas: dict[str, ir.Schema], root: str) -> Iterator[OutputFile]:
    by_path = {r.path: r for r in api.resources}
    for resource in api.resources:
        children = [by_path[resource.path + (c,)] for c in resource.children]
        own = {
            f"{prefix}{r.class_name}{suffix}"
            for r in [resource, *children] for prefix in ("", "Async") for suffix in _RESOURCE_SUFFIXES
        }
        writer = StaticTypeWriter(schemas, "param", avoid=_RESOURCE_NAMES | own)
        results = StaticTypeWriter(schemas, "model", avoid=_RESOURCE_NAMES | own)
        methods = [_method_view(op, binding, writer, results) for op, binding in resource.methods]
        streams = any(m["stream"] for m in methods)
        helpers = any(m["stream"] and m["stream"]["helper"] for m in methods)
        typing = {"Optional", "Union"} | writer.typing | results.typing
        if streams:
            typing |= {"Literal", "overload"}
        runtime = [
            ("_resource", ["AsyncAPIResource", "SyncAPIResource"]),
            ("_response", ["APIResponse", "AsyncAPIResponse", "AsyncStreamedResponseManager",
                           "StreamedResponseManager"]),
            ("_types", ["Body", "Headers", "NotGiven", "Query", "Timeout"]),
        ]
        if streams:
            runtime.append(("_streaming", ["AsyncStream", "Stream"]))
        if any(m["page"] for m in methods):
            runtime.append(("_pagination", ["AsyncCursorPage", "AsyncPageRequest", "SyncCursorPage"]))
        if any(m["lines"] for m in methods):
            runtime.append(("_jsonl", ["AsyncJSONLDecoder", "JSONLDecoder"]))
        binary = sorted(
            ({"AsyncFileContent", "FileContent"} if any(m["upload"] for m in methods) else set())
            | ({"AsyncBinaryResponse", "BinaryResponse"} if any(m["download"] for m in methods) else set())
            | ({"FilePart"} if any(m["file_parts"] for m in methods) else set())
        )
        if binary:
            runtime.append(("_binary", binary))
        if helpers:
            runtime.append(("_message_stream", ["AsyncMessageStreamManager", "MessageStreamManager"]))
        name = resource.class_name
        yield OutputFile(f"{root}/resources/{_resource_module(resource.path)}.pyi", "stubs/resource.pyi.jinja", {
            "stdlib": stdlib_imports(writer, results),
            "typing": sorted(typing),
            "runtime": sorted(runtime),
            "child_imports": [
                (_resource_module(c.path), sorted(
                    f"{prefix}{c.class_name}{suffix}" for prefix in ("", "Async") for suffix in _RESOURCE_SUFFIXES
                ))
                for c in children
            ],
            "type_imports": sorted(writer.refs | results.refs),
            "all": sorted(f"{prefix}{name}{suffix}" for prefix in ("", "Async") for suffix in _RESOURCE_SUFFIXES),
            "resource": {
                "class_name": name,
                "dotted": ".".join(resource.path),
                "doc": docstring(f"The `{'.'.join(resource.path)}` resource.", "    "),
                "children": [
                    {"attr": naming.attribute_name(c.path[-1]), "class_name": c.class_name} for c in children
                ],
                "methods": methods,
            },
        }, origin=resource_origin(resource))
    exports = [
        (_resource_module(r.path), n) for r in api.resources for n in (r.class_name, f"Async{r.class_name}")
    ]
    if any(len(r.path) == 1 for r in api.resources):
        yield _exports_file(f"{root}/resources/__init__.pyi", exports, "The API's resources.")
    else:
        yield OutputFile(f"{root}/resources/__init__.pyi", None, {}, "")


def _client_stub(api: ir.Api, root: str) -> OutputFile:
    ctx = _client_file(api).context
    return OutputFile(f"{root}/_client.pyi", "stubs/client.pyi.jinja", {
        key: ctx[key] for key in ("client", "async_client", "child_imports", "children", "doc", "async_doc")
    })


def _exceptions_stub(api: ir.Api, root: str) -> OutputFile:
    ctx = _exceptions_file(api).context
    generated = {e["class_name"] for e in ctx["errors"]} | {"ERROR_TYPES", "STATUS_ERRORS", ctx["base_error"]}
    return OutputFile(f"{root}/_exceptions.pyi", "stubs/exceptions.pyi.jinja", {
        **ctx, "base_errors": sorted(set(ctx["all"]) - generated | {"ClientError"}),
    })


# Where each name the package re-exports is defined (besides its client and
# errors). A name the package starts to export must be added here, or planning
# the stubs fails: the two ``__init__`` never drift apart silently.
_EXPORTED_FROM = {
    "APIResponse": "_response", "AsyncAPIResponse": "_response",
    "AsyncStream": "_streaming", "Stream": "_streaming",
    "BaseModel": "_models", "UnknownVariant": "_models",
    "NOT_GIVEN": "_types", "NotGiven": "_types", "OMIT": "_types", "Omit": "_types",
    "not_given": "_types", "omit": "_types",
    "DefaultAsyncHttpxClient": "_base_client", "DefaultHttpxClient": "_base_client",
    "__version__": "_version",
    "AsyncJSONLDecoder": "_jsonl", "JSONLDecodeError": "_jsonl", "JSONLDecoder": "_jsonl",
    "AsyncCursorPage": "_pagination", "AsyncPageRequest": "_pagination",
    "SyncCursorPage": "_pagination",
    "AsyncBinaryResponse": "_binary", "AsyncFileContent": "_binary", "BinaryResponse": "_binary",
    "FileContent": "_binary", "FilePart": "_binary",
}


def _package_stub(api: ir.Api, root: str) -> OutputFile:
    ctx = _package_init(api).context
    own = {ctx["client"], ctx["async_client"], "types", *ctx["exceptions"]}
    modules: dict[str, list[str]] = {}
    for name in sorted(set(ctx["all"]) - own):
        modules.setdefault(_EXPORTED_FROM[name], []).append(name)
    return OutputFile(f"{root}/__init__.pyi", "stubs/package_init.pyi.jinja", {
        **ctx, "reexports": sorted(modules.items()),
    })
