"""Plan the output tree: which files, from which template, with what context.

No I/O happens here. Each file's context holds only strings and lists that the
template prints as they are: every type annotation, literal and docstring is
made here (through ``typemap``), so templates stay free of logic and nothing
from the spec reaches the output without being escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from generator import ir, naming
from generator.diagnostics import Location
from generator.typemap import (
    TypeWriter,
    docstring,
    literal,
    module_name,
    schema_cycles,
    schema_sides,
    taken_names,
    type_refs,
)

__all__ = ["OutputFile", "model_attributes", "plan_files", "RUNTIME_MODULES"]

# Hand-written modules copied from generator/runtime into every package.
RUNTIME_MODULES = (
    "_base_client.py",
    "_binary.py",
    "_errors.py",
    "_jsonl.py",
    "_models.py",
    "_pagination.py",
    "_resource.py",
    "_response.py",
    "_streaming.py",
    "_types.py",
    "_utils.py",
)
STREAM_HELPER_MODULE = "_message_stream.py"


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output directory, with "/" separators
    template: str | None  # None: ``content`` is copied as it is
    context: dict[str, Any]
    content: str = ""
    # What in the spec the file comes from, for an error about the file itself.
    origin: tuple[str, Location | None] | None = field(default=None, compare=False)


def schema_origin(schema: ir.Schema) -> tuple[str, Location | None]:
    return f"schema `{schema.name}`", schema.location


def resource_origin(resource: ir.Resource) -> tuple[str, Location | None]:
    ids = ", ".join(f"`{op.operation_id}`" for op, _ in resource.methods)
    first = resource.methods[0][0].location if resource.methods else None
    what = f"the `{'.'.join(resource.path)}` resource" + (f" (operations {ids})" if ids else "")
    return what, first


def plan_files(api: ir.Api) -> list[OutputFile]:
    schemas = {s.name: s for s in api.schemas}
    pkg = api.package
    files: list[OutputFile] = []
    exports: list[tuple[str, str]] = []
    cycles = schema_cycles(schemas)
    taken = taken_names(schemas)
    for schema in api.schemas:
        for out, export in _schema_files(schema, schemas, pkg, cycles, taken):
            files.append(out)
            exports.append(export)
    files.append(
        OutputFile(
            f"{pkg}/types/__init__.py",
            "types_init.py.jinja",
            {"exports": sorted(exports), "exports_sorted": sorted(exports, key=lambda e: e[1])},
        )
    )
    files.extend(_resource_files(api, schemas))
    files.append(_client_file(api))
    files.append(_exceptions_file(api))
    files.append(_package_init(api))
    files.append(OutputFile(f"{pkg}/_version.py", "version.py.jinja",
                            {"package": pkg, "version": api.package_version}))
    files.append(OutputFile("pyproject.toml", "pyproject.toml.jinja", {
        "dist_name": pkg.replace("_", "-"),
        "package": pkg,
        "version": api.package_version,
        "description": f"Typed Python client for {api.title}",
    }))
    return sorted(files, key=lambda f: f.path)


def uses_stream_helper(api: ir.Api) -> bool:
    return any(op.stream is not None and op.stream.helper for op in api.operations)


# -- types ---------------------------------------------------------------------


def stdlib_imports(*writers: TypeWriter) -> list[tuple[str, list[str]]]:
    """``from <module> import <names>`` lines for the standard library (``datetime``)."""
    by_module: dict[str, set[str]] = {}
    for writer in writers:
        for module, spec in writer.stdlib:
            by_module.setdefault(module, set()).add(spec)
    return [(module, sorted(names)) for module, names in sorted(by_module.items())]


def _runtime_imports(writer: TypeWriter, extra: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    names = sorted(set(writer.runtime) | set(extra))
    return [("_models", names)] if names else []


def _schema_files(
    schema: ir.Schema,
    schemas: dict[str, ir.Schema],
    pkg: str,
    cycles: dict[str, int],
    taken: frozenset[str],
) -> Iterator[tuple[OutputFile, tuple[str, str]]]:
    for side, py_name in schema_sides(schema):
        writer = TypeWriter(schemas, side, home=schema.name, cycles=cycles, taken=taken)
        module = module_name(py_name)
        path = f"{pkg}/types/{module}.py"
        match schema:
            case ir.ObjectSchema() if side == "model":
                ctx = _model_context(schema, py_name, writer)
                template = "model.py.jinja"
            case ir.ObjectSchema():
                ctx = _param_context(schema, py_name, writer)
                template = "param.py.jinja"
            case _:
                ctx = _alias_context(schema, py_name, writer)
                template = "alias.py.jinja"
        yield OutputFile(path, template, ctx, origin=schema_origin(schema)), (module, py_name)


def _common(writer: TypeWriter, py_name: str) -> dict[str, Any]:
    """Imports of a type module; ``refs`` are (module, import spec) of sibling types."""
    refs = sorted(
        (module_name(r.split(" as ")[0]), r) for r in writer.refs if r.split(" as ")[0] != py_name
    )
    return {
        "stdlib": stdlib_imports(writer),
        "typing": sorted(writer.typing),
        "typing_extensions": sorted(writer.extensions),
        "pydantic": sorted(writer.pydantic),
        "runtime": _runtime_imports(writer),
        "refs": refs,
        "name": py_name,
    }


# Attributes a response model must not define: pydantic's own (a field named
# ``json`` or ``model_config`` would shadow or break them), the runtime's, and
# the builtins that annotations use (``str: str`` cannot be evaluated).
_MODEL_RESERVED = frozenset({
    "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
    "schema", "schema_json", "update_forward_refs", "validate",
    "model_computed_fields", "model_config", "model_construct", "model_copy", "model_dump",
    "model_dump_json", "model_extra", "model_fields", "model_fields_set", "model_json_schema",
    "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
    "model_validate_json", "model_validate_strings",
    "to_dict", "to_json",
    "bool", "bytes", "datetime", "float", "int", "object", "str",
})


def _model_attribute(py_name: str, taken: set[str], reserved: frozenset[str] = _MODEL_RESERVED) -> str:
    """``py_name``, or with trailing ``_`` until it is neither reserved nor another field's."""
    name = py_name + "_"
    while name in reserved or name in taken:
        name += "_"
    return name


def model_attributes(schema: ir.ObjectSchema, writer: TypeWriter) -> tuple[str, ...]:
    """Each field's attribute name in the response model, in field order.

    A field keeps its ``py_name`` unless the model needs that name for
    something else; ``generator.diff`` reads the names from here too, so a
    rename this causes is reported in the words the model uses.
    """
    attributes = {f.py_name for f in schema.fields}
    # ``date`` is a common field name, so it gives way only in a model whose
    # annotations use the type ``date`` (a field of that name would hide it).
    # A scratch writer: the given one may have written other models already.
    scratch = replace(writer, refs=set(), typing=set(), runtime=set(), extensions=set(),
                      pydantic=set(), stdlib=set(), _expanding=[])
    for f in schema.fields:
        scratch.render(f.type)
    uses_date = any(spec.split(" as ")[0] == "date" for _, spec in scratch.stdlib)
    reserved = _MODEL_RESERVED | {"date"} if uses_date else _MODEL_RESERVED
    names = []
    for f in schema.fields:
        attr = f.py_name
        if attr in reserved:
            attr = _model_attribute(attr, attributes, reserved)
            attributes.add(attr)
        names.append(attr)
    return tuple(names)


def _model_context(schema: ir.ObjectSchema, py_name: str, writer: TypeWriter) -> dict[str, Any]:
    fields = []
    annotations = [writer.render(f.type) for f in schema.fields]
    for f, annotation, attr in zip(schema.fields, annotations, model_attributes(schema, writer)):
        default = None
        options: list[str] = []
        nullable = isinstance(f.type, ir.Nullable)
        if not f.required:
            if f.default is not ir.MISSING and f.default is not None:
                default = literal(f.default)
                if isinstance(f.default, (dict, list)) and any(True for _ in type_refs(f.type)):
                    # JSON for a model: pydantic turns it into one (the type checker
                    # would reject the dict itself as the default of a model field).
                    options.append("validate_default=True")
            else:
                default = "None"
                if not nullable and annotation != "object":
                    annotation = f"{writer.helper('Optional')}[{annotation}]"
        elif nullable:
            # Required but nullable: absent and null read the same in Python.
            default = "None"
        if attr != f.name:
            options.append(f"alias={literal(f.name)}")
        if options:
            arguments = ([f"default={default}"] if default else []) + options
            default = f"{writer.helper('Field')}({', '.join(arguments)})"
        fields.append({
            "py_name": attr,
            "annotation": annotation,
            "assign": f" = {default}" if default else "",
            "doc": docstring(f.description, "    ") if f.description else "",
        })
    base = writer.helper("BaseModel")
    ctx = _common(writer, py_name)
    ctx["base"] = base
    ctx["fields"] = fields
    ctx["doc"] = docstring(schema.description, "    ") if schema.description else ""
    return ctx


def _param_context(schema: ir.ObjectSchema, py_name: str, writer: TypeWriter) -> dict[str, Any]:
    # Class syntax needs every key to be an identifier; otherwise the functional
    # form, evaluated on import: value types that name sibling types are then
    # strings, since those are imported at the bottom of the module.
    functional = not all(naming.is_valid_identifier(f.name) for f in schema.fields)
    fields = []
    for f in schema.fields:
        annotation = writer.render(f.type)
        quoted = functional and any(True for _ in type_refs(f.type))
        marker = writer.helper("Required" if f.required else "NotRequired")
        fields.append({
            "name": f.name,
            "annotation": f"{marker}[{literal(annotation) if quoted else annotation}]",
            "doc": docstring(f.description, "    ") if f.description else "",
        })
    base = writer.helper("TypedDict")
    ctx = _common(writer, py_name)
    ctx["base"] = base
    ctx["fields"] = fields
    ctx["functional"] = functional
    ctx["doc"] = docstring(schema.description, "    ") if schema.description else ""
    ctx["doc_statement"] = (
        f"{py_name}.__doc__ = {literal(schema.description)}" if schema.description else ""
    )
    return ctx


def _alias_context(schema: ir.Schema, py_name: str, writer: TypeWriter) -> dict[str, Any]:
    match schema:
        case ir.EnumSchema(values=values):
            # The same closed Literal on both sides; response fields open it.
            writer.side = "param"
            annotation = writer.render(ir.LiteralOf(values))
        case ir.UnionSchema(union=union):
            annotation = writer.render(union)
        case ir.AliasSchema(target=target):
            annotation = writer.render(target)
        case _:
            raise TypeError(f"not an alias: {schema!r}")
    type_alias = writer.helper("TypeAlias")
    ctx = _common(writer, py_name)
    ctx["type_alias"] = type_alias
    ctx["annotation"] = annotation
    ctx["doc"] = docstring(schema.description) if schema.description else ""
    return ctx


# Names a resource module defines or imports besides the API's types; a type
# with one of these names (a schema ``Pets`` beside the resource ``Pets``, a
# schema ``Headers``) is imported there as ``Name as _Name``.
_RESOURCE_NAMES = frozenset({
    "Literal", "Optional", "Union", "overload", "cached_property",
    "AsyncAPIResource", "SyncAPIResource", "async_to_raw_response_wrapper",
    "to_raw_response_wrapper", "APIRequest", "Body", "Headers", "NOT_GIVEN", "NotGiven", "Query",
    "RequestOptions", "Timeout", "strip_not_given", "format_path", "header_value",
    "linked_url", "parsed_responses",
    "AsyncStream", "Stream", "StreamSpec", "AsyncMessageStreamManager", "MessageStreamManager",
    "BaseModel", "Discriminated", "OpenEnum", "UnknownVariant",
    "AsyncBinaryResponse", "AsyncFileContent", "BinaryResponse", "BinarySpec", "FileContent",
    "FilePart",
})


def _resource_namespace(
    resource: ir.Resource, by_path: dict[tuple[str, ...], ir.Resource]
) -> frozenset[str]:
    classes = [resource.class_name] + [by_path[resource.path + (c,)].class_name for c in resource.children]
    own = {f"{prefix}{c}{suffix}" for c in classes for prefix in ("", "Async")
           for suffix in ("", "WithRawResponse")}
    return _RESOURCE_NAMES | own


# -- resources and client -------------------------------------------------------


def _resource_module(path: tuple[str, ...]) -> str:
    return naming.safe_identifier("_".join(naming.snake_case(p) for p in path))


def _resource_files(api: ir.Api, schemas: dict[str, ir.Schema]) -> Iterator[OutputFile]:
    by_path = {r.path: r for r in api.resources}
    modules = []
    for resource in api.resources:
        avoid = _resource_namespace(resource, by_path)
        writer = TypeWriter(schemas, "param", avoid=avoid)
        results = TypeWriter(schemas, "model", avoid=avoid)
        methods = [
            _method_view(op, binding, writer, results)
            for op, binding in resource.methods
        ]
        for method, (op, binding) in zip(methods, resource.methods):
            method["link"] = _link_view(api, resource, op, binding, schemas)
        stream_ops = [op for op, _ in resource.methods if op.stream is not None]
        stream_spec = None
        if stream_ops:
            stream = stream_ops[0].stream
            assert stream is not None
            stream_spec = {
                "event": results.render(stream.event_type),
                "terminal": stream.terminal_event,
                "error": stream.error_event,
            }
        children = [
            {
                "attr": naming.attribute_name(child),
                "class_name": by_path[resource.path + (child,)].class_name,
                "module": _resource_module(resource.path + (child,)),
            }
            for child in resource.children
        ]
        name = resource.class_name
        all_names = sorted(
            f"{prefix}{name}{suffix}" for prefix in ("", "Async") for suffix in _RESOURCE_SUFFIXES
        )
        typing = {"Optional", "Union"} | set(writer.typing) | set(results.typing)
        if stream_ops:
            typing |= {"Literal", "overload"}
        if any(m["cast"] for m in methods):
            typing.add("cast")
        if any(m["result_type"] and m["result_type"][1].startswith("Annotated[") for m in methods):
            typing.add("Annotated")
        runtime: dict[str, set[str]] = {
            "_resource": {"AsyncAPIResource", "SyncAPIResource"},
            "_response": {"async_to_raw_response_wrapper", "async_to_streamed_response_wrapper",
                          "to_raw_response_wrapper", "to_streamed_response_wrapper",
                          *(["parsed_responses"] if any(m["link"] for m in methods) else [])},
            "_types": {"APIRequest", "Body", "Headers", "NOT_GIVEN", "NotGiven", "Query",
                       "RequestOptions", "Timeout", "strip_not_given"},
        }
        helpers = {
            name for name in ("format_path", "header_value")
            if any(name in expr for m in methods for expr in _expressions(m))
        }
        if any(m["link"] for m in methods):
            helpers.add("linked_url")
        if helpers:
            runtime["_utils"] = helpers
        if writer.runtime or results.runtime:
            runtime["_models"] = set(writer.runtime) | set(results.runtime)
        if any(m["page"] for m in methods):
            runtime["_pagination"] = {"AsyncPageRequest", "PageSpec",
                                      "SyncCursorPage", "async_page", "sync_page"}
        if any(m["lines"] for m in methods):
            runtime["_jsonl"] = {"AsyncJSONLDecoder", "JSONLDecoder", "LineSpec"}
        binary = set()
        if any(m["upload"] for m in methods):
            binary |= {"AsyncFileContent", "FileContent"}
        if any(m["file_parts"] for m in methods):
            binary.add("FilePart")
        if any(m["download"] for m in methods):
            binary |= {"AsyncBinaryResponse", "BinaryResponse", "BinarySpec"}
        if binary:
            runtime["_binary"] = binary
        if stream_ops:
            runtime["_streaming"] = {"AsyncStream", "Stream", "StreamSpec"}
            if any(m["stream"] and m["stream"]["helper"] for m in methods):
                runtime["_message_stream"] = {"AsyncMessageStreamManager", "MessageStreamManager"}
        ctx = {
            # ``functools`` beside any ``datetime``, in order.
            "stdlib": sorted([*stdlib_imports(writer, results), ("functools", ["cached_property"])]),
            "typing": sorted(typing),
            "typing_extensions": [],
            "pydantic": [],
            "runtime": sorted((k, sorted(v)) for k, v in runtime.items()),
            "child_imports": [
                (c["module"], sorted(f"{prefix}{c['class_name']}{suffix}"
                                     for prefix in ("", "Async") for suffix in _RESOURCE_SUFFIXES))
                for c in children
            ],
            "type_imports": sorted(set(writer.refs) | set(results.refs)),
            "all": all_names,
            "stream_spec": stream_spec,
            "resource": {
                "class_name": name,
                "dotted": ".".join(resource.path),
                "doc": docstring(f"The `{'.'.join(resource.path)}` resource.", "    "),
                "children": children,
                "methods": methods,
            },
        }
        ctx["result_types"] = [m["result_type"] for m in methods if m["result_type"]]
        modules.append(OutputFile(
            f"{api.package}/resources/{_resource_module(resource.path)}.py", "resource.py.jinja", ctx,
            origin=resource_origin(resource),
        ))
    yield from modules
    top = [r for r in api.resources if len(r.path) == 1]
    exports = sorted(
        (_resource_module(r.path), n)
        for r in api.resources
        for n in (r.class_name, f"Async{r.class_name}")
    )
    yield OutputFile(
        f"{api.package}/resources/__init__.py", "types_init.py.jinja",
        {"exports": exports, "exports_sorted": sorted(exports, key=lambda e: e[1])},
    ) if top else OutputFile(f"{api.package}/resources/__init__.py", None, {}, "")


# The classes each resource module defines, after the resource's own name.
_RESOURCE_SUFFIXES = ("", "WithRawResponse", "WithStreamingResponse")


def _link_view(api: ir.Api, resource: ir.Resource, op: ir.Operation, binding: ir.MethodBinding,
               schemas: dict[str, ir.Schema]) -> dict[str, Any] | None:
    """How a download asks for its URL first (``x-url-from``): the method and the reply's fields.

    The source is the method on the same resource generated from the named
    operation (for a variant, the source's variant there), which validation
    guarantees exists.
    """
    link = op.url_from
    if link is None:
        return None
    base = next(o for o in api.operations if o.operation_id == link.operation_id)
    source_op, source = next(
        (o, b) for o, b in resource.methods if (o.path, o.method) == (base.path, base.method)
    )
    reply = schemas[source_op.result.name] if isinstance(source_op.result, ir.Ref) else None
    fields = {f.name: f.py_name for f in reply.fields} if isinstance(reply, ir.ObjectSchema) else {}
    own = {p.py_name for p in binding.parameters}
    return {
        "method": source.name,
        "args": sorted(p.py_name for p in source.parameters if p.py_name in own),
        "field": fields.get(link.field, link.field),
        "state": fields.get(link.state, link.state) if link.state else None,
    }


def _expressions(method: dict[str, Any]) -> Iterator[str]:
    """Every piece of code a method view puts into its request."""
    yield method["path"]
    for _, expr in method["query"] + method["headers"] + method["body"]:
        yield expr


def _method_view(op: ir.Operation, binding: ir.MethodBinding, writer: TypeWriter,
                 results: TypeWriter) -> dict[str, Any]:
    stream = op.stream
    params: list[dict[str, Any]] = []
    body: list[tuple[str, str]] = []
    file_parts = False
    for f in op.body_fields:
        if stream is not None and f.name == stream.flag:
            body.append((f.name, f.py_name))
            continue
        view = _param_view(f.py_name, f.type, f.required, writer, f.description)
        if op.body_media == "multipart/form-data" and f.type in _FILE_FIELD:
            # A file part takes what an upload takes, less chunk iterables
            # (which a list of files would look like).
            file_parts = True
            annotation = "Optional[FilePart]" if isinstance(f.type, ir.Nullable) else "FilePart"
            view["annotation"] = view["async_annotation"] = _optional(annotation, f.required)
            how = "Bytes, a path or a file opened in binary mode (a path's name is the filename)."
            view["description"] = f"{f.description}\n\n{how}" if f.description else how
        params.append(view)
        body.append((f.name, f.py_name))
    body_expr = None
    upload = is_upload(op)
    content_type = literal(op.body_media) if op.body_media not in (None, "application/json") else None
    if not op.body_fields and op.body_type is not None:
        # A body that is not an object with properties (a list, a string, a
        # mapping, a file's bytes) is one argument, passed whole.
        description = _body_description(op) if upload else (op.body_description or "The request body.")
        name = free_name("body", binding)
        view = _param_view(name, op.body_type, op.body_required, writer, description)
        if upload:
            view["annotation"] = _optional("FileContent", op.body_required)
            view["async_annotation"] = _optional("AsyncFileContent", op.body_required)
        params.append(view)
        body_expr = f"{name} if not isinstance({name}, NotGiven) else None" if not op.body_required else name
    if op.body_media_choices:
        choices = ", ".join(f"`{m}`" for m in op.body_media_choices)
        exact = not any("*" in m for m in op.body_media_choices)
        media_type = ir.LiteralOf(op.body_media_choices) if exact else ir.Primitive("str")
        content_type = free_name("content_type", binding)
        params.append(_param_view(
            content_type, media_type, True, writer, f"The body's media type: {choices}."
        ))
    query: list[tuple[str, str]] = [(k, literal(v)) for k, v in binding.fixed_query]
    fixed_headers: list[tuple[str, str]] = [(k, literal(v)) for k, v in op.fixed_headers]
    headers: list[tuple[str, str]] = []
    path_args: list[tuple[str, str]] = []
    always = dict(binding.fixed_header_items)
    for name, values in always.items():
        if not any(p.location == "header" and p.name == name for p in binding.parameters):
            headers.append((name, literal(",".join(values))))
    for p in binding.parameters:
        params.append(_param_view(p.py_name, p.type, p.required, writer, p.description))
        if p.location == "query":
            is_list = isinstance(p.type, ir.ListOf)
            query.append((p.name, f"header_value({p.py_name})" if is_list and not p.explode else p.py_name))
        elif p.location == "header" and p.name in always:
            headers.append((p.name, f"header_value({p.py_name}, always={literal(list(always[p.name]))})"))
        elif p.location == "header":
            headers.append((p.name, f"header_value({p.py_name})"))
        elif p.location == "path":
            path_args.append((p.name, p.py_name))
    # The last path parameter comes first and positional, as in the official SDK
    # (``client.messages.batches.retrieve("msgbatch_...")``); the ones before it,
    # which name its parents, stay keyword arguments there too.
    if path_args:
        last = max(path_args, key=lambda a: op.path.find("{" + a[0] + "}"))[1]
        for view in params:
            view["positional"] = view["py_name"] == last and view["default"] is None
    params.sort(key=lambda p: (not p["positional"], p["default"] is not None, p["py_name"]))
    if path_args:
        args = ", ".join(f"{literal(k)}: {v}" for k, v in path_args)
        path_expr = f"format_path({literal(op.path)}, {{{args}}})"
    else:
        path_expr = literal(op.path)
    if op.lines is not None:
        headers.append(("accept", literal(op.lines_media or "application/x-jsonl")))
    if op.download_media is not None:
        headers.append(("accept", literal(op.download_media)))
    result = results.render(op.result) if op.result is not None else "None"
    # A model class parses and types itself; anything else (None, a primitive, a
    # union, an alias) is parsed through a module-level constant, and the call's
    # result is cast to the annotation, since the client can only return Any for it.
    plain = isinstance(op.result, ir.Ref) and isinstance(
        results.schemas[op.result.name], ir.ObjectSchema
    )
    result_type = None if plain else (
        f"_{binding.name.upper()}_RESULT", result if op.result is not None else "type(None)"
    )
    if result_type is not None and op.result in (ir.Primitive("str"), ir.Primitive("bytes")):
        # Plain ``str`` (``bytes``) asks the client for the body's text (bytes);
        # this body is a JSON string, to be decoded.
        result_type = (result_type[0], f'Annotated[{result}, "JSON"]')
    page = lines = None
    async_result = result
    if op.pagination is not None:
        item = results.render(op.pagination.item_type)
        page = {"item": item, "spec": f"_{binding.name.upper()}_PAGE",
                "fields": _page_fields(op.pagination)}
        result, async_result, result_type = f"SyncCursorPage[{item}]", f"AsyncPageRequest[{item}]", None
    elif op.lines is not None:
        item = results.render(op.lines)
        lines = {"item": item, "spec": f"_{binding.name.upper()}_LINES"}
        result, async_result, result_type = f"JSONLDecoder[{item}]", f"AsyncJSONLDecoder[{item}]", None
    elif op.download_media is not None:
        result, async_result, result_type = "BinaryResponse", "AsyncBinaryResponse", None
    cast_to = result if result_type is None else result_type[0]
    if lines is not None or op.download_media is not None:
        cast_to = "object"
    doc_lines = [op.summary or f"{op.method.upper()} {op.path}"]
    if op.description and op.description != op.summary:
        doc_lines += ["", op.description]
    documented = [view for view in params if view["description"]]
    if documented:
        doc_lines += ["", "Args:"]
        for view in documented:
            first, *rest = view["description"].splitlines() or [""]
            doc_lines.append(f"  {view['py_name']}: {first}")
            doc_lines.extend(f"    {line}" if line else "" for line in rest)
    method: dict[str, Any] = {
        "name": binding.name,
        "http_method": op.method,
        "path": path_expr,
        "params": params,
        "query": query,
        "headers": headers,
        "fixed_headers": fixed_headers,
        "body": body,
        "has_body": bool(op.body_fields),
        "body_expr": body_expr,
        "upload": upload,
        "file_parts": file_parts,
        "download": op.download_media is not None,
        "content_type": content_type,
        "result": result,
        "async_result": async_result,
        # What an async raw response's parse() gives (the page, not its request).
        "async_parsed": f"AsyncCursorPage[{page['item']}]" if page else async_result,
        "page": page,
        "lines": lines,
        "cast_to": cast_to,
        "cast": result_type is not None or lines is not None or op.download_media is not None,
        "result_type": result_type,
        "doc": docstring("\n".join(doc_lines), "        "),
        "stream": None,
    }
    if stream is not None:
        method["stream"] = {
            "flag_py": stream.flag_py_name,
            "event": results.render(stream.event_type),
            "helper": stream.helper,
        }
        if stream.helper:
            method["stream"]["helper_types"] = _helper_types(stream, op.result, results)
        method["helper_doc"] = docstring(
            f"Like `{binding.name}(..., {stream.flag_py_name}=True)`, accumulating the events "
            "into the final message.\n\nUse as a context manager; iterate it for the events, or call "
            "`get_final_message()`.",
            "        ",
        )
    return method


# The events the stream helper replaces with its own (or drops): they are left
# out of the API events it passes through, so ``event.type == "message_stop"``
# narrows to the helper's event, which has ``message``.
_HELPER_REPLACED = frozenset({"content_block_stop", "ping"})


def _helper_types(stream: ir.StreamInfo, result: ir.TypeExpr | None, results: TypeWriter) -> str:
    """The helper manager's type arguments: passed-through events, message, content block."""
    event = stream.event_type
    replaced = _HELPER_REPLACED | {stream.terminal_event, stream.error_event}
    members: list[str] = []
    target = results.schemas.get(event.name) if isinstance(event, ir.Ref) else None
    if isinstance(target, ir.UnionSchema):
        members = [
            results.render(m.type) for m in target.union.members if m.tag not in replaced
        ]
    passed = (
        members[0] if len(members) == 1
        else f"Union[{', '.join(members)}]" if members
        else results.render(event)
    )
    message = results.render(result) if result is not None else "object"
    block = "object"
    owner = results.schemas.get(result.name) if isinstance(result, ir.Ref) else None
    if isinstance(owner, ir.ObjectSchema):
        content = next((f for f in owner.fields if f.name == "content"), None)
        if content is not None and isinstance(content.type, ir.ListOf):
            block = results.render(content.type.item)
    return f"{passed}, {message}, {block}"


def _page_fields(pagination: ir.Pagination) -> list[tuple[str, str]]:
    """``PageSpec`` arguments that differ from its defaults, as Python text."""
    defaults = {"items": "data", "has_more": "has_more", "after": "after_id",
                "last": "last_id", "before": "before_id", "first": "first_id"}
    return [
        (name, literal(getattr(pagination, name)))
        for name, default in defaults.items()
        if getattr(pagination, name) != default
    ]


def free_name(name: str, binding: ir.MethodBinding) -> str:
    """``name``, or ``name_`` (``name__``...) when a parameter of the method has it already."""
    taken = {p.py_name for p in binding.parameters}
    while name in taken:
        name += "_"
    return name


def is_upload(op: ir.Operation) -> bool:
    """Whether the operation's body is a file's bytes rather than JSON or a form."""
    return op.body_type == ir.Primitive("bytes") and not op.body_fields and op.body_media not in (
        None, "application/json", "application/x-www-form-urlencoded", "multipart/form-data"
    )


_FILE_FIELD = (ir.Primitive("bytes"), ir.Nullable(ir.Primitive("bytes")))


def _body_description(op: ir.Operation) -> str:
    media = ", ".join(f"`{m}`" for m in op.body_media_choices) or f"`{op.body_media}`"
    how = (f"The {media} body: bytes, a path, a file opened in binary mode, or an iterable of "
           "bytes; a path or a file is sent as it is read.")
    return f"{op.body_description}\n\n{how}" if op.body_description else how


def _optional(annotation: str, required: bool) -> str:
    return annotation if required else f"Union[{annotation}, NotGiven]"


def _param_view(py_name: str, type_expr: ir.TypeExpr, required: bool, writer: TypeWriter,
                description: str) -> dict[str, Any]:
    annotation = writer.render(type_expr)
    if not required:
        annotation = f"Union[{annotation}, NotGiven]"
    return {
        "py_name": py_name,
        "annotation": annotation,
        "async_annotation": annotation,
        "default": None if required else "NOT_GIVEN",
        "description": description,
        "positional": False,
    }


def _client_file(api: ir.Api) -> OutputFile:
    by_path = {r.path: r for r in api.resources}
    top = sorted(p for p in by_path if len(p) == 1)
    children = [
        {
            "attr": naming.attribute_name(p[0]),
            "class_name": by_path[p].class_name,
            "module": _resource_module(p),
        }
        for p in top
    ]
    default_headers = sorted({h for op in api.operations for h in op.fixed_headers})
    title = api.title
    # The environment variables named after the client, as ``<CLIENT>_BASE_URL`` is.
    prefix = naming.snake_case(api.client_name).upper()
    return OutputFile(f"{api.package}/_client.py", "client.py.jinja", {
        "client": api.client_name,
        "async_client": api.async_client_name,
        "api_key_env": api.api_key_env,
        "api_key_header": api.api_key_header,
        "base_url_env": api.base_url_env,
        "auth_token_env": f"{prefix}_AUTH_TOKEN" if api.api_key_header else None,
        "log_env": f"{prefix}_LOG",
        "base_url": api.default_base_url,
        "default_headers": default_headers,
        "child_imports": [
            (_resource_module(p), sorted([by_path[p].class_name, f"Async{by_path[p].class_name}"]))
            for p in top
        ],
        "children": children,
        "doc": docstring(f"Synchronous client for {title}.", "    "),
        "async_doc": docstring(f"Asynchronous client for {title}.", "    "),
    })


_BASE_ERRORS = (
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "DownloadNotReadyError",
    "IncompleteStreamError",
    "MissingAPIKeyError",
)


# Statuses HTTP names and the official SDK has classes for, given a class here
# when the spec does not document them, so ``except ConflictError`` works either way.
_CONVENTIONAL_ERRORS = (
    ir.ErrorStatus(409, "ConflictError", None, "the request conflicts with the state of a resource."),
    ir.ErrorStatus(422, "UnprocessableEntityError", None, "the request was well-formed but not acceptable."),
)


def _status_table(api: ir.Api) -> list[ir.ErrorStatus]:
    documented = {e.status for e in api.errors}
    names = {e.class_name for e in api.errors}
    extra = [e for e in _CONVENTIONAL_ERRORS if e.status not in documented and e.class_name not in names]
    return sorted([*api.errors, *extra], key=lambda e: e.status)


# The official SDK raises ``InternalServerError`` for every status from 500 up
# but 529, which has its own class beside it (``OverloadedError``). So a class
# the spec gives another 5xx (504) is a kind of the 500 class, and ``except
# InternalServerError`` catches here what it catches there.
_SERVER_ERROR_SIBLINGS = frozenset({529})


def _error_base(status: int, table: list[ir.ErrorStatus]) -> str:
    server = next((e.class_name for e in table if e.status == 500), None)
    if server is None or status <= 500 or status > 599 or status in _SERVER_ERROR_SIBLINGS:
        return "APIStatusError"
    return server


def _exceptions_file(api: ir.Api) -> OutputFile:
    table = _status_table(api)
    errors = [
        {
            "status": e.status,
            "base": _error_base(e.status, table),
            "class_name": e.class_name,
            "error_type": e.error_type,
            "doc": docstring(
                f"HTTP {e.status}" + (f" ({e.error_type})" if e.error_type else "")
                + (f": {e.description}" if e.description else "."),
                "    ",
            ),
        }
        for e in table
    ]
    names = sorted(set(_BASE_ERRORS) | {e.class_name for e in table}
                   | {"ERROR_TYPES", "STATUS_ERRORS", base_error_name(api)})
    return OutputFile(f"{api.package}/_exceptions.py", "exceptions.py.jinja",
                      {"errors": errors, "all": names, "base_error": base_error_name(api)})


def base_error_name(api: ir.Api) -> str:
    """The root error's public name: the client's name and ``Error`` (``AnthropicError``)."""
    return f"{api.client_name}Error"


def _package_init(api: ir.Api) -> OutputFile:
    exceptions = sorted(
        set(_BASE_ERRORS) | {e.class_name for e in _status_table(api)} | {base_error_name(api)}
    )
    others = [
        api.client_name, api.async_client_name, "APIResponse", "AsyncAPIResponse", "AsyncStream",
        "BaseModel", "DefaultAsyncHttpxClient", "DefaultHttpxClient", "NOT_GIVEN", "NotGiven", "OMIT",
        "Omit", "Stream", "UnknownVariant", "__version__", "not_given", "omit", "types",
        "AsyncCursorPage", "AsyncJSONLDecoder", "AsyncPageRequest", "JSONLDecodeError",
        "JSONLDecoder", "SyncCursorPage",
        "AsyncBinaryResponse", "AsyncFileContent", "BinaryResponse", "FileContent", "FilePart",
    ]
    doc = api.description.split("\n\n")[0] if api.description else f"A typed client for {api.title}."
    return OutputFile(f"{api.package}/__init__.py", "package_init.py.jinja", {
        "client": api.client_name,
        "async_client": api.async_client_name,
        "exceptions": exceptions,
        "all": sorted(set(exceptions) | set(others)),
        "doc": docstring(doc),
    })
