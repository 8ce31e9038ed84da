"""Bundling: a spec split over several local files becomes one document.

Many specs keep their operations in ``paths/*.yaml`` and their schemas in
``components/schemas/*.yaml``, joined by ``$ref``s such as
``$ref: ../components/schemas/User.yaml``. At load time every such reference
is resolved (relative to the file it is written in) and the document is made
self-contained, as if it had been written in one file:

- a Path Item written elsewhere is put in place (``paths``, ``webhooks``,
  callbacks), merged with the keys written beside its ``$ref``;
- anything else (a schema, a response, a parameter...) becomes an entry of
  the root's ``components``, and every ``$ref`` to it (from any file) becomes
  a local ``#/components/<kind>/<name>``; cycles across files are therefore
  the same cycles as within one file.

The name of such an entry is, in order: the key the root spec lists it under
in its own ``components`` (``User: {$ref: components/schemas/User.yaml}``),
else the last part of the pointer (``common.yaml#/components/schemas/Error``
is ``Error``), else the file's stem (``schemas/User.yaml`` is ``User``). A name
already taken is made unique with a number (``Error2``), in the order of the
files' paths; for a schema, whose name becomes a class, that is reported
(W310) so its author can choose one instead.

Nothing is fetched: a URL is an error (E010), as is a file outside the root
spec's folder (E013), so that the files a spec is made of are the ones a
clone of its folder holds. Every part keeps its own file, line and column
(``loader.SourceMap``), so diagnostics point at the file a problem is in.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.loader import Pointer, Spec, decode, load_part

__all__ = ["bundle", "read_under"]

# A `$ref` key followed by anything but a local `#...` target: only then is there work.
_EXTERNAL = re.compile(r"""["']?\$ref["']?\s*:\s*(?!["']?#)""")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]")
# A discriminator mapping value naming a file rather than a schema.
_FILE = re.compile(r"\.(?:ya?ml|json)(?:#|$)")
_MISSING = object()
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Where each kind of object a `$ref` may name goes in the bundled document.
_COMPONENTS = {
    "schema": "schemas",
    "response": "responses",
    "parameter": "parameters",
    "header": "headers",
    "requestBody": "requestBodies",
    "example": "examples",
    "link": "links",
    "callback": "callbacks",
    "securityScheme": "securitySchemes",
}
_LABELS = {
    "schema": "schema", "response": "response", "parameter": "parameter", "header": "header",
    "requestBody": "request body", "example": "example", "link": "link", "callback": "callback",
    "securityScheme": "security scheme", "pathItem": "path item", "operation": "operation",
    "value": "value",
}
# Schema keywords whose value is one subschema, a list of them, or a map of them.
_ONE = (
    "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema", "items",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_VARIANT_SCHEMAS = ("x-request-body", "x-response", "x-stream-event")

# A file, by its path relative to the root spec's folder ("" is the root itself).
Target = tuple[str, Pointer]
Reader = Callable[[str], bytes]


def read_under(folder: Path) -> Reader:
    """Reads files by their path relative to ``folder`` (OSError if it cannot)."""
    return lambda rel: (folder / rel).read_bytes()


def bundle(spec: Spec, folder: Path | Reader, name: str) -> Spec:
    """``spec`` (the file ``name`` in ``folder``) with every file it refers to bundled in.

    A spec with no reference to another file comes back as it is. Raises
    SpecError with every reference that cannot be bundled, located where it
    is written.
    """
    if not _EXTERNAL.search(spec.raw.decode("utf-8", "replace")):
        return spec
    read = read_under(folder) if isinstance(folder, Path) else folder
    bundler = _Bundler(spec, read, name)
    bundler.run()
    if bundler.problems:
        raise SpecError(bundler.problems + bundler.findings)
    if not bundler.files:
        return spec
    parts = tuple(sorted((rel, part.path, part.raw) for rel, part in bundler.files.items()))
    return replace(spec, findings=spec.findings + tuple(bundler.findings), parts=parts)


@dataclass
class _Found:
    """One object of another file that becomes a component, and the refs to it."""

    kind: str
    node: Any
    anchor: Location  # where it is written
    sites: list[dict[str, Any]] = field(default_factory=list)
    site_ids: set[int] = field(default_factory=set)
    name: str = ""


class _Bundler:
    def __init__(self, root: Spec, read: Reader, name: str) -> None:
        self.root = root
        self.read = read
        self.root_name = name
        # How the root's folder is shown: `spec/`, or `HEAD:spec/` for a git revision.
        shown = root.path
        self.prefix = shown[: -len(name)] if name and shown.endswith(name) else \
            shown[: len(shown) - len(posixpath.basename(shown))]
        self.files: dict[str, Spec] = {}
        self.broken: set[str] = set()
        self.problems: list[Diagnostic] = []
        self.findings: list[Diagnostic] = []
        # Objects of other files that become components, by kind and target.
        self.found: dict[tuple[str, Target], _Found] = {}
        # Root components that are only a `$ref` to another file name what they refer to.
        self.claims: dict[tuple[str, Target], tuple[dict[str, Any], str]] = {}
        self.queue: deque[tuple[str, Any, str, Pointer]] = deque()
        # Path Items (and the like) put in place: their value, and the file it is written in.
        self.inlined: dict[tuple[str, Target], tuple[Any, str]] = {}
        self.inlining: list[tuple[str, Target]] = []
        # Discriminator mapping entries to write back once their schemas have names.
        self.mapping_sites: list[tuple[dict[str, Any], str, dict[str, Any]]] = []

    # -- walking -------------------------------------------------------

    def run(self) -> None:
        data = self.root.data
        if isinstance(data.get("info"), dict) and "description" in data["info"]:
            self.value_at(data["info"], "description", "", ("info", "description"))
        for i, tag in _enumerate(data.get("tags")):
            if isinstance(tag, dict) and "description" in tag:
                self.value_at(tag, "description", "", ("tags", i, "description"))
        for template, item in _items(data.get("paths")):
            self.path_item(data["paths"], template, item, "", ("paths", template))
        for key, item in _items(data.get("webhooks")):
            self.path_item(data["webhooks"], key, item, "", ("webhooks", key))
        components = data.get("components")
        if isinstance(components, dict):
            for kind, container in _COMPONENTS.items():
                entries = components.get(container)
                for key, node in _items(entries):
                    self.claim(kind, components[container], key, node)
                    self.walk(kind, node, "", ("components", container, key))
            entries = components.get("pathItems")
            for key, item in _items(entries):
                self.path_item(entries, key, item, "", ("components", "pathItems", key))
        while self.queue:
            self.walk(*self.queue.popleft())
        if not self.problems:
            self.name_and_place()

    def walk(self, kind: str, node: Any, file: str, at: Pointer) -> None:
        if self.ref(kind, node, file, at):
            return
        if not isinstance(node, dict):
            return
        getattr(self, "_" + kind)(node, file, at)

    def _schema(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        # Iterative: a deeply nested schema must not exhaust the Python stack.
        stack: list[tuple[Any, Pointer]] = [(node, at)]
        while stack:
            schema, where = stack.pop()
            if self.ref("schema", schema, file, where) or not isinstance(schema, dict):
                continue
            self.mapping(schema, file, where)
            for key in _ONE:
                if isinstance(schema.get(key), dict):
                    stack.append((schema[key], (*where, key)))
            for key in _LIST:
                for i, sub in _enumerate(schema.get(key)):
                    stack.append((sub, (*where, key, i)))
            for key in _MAP:
                for name, sub in _items(schema.get(key)):
                    stack.append((sub, (*where, key, name)))

    def mapping(self, schema: dict[str, Any], file: str, at: Pointer) -> None:
        """Discriminator mapping values that name a schema in another file."""
        disc = schema.get("discriminator")
        mapping = disc.get("mapping") if isinstance(disc, dict) else None
        if not isinstance(mapping, dict):
            return
        for tag, value in _items(mapping):
            if not isinstance(value, str):
                continue
            if value.startswith("#"):
                if not file:
                    continue
            elif "/" not in value and not _FILE.search(value):
                # A bare name: a schema of the file it is written in, if it has one.
                pointer = ("components", "schemas", value)
                if not file or _lookup(self.part(file).data, pointer) is _MISSING:
                    continue
                value = _local(pointer)
            where = (*at, "discriminator", "mapping", tag)
            site = {"$ref": value}
            if self.ref("schema", site, file, where):
                self.mapping_sites.append((mapping, tag, site))

    def _parameter(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        self._header(node, file, at)

    def _header(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        if "schema" in node:
            self.walk("schema", node["schema"], file, (*at, "schema"))
        self.examples(node, file, at)
        self.content(node.get("content"), file, (*at, "content"))

    def _requestBody(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        self.content(node.get("content"), file, (*at, "content"))

    def _response(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        for name, header in _items(node.get("headers")):
            self.walk("header", header, file, (*at, "headers", name))
        self.content(node.get("content"), file, (*at, "content"))
        for name, link in _items(node.get("links")):
            self.walk("link", link, file, (*at, "links", name))

    def _callback(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        for expression, item in _items(node):
            self.path_item(node, expression, item, file, (*at, expression))

    def _example(self, node: dict[str, Any], file: str, at: Pointer) -> None:
        pass

    _link = _securityScheme = _example

    def content(self, content: Any, file: str, at: Pointer) -> None:
        for media_type, media in _items(content):
            if not isinstance(media, dict):
                continue
            where = (*at, media_type)
            if "schema" in media:
                self.walk("schema", media["schema"], file, (*where, "schema"))
            self.examples(media, file, where)
            for name, encoding in _items(media.get("encoding")):
                if isinstance(encoding, dict):
                    for key, header in _items(encoding.get("headers")):
                        self.walk("header", header, file, (*where, "encoding", name, "headers", key))

    def examples(self, owner: dict[str, Any], file: str, at: Pointer) -> None:
        for name, example in _items(owner.get("examples")):
            self.walk("example", example, file, (*at, "examples", name))

    def operation(self, op: dict[str, Any], file: str, at: Pointer) -> None:
        for i, param in _enumerate(op.get("parameters")):
            self.walk("parameter", param, file, (*at, "parameters", i))
        if "requestBody" in op:
            self.walk("requestBody", op["requestBody"], file, (*at, "requestBody"))
        if isinstance(op.get("x-request-body"), dict):
            self.walk("schema", op["x-request-body"], file, (*at, "x-request-body"))
        for i, variant in _enumerate(op.get("x-variants")):
            for key in _VARIANT_SCHEMAS:
                if isinstance(variant, dict) and isinstance(variant.get(key), dict):
                    self.walk("schema", variant[key], file, (*at, "x-variants", i, key))
        for code, response in _items(op.get("responses")):
            self.walk("response", response, file, (*at, "responses", code))
        for name, callback in _items(op.get("callbacks")):
            self.walk("callback", callback, file, (*at, "callbacks", name))

    def path_item(self, parent: Any, key: Any, item: Any, file: str, at: Pointer) -> None:
        if self.inline("pathItem", parent, key, item, file, at) or not isinstance(item, dict):
            return
        for i, param in _enumerate(item.get("parameters")):
            self.walk("parameter", param, file, (*at, "parameters", i))
        for method in METHODS:
            if method in item:
                self.operation_at(item, method, file, (*at, method))

    def operation_at(self, parent: Any, key: Any, file: str, at: Pointer) -> None:
        # OpenAPI has no `$ref` for an Operation, but specs write one (DigitalOcean's
        # `get: {$ref: resources/account/account_get.yml}`); its meaning is plain.
        op = parent[key]
        if not self.inline("operation", parent, key, op, file, at) and isinstance(op, dict):
            self.operation(op, file, at)

    def value_at(self, parent: Any, key: Any, file: str, at: Pointer) -> None:
        """A value with nothing to walk (a description kept in another file, say)."""
        self.inline("value", parent, key, parent[key], file, at)

    def inline(self, kind: str, parent: Any, key: Any, item: Any, file: str, at: Pointer) -> bool:
        """Put ``item`` in place if it is a `$ref` to another file; True if it is a `$ref`.

        A Path Item (or an Operation) has no place in ``components`` (in 3.0), so
        it is copied where it is used, merged with the keys written beside its `$ref`.
        """
        if not (isinstance(item, dict) and isinstance(item.get("$ref"), str)):
            return False
        target = self.target(item["$ref"], file, at)
        if target is None:
            return True
        if target[0] == "":
            if file:
                item["$ref"] = _local(target[1])
            return True
        if (kind, target) in self.inlining:
            start = self.inlining.index((kind, target))
            chain = " -> ".join(_show(t) for _, t in [*self.inlining[start:], (kind, target)])
            self.problem("E014", f"{_LABELS[kind]}s include each other through files: {chain}",
                         file, (*at, "$ref"),
                         hint=f"a {_LABELS[kind]} cannot contain itself; break the cycle")
            return True
        if (kind, target) not in self.inlined:
            node = self.resolve(target, file, at)
            if node is None:
                return True
            self.inlining.append((kind, target))
            # What is put in place may itself be only a `$ref`, and refer on.
            holder = [node]
            if kind == "pathItem":
                self.path_item(holder, 0, node, target[0], target[1])
            elif kind == "operation":
                self.operation_at(holder, 0, target[0], target[1])
            else:
                self.value_at(holder, 0, target[0], target[1])
            graft = self.root.source.graft_of(holder, 0)
            contents = graft[1] if graft else self.part(target[0]).path
            self.inlined[(kind, target)] = (holder[0], contents)
            self.inlining.pop()
        self.put_in_place(parent, key, item, file, at, (kind, target))
        return True

    def put_in_place(
        self, parent: Any, key: Any, item: dict[str, Any], file: str, at: Pointer,
        inlined: tuple[str, Target],
    ) -> None:
        node, contents = self.inlined[inlined]
        target = inlined[1]
        source = self.root.source
        shown = self.locate(file, at)
        siblings = {k: v for k, v in item.items() if k != "$ref"}
        if not siblings or not isinstance(node, dict):
            parent[key] = node
            source.graft(parent, key, shown, contents)
            return
        clash = sorted(set(siblings) & set(node))
        for name in clash:
            self.problems.append(Diagnostic(
                "E015", f"`{name}` is written both beside the `$ref` and in `{_show(target)}`",
                self.locate(file, (*at, name)), related=(self.locate(target[0], (*target[1], name)),),
                hint="keep one of them: which would win is undefined in OpenAPI",
            ))
        merged = {**node, **siblings}
        source.register(merged, item)
        for name in node:
            source.graft(merged, name, self.locate(target[0], (*target[1], name)), contents)
        for name in siblings:
            source.graft(merged, name, self.locate(file, (*at, name)), self.part(file).path)
        parent[key] = merged
        source.graft(parent, key, shown, contents)

    def claim(self, kind: str, entries: dict[str, Any], key: str, node: Any) -> None:
        """A root component that is only a `$ref` to another file gives that object its name."""
        if not (isinstance(node, dict) and set(node) == {"$ref"} and isinstance(node["$ref"], str)):
            return
        ref = node["$ref"]
        if ref.startswith("#") or _URL.match(ref):
            return
        target = self.target(ref, "", ("components", _COMPONENTS[kind], key), report=False)
        if target is not None and target[0] and (kind, target) not in self.claims:
            self.claims[(kind, target)] = (entries, key)

    # -- references ----------------------------------------------------

    def ref(self, kind: str, node: Any, file: str, at: Pointer) -> bool:
        """Record a ``$ref`` of ``kind`` held by ``node``; True if ``node`` is a reference."""
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return False
        ref = node["$ref"]
        if not file and ref.startswith("#"):
            return True  # the root's own references stay as written
        target = self.target(ref, file, at)
        if target is None:
            return True
        if target[0] == "":
            node["$ref"] = _local(target[1])
            return True
        key = (kind, target)
        found = self.found.get(key)
        if found is None:
            value = self.resolve(target, file, at)
            if value is None:
                return True
            found = _Found(kind, value, self.locate(*target))
            self.found[key] = found
            self.queue.append((kind, value, target[0], target[1]))
        if id(node) not in found.site_ids:
            found.site_ids.add(id(node))
            found.sites.append(node)
        return True

    def target(self, ref: str, file: str, at: Pointer, report: bool = True) -> Target | None:
        """The file (relative to the root's folder) and pointer ``ref`` names, written in ``file``."""
        where = (*at, "$ref")
        address, _, fragment = ref.partition("#")
        if _URL.match(address) or address.startswith("//"):
            if report:
                self.problem("E010", f"`$ref` to a URL: `{ref}`; the generator never fetches one",
                             file, where, hint="download the document into the spec's folder "
                             "and refer to it by a relative path")
            return None
        pointer = _pointer(fragment)
        if pointer is None:
            if report:
                self.problem("E012", f"`$ref` fragment `#{fragment}` is not a JSON pointer",
                             file, where, hint="write it as `#/components/schemas/Name`")
            return None
        if not address:
            return file, pointer
        path = unquote(address)
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(file), path))
        if path.startswith("/") or rel == ".." or rel.startswith("../"):
            if report:
                self.problem("E013", f"`$ref` to `{ref}`, outside the folder of "
                             f"`{self.root.path}`", file, where,
                             hint="keep every file of the spec in the root spec's folder or "
                             "below it, and refer to it by a relative path")
            return None
        if rel == self.root_name:
            return "", pointer
        return rel, pointer

    def part(self, rel: str) -> Spec:
        return self.root if rel == "" else self.files[rel]

    def resolve(self, target: Target, file: str, at: Pointer) -> Any:
        """The value ``target`` names, or None after reporting why there is none."""
        rel, pointer = target
        if rel and rel not in self.files:
            if rel in self.broken:
                return None
            self.load(rel, file, at)
            if rel not in self.files:
                return None
        node: Any = self.part(rel).data
        for i, part in enumerate(pointer):
            child = _lookup(node, (part,))
            if child is not _MISSING:
                node = child
            else:
                hint = None
                if isinstance(node, dict):
                    from generator.validate.text import did_you_mean

                    hint = did_you_mean(str(part), node)
                if rel and _lookup(self.root.data, pointer) is not _MISSING:
                    # Written as if the file were the root spec: a `#` is the file's own.
                    back = posixpath.relpath(self.root_name, posixpath.dirname(file) or ".")
                    hint = f"the root spec has it: write `{back}{_local(pointer)}`"
                self.problem("E012", f"`$ref` points at nothing: `{self.part(rel).path}` has "
                             f"no `{_local(pointer[: i + 1])}`", file, (*at, "$ref"), hint=hint)
                return None
        return node

    def load(self, rel: str, file: str, at: Pointer) -> None:
        shown = posixpath.normpath(self.prefix + rel)
        try:
            raw = self.read(rel)
        except OSError as exc:
            self.broken.add(rel)
            reason = "no such file" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
            self.problem("E011", f"`$ref` names `{shown}`, which cannot be read: {reason}",
                         file, (*at, "$ref"),
                         hint="refer to a file relative to the one the `$ref` is written in")
            return
        try:
            data, builder = load_part(decode(raw, shown), shown)
        except SpecError as exc:
            self.broken.add(rel)
            self.problems.extend(exc.diagnostics)
            return
        self.findings.extend(builder.findings)
        if builder.problems:
            self.broken.add(rel)
            self.problems.extend(builder.problems)
            return
        self.root.source.add_file(data, builder.positions)
        from generator.loader import SourceMap

        source = SourceMap(shown, data, builder.positions)
        self.files[rel] = Spec(shown, data, source, raw)

    def locate(self, rel: str, pointer: Pointer) -> Location:
        return self.part(rel).at(*pointer)

    def problem(
        self, code: str, message: str, file: str, at: Pointer, hint: str | None = None
    ) -> None:
        self.problems.append(Diagnostic(code, message, self.locate(file, at), hint=hint))

    # -- naming and placing -------------------------------------------

    def name_and_place(self) -> None:
        if not self.found:
            return
        if "components" not in self.root.data:
            self.root.data["components"] = {}
            self.root.source.register(self.root.data["components"], self.root.data)
        components = self.root.data["components"]
        for kind, container in _COMPONENTS.items():
            targets = sorted(key for key in self.found if key[0] == kind)
            if not targets:
                continue
            if not isinstance(components, dict):
                return  # the structural check reports a `components` that is no mapping
            if not isinstance(components.get(container), dict):
                components[container] = {}
                self.root.source.register(components[container], components)
            entries: dict[str, Any] = components[container]
            taken: dict[str, Target | None] = {name: None for name in entries}
            for _, target in targets:
                found = self.found[(kind, target)]
                claim = self.claims.get((kind, target))
                if claim is not None:
                    found.name = claim[1]
                    taken[found.name] = target
                    shown = self.root.source.locate(("components", container, found.name))
                    entries[found.name] = found.node
                    self.root.source.graft(entries, found.name, shown, self.part(target[0]).path)
                    continue
                base = _natural_name(target)
                name, n = base, 1
                while name in taken:
                    n += 1
                    name = f"{base}{n}"
                # Only a schema's name reaches the code (as its class); others go unremarked.
                if name != base and kind == "schema":
                    other = taken[base]
                    where = self.locate(*other) if other is not None else \
                        self.root.source.locate(("components", container, base))
                    self.findings.append(Diagnostic(
                        "W310", f"{_LABELS[kind]} `{base}` from `{self.part(target[0]).path}` "
                        f"is named `{name}`: `{base}` is taken", found.anchor, severity="warning",
                        related=(where,),
                        hint=f"to choose its name, list it in `{self.root.path}` as "
                        f"`components: {container}: <Name>: {{$ref: '{_show(target)}'}}`",
                    ))
                found.name = name
                taken[name] = target
                entries[name] = found.node
                self.root.source.graft(entries, name, found.anchor, self.part(target[0]).path)
        for (kind, _target), found in self.found.items():
            local = f"#/components/{_COMPONENTS[kind]}/{_escape(found.name)}"
            for site in found.sites:
                site["$ref"] = local
        for mapping, tag, site in self.mapping_sites:
            mapping[tag] = site["$ref"]


def _natural_name(target: Target) -> str:
    rel, pointer = target
    stem = posixpath.basename(rel).split(".")[0] or "Part"
    name = str(pointer[-1]) if pointer else stem
    name = _NAME_CHARS.sub("_", name)
    if not name[:1].isalpha():
        name = f"{_NAME_CHARS.sub('_', stem)}_{name}"
    return name


def _lookup(node: Any, pointer: Pointer) -> Any:
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _pointer(fragment: str) -> Pointer | None:
    fragment = unquote(fragment)
    if fragment == "":
        return ()
    if not fragment.startswith("/"):
        return None
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/"))


def _escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _local(pointer: Pointer) -> str:
    return "#" + "".join("/" + _escape(p) for p in pointer)


def _show(target: Target) -> str:
    rel, pointer = target
    return rel + (_local(pointer) if pointer else "")


def _items(node: Any) -> list[tuple[Any, Any]]:
    return list(node.items()) if isinstance(node, dict) else []


def _enumerate(node: Any) -> list[tuple[int, Any]]:
    return list(enumerate(node)) if isinstance(node, list) else []
