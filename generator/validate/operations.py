"""Operation checks: operationIds (E209), parameters (E210-E212), argument names (E219).

Each operation becomes a method whose arguments are its parameters and the
properties of its JSON body, so those must map to distinct Python names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from generator.diagnostics import Diagnostic
from generator.loader import Pointer
from generator.naming import attribute_name, is_valid_identifier
from generator.validate.document import Document, Operation
from generator.validate.text import did_you_mean

__all__ = ["Param", "body_shape", "check_arguments", "check_operation_ids",
           "check_path_parameters", "parameters_of"]

_TEMPLATE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # the parameter's `in`
    entry: Pointer  # where the operation (or its path) lists it
    node: dict[str, Any]  # the parameter object, refs resolved

    @property
    def python_name(self) -> str:
        override = self.node.get("x-python-name")
        if isinstance(override, str) and is_valid_identifier(override):
            return override
        return attribute_name(self.name)

    @property
    def is_fixed(self) -> bool:
        """A header with a `const` schema is sent automatically, never an argument."""
        schema = self.node.get("schema")
        return self.location == "header" and isinstance(schema, dict) and "const" in schema


def parameters_of(doc: Document, op: Operation) -> tuple[dict[tuple[str, str], Param],
                                                         list[Diagnostic]]:
    """The operation's effective parameters: its own, then its path's that it does not override."""
    own = _level(doc, op.pointer, op.node)
    shared = _level(doc, op.path_pointer, op.path_item)
    params = dict(shared[0])
    params.update(own[0])
    return params, own[1] + shared[1]


def _level(doc: Document, pointer: Pointer, owner: dict[str, Any]) -> tuple[
    dict[tuple[str, str], Param], list[Diagnostic]
]:
    params: dict[tuple[str, str], Param] = {}
    problems: list[Diagnostic] = []
    listed = owner.get("parameters")
    if not isinstance(listed, list):
        return params, problems
    for i, node in enumerate(listed):
        entry = (*pointer, "parameters", i)
        found = doc.deref(node, entry)
        if found is None or not isinstance(found[1], dict):
            continue
        name, where = found[1].get("name"), found[1].get("in")
        if not isinstance(name, str) or not isinstance(where, str):
            continue
        if (name, where) in params:
            problems.append(Diagnostic(
                "E212", f"parameter `{name}` (in {where}) is declared twice", doc.at(entry),
                related=(doc.at(params[(name, where)].entry),), hint="remove one of them",
            ))
            continue
        params[(name, where)] = Param(name, where, entry, found[1])
    return params, problems


def body_shape(doc: Document, op: Operation) -> tuple[Pointer, dict[str, tuple[Pointer, Any]]] | None:
    """The properties of the operation's JSON request body, which become keyword arguments.

    An operation's ``x-request-body`` is the body its generated method sends, so
    it wins over the standard ``requestBody`` schema.
    """
    found = doc.deref(op.node.get("requestBody"), (*op.pointer, "requestBody"))
    if found is None or not isinstance(found[1], dict):
        return None
    content = found[1].get("content")
    media = content.get("application/json") if isinstance(content, dict) else None
    if not isinstance(media, dict) or "schema" not in media:
        return None
    pointer = (*found[0], "content", "application/json", "schema")
    schema = media["schema"]
    if isinstance(op.node.get("x-request-body"), dict):
        pointer, schema = (*op.pointer, "x-request-body"), op.node["x-request-body"]
    properties, _ = doc.object_shape(schema, pointer)
    return pointer, properties


def check_operation_ids(doc: Document) -> Iterator[Diagnostic]:
    first: dict[str, Pointer] = {}
    for op in doc.operations:
        op_id = op.node.get("operationId")
        if not isinstance(op_id, str):
            continue
        pointer = (*op.pointer, "operationId")
        if op_id in first:
            yield Diagnostic(
                "E209", f"operationId `{op_id}` is used twice", doc.at(pointer),
                related=(doc.at(first[op_id]),),
                hint="operationIds name the generated methods; give each operation its own",
            )
        else:
            first[op_id] = pointer


def check_path_parameters(doc: Document) -> Iterator[Diagnostic]:
    for op in doc.operations:
        params, problems = parameters_of(doc, op)
        yield from problems
        if not op.is_path:
            continue
        names = _TEMPLATE.findall(op.template)
        declared = {p.name: p for p in params.values() if p.location == "path"}
        for name in names:
            if name not in declared:
                yield Diagnostic(
                    "E210", f"`{{{name}}}` in `{op.template}` is not declared as a path parameter "
                    f"of `{op.method}`", doc.at(op.pointer),
                    hint=f"add `{{name: {name}, in: path, required: true, schema: {{type: string}}}}`"
                    " to the path's or the operation's `parameters`",
                )
        for name, param in declared.items():
            if name not in names:
                yield Diagnostic(
                    "E211", f"path parameter `{name}` does not appear in `{op.template}`",
                    doc.at(param.entry),
                    hint=did_you_mean(name, names) or f"add `{{{name}}}` to the path, or remove it",
                )


def check_arguments(doc: Document) -> Iterator[Diagnostic]:
    for op in doc.operations:
        params, _ = parameters_of(doc, op)
        fixed_query = _variant_query_names(op.node)
        taken: dict[str, tuple[str, Pointer]] = {}
        for param in params.values():
            if param.is_fixed or (param.location == "query" and param.name in fixed_query):
                continue
            label = f"parameter `{param.name}`"
            yield from _claim(doc, taken, param.python_name, label, param.entry)
        body = body_shape(doc, op)
        if body is not None:
            # A body property named like a parameter (`id` in the path and in the
            # body) is a common idiom: the generator renames the body argument
            # (`body_id`), keeping its wire name, so only body-body clashes remain.
            by_param = dict(taken)
            body_taken: dict[str, tuple[str, Pointer]] = {}
            for name, (pointer, _) in body[1].items():
                python = attribute_name(name)
                if python in by_param:
                    python = body_argument_name(python, set(by_param))
                yield from _claim(doc, body_taken, python, f"body property `{name}`", pointer)


def body_argument_name(python: str, taken: set[str]) -> str:
    """The argument of a body property whose name a parameter already has."""
    name = f"body_{python}"
    while name in taken:
        name += "_"
    return name


def _claim(doc: Document, taken: dict[str, tuple[str, Pointer]], python: str, label: str,
           pointer: Pointer) -> Iterator[Diagnostic]:
    if python in taken:
        other, where = taken[python]
        yield Diagnostic(
            "E219", f"{other} and {label} both become the argument `{python}`",
            doc.at(pointer), related=(doc.at(where),),
            hint="rename one, or give the parameter an `x-python-name`",
        )
    else:
        taken[python] = (label, pointer)


def _variant_query_names(op: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    variants = op.get("x-variants")
    for variant in variants if isinstance(variants, list) else ():
        query = variant.get("query") if isinstance(variant, dict) else None
        if isinstance(query, dict):
            names.update(query)
    return names
