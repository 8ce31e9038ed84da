"""Valid OpenAPI that would still make a broken package: caught here, located, before writing.

``validate`` ok must mean ``generate`` writes a package that imports. These
checks cover what the OpenAPI schema allows but Python, the file system or our
runtime do not:

- E226 two schemas whose module files differ only in case (one file on macOS
  and Windows), or whose names are too long to be a file name;
- E218 two properties that Python reads as one name after NFKC normalisation;
- E227 a resource or method named after something the runtime already uses
  (``close``, ``__init__``), a package that shadows the standard library, an
  ``x-exception`` named after a runtime exception, a client class named twice;
- E228 a default base URL with ``{variables}`` left in it;
- E229 a cycle of ``allOf`` parts (no class can inherit from itself);
- E233 a chain of more than ``MAX_ALIAS_CHAIN`` schemas that only refer on;
- E221 a ``terminal-event`` the stream's union of events does not hold;
- E401/E403 what the generator refuses (``not``, ``$ref: '#'``, a
  percent-encoded ``$ref``): reported by ``validate`` too, not first by ``generate``.

``check_buildable`` closes the gap for good: once every check passes,
``validate`` runs the IR build that ``generate`` runs and reports what it
refuses (E4xx), at the same places. Whatever ``generate`` would refuse before
writing, ``validate`` has reported, and once.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from generator.diagnostics import Diagnostic, SpecError
from generator.loader import Spec
from generator.naming import attribute_name, class_name, safe_identifier, snake_case
from generator.validate.document import Document, parse_local_ref

__all__ = ["UNSUPPORTED_KEYWORDS", "check_buildable", "check_generatable"]

_RUNTIME = Path(__file__).resolve().parent.parent / "runtime"
# A file name's limit on common file systems is 255 bytes; leave room for
# suffixes (`.pyi`, `_param.py`, `.md`) and for the docs' own prefixes.
_MAX_NAME_BYTES = 200
# Keywords that change what a schema accepts and that the generator has no
# Python for: E401 here and in generator.build, from this one list.
UNSUPPORTED_KEYWORDS = ("not", "if", "then", "else", "patternProperties", "dependentSchemas")
_VARIABLE = re.compile(r"\{([^{}]*)\}")
# Far beyond any real spec (two or three links), far below where building the
# package would exhaust Python's recursion limit.
MAX_ALIAS_CHAIN = 100


def check_generatable(doc: Document) -> Iterator[Diagnostic]:
    yield from _module_names(doc)
    yield from _normalised_properties(doc)
    yield from _reserved_names(doc)
    yield from _server_url(doc)
    yield from _all_of_cycles(doc)
    yield from _refused_constructs(doc)
    yield from _alias_chains(doc)
    yield from check_terminal_events(doc)


def check_buildable(spec: Spec) -> list[Diagnostic]:
    """What building the IR refuses (unsupported constructs), as ``generate`` would report it.

    Run only on a document every other check passed: the build assumes a
    valid spec, and ``generate`` never reaches it otherwise.
    """
    from generator.build import build_api  # the build imports validation helpers

    try:
        build_api(spec)
    except SpecError as exc:
        return list(exc.diagnostics)
    except RecursionError:
        return [Diagnostic(
            "E233", "the schemas refer to each other too deeply to generate", spec.at(),
            hint="shorten chains of schemas that only refer on (`$ref` to `$ref`)",
        )]
    return []


def _e(code: str, doc: Document, pointer: tuple[Any, ...], message: str, hint: str | None = None,
       related: tuple[Any, ...] | None = None) -> Diagnostic:
    rel = (doc.at(related),) if related is not None else ()
    return Diagnostic(code, message, doc.at(pointer), hint=hint, related=rel)


def _component_schemas(doc: Document) -> dict[str, Any]:
    components = doc.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return schemas if isinstance(schemas, dict) else {}


def _module_names(doc: Document) -> Iterator[Diagnostic]:
    first: dict[str, str] = {}
    for name in _component_schemas(doc):
        module = safe_identifier(snake_case(class_name(name)))
        where = ("components", "schemas", name)
        if len(module.encode("utf-8")) > _MAX_NAME_BYTES:
            yield _e("E226", doc, where,
                     f"schema name is too long to be a file name ({len(module.encode('utf-8'))} "
                     f"bytes as the module `{module[:40]}...`)",
                     hint=f"keep schema names under {_MAX_NAME_BYTES} bytes; `x-python-name` "
                     "does not rename modules")
            continue
        key = module.casefold()
        if key in first and class_name(first[key]) != class_name(name):
            yield _e("E226", doc, where,
                     f"schemas `{first[key]}` and `{name}` become the module `{module}.py` "
                     "(on macOS and Windows, names that differ only in case are one file)",
                     hint="rename one of them", related=("components", "schemas", first[key]))
        first.setdefault(key, name)


def _normalised_properties(doc: Document) -> Iterator[Diagnostic]:
    for pointer, schema in doc.schemas:
        properties = schema.get("properties")
        if not isinstance(properties, dict) or len(properties) < 2:
            continue
        seen: dict[str, str] = {}
        plain: dict[str, str] = {}
        for name in properties:
            python = attribute_name(name)
            # Python reads identifiers in NFKC: `ﬁle` (a ligature) is `file`.
            normal = unicodedata.normalize("NFKC", python)
            if normal in seen and plain.get(python) != seen[normal]:
                other = seen[normal]
                yield _e("E218", doc, (*pointer, "properties", name),
                         f"properties `{other}` and `{name}` are the same Python name "
                         f"`{normal}` once Python normalises them (NFKC)",
                         hint="rename one of them, or give it an `x-python-name`",
                         related=(*pointer, "properties", other))
            seen.setdefault(normal, name)
            plain.setdefault(python, name)


@functools.cache
def _runtime_names(module: str) -> frozenset[str]:
    """Every name a runtime module defines at top level or on its classes (and ``self``)."""
    tree = ast.parse((_RUNTIME / module).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "self" and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return frozenset(names)


def _reserved_names(doc: Document) -> Iterator[Diagnostic]:
    client_names = _runtime_names("_base_client.py")
    resource_names = _runtime_names("_resource.py")
    for op in doc.operations:
        resource = op.node.get("x-resource")
        if isinstance(resource, str):
            for part in resource.split("."):
                if part.startswith("_") or part in client_names:
                    yield _e("E227", doc, (*op.pointer, "x-resource"),
                             f"`x-resource: {resource}` would replace `{part}`, which every "
                             "client already has (or Python reserves)",
                             hint="choose another name")
                    break
        method = op.node.get("x-method")
        if isinstance(method, str) and (method.startswith("_") or method in resource_names):
            yield _e("E227", doc, (*op.pointer, "x-method"),
                     f"`x-method: {method}` would replace `{method}`, which every resource "
                     "already has (or Python reserves)",
                     hint="choose a name that does not start with `_`")
    errors = _runtime_names("_errors.py")
    for pointer, response in doc.responses:
        name = response.get("x-exception")
        if isinstance(name, str) and name in errors:
            yield _e("E227", doc, (*pointer, "x-exception"),
                     f"`x-exception: {name}` is a class of the client's runtime already",
                     hint="choose a name of its own (it subclasses the runtime's class anyway)")
    config = doc.data.get("x-codegen")
    if not isinstance(config, dict):
        return
    package = config.get("package")
    if isinstance(package, str):
        top = package.split(".")[0]
        if top in sys.stdlib_module_names or top in sys.builtin_module_names:
            yield _e("E227", doc, ("x-codegen", "package"),
                     f"package `{package}` would shadow the standard library's `{top}`",
                     hint=f"for example `{top}_client`")
    client, async_client = config.get("client"), config.get("async-client")
    if isinstance(client, str) and client == async_client:
        yield _e("E227", doc, ("x-codegen", "async-client"),
                 f"`async-client` and `client` are both `{client}`: one class would replace the other",
                 hint=f"for example `Async{client}`", related=("x-codegen", "client"))


def _server_url(doc: Document) -> Iterator[Diagnostic]:
    servers = doc.data.get("servers")
    if not (isinstance(servers, list) and servers and isinstance(servers[0], dict)):
        return
    url = servers[0].get("url")
    if isinstance(url, str) and _VARIABLE.search(url):
        names = ", ".join(f"`{{{m}}}`" for m in _VARIABLE.findall(url))
        variables = servers[0].get("variables")
        example = url
        if isinstance(variables, dict):
            for name, spec in variables.items():
                if isinstance(spec, dict) and isinstance(spec.get("default"), str):
                    example = example.replace(f"{{{name}}}", spec["default"])
        yield _e("E228", doc, ("servers", 0, "url"),
                 f"the first server's URL is the client's default base URL, but holds {names}",
                 hint=f"put a concrete URL first, such as `{example}`; users pick others with "
                 "`base_url=`" if not _VARIABLE.search(example) else
                 "put a concrete URL first; users pick others with `base_url=`")


def _all_of_cycles(doc: Document) -> Iterator[Diagnostic]:
    schemas = _component_schemas(doc)
    parents: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        for part in parts if isinstance(parts, list) else []:
            target = part.get("$ref") if isinstance(part, dict) else None
            pointer = parse_local_ref(target) if isinstance(target, str) else None
            if pointer and len(pointer) == 3 and tuple(pointer[:2]) == ("components", "schemas"):
                parents.setdefault(name, []).append(str(pointer[2]))
    # Iterative depth-first search: a cycle is a path that comes back on itself.
    state: dict[str, int] = {}  # 1 on the path, 2 done
    reported: set[str] = set()
    for start in parents:
        if state.get(start):
            continue
        path: list[str] = [start]
        stack = [iter(parents.get(start, ()))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                first = min(cycle)
                if first not in reported:
                    reported.add(first)
                    chain = " -> ".join(cycle[cycle.index(first):] + cycle[:cycle.index(first)] + [first])
                    yield _e("E229", doc, ("components", "schemas", first, "allOf"),
                             f"`allOf` parts form a cycle: {chain}",
                             hint="a schema cannot include itself; refer to it from a property instead")
            elif nxt in schemas and not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(parents.get(nxt, ())))


def _refused_constructs(doc: Document) -> Iterator[Diagnostic]:
    for pointer, schema in doc.schemas:
        for key in UNSUPPORTED_KEYWORDS:
            if key in schema:
                yield _e("E401", doc, (*pointer, key),
                         f"the `{key}` keyword is not supported by the generator yet",
                         hint="describe the accepted values without it, or open an issue")
    for ref in doc.refs:
        target = ref.target
        if target == "#" or (target.startswith("#") and not target.startswith("#/")):
            yield _e("E403", doc, (*ref.pointer, "$ref"),
                     f"unsupported reference `{target}`: the generator follows refs to components",
                     hint="refer to a named schema, such as `#/components/schemas/Name`")
        elif target.startswith("#") and "%" in target:
            yield _e("E403", doc, (*ref.pointer, "$ref"),
                     f"percent-encoded reference `{target}` is not supported",
                     hint="write the component's name as it is, without %-escapes")


def _alias_chains(doc: Document) -> Iterator[Diagnostic]:
    """Schemas that are only a ``$ref`` to a schema that is only a ``$ref``, too many in a row."""
    schemas = _component_schemas(doc)
    nxt: dict[str, str] = {}
    for name, schema in schemas.items():
        target = schema.get("$ref") if isinstance(schema, dict) else None
        pointer = parse_local_ref(target) if isinstance(target, str) else None
        if pointer and len(pointer) == 3 and tuple(pointer[:2]) == ("components", "schemas"):
            nxt[name] = str(pointer[2])
    length: dict[str, int] = {}
    for start in nxt:
        trail: list[str] = []
        name = start
        while name in nxt and name not in length and name not in trail:
            trail.append(name)
            name = nxt[name]
        # A loop is E225's; counted as ending where it closes.
        base = length.get(name, 0)
        for seen in reversed(trail):
            base += 1
            length[seen] = base
    heads = set(nxt) - set(nxt.values())
    for head in sorted(heads, key=list(schemas).index):
        if length.get(head, 0) > MAX_ALIAS_CHAIN:
            yield _e("E233", doc, ("components", "schemas", head, "$ref"),
                     f"a chain of {length[head]:,} schemas that are each only a `$ref` to the next",
                     hint=f"refer to the schema at the end directly; chains longer than "
                     f"{MAX_ALIAS_CHAIN} are not generated")


def _stream_events(doc: Document, schema: Any) -> set[str]:
    """The event names a stream's union of events declares: its tag values."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        found = doc.resolve(schema["$ref"])
        schema = found[1] if found is not None else None
    if not isinstance(schema, dict):
        return set()
    disc = schema.get("discriminator")
    if not isinstance(disc, dict):
        return set()
    tag = disc.get("propertyName")
    variants = schema.get("oneOf") or schema.get("anyOf")
    if not isinstance(tag, str) or not isinstance(variants, list):
        return set()
    mapping = disc.get("mapping")
    names = {k for k in mapping if isinstance(k, str)} if isinstance(mapping, dict) else set()
    for variant in variants:
        if isinstance(variant, dict) and isinstance(variant.get("$ref"), str):
            found = doc.resolve(variant["$ref"])
            variant = found[1] if found is not None else None
        props = variant.get("properties") if isinstance(variant, dict) else None
        prop = props.get(tag) if isinstance(props, dict) else None
        if isinstance(prop, dict):
            if isinstance(prop.get("const"), str):
                names.add(prop["const"])
            elif isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
                names.add(str(prop["enum"][0]))
    return names


def check_terminal_events(doc: Document) -> Iterator[Diagnostic]:
    """``terminal-event`` must be an event the stream can send, or no stream ever completes."""
    for op in doc.operations:
        streaming = op.node.get("x-streaming")
        terminal = streaming.get("terminal-event") if isinstance(streaming, dict) else None
        responses = op.node.get("responses")
        if not isinstance(terminal, str) or not isinstance(responses, dict):
            continue
        events: set[str] = set()
        for status, response in responses.items():
            content = response.get("content") if isinstance(response, dict) else None
            media = content.get("text/event-stream") if isinstance(content, dict) else None
            if str(status).startswith("2") and isinstance(media, dict):
                events |= _stream_events(doc, media.get("schema"))
        if events and terminal not in events:
            close = sorted(e for e in events if "stop" in e or "end" in e or "done" in e)
            yield _e("E221", doc, (*op.pointer, "x-streaming", "terminal-event"),
                     f"`terminal-event: {terminal}` is not an event this stream sends, so every "
                     "complete stream would end as incomplete",
                     hint=f"the stream's events are {', '.join(f'`{e}`' for e in sorted(events))}"
                     + (f"; did you mean `{close[0]}`?" if close else ""))
