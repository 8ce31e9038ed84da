"""Walk two normalised models side by side and record every change.

Operations are matched by method and path, components by name, union members
by discriminator tag (or, without one, by what they are: the component they
name, else their shape) and never by position. Each component is compared
once, however many operations reach it, so a change is reported once, where it
was made; the direction it travels is the union of the directions from which
the old and the new component are reached.

A component that disappears while another with the same shape appears is a
rename, not a removal plus an addition; so is a pair found at the same place
(an old field referring to the one, the new field to the other) when the two
are still alike. A rename breaks Python code only if a class name the
generator gave the old component is gone: ``Metadata`` -> ``MetadataParam``,
used in requests only, is the TypedDict ``MetadataParam`` before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Mapping

from generator import naming
from generator.diff import schemas
from generator.diff.changes import Change
from generator.diff.model import AnyValue, Model, Node, Object, Operation, Ref, UnionOf
from generator.diff.python import Spelling, Subject, component_names, page_names, py_type, shape
from generator.diff.rules import Direction, judge
from generator.diff.surface import surface_changes, surface_of
from generator.loader import Pointer, Spec
from generator.typemap import SchemaNames, python_names

__all__ = ["Where", "compare_models"]

BOTH: frozenset[Direction] = frozenset({"request", "response"})
REQUEST: frozenset[Direction] = frozenset({"request"})
RESPONSE: frozenset[Direction] = frozenset({"response"})
_RENAME_PASSES = 4


@dataclass(frozen=True)
class Where:
    """A place being compared: its key in the report, and how to name it for people."""

    path: str
    directions: frozenset[Direction]
    subject: Subject
    context: str  # the class name an inline object here is generated as
    old: Pointer
    new: Pointer
    kind: str | None = None  # "operation" for a change to an operation as a whole
    # The reply of a paginated method, in the old and the new version: its page
    # schema is spelled as the page type users get (``SyncCursorPage[Job]``).
    paged: tuple[bool, bool] = (False, False)

    def child(self, suffix: str, part: tuple[str, str], context: str, old: Pointer, new: Pointer) -> "Where":
        return Where(self.path + suffix, self.directions, self.subject.add(part), context, old, new,  # type: ignore[arg-type]
                     paged=self.paged)

    @property
    def label(self) -> str:
        if self.kind:
            return self.kind
        if self.directions == BOTH:
            return "both"
        return next(iter(self.directions)) if self.directions else "none"


def compare_models(old_spec: Spec, old: Model, new_spec: Spec, new: Model) -> list[Change]:
    return _Comparer(old_spec, old, new_spec, new).run()


class _Comparer:
    def __init__(self, old_spec: Spec, old: Model, new_spec: Spec, new: Model) -> None:
        self.old_spec, self.new_spec = old_spec, new_spec
        self.old, self.new = old, new
        self.renames: dict[str, str] = {}  # old component name -> new name
        self.renamed_from: dict[str, str] = {}
        self.changes: list[Change] = []
        self.sink = self.changes  # a scratch list while checking whether two schemas are alike
        self.queue: list[tuple[str, str]] = []
        self.queued: set[tuple[str, str]] = set()
        self.old_reach, self.new_reach = _reach(old), _reach(new)
        # What the generator calls each component in each version (per side).
        self.old_names = component_names(old_spec, old, self.old_reach)
        self.new_names = component_names(new_spec, new, self.new_reach)
        self.old_pages = {**self.old_names, **page_names(old, self.old_names)}
        self.new_pages = {**self.new_names, **page_names(new, self.new_names)}
        self.old_roots, self.new_roots = _body_roots(old), _body_roots(new)
        self.alike_cache: dict[tuple[str, str], bool] = {}
        self.assumed: set[tuple[str, str]] = set()
        self.active: set[tuple[int, int]] = set()
        self.schemas = schemas.SchemaComparer(self)

    def run(self) -> list[Change]:
        self.detect_renames()
        for key in sorted(set(self.old.operations) | set(self.new.operations)):
            self.operation(self.old.operations.get(key), self.new.operations.get(key))
        for name in sorted(set(self.old.components) & set(self.new.components)):
            self.enqueue(name, name)
        for name in sorted(self.renames):
            self.enqueue(name, self.renames[name])
        index = 0
        while index < len(self.queue):  # comparing may find more renamed pairs
            self.component(*self.queue[index])
            index += 1
        self.component_set_changes()
        self.changes += surface_changes(
            self.old_spec, surface_of(self.old_spec), self.new_spec, surface_of(self.new_spec),
            self.old, self.new, self.renames,
        )
        return self.changes

    # -- recording ------------------------------------------------------------------

    def emit(
        self, rule: str, where: Where, message: str, python: str, *,
        old: Pointer | None = None, new: Pointer | None = None, python_breaking: bool | None = None,
    ) -> None:
        verdict = judge(rule, where.directions, python_breaking)
        self.sink.append(
            Change(
                rule=rule,
                path=where.path,
                direction=where.label,
                impact=verdict.impact,
                bump=verdict.bump,
                section=verdict.section,
                message=message,
                python=python,
                reason=verdict.reason,
                old=self.old_spec.at(*(where.old if old is None else old)),
                new=self.new_spec.at(*(where.new if new is None else new)),
            )
        )

    def spellings(self, subject: Subject, where: Where) -> tuple[Spelling, Spelling]:
        """How the old and the new package spell types at ``where``, on ``subject``'s side."""
        request, response = "request" in where.directions, "response" in where.directions
        return (
            Spelling(subject.side, self.old_pages if where.paged[0] else self.old_names, request, response),
            Spelling(subject.side, self.new_pages if where.paged[1] else self.new_names, request, response),
        )

    def docs(self, old: str | None, new: str | None, where: Where, what: str = "description") -> None:
        if old != new:
            verb = "added" if old is None else "removed" if new is None else "changed"
            self.emit("docs.changed", where, f"{what} {verb}", f"the docstring of {where.subject.render()} changes")

    # -- components and renames ----------------------------------------------------------

    def enqueue(self, old_name: str, new_name: str) -> None:
        if (old_name, new_name) not in self.queued:
            self.queued.add((old_name, new_name))
            self.queue.append((old_name, new_name))

    def pair(self, old_name: str, new_name: str) -> None:
        self.renames[old_name] = new_name
        self.renamed_from[new_name] = old_name
        self.enqueue(old_name, new_name)

    def detect_renames(self) -> None:
        """Pairs each vanished component with the one new component of the same shape."""
        gone = sorted(set(self.old.components) - set(self.new.components))
        came = sorted(set(self.new.components) - set(self.old.components))
        for _ in range(_RENAME_PASSES):
            # Refs in old shapes are renamed as already paired, so renames are found bottom-up.
            old_shapes: dict[object, list[str]] = {}
            for name in gone:
                if name not in self.renames:
                    node = schemas.rename_refs(self.old.components[name], self.renames)
                    old_shapes.setdefault(shape(node), []).append(name)
            new_shapes: dict[object, list[str]] = {}
            for name in came:
                if name not in self.renamed_from:
                    new_shapes.setdefault(shape(self.new.components[name]), []).append(name)
            found = False
            for key, names in old_shapes.items():
                if len(names) == 1 and len(new_shapes.get(key, [])) == 1:
                    self.pair(names[0], new_shapes[key][0])
                    found = True
            if not found:
                break

    def can_pair(self, old_name: str, new_name: str) -> bool:
        """Whether an old-only and a new-only component found at the same place are one, renamed."""
        if self.sink is not self.changes:
            return False
        if old_name in self.new.components or new_name in self.old.components:
            return False
        if old_name in self.renames or new_name in self.renamed_from:
            return False
        return schemas.alike(self.old.components[old_name], self.new.components[new_name])

    def component_where(self, old_name: str, new_name: str) -> Where:
        directions = self.old_reach.get(old_name, frozenset()) | self.new_reach.get(new_name, frozenset())
        cls = naming.class_name(new_name)
        names = self.names_at(old_name, new_name, directions)
        roots = self.new_roots.get(new_name) or self.old_roots.get(old_name)
        context = cls
        if directions == REQUEST and roots:
            # Keyword arguments: their inline classes are named after the operation.
            method, context = roots[0]
            subject = Subject("args", method, (), True, owner=names.param or cls)
        elif directions == REQUEST:
            subject = Subject("class", names.param or cls, (), True)
        elif names.model and names.param and names.model != names.param:
            subject = Subject("class", names.model, (), False, also=names.param)
        else:
            subject = Subject("class", names.model or cls, (), False)
        return Where(
            new_name, directions, subject, context,
            ("components", "schemas", old_name), ("components", "schemas", new_name),
        )

    def names_at(self, old_name: str, new_name: str, directions: frozenset[Direction]) -> SchemaNames:
        """A component's names as its places are judged: by the directions of both versions."""
        known = self.new_names.get(new_name) or self.old_names[old_name]
        enum = known.model == known.param  # only an enum has one name for both sides
        return python_names(naming.class_name(new_name), "request" in directions, "response" in directions, enum)

    def component(self, old_name: str, new_name: str) -> None:
        where = self.component_where(old_name, new_name)
        self.schemas.node(self.old.components[old_name], self.new.components[new_name], where)

    def component_set_changes(self) -> None:
        for name in sorted(set(self.old.components) - set(self.new.components)):
            if name in self.renames:
                target = self.renames[name]
                before, after = self.old_names[name], self.new_names[target]
                self.emit(
                    "component.renamed", self.component_where(name, target),
                    f"schema `{name}` renamed to `{target}`", _renamed(before, after),
                    python_breaking=bool(_listed(before) - _listed(after)),
                )
            else:
                where = replace(self.component_where(name, name), path=name)
                self.emit(
                    "component.removed", where, f"schema `{name}` removed",
                    f"{_classes(_listed(self.old_names[name]))} removed from the package",
                )
        for name in sorted(set(self.new.components) - set(self.old.components)):
            if name not in self.renamed_from:
                names = _listed(self.new_names[name])
                self.emit(
                    "component.added", self.component_where(name, name), f"new schema `{name}`",
                    f"new class{'es' if len(names) > 1 else ''} {_classes(names)}",
                )

    # -- operations ------------------------------------------------------------------

    def operation(self, old: Operation | None, new: Operation | None) -> None:
        either = new or old
        assert either is not None
        where = Where(
            either.title, BOTH, Subject("result", either.python_methods[0]),
            naming.class_name(either.operation_id),
            old.pointer if old else ("paths", either.path), new.pointer if new else ("paths", either.path),
            kind="operation",
        )
        methods = ", ".join(f"`{m}()`" for m in either.python_methods)
        if old is None:
            self.emit("operation.added", where, f"new operation `{either.operation_id}`", f"new method {methods}")
            return
        if new is None:
            self.emit("operation.removed", where, f"operation `{either.operation_id}` removed", f"{methods} removed")
            return
        self.operation_names(old, new, where)
        self.pagination(old, new, where)
        self.url_from(old, new, where)
        self.variant_docs(old, new, where)
        self.docs(old.summary, new.summary, where, "summary")
        self.docs(old.description, new.description, where)
        if old.deprecated != new.deprecated:
            rule = "schema.deprecated" if new.deprecated else "schema.undeprecated"
            state = "deprecated" if new.deprecated else "no longer deprecated"
            self.emit(rule, where, f"operation {state}", f"`{new.python_methods[0]}()` is {state}")
        renamed = _path_renames(old, new)
        for key in sorted(set(old.parameters) | set(new.parameters)):
            if key[0] == "path" and key[1] in renamed:
                self.path_parameter_renamed(old, new, key[1], renamed[key[1]], where)
            elif not (key[0] == "path" and key[1] in renamed.values()):
                self.parameter(old, new, key, where)
        self.body(old, new, where)
        for status in sorted(set(old.responses) | set(new.responses)):
            self.response(old, new, status, where)

    def pagination(self, old: Operation, new: Operation, where: Where) -> None:
        method = new.python_methods[0]
        before = self.reply_type(old, self.old_pages if old.pagination else self.old_names)
        after = self.reply_type(new, self.new_pages if new.pagination else self.new_names)
        if old.pagination is not None and new.pagination is not None:
            # The change users meet: what iterating the list yields, for the
            # method and for each variant (which may have a page type of its
            # own). The page schema's own changes are reported with it, under its name.
            if before != after:
                self.emit("pagination.item-changed", where, "the items of the page changed type",
                          f"`{method}()` returns {after} instead of {before}")
            for name in sorted(set(old.python_methods[1:]) & set(new.python_methods[1:])):
                gave = self.variant_reply_type(old, name, self.old_pages) or before
                gives = self.variant_reply_type(new, name, self.new_pages) or after
                if gave != gives:
                    self.emit("pagination.item-changed", replace(where, path=f"{where.path} method {name}"),
                              "the items of the variant's page changed type",
                              f"`{name}()` returns {gives} instead of {gave}")
        if old.pagination == new.pagination:
            return
        if old.pagination is None:
            self.emit("pagination.added", where, "x-pagination added",
                      f"`{method}()` returns {after}, which walks every page, instead of {before}")
        elif new.pagination is None:
            self.emit("pagination.removed", where, "x-pagination removed",
                      f"`{method}()` returns {after}, one reply, instead of {before}, which walked every page")
        else:
            was, now = dict(old.pagination), dict(new.pagination)
            changed = [f"{key} `{was[key]}` -> `{now[key]}`" for key in now if was[key] != now[key]]
            self.emit("pagination.changed", where, "page shape changed: " + ", ".join(changed),
                      f"`{method}()` pages read other fields or send other cursors")

    def url_from(self, old: Operation, new: Operation, where: Where) -> None:
        if old.url_from == new.url_from:
            return
        method = new.python_methods[0]
        if new.url_from is None:
            python = f"`{method}()` requests its path again, instead of following a URL another reply gives"
        else:
            operation, field = new.url_from
            source = next((f"{o.python_methods[0]}()" for o in self.new.operations.values()
                           if o.operation_id == operation), operation)
            python = (f"`{method}()` first calls `{source}` and downloads from its `{field}`;"
                      " it raises `DownloadNotReadyError` while that is null")
        def said(link: tuple[str, str] | None) -> str:
            return "the path" if link is None else f"`{link[0]}`'s `{link[1]}`"

        self.emit("download.url-from-changed", where, f"x-url-from: {said(old.url_from)} -> {said(new.url_from)}", python)

    def variant_docs(self, old: Operation, new: Operation, where: Where) -> None:
        """An x-variants method's own summary and description, compared as its docstring."""
        for name in sorted(set(old.python_methods[1:]) & set(new.python_methods[1:])):
            before = old.variant_docs.get(name) or (old.summary, old.description)
            after = new.variant_docs.get(name) or (new.summary, new.description)
            if before != after:
                self.emit("docs.changed", replace(where, path=f"{where.path} method {name}"),
                          "description changed", f"the docstring of `{name}()` changes")

    @staticmethod
    def reply_type(op: Operation, names: Mapping[str, SchemaNames]) -> str:
        """The type the method returns, as users spell it (`SyncCursorPage[Job]`, `Job`)."""
        for status in sorted(op.responses):
            node = op.responses[status].content.get("application/json")
            if status.startswith("2") and node is not None:
                return f"`{py_type(node, 'Response', Spelling('model', names))}`"
        return "the reply"

    @staticmethod
    def variant_reply_type(op: Operation, method: str, names: Mapping[str, SchemaNames]) -> str | None:
        """The type an x-variants method returns when it has a reply of its own (`x-response`)."""
        for name, direction, root in op.variant_roots:
            if name == method and direction == "response":
                return f"`{Spelling('model', names).component(root)}`"
        return None

    def operation_names(self, old: Operation, new: Operation, where: Where) -> None:
        before, after = old.python_methods[0], new.python_methods[0]
        ids = f"operationId `{old.operation_id}` -> `{new.operation_id}`"
        if before != after:
            why = ids if old.operation_id != new.operation_id else "x-resource/x-method changed"
            self.emit("operation.method-renamed", where, why, f"`{before}()` renamed to `{after}()`")
        elif old.operation_id != new.operation_id:
            self.emit("operation.id-changed", where, ids, f"unchanged: the method is still `{after}()`")
        for name in sorted(set(old.python_methods[1:]) - set(new.python_methods[1:])):
            self.emit(
                "operation.method-removed", replace(where, path=f"{where.path} method {name}"),
                f"x-variants no longer generates `{name}`", f"`{name}()` removed",
            )
        for name in sorted(set(new.python_methods[1:]) - set(old.python_methods[1:])):
            self.emit(
                "operation.method-added", replace(where, path=f"{where.path} method {name}"),
                f"x-variants generates `{name}`", f"new method `{name}()`",
            )
        self.variant_types(old, new, where)
        self.variant_headers(old, new, where)

    def variant_headers(self, old: Operation, new: Operation, where: Where) -> None:
        """Header values an x-variants method always sends (`anthropic-beta: message-batches-...`)."""
        def spell(items: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
            return "; ".join(f"`{h}: {','.join(v)}`" for h, v in items) or "none"

        for name in sorted(set(old.python_methods[1:]) & set(new.python_methods[1:])):
            before, after = old.variant_headers.get(name, ()), new.variant_headers.get(name, ())
            if before != after:
                self.emit(
                    "operation.variant-headers-changed", replace(where, path=f"{where.path} method {name}"),
                    f"headers always sent: {spell(before)} -> {spell(after)}",
                    f"`{name}()` always sends {spell(after)} (was: {spell(before)})",
                )

    def variant_types(self, old: Operation, new: Operation, where: Where) -> None:
        """A variant method that gains (or loses, or changes) types of its own."""
        sides = {"request": ("request body", "takes"), "response": ("reply", "returns")}
        for name in sorted(set(old.python_methods[1:]) & set(new.python_methods[1:])):
            for side, (label, verb) in sides.items():
                before = sorted(n for m, d, n in old.variant_roots if m == name and d == side)
                after = sorted(n for m, d, n in new.variant_roots if m == name and d == side)
                if before == after:
                    continue
                shared = f"the same types as `{new.python_methods[0]}()`"
                spell = ", ".join(f"`{n}`" for n in after) or shared
                was = ", ".join(f"`{n}`" for n in before) or shared
                self.emit(
                    "operation.variant-types-changed",
                    replace(where, path=f"{where.path} method {name} {side}", directions=frozenset({side})),  # type: ignore[arg-type]
                    f"{label} types: {was} -> {spell}",
                    f"`{name}()` now {verb} {spell} (was: {was})",
                )

    def parameter(self, old_op: Operation, new_op: Operation, key: tuple[str, str], op: Where) -> None:
        old, new = old_op.parameters.get(key), new_op.parameters.get(key)
        either = new or old
        assert either is not None
        location, name = key
        owner = new_op.variant_params.get(name) or new_op.python_methods[0]
        if either.fixed:
            subject = Subject("header", owner, (("prop", name),), True)
        else:
            subject = Subject("args", owner, (("prop", either.python_name),), True)
        where = Where(
            f"{op.path} {location}.{name}", REQUEST, subject, op.context + naming.class_name(name),
            old.pointer if old else old_op.pointer, new.pointer if new else new_op.pointer,
        )
        what = f"{location} parameter `{name}`"
        if new is None:
            self.emit("parameter.removed", where, f"{what} removed", f"{subject.render()} removed")
            return
        if old is None:
            kind = "required" if new.required else "optional"
            rule = "parameter.added-required" if new.required else "parameter.added"
            type_ = py_type(new.node, where.context, self.spellings(subject, where)[1])
            self.emit(rule, where, f"new {kind} {what}", f"{subject.render()} added (`{type_}`, {kind})")
            return
        if old.required != new.required:
            state = "required" if new.required else "optional"
            self.emit(f"parameter.became-{state}", where, f"{what} became {state}", f"{subject.render()} is now {state}")
        if old.python_name != new.python_name and not either.fixed:
            self.emit(
                "python.renamed", where, f"x-python-name of {what}: `{old.python_name}` -> `{new.python_name}`",
                f"`{owner}({old.python_name}=...)` renamed to `{owner}({new.python_name}=...)`",
            )
        self.docs(old.description, new.description, where)
        if old.deprecated != new.deprecated:
            rule = "schema.deprecated" if new.deprecated else "schema.undeprecated"
            state = "deprecated" if new.deprecated else "no longer deprecated"
            self.emit(rule, where, f"{what} {state}", f"{subject.render()} is {state}")
        self.schemas.node(old.node, new.node, where)

    def path_parameter_renamed(self, old_op: Operation, new_op: Operation, before: str, after: str, op: Where) -> None:
        """A path parameter renamed in place: the URL is the same, the keyword argument may not be."""
        old, new = old_op.parameters[("path", before)], new_op.parameters[("path", after)]
        owner = new_op.python_methods[0]
        subject = Subject("args", owner, (("prop", new.python_name),), True)
        where = Where(
            f"{op.path} path.{after}", REQUEST, subject, op.context + naming.class_name(after), old.pointer, new.pointer,
        )
        if old.python_name != new.python_name:
            self.emit(
                "python.renamed", where, f"path parameter `{before}` renamed to `{after}`",
                f"`{owner}({old.python_name}=...)` renamed to `{owner}({new.python_name}=...)`",
            )
        self.docs(old.description, new.description, where)
        self.schemas.node(old.node, new.node, where)

    def body(self, old_op: Operation, new_op: Operation, op: Where) -> None:
        old, new = old_op.body, new_op.body
        if old is None and new is None:
            return
        owner = new_op.python_methods[0]
        # The generator names the inline classes of an object body after `<Operation>Params`.
        objects = all(_object_like(node) for body in (old, new) if body for node in body.content.values())
        where = Where(
            f"{op.path} body", REQUEST, Subject("args", owner, (), True), op.context + ("Params" if objects else "Body"),
            old.pointer if old else old_op.pointer, new.pointer if new else new_op.pointer,
        )
        if old is None or new is None:
            if new is None:
                self.emit("body.removed", where, "request body removed", f"the body arguments of `{owner}()` removed")
            else:
                rule = "body.added-required" if new.required else "body.added"
                self.emit(rule, where, "new request body", f"`{owner}()` takes body arguments")
            return
        if old.required != new.required:
            state = "required" if new.required else "optional"
            self.emit(f"body.became-{state}", where, f"request body became {state}", f"the body of `{owner}()` is now {state}")
        self.docs(old.description, new.description, where)
        self.content(old.content, new.content, where)

    def response(self, old_op: Operation, new_op: Operation, status: str, op: Where) -> None:
        old, new = old_op.responses.get(status), new_op.responses.get(status)
        method = new_op.python_methods[0]
        where = Where(
            f"{op.path} response {status}", RESPONSE, Subject("result", method), op.context + "Response",
            old.pointer if old else old_op.pointer + ("responses",), new.pointer if new else new_op.pointer + ("responses",),
            paged=(old_op.pagination is not None, new_op.pagination is not None),
        )
        error = not status.startswith(("1", "2", "3"))
        if new is None:
            rule = "response.error-removed" if error else "response.success-removed"
            python = (
                f"`{method}()` no longer raises `{old.exception}` ({status})" if error and old and old.exception
                else f"`{method}()` no longer gets status {status}"
            )
            self.emit(rule, where, f"response {status} removed", python)
            return
        if old is None:
            if error and new.exception:
                python = f"`{method}()` may raise `{new.exception}` ({status})"
            elif error:
                python = f"`{method}()` may raise an API status error for {status}"
            else:
                python = f"`{method}()` may get status {status}"
            self.emit("response.status-added", where, f"new response {status}", python)
            return
        self.docs(old.description, new.description, where)
        self.content(old.content, new.content, where, event_context=op.context + "Event")

    def content(
        self, old: dict[str, Node], new: dict[str, Node], where: Where, event_context: str | None = None,
    ) -> None:
        shared = sorted(set(old) & set(new))
        primary = "application/json" if "application/json" in shared else (shared[0] if shared else None)
        for media in sorted(set(old) | set(new)):
            place = where if media == primary else replace(where, path=f"{where.path}({media})")
            if event_context and media == "text/event-stream":
                place = replace(place, context=event_context)  # the generator's name for stream events
            if media not in new:
                self.emit("media-type.removed", place, f"media type `{media}` removed", f"{where.subject.render()}: `{media}` no longer sent/accepted")
            elif media not in old:
                self.emit("media-type.added", place, f"new media type `{media}`", f"{where.subject.render()}: `{media}` supported")
            else:
                place = replace(place, old=old[media].pointer, new=new[media].pointer)
                self.schemas.node(old[media], new[media], place)


def _path_renames(old: Operation, new: Operation) -> dict[str, str]:
    """Path parameters that stand at the same place in the path under another name."""
    before = re.findall(r"\{([^}]*)\}", old.path)
    after = re.findall(r"\{([^}]*)\}", new.path)
    found: dict[str, str] = {}
    for a, b in zip(before, after):
        if a != b and ("path", a) in old.parameters and ("path", b) in new.parameters:
            if ("path", a) not in new.parameters and ("path", b) not in old.parameters:
                found[a] = b
    return found


def _object_like(node: Node) -> bool:
    """Whether a request body schema is (or refers to) an object: its fields become arguments."""
    return isinstance(node, Ref) or (isinstance(node, Object) and bool(node.properties))


# -- Python names of components ----------------------------------------------------------


def _listed(names: SchemaNames) -> set[str]:
    return {name for name in (names.model, names.param) if name}


def _classes(names: set[str]) -> str:
    return " and ".join(f"`{name}`" for name in sorted(names))


def _renamed(before: SchemaNames, after: SchemaNames) -> str:
    """A component rename in Python words: what each generated name became, side by side."""
    if _listed(before) == _listed(after):
        noun = "class" if len(_listed(after)) == 1 else "classes"
        return f"unchanged: both names are the {noun} {_classes(_listed(after))}"
    steps: list[str] = []
    for old, new in ((before.model, after.model), (before.param, after.param)):
        if old and new and old != new:
            step = f"`{old}` renamed to `{new}`"
        elif old and not new:
            step = f"`{old}` removed"
        elif new and not old:
            step = f"new `{new}`"
        else:
            continue
        if step not in steps:
            steps.append(step)
    return "; ".join(steps)


# -- reachability -------------------------------------------------------------------


def _refs_in(node: Node | None, found: set[str]) -> set[str]:
    """Names of the components ``node`` refers to directly (not through them)."""
    match node:
        case Ref():
            found.add(node.name)
        case Object():
            for prop in node.properties:
                _refs_in(prop.node, found)
            _refs_in(node.additional, found)
        case UnionOf():
            for member in node.members:
                _refs_in(member.node, found)
        case AnyValue() | None:
            pass
        case _:
            _refs_in(getattr(node, "items", None), found)
    return found


def _reach(model: Model) -> dict[str, frozenset[Direction]]:
    """From which direction each component is reached by some operation."""
    direct = {name: _refs_in(node, set()) for name, node in model.components.items()}
    result: dict[str, set[Direction]] = {}
    roots: dict[Direction, set[str]] = {"request": set(), "response": set()}
    for op in model.operations.values():
        for param in op.parameters.values():
            _refs_in(param.node, roots["request"])
        for node in (op.body.content.values() if op.body else ()):
            _refs_in(node, roots["request"])
        for response in op.responses.values():
            for node in response.content.values():
                _refs_in(node, roots["response"])
        for _, side, name in op.variant_roots:
            roots[side].add(name)  # type: ignore[index]
    for side, start in roots.items():
        stack = sorted(start)
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            result.setdefault(name, set()).add(side)
            stack.extend(direct.get(name, ()))
    return {name: frozenset(sides) for name, sides in result.items()}


def _body_roots(model: Model) -> dict[str, list[tuple[str, str]]]:
    """Components that are a whole request body: their fields are a method's keyword arguments.

    Each root is (method, context): the generator names the inline classes of
    the arguments after the operation (``<OperationId>Params<Field>``), not
    after the component.
    """
    roots: dict[str, set[tuple[str, str]]] = {}
    for op in model.operations.values():
        for node in (op.body.content.values() if op.body else ()):
            if isinstance(node, Ref):
                context = naming.class_name(op.operation_id) + "Params"
                roots.setdefault(node.name, set()).add((op.python_methods[0], context))
        for method, side, name in op.variant_roots:
            if side == "request":
                # The generator names a variant's inline argument classes after the method.
                parts = method.split(".")[1:]
                roots.setdefault(name, set()).add(
                    (method, "".join(naming.class_name(p) for p in parts) + "Params")
                )
    return {name: sorted(methods) for name, methods in roots.items()}
