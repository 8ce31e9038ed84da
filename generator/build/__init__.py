"""Build the IR from a validated spec.

Validation has already run, so this stage may assume a well-formed document.
What it still reports (as located diagnostics, never by dropping anything) are
constructs the generator does not support yet: it would rather refuse a spec
than generate a client that silently lacks an operation or a field.

One builder, split by concern along a chain of base classes: ``common`` (the
document, problems, ``$ref`` resolution), ``schemas``, ``responses`` (examples,
event streams, the error table), ``operations`` (parameters, bodies, method
bindings), and here the whole document and schema usage.
"""

from __future__ import annotations

from dataclasses import replace

from generator import ir, naming
from generator.build.operations import _OperationBuilder, _resource_tree
from generator.diagnostics import Diagnostic, SpecError
from generator.graph import schema_cycles, schema_refs, type_refs
from generator.loader import Spec
from generator.provenance import spec_digest
from generator.typemap import schema_sides

__all__ = ["build_api"]


def build_api(spec: Spec) -> ir.Api:
    """The IR of ``spec``; raises SpecError for constructs not supported yet."""
    builder = _Builder(spec)
    api = builder.build()
    if builder.problems:
        raise SpecError(builder.problems)
    return api


class _Builder(_OperationBuilder):
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
        self.check_python_names(schemas)
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
            spec_sha256=spec_digest(self.spec.raw, ((rel, raw) for rel, _, raw in self.spec.parts)),
            spec_files=tuple(rel for rel, _, _ in self.spec.parts),
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

    def check_python_names(self, schemas: tuple[ir.Schema, ...]) -> None:
        """Refuse two schemas whose Python classes would take one name.

        A schema on the request side is generated as ``<Name>Param``; a schema
        already called that would be silently shadowed, and fields typed with
        one would accept the other's shape.
        """
        owner: dict[str, ir.Schema] = {}
        for schema in schemas:  # sorted by name: the first one keeps the name
            for _, py_name in schema_sides(schema):
                first = owner.setdefault(py_name, schema)
                if first is schema:
                    continue
                assert schema.location is not None and first.location is not None
                self.problems.append(Diagnostic(
                    "E413",
                    f"schemas `{first.name}` and `{schema.name}` would both generate the Python class "
                    f"`{py_name}`",
                    schema.location,
                    hint="a schema sent in requests is generated as `<Name>Param`: rename one of the two",
                    related=(first.location,),
                ))

    def api_key_header(self) -> str | None:
        schemes = self.doc.get("components", {}).get("securitySchemes", {}) or {}
        for name in sorted(schemes):
            scheme = schemes[name]
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                return str(scheme["name"])
        return None
    # -- usage ------------------------------------------------------------------------

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
            if op.lines is not None:
                self.reach(op.lines, response)
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
