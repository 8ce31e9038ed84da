"""Path items to operations, their parameters, bodies and method bindings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator

from generator import ir, naming, paging
from generator.build.common import (
    _FORMS,
    _HTTP_METHODS,
    _constraints,
    _is_object,
    _text,
)
from generator.build.responses import _ResponseBuilder, is_json
from generator.loader import Pointer
from generator.url_from import url_from
from generator.validate.operations import body_argument_name


class _OperationBuilder(_ResponseBuilder):
    # -- operations ---------------------------------------------------------------

    def operations(self) -> Iterator[ir.Operation]:
        paths = self.doc.get("paths", {}) or {}
        for path in sorted(paths):
            item = paths[path] or {}
            shared = item.get("parameters") or []
            for method in _HTTP_METHODS:
                if method in item:
                    op = self.operation(path, method, item[method], shared)
                    yield op
                    yield from self.variant_operations(op, item[method])

    def parameter(self, raw: Any, pointer: Pointer, owner: str) -> ir.Parameter:
        param = self.resolve(raw)
        schema = param.get("schema", {})
        resolved = self.resolve(schema) or {}
        name = str(param["name"])
        py_name = param.get("x-python-name") or naming.attribute_name(name)
        fixed = resolved.get("const", ir.MISSING) if param.get("in") == "header" else ir.MISSING
        explode_default = param.get("in") in ("query", "cookie")
        return ir.Parameter(
            name=name,
            py_name=py_name,
            location=param.get("in", "query"),
            type=self.type_of(schema, owner + naming.class_name(name), pointer + ("schema",)),
            required=bool(param.get("required", False)),
            description=_text(param.get("description") or resolved.get("description")),
            fixed=fixed,
            default=resolved.get("default", ir.MISSING),
            constraints=_constraints(resolved),
            explode=bool(param.get("explode", explode_default)),
        )

    def operation(self, path: str, method: str, raw: dict[str, Any], shared: list[Any]) -> ir.Operation:
        pointer: Pointer = ("paths", path, method)
        op_id = str(raw.get("operationId") or naming.snake_case(f"{method}_{path}"))
        owner = naming.class_name(op_id)
        by_key: dict[tuple[str, str], ir.Parameter] = {}
        for index, p in enumerate(shared):
            param = self.parameter(p, ("paths", path, "parameters", index), owner)
            by_key[(param.location, param.name)] = param
        for index, p in enumerate(raw.get("parameters") or []):
            param = self.parameter(p, pointer + ("parameters", index), owner)
            by_key[(param.location, param.name)] = param
        params = tuple(
            sorted(by_key.values(), key=lambda p: (not p.required, p.location, p.name))
        )
        fixed_headers = tuple(
            (p.name, str(p.fixed)) for p in params if p.fixed is not ir.MISSING
        )
        params = tuple(p for p in params if p.fixed is ir.MISSING)
        body_fields, body_type, body_required, body_media, choices = self.request_body(raw, pointer, owner)
        params, body_fields = _argument_names(params, body_fields)
        responses = tuple(self.responses(raw, pointer, owner))
        result = next(
            (r.type for r in responses if r.status.startswith("2") and is_json(r.content_type)),
            None,
        )
        stream = self.stream_info(raw, pointer, body_fields, owner)
        lines, lines_media = paging.jsonl_lines(raw, self.resolve, self.type_of, pointer, owner)
        download = None
        if result is None and stream is None and lines is None:
            download = self.download_media(raw)
        op = ir.Operation(
            operation_id=op_id,
            method=method,
            path=path,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            parameters=params,
            fixed_headers=fixed_headers,
            body_fields=body_fields,
            body_type=body_type,
            body_required=body_required,
            body_media=body_media,
            result=result,
            responses=responses,
            stream=stream,
            bindings=(),
            deprecated=bool(raw.get("deprecated", False)),
            location=self.spec.at(*pointer),
            request_examples=self.request_examples(raw, body_media),
            pagination=paging.pagination(raw.get("x-pagination"), result, self.named),
            lines=lines,
            lines_media=lines_media,
            url_from=url_from(raw.get("x-url-from")),
            body_media_choices=choices,
            download_media=download,
            body_description=self.body_description(raw, body_media) if body_type and not body_fields else "",
        )
        return replace(op, bindings=self.bindings(op, raw, pointer))

    def request_body(
        self, raw: dict[str, Any], pointer: Pointer, owner: str
    ) -> tuple[tuple[ir.Field, ...], ir.TypeExpr | None, bool, str | None, tuple[str, ...]]:
        """The body's fields (an object's), its type, whether required, its media type and choices.

        A JSON body that is not an object (an array, a string, a union...) is
        one ``body`` argument of its type; a binary body (``image/png``,
        ``application/octet-stream``...) is one ``body`` argument of bytes, a
        file or an iterator of bytes, with ``choices`` when the caller picks
        the content type.
        """
        if "requestBody" not in raw:
            return (), None, False, None, ()
        body = self.resolve(raw["requestBody"])
        content = body.get("content", {}) or {}
        required = bool(body.get("required", False))
        media = next((m for m in content if is_json(m)), None)
        media = media or next((m for m in _FORMS if m in content), None)
        if media is None:
            binary = [m for m in content if self.is_binary(m, content[m])]
            if not binary:
                types = ", ".join(sorted(content)) or "none"
                self.problem(
                    "E404", pointer + ("requestBody", "content"),
                    f"request bodies of type {types} are not supported yet",
                    hint="the generator sends JSON, forms, multipart and binary (string or "
                    "schema-less) bodies",
                )
                return (), None, False, None, ()
            binary.sort()
            single = len(binary) == 1 and "*" not in binary[0]
            return (), ir.Primitive("bytes"), required, binary[0], () if single else tuple(binary)
        schema = content[media].get("schema", {})
        body_pointer = pointer + ("requestBody", "content", media, "schema")
        if "x-request-body" in raw:
            # The generated method's own, narrower body; `requestBody` keeps the
            # schema standard tools (mock servers, validators) should use.
            schema = raw["x-request-body"]
            body_pointer = pointer + ("x-request-body",)
        resolved = self.resolve(schema)
        if media in _FORMS and not (isinstance(resolved, dict) and _is_object(resolved)):
            # A form's parts (or fields) are named by its schema's properties: a
            # string, even a binary one, or a list gives them no names to send.
            is_file = isinstance(resolved, dict) and resolved.get("format") == "binary"
            example = "{file: {type: string, format: binary}}" if is_file else "{name: {type: string}}"
            self.problem(
                "E235", body_pointer,
                f"the {media} body is {'a binary string' if is_file else 'not an object'}: "
                "a form's fields are named by the properties of an object schema",
                hint=f"describe the form as `type: object` with `properties: {example}`, "
                "each named as the server expects the field",
            )
            return (), None, False, None, ()
        if isinstance(resolved, dict) and _is_object(resolved) and resolved.get("properties"):
            merged = self.merge_all_of(resolved, pointer)
            type_expr = self.type_of(schema, owner + "Params", body_pointer)
            fields = self.fields(merged, owner + "Params", body_pointer)
            return fields, type_expr, required, media, ()
        body_type = self.type_of(
            schema, owner + "Body",
            body_pointer if "x-request-body" in raw else pointer + ("requestBody",),
        )
        return (), body_type, required, media, ()

    def body_description(self, raw: dict[str, Any], media: str | None) -> str:
        """The request body's own description, or its schema's."""
        body = self.resolve(raw.get("requestBody")) or {}
        entry = (body.get("content") or {}).get(media) or {}
        schema = self.resolve(entry.get("schema")) if isinstance(entry, dict) else None
        own = schema.get("description") if isinstance(schema, dict) else None
        return _text(body.get("description") or own)

    def request_examples(self, raw: dict[str, Any], media: str | None) -> tuple[ir.Example, ...]:
        if media is None:
            return ()
        body = self.resolve(raw.get("requestBody")) or {}
        return self.examples(media, (body.get("content") or {}).get(media))

    # -- variants with types of their own -------------------------------------------

    def variant_operations(self, op: ir.Operation, raw: dict[str, Any]) -> Iterator[ir.Operation]:
        """The variants that declare schemas of their own, each as an operation of its own.

        Such a variant (``x-request-body``, ``x-response``, ``x-stream-event``) sends
        the same HTTP request as its operation but with its own body and reply
        types, as the beta form of an endpoint does. Everything the variant does
        not override (path, parameters, error responses, streaming) comes from
        the operation.
        """
        pointer: Pointer = ("paths", op.path, op.method)
        variants = raw.get("x-variants") or []
        for index, variant in enumerate(variants):
            if not _has_own_schemas(variant):
                continue
            where = pointer + ("x-variants", index)
            resource = str(variant.get("resource") or ".".join(op.bindings[0].resource))
            method = str(variant.get("method") or op.bindings[0].name)
            owner = "".join(naming.class_name(part) for part in (*resource.split("."), method))
            body_fields, body_type = op.body_fields, op.body_type
            if "x-request-body" in variant:
                schema = variant["x-request-body"]
                resolved = self.resolve(schema)
                body_type = self.type_of(schema, owner + "Params", where + ("x-request-body",))
                body_fields = self.fields(
                    self.merge_all_of(resolved, where), owner + "Params", where + ("x-request-body",)
                ) if isinstance(resolved, dict) and _is_object(resolved) else ()
            result, lines, pagination = op.result, op.lines, op.pagination
            if "x-response" in variant:
                own = self.type_of(variant["x-response"], owner + "Response", where + ("x-response",))
                if op.result is None and op.lines is not None:
                    lines = own  # a JSON Lines download: the variant's own type of one line
                else:
                    result = own
                    # the page's item type follows the variant's page schema
                    pagination = paging.pagination(raw.get("x-pagination"), result, self.named)
            responses = tuple(
                replace(r, type=result) if r.type is not None and r.type == op.result and r.status.startswith("2")
                else r
                for r in op.responses
            )
            stream = op.stream
            if stream is not None:
                flag_field = next((f for f in body_fields if f.name == stream.flag), None)
                if "x-stream-event" in variant:
                    stream = replace(stream, event_type=self.type_of(
                        variant["x-stream-event"], owner + "Event", where + ("x-stream-event",)
                    ))
                if flag_field is None:
                    stream = None
                else:
                    stream = replace(stream, flag_py_name=flag_field.py_name)
            params, body_fields = _argument_names(self.variant_parameters(op, raw, variant), body_fields)
            fixed = variant.get("query") or {}
            binding = ir.MethodBinding(
                resource=tuple(resource.split(".")),
                name=method,
                parameters=params,
                fixed_query=tuple(sorted(fixed.items())),
            )
            yield replace(
                op,
                operation_id=f"{naming.snake_case(resource.replace('.', '_'))}_{method}",
                summary=_text(variant.get("summary")) or op.summary,
                description=_text(variant.get("description")) or op.description,
                body_fields=body_fields,
                body_type=body_type,
                result=result,
                responses=responses,
                stream=stream,
                lines=lines,
                pagination=pagination,
                bindings=(binding,),
                location=self.spec.at(*where),
            )

    def variant_parameters(
        self, op: ir.Operation, raw: dict[str, Any], variant: dict[str, Any]
    ) -> tuple[ir.Parameter, ...]:
        variants = raw.get("x-variants") or []
        variant_only = {str(v) for entry in variants for v in entry.get("parameters") or []}
        variant_only |= {str(k) for entry in variants for k in (entry.get("query") or {})}
        exposed = {str(v) for v in variant.get("parameters") or []}
        fixed = variant.get("query") or {}
        return tuple(
            p for p in op.parameters
            if (p.name not in variant_only or p.name in exposed) and p.name not in fixed
        )

    def bindings(self, op: ir.Operation, raw: dict[str, Any], pointer: Pointer) -> tuple[ir.MethodBinding, ...]:
        tags = raw.get("tags") or []
        resource = raw.get("x-resource") or (naming.snake_case(tags[0]) if tags else "default")
        method = raw.get("x-method") or naming.attribute_name(op.operation_id)
        variants = raw.get("x-variants") or []
        variant_only = {str(v) for variant in variants for v in variant.get("parameters") or []}
        variant_only |= {str(k) for variant in variants for k in (variant.get("query") or {})}
        base = ir.MethodBinding(
            resource=tuple(str(resource).split(".")),
            name=str(method),
            parameters=tuple(p for p in op.parameters if p.name not in variant_only),
        )
        result = [base]
        for index, variant in enumerate(variants):
            if _has_own_schemas(variant):
                continue  # an operation of its own (variant_operations)
            exposed = set(variant.get("parameters") or [])
            fixed = variant.get("query") or {}
            result.append(
                ir.MethodBinding(
                    resource=tuple(str(variant.get("resource", resource)).split(".")),
                    name=str(variant.get("method", method)),
                    parameters=tuple(
                        p for p in op.parameters if p.name not in variant_only or p.name in exposed
                        if p.name not in fixed
                    ),
                    fixed_query=tuple(sorted(fixed.items())),
                )
            )
        return tuple(result)

def _has_own_schemas(variant: Any) -> bool:
    # Own docs make a variant a method of its own too (the same types, other words).
    return isinstance(variant, dict) and any(
        key in variant for key in ("x-request-body", "x-response", "x-stream-event", "summary", "description")
    )


def _resource_tree(operations: tuple[ir.Operation, ...]) -> tuple[ir.Resource, ...]:
    methods: dict[tuple[str, ...], list[tuple[ir.Operation, ir.MethodBinding]]] = {}
    for op in operations:
        for binding in op.bindings:
            for depth in range(1, len(binding.resource)):
                methods.setdefault(binding.resource[:depth], [])
            methods.setdefault(binding.resource, []).append((op, binding))
    resources = []
    for path in sorted(methods):
        children = sorted({p[len(path)] for p in methods if len(p) == len(path) + 1 and p[: len(path)] == path})
        resources.append(
            ir.Resource(
                path=path,
                class_name="".join(naming.class_name(part) for part in path),
                methods=tuple(sorted(methods[path], key=lambda m: m[1].name)),
                children=tuple(children),
            )
        )
    return tuple(resources)


# Names a generated method uses itself: its own arguments and the helpers its
# body calls. An argument with one of these names gets a trailing ``_``.
_METHOD_RESERVED = frozenset({
    "self", "extra_headers", "extra_query", "extra_body", "timeout",
    "strip_not_given", "format_path", "header_value",
})


def _argument_names(
    params: tuple[ir.Parameter, ...], body: tuple[ir.Field, ...]
) -> tuple[tuple[ir.Parameter, ...], tuple[ir.Field, ...]]:
    """Parameters and body fields renamed where their argument names are reserved or shared.

    A body property named like a parameter becomes ``body_<name>`` (its wire
    name unchanged), as ``generator.validate.operations`` expects.
    """
    param_names = {p.py_name for p in params}
    body = tuple(
        replace(f, py_name=body_argument_name(f.py_name, param_names))
        if f.py_name in param_names else f
        for f in body
    )
    taken = param_names | {f.py_name for f in body}

    def free(name: str) -> str:
        if name not in _METHOD_RESERVED:
            return name
        name += "_"
        while name in _METHOD_RESERVED or name in taken:
            name += "_"
        taken.add(name)
        return name

    return (
        tuple(replace(p, py_name=free(p.py_name)) for p in params),
        tuple(replace(f, py_name=free(f.py_name)) for f in body),
    )

