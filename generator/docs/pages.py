"""The pages: the index, the types overview, one page per operation and one per schema."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from generator import fmt, ir
from generator.docs.markdown import Table, cell, code, fenced, first_paragraph, heading, inline, prose
from generator.docs.site import FIELD_HEAD, Site, call_name
from generator.plan import OutputFile, free_name
from generator.typemap import Side, literal, module_name, schema_names, type_refs

__all__ = ["plan_docs"]


def plan_docs(api: ir.Api) -> list[OutputFile]:
    """Every page, by path relative to the docs' root directory."""
    site = Pages(api)
    files = [OutputFile("index.md", "docs/index.md.jinja", site.index())]
    files.append(OutputFile("schemas.md", "docs/schemas.md.jinja", site.overview()))
    for op in api.operations:
        files.append(OutputFile(site.op_page(op), "docs/operation.md.jinja", site.operation(op)))
    for schema in api.schemas:
        files.append(OutputFile(site.schema_page(schema.name), "docs/schema.md.jinja", site.schema(schema)))
    return sorted(files, key=lambda f: f.path)


# Statuses the client retries by itself: the runtime's ``should_retry`` (in
# generator/runtime/_base_client.py) decides, and this sentence describes it.
_RETRY_RULE = "408, 409, 429 and 5xx"


def _meaning(retried: str, description: str) -> str:
    """The error's description after a badge saying whether the client retries it."""
    badge = {"yes": "**Retried.**", "no": "Not retried."}.get(retried, f"Retried {retried}.")
    return f"{badge} {description}".rstrip()


def _retried(status: str) -> str:
    if status.isdigit():
        code_ = int(status)
        return "yes" if code_ in (408, 409, 429) or code_ >= 500 else "no"
    if status.upper() == "5XX":
        return "yes"
    return f"if {_RETRY_RULE}"


# More variants than this side by side make a diagram too wide to read once fitted.
_ROW_OF_VARIANTS = 5


class Pages(Site):
    """The view of each page, as its template prints it."""

    def index(self) -> dict[str, Any]:
        api = self.api
        ops = Table(["Method", "HTTP", "Summary"])
        for op in api.operations:
            for binding in op.bindings:
                ops.rows.append([
                    f"[{code('client.' + call_name(binding))}]({self.op_page(op)})",
                    code(_http_line(op, binding)),
                    cell(op.summary or first_paragraph(op.description)),
                ])
        errors = Table(["Status", "Exception", "`error.type`", "Meaning"])
        for e in api.errors:
            errors.rows.append([str(e.status), code(e.class_name), code(e.error_type) if e.error_type else "",
                                _meaning(_retried(str(e.status)), cell(e.description))])
        first = api.operations[0] if api.operations else None
        auth = (f"API key in the {code(api.api_key_header)} header"
                + (f", read from {code(api.api_key_env)}" if api.api_key_env else "")
                if api.api_key_header else "no authentication")
        return {
            "title": heading(api.title),
            "description": prose(api.description),
            "facts": [
                f"Python package {code(api.package)} {code(api.package_version)}; clients "
                f"{code(api.client_name)} and {code(api.async_client_name)}",
                f"Server {code(api.default_base_url)}"
                + (f" (or {code(api.base_url_env)})" if api.base_url_env else ""),
                f"Authentication: {auth}",
                f"Spec version {code(api.version)}" if api.version else "",
            ],
            "quickstart": self.call_example(first, first.bindings[0]) if first and first.bindings else "",
            "operations": ops,
            "errors": errors,
            "types": self.type_table(""),
        }

    def type_table(self, base: str) -> Table:
        table = Table(["Type", "Kind", "Summary"])
        for schema in self.api.schemas:
            names = schema_names(schema)
            # The Python names, where they are not the schema's own.
            python = [code(n) for n in dict.fromkeys((names.model, names.param)) if n and n != schema.name]
            table.rows.append([
                f"[{code(schema.name)}]({base}{self.schema_page(schema.name)})"
                + (f"<br>Python: {', '.join(python)}" if python else ""),
                _kind(schema), cell(first_paragraph(schema.description)),
            ])
        return table

    def overview(self) -> dict[str, Any]:
        """The types, and one diagram per union: all types in one diagram read at no size."""
        unions = []
        for schema in self.api.schemas:
            if not isinstance(schema, ir.UnionSchema):
                continue
            side: Side = "model" if schema.usage.response or not schema.usage.request else "param"
            members = [m.type.name for m in schema.union.members if isinstance(m.type, ir.Ref)]
            unions.append({
                "title": f"{code(self.py_name(schema.name, side))} "
                         f"({'in responses' if side == 'model' else 'in requests'})",
                "link": self.link(schema.name, side, ""),
                "diagram": self.diagram([schema.name, *dict.fromkeys(members)], side,
                                        sideways=len(members) > _ROW_OF_VARIANTS),
            })
        return {
            "title": heading(self.api.title),
            "unions": unions,
            "types": self.type_table(""),
        }

    def operation(self, op: ir.Operation) -> dict[str, Any]:
        base = "../"
        request_types = [f.type for f in op.body_fields]
        if op.body_type is not None and not op.body_fields:
            request_types.append(op.body_type)
        shown: set[str] = set()
        result_roots = [op.result] if op.result is not None else []
        ctx: dict[str, Any] = {
            "title": heading(op.summary or f"{op.method.upper()} {op.path}"),
            "http": code(f"{op.method.upper()} {op.path}"),
            "operation_id": code(op.operation_id),
            "deprecated": op.deprecated,
            "description": prose(op.description),
            "diagram": self.result_diagram(op.result) if op.result else "",
            "result": self.type_cell(op.result, "model", base) if op.result else "",
            "methods": [self.method(op, b) for b in op.bindings],
            "body": self.body(op, base),
            "request_unions": self.unions(request_types, "param", base, set()),
            "responses": self.responses(op, base),
            "response_unions": self.unions(result_roots, "model", base, shown),
            "stream": self.stream(op, base, shown),
            "errors": self.errors(op),
            "examples": self.examples(op),
        }
        return ctx

    def result_diagram(self, result: ir.TypeExpr) -> str:
        """The result and the types its fields name, one level deep.

        Deeper, a union of many variants fans out into a row too wide to read;
        ``schemas.md`` draws each union with its variants.
        """
        roots = list(dict.fromkeys(type_refs(result)))
        names = list(dict.fromkeys([*roots, *(r for name in roots for r in self._refs(name))]))
        drawn = self.diagram(names, "model")
        if any(isinstance(self.schemas[n], ir.UnionSchema) for n in names):
            drawn += "\n\nEach union's variants are drawn in [all types](../schemas.md)."
        return drawn

    def method(self, op: ir.Operation, binding: ir.MethodBinding) -> dict[str, Any]:
        facts = [f"HTTP: {code(_http_line(op, binding))}"]
        headers = [code(f"{k}: {v}") for k, v in op.fixed_headers]
        always = dict(binding.fixed_header_items)
        for p in binding.parameters:
            if p.location == "header" and p.name in always:
                headers.append(f"{code(p.name)} from {code(p.py_name)}, followed by "
                               f"{code(','.join(always.pop(p.name)))}")
            elif p.location == "header":
                headers.append(f"{code(p.name)} from {code(p.py_name)}")
        headers += [code(f"{k}: {','.join(v)}") for k, v in always.items()]
        if headers:
            facts.append("Headers: " + ", ".join(headers))
        returns = self.type_cell(op.result, "model", "../") if op.result else code("None")
        if op.pagination is not None:
            item = self.spell(op.pagination.item_type, "model")
            returns = (f"{code(f'SyncCursorPage[{item}]')} ({code(f'AsyncPageRequest[{item}]')} when async):"
                       f" one page of {returns}; iterating it yields every {code(item)} of every page")
        elif op.lines is not None:
            item = self.spell(op.lines, "model")
            returns = (f"{code(f'JSONLDecoder[{item}]')} ({code(f'AsyncJSONLDecoder[{item}]')} when async):"
                       f" the {code(op.lines_media or 'application/x-jsonl')} download, one {code(item)} a line,"
                       " read as it arrives")
        elif op.download_media is not None:
            returns = (f"{code('BinaryResponse')} ({code('AsyncBinaryResponse')} when async): the"
                       f" {code(op.download_media)} download, read as it arrives"
                       f" ({code('read()')}, {code('iter_bytes()')}, {code('write_to_file(path)')})")
        if op.stream is not None:
            event = self.spell(op.stream.event_type, "model")
            returns += (f"; with {code(op.stream.flag_py_name + '=True')}: {code(f'Stream[{event}]')}"
                        f" ({code(f'AsyncStream[{event}]')} when async)")
        facts.append(f"Returns: {returns}")
        params = Table(["Parameter", "In", *FIELD_HEAD[1:]])
        for p in binding.parameters:
            params.rows.append(self.row(
                p.name, p.py_name, p.type, "param", "../", required=p.required, default=p.default,
                constraints=p.constraints, description=p.description, extra=[p.location],
            ))
        return {
            "name": code("client." + call_name(binding)),
            "facts": facts,
            "params": params if params.rows else None,
            "example": self.call_example(op, binding),
            "stream_example": self.stream_example(op, binding),
        }

    def body(self, op: ir.Operation, base: str) -> dict[str, Any] | None:
        if op.body_media is None:
            return None
        table = Table(list(FIELD_HEAD))
        for f in op.body_fields:
            table.rows.append(self.row(
                f.name, f.py_name, f.type, "param", base, required=f.required, default=f.default,
                constraints=f.constraints, description=f.description, deprecated=f.deprecated,
            ))
        if not op.body_fields and op.body_type is not None:
            table.rows.append(self.row(
                "(body)", "body", op.body_type, "param", base, required=op.body_required,
                default=ir.MISSING, constraints=ir.Constraints(), description="The request body, whole.",
            ))
        intro = (f"{code(op.body_media)}, {'required' if op.body_required else 'optional'}. "
                 "Each property is a keyword argument of the method.")
        return {"intro": intro, "table": table}

    def responses(self, op: ir.Operation, base: str) -> Table:
        table = Table(["Status", "Content type", "Python", "Description"])
        for r in op.responses:
            error = self.error_class(r.status)
            if error is not None and not r.status.startswith("2"):
                python = f"raises {code(error)}"
            elif r.type is not None:
                python = self.type_cell(r.type, "model", base)
            else:
                python = ""
            table.rows.append([code(r.status), code(r.content_type) if r.content_type else "", python,
                               cell(r.description)])
            if r.status.startswith("2") and op.stream is not None:
                event = self.spell(op.stream.event_type, "model")
                table.rows.append([code(r.status), code("text/event-stream"),
                                   code(f"Stream[{event}]"),
                                   f"With {code(op.stream.flag_py_name + '=True')}: see Streaming."])
        return table

    def error_class(self, status: str) -> str | None:
        if status.isdigit():
            found = next((e.class_name for e in self.api.errors if e.status == int(status)), None)
            return found or ("APIStatusError" if int(status) >= 400 else None)
        return "APIStatusError" if status[:1] in "45" or status == "default" else None

    def stream(self, op: ir.Operation, base: str, shown: set[str]) -> dict[str, Any] | None:
        stream = op.stream
        if stream is None:
            return None
        events = Table(["Event (`type`)", "Python", "Description"])
        members = _members(stream.event_type, self.schemas)
        for member in members:
            description = ""
            if isinstance(member.type, ir.Ref):
                description = first_paragraph(self.schemas[member.type.name].description)
            notes = []
            if member.tag is not None and member.tag == stream.terminal_event:
                notes.append("**Ends the stream.**")
            if member.tag is not None and member.tag == stream.error_event:
                notes.append("**Raises** the exception its `error.type` names (see Errors).")
            events.rows.append([
                code(member.tag) if member.tag is not None else "",
                self.type_cell(member.type, "model", base),
                " ".join(notes + [cell(description)]).strip(),
            ])
        event = self.spell(stream.event_type, "model")
        intro = (f"With {code(stream.flag_py_name + '=True')}, the method returns "
                 f"{code(f'Stream[{event}]')} ({code(f'AsyncStream[{event}]')} for the async client): "
                 "iterate it once for the events, each the JSON of one server-sent event's `data:`.")
        if stream.terminal_event:
            intro += f" A stream that ends before {code(stream.terminal_event)} raises `IncompleteStreamError`."
        if stream.helper:
            intro += (f" The {code(stream.helper + '(...)')} method accumulates the events and returns the "
                      "final value from `get_final_message()`.")
        return {
            "intro": intro,
            "events": events,
            "unions": self.unions([stream.event_type], "model", base, shown),
        }

    def errors(self, op: ir.Operation) -> dict[str, Any]:
        table = Table(["Status", "Exception", "`error.type`", "Meaning"])
        for r in op.responses:
            if r.status.startswith(("1", "2", "3")):
                continue
            error = self.error_class(r.status)
            known = next((e for e in self.api.errors if str(e.status) == r.status), None)
            table.rows.append([
                code(r.status), code(error) if error else "",
                code(known.error_type) if known and known.error_type else "",
                _meaning(_retried(r.status), cell(r.description)),
            ])
        for name, retried, meaning in (
            ("APIConnectionError", "yes", "No answer arrived (network failure)."),
            ("APITimeoutError", "yes", "The request timed out."),
            ("APIResponseValidationError", "no", "The answer did not fit the documented type."),
        ) + ((("IncompleteStreamError", "no", "The stream ended before its last event."),)
             if op.stream is not None else ()) + ((
            ("DownloadNotReadyError", "no",
             f"Raised before the download: `{op.url_from.field}` of the reply that gives the URL is null."),
        ) if op.url_from is not None else ()):
            table.rows.append(["", code(name), "", _meaning(retried, meaning)])
        advice = (
            f"Answers with status {_RETRY_RULE}, connection errors and timeouts are retried "
            "automatically, up to `max_retries` times (2 unless the client or `with_options()` "
            "says otherwise), waiting as `retry-after-ms` or `retry-after` asks (up to 60 s) or else "
            "backing off exponentially from 0.5 s to 8 s; an `x-should-retry` header from the server "
            "overrides the rule. Any other error raises at once."
        )
        if op.stream is not None:
            advice += " A stream is retried only until its status line arrives, never once events flow."
        return {"table": table, "advice": advice}

    def examples(self, op: ir.Operation) -> list[dict[str, str]]:
        found = []
        for e in op.request_examples:
            found.append(_example(f"Request {code(e.name)}", e))
        for r in op.responses:
            for e in r.examples:
                found.append(_example(f"Response {code(r.status)} {code(e.media_type)}, {code(e.name)}", e))
        return found

    def call_example(self, op: ir.Operation, binding: ir.MethodBinding, stream: bool = False) -> str:
        args = [f"{p.py_name}=..." for p in binding.parameters if p.required]
        fields = {f.name: f for f in op.body_fields}
        sample = next((e.value for e in op.request_examples
                       if isinstance(e.value, dict) and set(e.value) <= set(fields)), None)
        flag = op.stream.flag if op.stream is not None else None
        if isinstance(sample, dict):
            args += [f"{fields[k].py_name}={literal(v)}" for k, v in sample.items() if k != flag]
        else:
            args += [f"{f.py_name}=..." for f in op.body_fields if f.required and f.name != flag]
            if not op.body_fields and op.body_type is not None and op.body_required:
                args.append(f"{free_name('body', binding)}=...")
            if op.body_media_choices:
                media = op.body_media_choices[0]
                args.append(f"{free_name('content_type', binding)}=" + ("..." if "*" in media else literal(media)))
        api = self.api
        if stream and op.stream is not None:
            args.append(f"{op.stream.flag_py_name}=True")
        if stream:
            body = f"{_call('stream = ', binding, args)}\nfor event in stream:\n    print(event)\n"
        elif op.pagination is not None:
            item = module_name(self.spell(op.pagination.item_type, "model"))
            body = f"{_call('page = ', binding, args)}\nfor {item} in page:\n    print({item})\n"
        elif op.lines is not None:
            item = module_name(self.spell(op.lines, "model"))
            body = f"{_call('lines = ', binding, args)}\nfor {item} in lines:\n    print({item})\n"
        elif op.download_media is not None:
            body = f"{_call('download = ', binding, args)}\ndownload.write_to_file(\"download.bin\")\n"
        elif op.result is None:
            body = f"{_call('', binding, args)}\n"
        else:
            result = op.result
            target = module_name(self.py_name(result.name, "model")) if isinstance(result, ir.Ref) else "result"
            body = f"{_call(f'{target} = ', binding, args)}\nprint({target})\n"
        source = f"from {api.package} import {api.client_name}\n\nclient = {api.client_name}()\n{body}"
        plain = sample is None or _plain(sample)
        return fenced(source if plain and _black_as_is(source) else _black(source), "python")

    def stream_example(self, op: ir.Operation, binding: ir.MethodBinding) -> str:
        return self.call_example(op, binding, stream=True) if op.stream is not None else ""

    def schema(self, schema: ir.Schema) -> dict[str, Any]:
        base = "../"
        names = schema_names(schema)
        sides: list[Side] = []
        if names.model:
            sides.append("model")
        if names.param and names.param != names.model:
            sides.append("param")
        python = []
        if names.model and names.model == names.param:
            python.append(f"{code(names.model)} (in responses and requests)")
        elif not isinstance(schema, ir.ObjectSchema):
            python += [f"{code(n)} (in {where})" for n, where in ((names.model, "responses"),
                                                                  (names.param, "requests")) if n]
        else:
            if names.model:
                python.append(f"response model {code(names.model)}")
            if names.param:
                python.append(f"request shape {code(names.param)}")
        ctx: dict[str, Any] = {
            "title": code(schema.name),
            "kind": _kind(schema),
            "python": ", ".join(python),
            "import_path": code(f"{self.api.package}.types"),
            "description": prose(schema.description),
            "fields": [], "variants": None, "enum": None, "alias": "", "additional": "",
            "used_by": [f"[{text}]({base}{page})" if page else text for text, page in self.used_by.get(schema.name, [])],
        }
        match schema:
            case ir.ObjectSchema(additional=additional):
                for side in sides:
                    label = "Response model" if side == "model" else "Request shape (a `dict`)"
                    ctx["fields"].append({"title": f"{label} {code(self.py_name(schema.name, side))}",
                                          "table": self.field_table(schema, side, base)})
                if additional is not None:
                    ctx["additional"] = self.type_cell(additional, sides[0], base)
            case ir.UnionSchema(union=union):
                table = Table(["Tag" + (f" ({code(union.discriminator)})" if union.discriminator else ""),
                               "Python", "Description"])
                for m in union.members:
                    description = (first_paragraph(self.schemas[m.type.name].description)
                                   if isinstance(m.type, ir.Ref) else "")
                    table.rows.append([code(literal(m.tag)) if m.tag is not None else "",
                                       self.type_cell(m.type, sides[0], base), cell(description)])
                ctx["variants"] = table
            case ir.EnumSchema(values=values):
                ctx["enum"] = Table(["Value"], [[code(literal(v))] for v in values])
            case ir.AliasSchema(target=target):
                ctx["alias"] = self.type_cell(target, sides[0], base)
        return ctx


def _members(t: ir.TypeExpr, schemas: dict[str, ir.Schema]) -> tuple[ir.UnionMember, ...]:
    match t:
        case ir.Ref(name=name) if isinstance(schemas[name], ir.UnionSchema):
            schema = schemas[name]
            assert isinstance(schema, ir.UnionSchema)
            return schema.union.members
        case ir.UnionOf(members=members):
            return members
    return (ir.UnionMember(t),)

def _kind(schema: ir.Schema) -> str:
    match schema:
        case ir.ObjectSchema():
            return "object"
        case ir.EnumSchema():
            return "enum"
        case ir.UnionSchema(union=union):
            return f"union (by {code(union.discriminator)})" if union.discriminator else "union"
        case _:
            return "alias"


# The width black is asked for, and within which it leaves a simple example alone.
_EXAMPLE_WIDTH = 88


def _call(assign: str, binding: ir.MethodBinding, args: list[str]) -> str:
    """The example's call: on one line if it fits, else one argument a line.

    Exploded, the arguments end with a comma, which tells black to keep them
    one a line: the shape is black's, and black need not run to confirm it.
    """
    line = f"{assign}client.{call_name(binding)}({', '.join(args)})"
    if len(line) <= _EXAMPLE_WIDTH or not args:
        return line
    return f"{assign}client.{call_name(binding)}(\n" + "".join(f"    {a},\n" for a in args) + ")"


def _plain(value: object) -> bool:
    """Whether ``literal(value)`` is already black's spelling of it.

    Strings are (``literal`` picks black's quotes), and so are ints, booleans,
    None and the lists and dicts of them; floats may not be (black rewrites
    exponents), and any non-ASCII text goes to black for its width.
    """
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, bool, int))


def _black_as_is(source: str) -> bool:
    """Whether black would return ``source`` unchanged, for an example of plain values.

    Such an example is statements of our own shape (an import, one blank line,
    assignments, a call on one line or exploded with trailing commas, a ``for``
    loop indented by four), names that validation made identifiers, and values
    in black's spelling (``_plain``): black changes it only to split a line
    longer than its width. Non-ASCII text goes to black, whose idea of a line's
    width need not be ``len``.
    """
    return source.isascii() and all(len(line) <= _EXAMPLE_WIDTH for line in source.splitlines())


def _black(source: str) -> str:
    # Kept beside the output with the package's layouts (``fmt.LAID_OUT``), so a
    # run after an edit lays out the examples it laid out before without black.
    digest = "docs:" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:32]
    known, shaped = fmt.LAID_OUT.get(digest)
    if not known or shaped is None:
        shaped = _black_example(source)
        fmt.LAID_OUT.put(digest, shaped)
    return shaped


@functools.cache
def _black_example(source: str) -> str:
    # Imported here: black costs a tenth of a second to import, and a run whose
    # examples are all in its shape already never needs it (see ``_black_as_is``).
    # Cached, as the index repeats the first operation's example.
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=black.Mode(line_length=_EXAMPLE_WIDTH))
    except InvalidInput:  # pragma: no cover - names come validated
        return source


def _http_line(op: ir.Operation, binding: ir.MethodBinding) -> str:
    query = "&".join(f"{k}={json.dumps(v) if not isinstance(v, str) else v}" for k, v in binding.fixed_query)
    return f"{op.method.upper()} {op.path}" + (f"?{query}" if query else "")

# Examples longer than this many lines are folded (``<details>``), so a page
# of examples can be read as a list of what they show.
_FOLD_LINES = 12


def _example(title: str, example: ir.Example) -> dict[str, Any]:
    value = example.value
    if isinstance(value, str) and not example.media_type.endswith("json"):
        text, language = value, "text"
    else:
        text, language = json.dumps(value, indent=2, ensure_ascii=False), "json"
    lines = text.count("\n") + 1
    return {
        "title": title + (f": {inline(example.summary)}" if example.summary else ""),
        "description": prose(example.description),
        "block": fenced(text, language),
        "fold": f"{lines} lines of {language.upper() if language == 'json' else 'text'}"
                if lines > _FOLD_LINES else "",
    }
