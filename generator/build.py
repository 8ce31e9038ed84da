"""Build the IR from a validated spec.

Validation has already run, so this stage may assume a well-formed document.
What it still reports (as located diagnostics, never by dropping anything) are
constructs the generator does not support yet: it would rather refuse a spec
than generate a client that silently lacks an operation or a field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from generator import ir, naming
from generator.diagnostics import Diagnostic, SpecError
from generator.graph import schema_cycles, schema_refs, type_refs
from generator.loader import Pointer, Spec

__all__ = ["build_api"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_PREFIX = "#/components/schemas/"
_JSON_TYPES = ("application/json",)
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# Keywords that change what a schema accepts and that the generator cannot express.
_UNSUPPORTED = ("not", "if", "then", "else", "patternProperties", "dependentSchemas")
_DEFAULT_ERROR_NAMES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    413: "RequestTooLargeError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    529: "OverloadedError",
}
_PRIMITIVES: dict[str, ir.TypeExpr] = {
    "string": ir.Primitive("str"),
    "integer": ir.Primitive("int"),
    "number": ir.Primitive("float"),
    "boolean": ir.Primitive("bool"),
}


def build_api(spec: Spec) -> ir.Api:
    """The IR of ``spec``; raises SpecError for constructs not supported yet."""
    builder = _Builder(spec)
    api = builder.build()
    if builder.problems:
        raise SpecError(builder.problems)
    return api


@dataclass
class _Builder:
    spec: Spec
    problems: list[Diagnostic] = field(default_factory=list)
    # Named schemas by their spec name, including the ones hoisted from inline objects.
    named: dict[str, ir.Schema] = field(default_factory=dict)
    in_progress: set[str] = field(default_factory=set)

    @property
    def doc(self) -> dict[str, Any]:
        return self.spec.data

    def problem(self, code: str, pointer: Pointer, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, self.spec.at(*pointer), hint=hint))

    # -- the whole document -------------------------------------------------

    def build(self) -> ir.Api:
        doc = self.doc
        info = doc.get("info", {})
        config = doc.get("x-codegen", {}) or {}
        title = str(info.get("title", "API"))
        package = config.get("package") or naming.snake_case(title) or "api_client"
        client = config.get("client") or naming.class_name(title) or "Client"
        for name in sorted(doc.get("components", {}).get("schemas", {}) or {}):
            self.named_schema(name)
        operations = tuple(self.operations())
        schemas = self.with_usage(operations)
        self.check_alias_cycles()
        auth_header = self.api_key_header()
        servers = doc.get("servers") or [{}]
        return ir.Api(
            title=title,
            version=str(info.get("version", "")),
            description=str(info.get("description", "") or ""),
            package=package,
            package_version=str(config.get("package-version", "0.1.0")),
            client_name=client,
            async_client_name=config.get("async-client") or f"Async{client}",
            api_key_env=config.get("api-key-env") or (
                f"{naming.snake_case(client).upper()}_API_KEY" if auth_header else None
            ),
            api_key_header=auth_header,
            base_url_env=config.get("base-url-env") or f"{naming.snake_case(client).upper()}_BASE_URL",
            default_base_url=str(servers[0].get("url", "http://localhost")).rstrip("/"),
            schemas=schemas,
            operations=operations,
            resources=_resource_tree(operations),
            errors=self.error_table(),
            spec_path=self.spec.path,
            spec_sha256=hashlib.sha256(self.spec.raw).hexdigest(),
        )

    def check_alias_cycles(self) -> None:
        """Refuse schemas that refer to themselves through no object at all.

        ``Json = string | list[Json]`` would be a type alias that contains
        itself, which Python's aliases cannot spell; a cycle through an object
        (``Node.children: list[Node]``) is fine.
        """
        aliases = {
            name: s for name, s in self.named.items()
            if isinstance(s, (ir.AliasSchema, ir.UnionSchema))
        }
        cycles = schema_cycles(aliases)
        for number in sorted(set(cycles.values())):
            members = sorted(n for n, c in cycles.items() if c == number)
            first = aliases[members[0]]
            assert first.location is not None
            self.problems.append(Diagnostic(
                "E407",
                "schema `" + members[0] + "` refers to itself only through lists, maps and unions"
                + (f" (with {', '.join(f'`{m}`' for m in members[1:])})" if len(members) > 1 else ""),
                first.location,
                hint="put an object in the cycle, or describe the recursive part as `{}` (any value)",
            ))

    def api_key_header(self) -> str | None:
        schemes = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        for name in sorted(schemes):
            scheme = schemes[name]
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                return str(scheme["name"])
        return None

    # -- schemas ----------------------------------------------------------------

    def resolve(self, schema: Any) -> Any:
        """Follow ``$ref`` chains to the schema they name (cycles end at the ref)."""
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen or not ref.startswith("#/"):
                break
            seen.add(ref)
            schema = _pointer_get(self.doc, ref)
        return schema

    def named_schema(self, name: str) -> None:
        if name in self.named or name in self.in_progress:
            return
        pointer: Pointer = ("components", "schemas", name)
        raw = self.doc["components"]["schemas"][name]
        self.in_progress.add(name)
        self.named[name] = self.classify(name, raw, pointer)
        self.in_progress.discard(name)

    def classify(self, name: str, raw: Any, pointer: Pointer) -> ir.Schema:
        class_name = naming.class_name(name)
        location = self.spec.at(*pointer)
        raw = raw if isinstance(raw, dict) else {}
        description = _text(raw.get("description"))
        self.check_supported(raw, pointer)
        if "allOf" in raw and len(raw["allOf"]) == 1 and not raw.get("properties"):
            target = self.type_of(raw["allOf"][0], name, pointer + ("allOf", 0))
            return ir.AliasSchema(name, class_name, target, description, location=location)
        if _is_object(raw):
            merged = self.merge_all_of(raw, pointer)
            fields = self.fields(merged, name, pointer)
            return ir.ObjectSchema(
                name, class_name, fields, description, self.additional(merged, name, pointer),
                location=location,
            )
        if "enum" in raw and not _nullable_marker(raw) and None not in raw["enum"]:
            return ir.EnumSchema(name, class_name, tuple(raw["enum"]), description, location=location)
        target = self.type_of(raw, name, pointer, hoist=False)
        if isinstance(target, ir.UnionOf):
            return ir.UnionSchema(name, class_name, target, description, location=location)
        return ir.AliasSchema(name, class_name, target, description, location=location)

    def check_supported(self, raw: dict[str, Any], pointer: Pointer) -> None:
        for key in _UNSUPPORTED:
            if key in raw:
                self.problem(
                    "E401", pointer + (key,), f"the `{key}` keyword is not supported by the generator yet",
                    hint="describe the accepted values without it, or open an issue",
                )

    def merge_all_of(self, raw: dict[str, Any], pointer: Pointer) -> dict[str, Any]:
        """One object schema from ``allOf`` parts: properties and requirements add up."""
        if "allOf" not in raw:
            return raw
        properties: dict[str, Any] = {}
        required: list[str] = []
        additional: Any = raw.get("additionalProperties")
        for index, part in enumerate(raw["allOf"]):
            part = self.resolve(part)
            if not isinstance(part, dict):
                continue
            part = self.merge_all_of(part, pointer + ("allOf", index))
            if not _is_object(part):
                self.problem(
                    "E402", pointer + ("allOf", index),
                    "an `allOf` part that is not an object cannot be merged",
                    hint="only object schemas may be combined with allOf",
                )
                continue
            properties.update(part.get("properties") or {})
            required.extend(r for r in part.get("required") or [] if r not in required)
            if additional is None and "additionalProperties" in part:
                additional = part["additionalProperties"]
        properties.update(raw.get("properties") or {})
        required.extend(r for r in raw.get("required") or [] if r not in required)
        merged = {k: v for k, v in raw.items() if k != "allOf"}
        merged.update(type="object", properties=properties, required=required)
        if additional is not None:
            merged["additionalProperties"] = additional
        return merged

    def fields(self, raw: dict[str, Any], owner: str, pointer: Pointer) -> tuple[ir.Field, ...]:
        required = set(raw.get("required") or [])
        result = []
        for prop in sorted(raw.get("properties") or {}):
            prop_schema = raw["properties"][prop]
            prop_pointer = pointer + ("properties", prop)
            resolved = self.resolve(prop_schema)
            resolved = resolved if isinstance(resolved, dict) else {}
            result.append(
                ir.Field(
                    name=prop,
                    py_name=naming.attribute_name(prop),
                    type=self.type_of(prop_schema, owner + naming.class_name(prop), prop_pointer),
                    required=prop in required,
                    description=_text(
                        (prop_schema.get("description") if isinstance(prop_schema, dict) else None)
                        or resolved.get("description")
                    ),
                    # A default beside a `$ref` (3.1) wins over the target's own.
                    default=(
                        prop_schema["default"]
                        if isinstance(prop_schema, dict) and "default" in prop_schema
                        else resolved.get("default", ir.MISSING)
                    ),
                    constraints=_constraints(resolved),
                    deprecated=bool(resolved.get("deprecated", False)),
                )
            )
        return tuple(result)

    def additional(self, raw: dict[str, Any], owner: str, pointer: Pointer) -> ir.TypeExpr | None:
        extra = raw.get("additionalProperties")
        if extra is None or extra is False:
            return None
        if extra is True or extra == {}:
            return ir.Any_()
        return self.type_of(extra, owner + "Value", pointer + ("additionalProperties",))

    def type_of(self, schema: Any, context: str, pointer: Pointer, hoist: bool = True) -> ir.TypeExpr:
        """The type of a schema used in place; inline objects become named schemas."""
        if schema is True or schema is None or schema == {}:
            return ir.Any_()
        if not isinstance(schema, dict):
            return ir.Any_()
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref.startswith(_SCHEMA_PREFIX) and "/" not in ref[len(_SCHEMA_PREFIX):]:
                name = _unescape(ref[len(_SCHEMA_PREFIX):])
                self.named_schema(name)
                return ir.Ref(name)
            target = self.resolve(schema)
            if target is schema:
                self.problem("E403", pointer + ("$ref",), f"unsupported reference `{ref}`")
                return ir.Any_()
            return self.type_of(target, context, pointer, hoist)
        self.check_supported(schema, pointer)
        if _nullable_marker(schema):
            rest = dict(schema)
            rest.pop("nullable", None)
            types = rest.get("type")
            if isinstance(types, list):
                rest["type"] = [t for t in types if t != "null"]
                if len(rest["type"]) == 1:
                    rest["type"] = rest["type"][0]
            if "enum" in rest:
                rest["enum"] = [v for v in rest["enum"] if v is not None]
            return _nullable(self.type_of(rest, context, pointer, hoist))
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.union_of(schema, key, context, pointer)
        if "allOf" in schema:
            if len(schema["allOf"]) == 1 and not schema.get("properties"):
                return self.type_of(schema["allOf"][0], context, pointer + ("allOf", 0), hoist)
            return self.hoist(context, schema, pointer)
        if "const" in schema:
            return ir.LiteralOf((schema["const"],))
        if "enum" in schema:
            return ir.LiteralOf(tuple(schema["enum"]))
        kind = schema.get("type")
        if isinstance(kind, list):
            members = [ir.UnionMember(self.type_of({**schema, "type": k}, context, pointer)) for k in kind]
            return ir.UnionOf(tuple(members)) if len(members) > 1 else members[0].type
        if _is_object(schema):
            if schema.get("properties"):
                return self.hoist(context, schema, pointer) if hoist else ir.Any_()
            extra = self.additional(schema, context, pointer)
            return ir.MapOf(extra if extra is not None else ir.Any_())
        if kind == "array":
            items = schema.get("items", {})
            return ir.ListOf(self.type_of(items, context + "Item", pointer + ("items",)))
        if kind == "string" and schema.get("format") == "binary":
            return ir.Primitive("bytes")
        return _PRIMITIVES.get(str(kind), ir.Any_())

    def hoist(self, name: str, schema: dict[str, Any], pointer: Pointer) -> ir.Ref:
        """Give an inline object a name of its own, derived from where it stands."""
        base, n = name, 2
        while name in self.named and self.named[name].location != self.spec.at(*pointer):
            name, n = f"{base}{n}", n + 1
        if name not in self.named:
            self.named[name] = self.classify(name, schema, pointer)
        return ir.Ref(name)

    def union_of(self, schema: dict[str, Any], key: str, context: str, pointer: Pointer) -> ir.TypeExpr:
        options = schema[key]
        disc = schema.get("discriminator") or {}
        prop = disc.get("propertyName")
        mapping = {v: k for k, v in (disc.get("mapping") or {}).items()}
        members: list[ir.UnionMember] = []
        nullable = False
        for index, option in enumerate(options):
            if isinstance(option, dict) and option.get("type") == "null":
                nullable = True
                continue
            tag = None
            if prop:
                tag = mapping.get(option.get("$ref")) if isinstance(option, dict) else None
                if tag is None:
                    tag = _tag_value(self.resolve(option), prop)
            member_context = context + naming.class_name(str(tag)) if tag else f"{context}Variant{index + 1}"
            members.append(
                ir.UnionMember(self.type_of(option, member_context, pointer + (key, index)), tag)
            )
        if not members:
            return ir.Any_()
        result: ir.TypeExpr = (
            members[0].type if len(members) == 1 else ir.UnionOf(tuple(members), prop)
        )
        return ir.Nullable(result) if nullable else result

    # -- operations ---------------------------------------------------------------

    def operations(self) -> Iterator[ir.Operation]:
        paths = self.doc.get("paths", {}) or {}
        for path in sorted(paths):
            item = paths[path] or {}
            shared = item.get("parameters") or []
            for method in _HTTP_METHODS:
                if method in item:
                    yield self.operation(path, method, item[method], shared)

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
        body_fields, body_type, body_required, body_media = self.request_body(raw, pointer, owner)
        params, body_fields = _argument_names(params, body_fields)
        responses = tuple(self.responses(raw, pointer, owner))
        result = next(
            (r.type for r in responses if r.status.startswith("2") and r.content_type in _JSON_TYPES),
            None,
        )
        stream = self.stream_info(raw, pointer, body_fields, owner)
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
        )
        return replace(op, bindings=self.bindings(op, raw, pointer))

    def request_body(
        self, raw: dict[str, Any], pointer: Pointer, owner: str
    ) -> tuple[tuple[ir.Field, ...], ir.TypeExpr | None, bool, str | None]:
        if "requestBody" not in raw:
            return (), None, False, None
        body = self.resolve(raw["requestBody"])
        content = body.get("content", {}) or {}
        media = next((m for m in content if m in _JSON_TYPES or m.endswith("+json")), None)
        media = media or next((m for m in _FORMS if m in content), None)
        if media is None:
            types = ", ".join(sorted(content)) or "none"
            self.problem(
                "E404", pointer + ("requestBody", "content"),
                f"request bodies of type {types} are not supported yet",
                hint="the generator sends JSON, form and multipart request bodies only",
            )
            return (), None, False, None
        schema = content[media].get("schema", {})
        resolved = self.resolve(schema)
        required = bool(body.get("required", False))
        if isinstance(resolved, dict) and _is_object(resolved) and resolved.get("properties"):
            merged = self.merge_all_of(resolved, pointer)
            body_pointer = pointer + ("requestBody", "content", media, "schema")
            type_expr = self.type_of(schema, owner + "Params", body_pointer)
            fields = self.fields(merged, owner + "Params", body_pointer)
            return fields, type_expr, required, media
        body_type = self.type_of(schema, owner + "Body", pointer + ("requestBody",))
        is_object = isinstance(body_type, ir.Ref) and isinstance(
            self.named.get(body_type.name), ir.ObjectSchema
        )
        if not (is_object or isinstance(body_type, (ir.MapOf, ir.Any_))):
            self.problem(
                "E406", pointer + ("requestBody", "content", media, "schema"),
                "request bodies that are not objects are not supported yet",
                hint="wrap the value in an object with one property",
            )
        return (), body_type, required, media

    def request_examples(self, raw: dict[str, Any], media: str | None) -> tuple[ir.Example, ...]:
        if media is None:
            return ()
        body = self.resolve(raw.get("requestBody")) or {}
        return self.examples(media, (body.get("content") or {}).get(media))

    def examples(self, media: str, entry: Any) -> tuple[ir.Example, ...]:
        """A media type's examples: its named ``examples`` (refs followed), or its lone ``example``."""
        if not isinstance(entry, dict):
            return ()
        if "examples" not in entry:
            return (ir.Example("example", media, entry["example"]),) if "example" in entry else ()
        found = []
        for name, example in (entry.get("examples") or {}).items():
            example = self.resolve(example)
            if isinstance(example, dict) and "value" in example:
                found.append(ir.Example(
                    str(name), media, example["value"],
                    _text(example.get("summary")), _text(example.get("description")),
                ))
        return tuple(found)

    def responses(self, raw: dict[str, Any], pointer: Pointer, owner: str) -> Iterator[ir.Response]:
        for status in sorted(raw.get("responses", {}) or {}):
            response = self.resolve(raw["responses"][status])
            content = response.get("content") or {}
            media = next((m for m in sorted(content) if m in _JSON_TYPES), None)
            media = media or next(iter(sorted(content)), None)
            type_expr = None
            if media in _JSON_TYPES:
                type_expr = self.type_of(
                    content[media].get("schema", {}), owner + "Response",
                    pointer + ("responses", status, "content", media, "schema"),
                )
            yield ir.Response(
                status=str(status),
                description=_text(response.get("description")),
                type=type_expr,
                content_type=media,
                headers=tuple(sorted(response.get("headers") or {})),
                examples=tuple(
                    e for m in content for e in self.examples(m, content[m])
                ),
            )

    def stream_info(
        self, raw: dict[str, Any], pointer: Pointer, body: tuple[ir.Field, ...], owner: str
    ) -> ir.StreamInfo | None:
        config = raw.get("x-streaming")
        event_schema = None
        for status, response in sorted((raw.get("responses") or {}).items()):
            content = self.resolve(response).get("content") or {}
            if str(status).startswith("2") and "text/event-stream" in content:
                event_schema = (status, content["text/event-stream"].get("schema", {}))
        if event_schema is None:
            return None
        config = config or {}
        flag = config.get("flag", "stream")
        flag_field = next((f for f in body if f.name == flag), None)
        if flag_field is None:
            self.problem(
                "E405", pointer, f"the event stream needs a boolean body property `{flag}` to request it",
                hint="name it with `x-streaming: {flag: ...}`",
            )
            return None
        status, schema = event_schema
        return ir.StreamInfo(
            flag=flag,
            flag_py_name=flag_field.py_name,
            event_type=self.type_of(
                schema, owner + "Event",
                pointer + ("responses", status, "content", "text/event-stream", "schema"),
            ),
            terminal_event=config.get("terminal-event"),
            error_event=config.get("error-event"),
            helper=config.get("helper"),
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

    # -- errors and usage ---------------------------------------------------------

    def error_table(self) -> tuple[ir.ErrorStatus, ...]:
        found: dict[int, ir.ErrorStatus] = {}
        for path, item in sorted((self.doc.get("paths") or {}).items()):
            for method in _HTTP_METHODS:
                op = (item or {}).get(method)
                if not op:
                    continue
                for status, response in (op.get("responses") or {}).items():
                    code = str(status)
                    if not (code.isdigit() and int(code) >= 400) or int(code) in found:
                        continue
                    resolved = self.resolve(response)
                    name = resolved.get("x-exception") or _DEFAULT_ERROR_NAMES.get(
                        int(code), f"Status{code}Error"
                    )
                    found[int(code)] = ir.ErrorStatus(
                        status=int(code),
                        class_name=str(name),
                        error_type=resolved.get("x-error-type") or _example_error_type(resolved),
                        description=_text(resolved.get("description")),
                    )
        return tuple(found[k] for k in sorted(found))

    def with_usage(self, operations: tuple[ir.Operation, ...]) -> tuple[ir.Schema, ...]:
        request: set[str] = set()
        response: set[str] = set()
        for op in operations:
            for f in op.body_fields:
                self.reach(f.type, request)
            for p in op.parameters:
                self.reach(p.type, request)
            if op.body_type is not None:
                self.reach(op.body_type, request)
            for r in op.responses:
                if r.type is not None:
                    self.reach(r.type, response)
            if op.stream is not None:
                self.reach(op.stream.event_type, response)
        result = []
        for name in sorted(self.named):
            schema = self.named[name]
            usage = ir.Usage(request=name in request, response=name in response)
            result.append(replace(schema, usage=usage))
        return tuple(result)

    def reach(self, type_expr: ir.TypeExpr, seen: set[str]) -> None:
        """Add to ``seen`` every named schema ``type_expr`` leads to."""
        pending = [name for name in type_refs(type_expr) if name in self.named]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            pending.extend(n for n in schema_refs(self.named[name]) if n in self.named)


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
    """Parameters and body fields renamed where their argument names are reserved."""
    taken = {p.py_name for p in params} | {f.py_name for f in body}

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


def _nullable(inner: ir.TypeExpr) -> ir.TypeExpr:
    return inner if isinstance(inner, ir.Nullable) else ir.Nullable(inner)


def _nullable_marker(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(types, list) and "null" in types)
        or ("enum" in schema and None in (schema.get("enum") or []) and len(schema["enum"]) > 1)
    )


def _is_object(schema: dict[str, Any]) -> bool:
    if "allOf" in schema and not any(k in schema for k in ("oneOf", "anyOf")):
        return True
    kind = schema.get("type")
    return kind == "object" or (kind is None and "properties" in schema)


def _tag_value(schema: Any, prop: str) -> str | None:
    if not isinstance(schema, dict):
        return None
    tag = (schema.get("properties") or {}).get(prop) or {}
    if "const" in tag:
        return str(tag["const"])
    if len(tag.get("enum") or []) == 1:
        return str(tag["enum"][0])
    for part in schema.get("allOf") or []:
        found = _tag_value(part, prop)
        if found:
            return found
    return None


def _example_error_type(response: dict[str, Any]) -> str | None:
    """The ``error.type`` all of a response's examples agree on, if any."""
    found = set()
    for media in (response.get("content") or {}).values():
        values = [e.get("value") for e in (media.get("examples") or {}).values() if isinstance(e, dict)]
        if "example" in media:
            values.append(media["example"])
        for value in values:
            if isinstance(value, dict) and isinstance(value.get("error"), dict):
                found.add(value["error"].get("type"))
    return str(found.pop()) if len(found) == 1 else None


def _constraints(schema: dict[str, Any]) -> ir.Constraints:
    if not isinstance(schema, dict):
        return ir.Constraints()
    exclusive_min = schema.get("exclusiveMinimum")
    exclusive_max = schema.get("exclusiveMaximum")
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    # OpenAPI 3.0 spells exclusive bounds as booleans beside minimum/maximum.
    if exclusive_min is True:
        exclusive_min, minimum = minimum, None
    if exclusive_max is True:
        exclusive_max, maximum = maximum, None
    return ir.Constraints(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_min if not isinstance(exclusive_min, bool) else None,
        exclusive_maximum=exclusive_max if not isinstance(exclusive_max, bool) else None,
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        pattern=schema.get("pattern"),
        min_items=schema.get("minItems"),
        max_items=schema.get("maxItems"),
    )


def _text(value: Any) -> str:
    return str(value).strip() if value else ""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _pointer_get(doc: Any, ref: str) -> Any:
    node = doc
    for token in ref[2:].split("/") if ref != "#" else []:
        token = _unescape(token)
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node
