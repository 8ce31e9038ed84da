"""How much of the official SDK's Messages surface spec/messages.yaml describes.

Run through `benchmarks/sdk_coverage`, which installs `anthropic==0.125.0` into a venv of its
own; this module needs that SDK and PyYAML, nothing of the project.

The SDK's `anthropic.types` (plain) and `anthropic.types.beta` (beta) are read by
introspection: the parameters of `messages.create` / `beta.messages.create`, and the unions of
blocks, tools, choices, citations, events, deltas and errors with every field of every member,
nested types included. Each SDK type is matched to the spec by its wire identity only: a union
member by the value of its `type` tag, a field by its JSON name (its alias where the SDK renames
one), a literal by its values. Class names on either side never matter, so the spec is free to
name its schemas as it likes. The spec side is walked from the operation itself (request body,
header parameters, the 200 response's JSON and event-stream schemas, the error responses), so
a schema that exists but is not reachable from the request or response where the API uses it
does not count.

The report is markdown: per family, which items (tag values, fields, literal values) the spec
covers and, item by item, what it misses. Exit status: 0 when nothing is missing, 1 when
something is, 2 when the spec cannot be read.
"""

from __future__ import annotations

import argparse
import collections.abc
import inspect
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import typing_extensions
import yaml

import anthropic
import anthropic.types as plain_types
import anthropic.types.beta as beta_types
import anthropic.types.beta.message_create_params as beta_create_params
import anthropic.types.message_create_params as plain_create_params
from anthropic.resources.beta.messages import Messages as BetaMessagesResource
from anthropic.resources.messages import Messages as MessagesResource
from anthropic.types import shared as shared_types

_EXTRA_ARGS = {"self", "extra_headers", "extra_query", "extra_body", "timeout"}
_LIST_ORIGINS = {list, collections.abc.Iterable, collections.abc.Sequence, typing.List}
_MAP_ORIGINS = {dict, collections.abc.Mapping, typing.Dict}


# -- the SDK side -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    values: tuple[str, ...]


@dataclass(frozen=True)
class ListOf:
    item: Any


@dataclass(frozen=True)
class Obj:
    cls: type


@dataclass(frozen=True)
class Union_:
    members: tuple[Any, ...]


PRIM = "primitive"
MAP = "map"


def _alias(annotation: Any) -> str | None:
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            alias = getattr(meta, "alias", None)
            if alias and alias != "None":
                return alias
    return None


def shape(annotation: Any) -> Any:
    """The wire shape of an SDK annotation: Lit, ListOf, Obj, Union_, PRIM or MAP."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Annotated, typing.Required, typing.NotRequired):
        return shape(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        members = [shape(a) for a in typing.get_args(annotation) if a is not type(None)]
        lits = [m for m in members if isinstance(m, Lit)]
        rest = [m for m in members if not isinstance(m, Lit)]
        if lits:
            rest.insert(0, Lit(tuple(v for m in lits for v in m.values)))
        flat: list[Any] = []
        for m in rest:
            flat.extend(m.members if isinstance(m, Union_) else [m])
        return flat[0] if len(flat) == 1 else Union_(tuple(flat))
    if origin is typing.Literal:
        if all(isinstance(v, bool) for v in typing.get_args(annotation)):
            return PRIM  # `stream: Literal[True]` is a boolean on the wire
        return Lit(tuple(str(v) for v in typing.get_args(annotation) if v is not None))
    if origin in _LIST_ORIGINS:
        args = typing.get_args(annotation)
        return ListOf(shape(args[0]) if args else PRIM)
    if origin in _MAP_ORIGINS or annotation in (dict, object) or annotation is typing.Any:
        return MAP
    if isinstance(annotation, type) and (
        typing_extensions.is_typeddict(annotation) or hasattr(annotation, "model_fields")
    ):
        return Obj(annotation)
    return PRIM


@dataclass(frozen=True)
class SdkField:
    name: str  # the JSON name on the wire
    shape: Any
    required: bool


def _required(hint: Any, total: bool) -> bool:
    # The SDK's modules use `from __future__ import annotations`, so `__required_keys__` knows
    # each class's totality but cannot see `Required[...]`; the evaluated hints can.
    while typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) is typing.Required:
        return True
    if typing.get_origin(hint) is typing.NotRequired:
        return False
    return total


def fields_of(cls: type) -> list[SdkField]:
    if typing_extensions.is_typeddict(cls):
        hints = typing.get_type_hints(cls, include_extras=True)
        return [
            SdkField(_alias(hint) or name, shape(hint), _required(hint, name in cls.__required_keys__))
            for name, hint in hints.items()
        ]
    out = []
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        if info.metadata:
            annotation = typing.Annotated[(annotation, *info.metadata)]
        out.append(SdkField(info.alias or name, shape(annotation), info.is_required()))
    return out


def tags_of(cls: type) -> tuple[str, ...]:
    """The `type` tag values a class is sent or received with (empty: untagged)."""
    for f in fields_of(cls):
        if f.name == "type" and isinstance(f.shape, Lit):
            return f.shape.values
    return ()


def members_of(annotation: Any) -> list[type]:
    s = shape(annotation)
    items = s.members if isinstance(s, Union_) else (s,)
    return [m.cls for m in items if isinstance(m, Obj)]


# -- the spec side ----------------------------------------------------------------------------


class Spec:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def resolve(self, schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 64:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local $refs are read, not {ref!r}")
            node: Any = self.doc
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema, seen = node, seen + 1
        return schema if isinstance(schema, dict) else {}

    def leaves(self, schema: Any) -> list[dict[str, Any]]:
        """The alternatives of a schema: oneOf/anyOf flattened, allOf merged, refs resolved."""
        schema = self.resolve(schema)
        alternatives = schema.get("oneOf") or schema.get("anyOf")
        if alternatives:
            base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
            out = []
            for alt in alternatives:
                for leaf in self.leaves(alt):
                    out.append(self._merge([base, leaf]) if base.get("properties") else leaf)
            return out
        if "allOf" in schema:
            parts = [self.resolve(p) for p in schema["allOf"]]
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            merged_parts = []
            for p in parts:
                sub = self.leaves(p)
                merged_parts.append(sub[0] if len(sub) == 1 else p)
            return [self._merge([*merged_parts, rest])]
        return [schema]

    @staticmethod
    def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        props: dict[str, Any] = {}
        required: list[str] = []
        for p in parts:
            props.update(p.get("properties") or {})
            required.extend(p.get("required") or [])
            merged.update({k: v for k, v in p.items() if k not in ("properties", "required")})
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
        return merged

    @staticmethod
    def types(leaf: dict[str, Any]) -> set[str]:
        t = leaf.get("type")
        kinds = set(t) if isinstance(t, list) else {t} if t else set()
        if not kinds and "properties" in leaf:
            kinds.add("object")
        return kinds

    def values(self, leaf: dict[str, Any]) -> set[str]:
        if "const" in leaf:
            return {str(leaf["const"])}
        return {str(v) for v in leaf.get("enum") or [] if v is not None}

    def tags(self, leaf: dict[str, Any]) -> set[str]:
        prop = (leaf.get("properties") or {}).get("type")
        if prop is None:
            return set()
        return {v for sub in self.leaves(prop) for v in self.values(sub)}

    @staticmethod
    def free_form(leaf: dict[str, Any]) -> bool:
        """A schema that says nothing about its content ({} or an open object)."""
        keys = set(leaf) - {"description", "title", "examples", "example", "default", "nullable",
                            "x-python-name", "deprecated", "readOnly", "writeOnly"}
        if not keys:
            return True
        if keys <= {"type", "additionalProperties"} and leaf.get("type") in ("object", None):
            return leaf.get("additionalProperties", True) not in (False,) and "properties" not in leaf
        return False


def _open(sdk: Any) -> bool:
    """Whether the SDK accepts any JSON value here, so an open spec schema describes it all."""
    if sdk in (MAP, PRIM):
        return True
    return isinstance(sdk, Union_) and MAP in sdk.members


# -- walking both sides together --------------------------------------------------------------


@dataclass
class Tally:
    covered: int = 0
    missing: list[str] = field(default_factory=list)
    # Request fields the spec has but with another presence than the SDK's TypedDict:
    # not counted as missing, listed for the spec's maintainers to confirm.
    notes: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        if what in self.missing:
            return
        if ok:
            self.covered += 1
        else:
            self.missing.append(what)


class Walker:
    """Compares one SDK shape with a set of spec alternatives, recording every gap."""

    def __init__(self, spec: Spec, elsewhere: set[type], brief: bool = False) -> None:
        self.spec = spec
        # brief: skip family items entirely (the request-parameter overview).
        self.brief = brief
        # Classes that are items of some family: nested occurrences only check that the
        # variant exists (its fields are reported under its own family).
        self.elsewhere = elsewhere

    def compare(self, sdk: Any, leaves: list[dict[str, Any]], path: str, tally: Tally,
                seen: frozenset[type] = frozenset()) -> None:
        if any(Spec.free_form(leaf) for leaf in leaves) and _open(sdk):
            return  # the SDK itself takes any JSON here (a map or Any): nothing more to describe
        if isinstance(sdk, Union_):
            for member in sdk.members:
                if isinstance(member, Lit) and PRIM in sdk.members and any(
                    "string" in Spec.types(leaf) and not self.spec.values(leaf) for leaf in leaves
                ):
                    # An open enum (`Literal[...] | str`, like `model`): the known values are
                    # examples, and a plain string describes them all.
                    tally.add(True, path)
                    continue
                self.compare(member, leaves, path, tally, seen)
            return
        if isinstance(sdk, Lit):
            values = {v for leaf in leaves for v in self.spec.values(leaf)}
            for v in sdk.values:
                tally.add(v in values, f"{path}: value `{v}`")
            return
        if isinstance(sdk, ListOf):
            items = [
                sub
                for leaf in leaves
                if "array" in Spec.types(leaf)
                for sub in self.spec.leaves(leaf.get("items", {}))
            ]
            tally.add(bool(items), f"{path}: a list")
            if items:
                self.compare(sdk.item, items, path + "[]", tally, seen)
            return
        if isinstance(sdk, Obj):
            objects = [leaf for leaf in leaves if "object" in Spec.types(leaf)]
            tags = tags_of(sdk.cls)
            if self.brief and sdk.cls in self.elsewhere:
                return
            if tags:
                for tag in tags:
                    match = self.match(sdk.cls, tag, objects)
                    where = f"{path}{{{tag}}}"
                    tally.add(bool(match), f"{where}: variant `{tag}`")
                    if match and sdk.cls not in self.elsewhere and sdk.cls not in seen:
                        self.fields(sdk.cls, match, where, tally, seen | {sdk.cls})
                return
            untagged = [leaf for leaf in objects if not self.spec.tags(leaf)] or objects
            tally.add(bool(untagged), f"{path}: an object")
            if untagged and sdk.cls not in self.elsewhere and sdk.cls not in seen:
                self.fields(sdk.cls, untagged, path, tally, seen | {sdk.cls})
            return
        # primitives and maps: the spec only has to have the field, checked by the caller.

    def match(self, cls: type, tag: str, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The spec variants for an SDK class's tag; an optional tag also matches untagged ones."""
        found = [leaf for leaf in objects if tag in self.spec.tags(leaf)]
        if not found and not all(f.required for f in fields_of(cls) if f.name == "type"):
            found = [leaf for leaf in objects if not self.spec.tags(leaf)]
        return found

    @staticmethod
    def presence(f: SdkField, leaves: list[dict[str, Any]], where: str, tally: Tally) -> None:
        having = [leaf for leaf in leaves if f.name in (leaf.get("properties") or {})]
        required = any(f.name in (leaf.get("required") or []) for leaf in having)
        if required != f.required:
            note = (f"{where.lstrip('.')}: required by the SDK, optional in the spec" if f.required
                    else f"{where.lstrip('.')}: optional in the SDK, required in the spec")
            if note not in tally.notes:
                tally.notes.append(note)

    def fields(self, cls: type, leaves: list[dict[str, Any]], path: str, tally: Tally,
               seen: frozenset[type] = frozenset()) -> None:
        for f in fields_of(cls):
            props = [
                (leaf.get("properties") or {})[f.name]
                for leaf in leaves
                if f.name in (leaf.get("properties") or {})
            ]
            where = f"{path}.{f.name}"
            if props and typing_extensions.is_typeddict(cls):
                self.presence(f, leaves, where, tally)
            if f.name == "type" and isinstance(f.shape, Lit) and props:
                tally.add(True, where)
                continue
            tally.add(bool(props), f"{where}: field")
            if props:
                sub = [s for p in props for s in self.spec.leaves(p)]
                self.compare(f.shape, sub, where, tally, seen)


# -- the families -----------------------------------------------------------------------------


@dataclass
class Item:
    name: str
    tally: Tally


@dataclass
class Family:
    title: str
    unit: str
    items: list[Item]


@dataclass
class Side:
    """The SDK's Messages surface for one form (plain or beta)."""

    name: str
    resource: type
    params: type  # the streaming create-params TypedDict (it has `stream`)
    input_blocks: Any
    tools: Any
    tool_choice: Any
    thinking: Any
    message: type
    content_blocks: Any
    citations: Any
    stop_reason: Any
    usage: type
    events: Any
    deltas: Any
    message_delta: type
    error_response: type


PLAIN = Side(
    "plain", MessagesResource, plain_create_params.MessageCreateParamsStreaming,
    plain_types.ContentBlockParam, plain_types.ToolUnionParam, plain_types.ToolChoiceParam,
    plain_types.ThinkingConfigParam, plain_types.Message, plain_types.ContentBlock,
    plain_types.TextCitation, plain_types.StopReason, plain_types.Usage,
    plain_types.RawMessageStreamEvent, plain_types.RawContentBlockDelta,
    plain_types.RawMessageDeltaEvent, shared_types.ErrorResponse,
)
BETA = Side(
    "beta", BetaMessagesResource, beta_create_params.MessageCreateParamsStreaming,
    beta_types.BetaContentBlockParam, beta_types.BetaToolUnionParam,
    beta_types.BetaToolChoiceParam, beta_types.BetaThinkingConfigParam, beta_types.BetaMessage,
    beta_types.BetaContentBlock, beta_types.BetaTextCitation, beta_types.BetaStopReason,
    beta_types.BetaUsage, beta_types.BetaRawMessageStreamEvent,
    beta_types.BetaRawContentBlockDelta, beta_types.BetaRawMessageDeltaEvent,
    plain_types.BetaErrorResponse,
)


@dataclass
class Roots:
    """Where the spec describes one form: schemas reached from its operation."""

    how: str
    body: Any
    parameters: list[dict[str, Any]]
    response: Any
    stream: Any
    error: Any


def _operations(doc: dict[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    for path, item in (doc.get("paths") or {}).items():
        for method, op in (item or {}).items():
            if isinstance(op, dict) and method in ("post", "get", "put", "patch", "delete"):
                yield path, method, op


def _roots_of(spec: Spec, op: dict[str, Any], how: str,
              extra_params: list[Any] = ()) -> Roots:
    body = (spec.resolve(op.get("requestBody")).get("content") or {}).get("application/json", {})
    ok = spec.resolve((op.get("responses") or {}).get("200"))
    content = ok.get("content") or {}
    error = None
    for status, response in sorted((op.get("responses") or {}).items()):
        if str(status).startswith(("4", "5")):
            error = ((spec.resolve(response).get("content") or {}).get("application/json") or {}).get("schema")
            if error is not None:
                break
    params = [spec.resolve(p) for p in [*(op.get("parameters") or []), *extra_params]]
    return Roots(how, body.get("schema"), params,
                 (content.get("application/json") or {}).get("schema"),
                 (content.get("text/event-stream") or {}).get("schema"), error)


def find_roots(spec: Spec, beta: bool) -> Roots | None:
    ops = list(_operations(spec.doc))
    messages = [(p, m, op) for p, m, op in ops if p.split("?")[0] == "/v1/messages" and m == "post"]
    if not messages:
        return None
    if not beta:
        for path, method, op in messages:
            if op.get("x-resource", "messages") == "messages" and "?" not in path:
                return _roots_of(spec, op, f"`{method.upper()} {path}` ({op.get('operationId')})")
        path, method, op = messages[0]
        return _roots_of(spec, op, f"`{method.upper()} {path}` ({op.get('operationId')})")
    for path, method, op in messages:
        if op.get("x-resource") == "beta.messages" or "?beta=true" in path:
            return _roots_of(spec, op, f"`{method.upper()} {path}` ({op.get('operationId')})")
    for path, method, op in messages:
        for variant in op.get("x-variants") or []:
            if variant.get("resource") != "beta.messages":
                continue
            merged = dict(op)
            for key in ("requestBody", "responses"):
                if key in variant:
                    merged[key] = variant[key] if key == "requestBody" else {
                        **(op.get("responses") or {}), **variant[key]}
            extra = [p for p in variant.get("parameters") or [] if isinstance(p, dict)]
            roots = _roots_of(spec, merged, "", extra)
            # The generator's own keys: schemas that replace the plain operation's body,
            # JSON response and stream event for this variant.
            for key, attr in (("x-request-body", "body"), ("x-response", "response"),
                              ("x-stream-event", "stream")):
                if key in variant:
                    setattr(roots, attr, variant[key])
            own = [k for k in ("requestBody", "responses", "x-request-body", "x-response",
                               "x-stream-event") if k in variant]
            roots.how = (
                f"the `beta.messages` variant (x-variants) of `{method.upper()} {path}` "
                f"({op.get('operationId')}), "
                + (f"with its own {', '.join(f'`{k}`' for k in own)}" if own else
                   "which has no request body or responses of its own: the plain operation's")
            )
            return roots
    return None


def _header_names(roots: Roots) -> set[str]:
    return {str(p.get("name", "")).lower() for p in roots.parameters if p.get("in") == "header"}


def families(side: Side, spec: Spec, roots: Roots) -> list[Family]:
    family_unions = [side.input_blocks, side.tools, side.tool_choice, side.thinking,
                     side.content_blocks, side.citations, side.deltas]
    elsewhere = {cls for u in family_unions for cls in members_of(u)}
    elsewhere |= {side.usage, side.message}
    walker = Walker(spec, elsewhere, brief=True)
    body = spec.leaves(roots.body) if roots.body is not None else []
    response = spec.leaves(roots.response) if roots.response is not None else []
    stream = spec.leaves(roots.stream) if roots.stream is not None else []
    error = spec.leaves(roots.error) if roots.error is not None else []

    def at(leaves: list[dict[str, Any]], *steps: str) -> list[dict[str, Any]]:
        """Follow `.name`, `[]` and `{tag}` steps through the spec's alternatives."""
        for step in steps:
            nxt: list[dict[str, Any]] = []
            for leaf in leaves:
                if step == "[]":
                    if "array" in Spec.types(leaf):
                        nxt.extend(spec.leaves(leaf.get("items", {})))
                elif step.startswith("{"):
                    if step[1:-1] in spec.tags(leaf):
                        nxt.append(leaf)
                elif step in (leaf.get("properties") or {}):
                    nxt.extend(spec.leaves(leaf["properties"][step]))
            leaves = nxt
        return leaves

    out: list[Family] = []

    # Request parameters: body properties, or header parameters for the SDK's header aliases.
    sig = inspect.signature(side.resource.create)
    py_names = [n for n in sig.parameters if n not in _EXTRA_ARGS]
    hints = typing.get_type_hints(side.params, include_extras=True)
    headers = _header_names(roots)
    items = []
    for name in py_names:
        hint = hints.get(name)
        wire = (_alias(hint) if hint is not None else None) or name
        tally = Tally()
        if "-" in wire:
            tally.add(wire.lower() in headers, f"header `{wire}`")
        else:
            props = at(body, wire)
            tally.add(bool(props), f"body field `{wire}`")
            if props and hint is not None:
                # `stream` is required only in the streaming form of the params (Literal[True]).
                walker.presence(SdkField(wire, None, name != "stream" and _required(
                    hint, name in side.params.__required_keys__)),
                                [leaf for leaf in body if wire in (leaf.get("properties") or {})],
                                wire, tally)
            if props and hint is not None:
                walker.compare(shape(hint), props, wire, tally)
        label = f"`{name}`" if wire == name else f"`{name}` (header `{wire}`)"
        items.append(Item(label, tally))
    out.append(Family("Request parameters", "parameter", items))

    def union_family(title: str, unit: str, union: Any, leaves: list[dict[str, Any]],
                     prefer_params: bool) -> Family:
        by_tag: dict[str, type] = {}
        for cls in members_of(union):
            for tag in tags_of(cls):
                current = by_tag.get(tag)
                # The SDK also accepts response models as input; the TypedDict is the input shape.
                if current is None or (prefer_params and typing_extensions.is_typeddict(cls)
                                       and not typing_extensions.is_typeddict(current)):
                    by_tag[tag] = cls
        found = [leaf for leaf in leaves if "object" in Spec.types(leaf)]
        inner = Walker(spec, elsewhere - set(by_tag.values()))
        result = []
        for tag, cls in by_tag.items():
            tally = Tally()
            match = inner.match(cls, tag, found)
            tally.add(bool(match), "the variant itself")
            if match:
                inner.fields(cls, match, "", tally, frozenset({cls}))
            result.append(Item(f"`{tag}`", tally))
        return Family(title, unit, result)

    messages_content = at(body, "messages", "[]", "content", "[]")
    out.append(union_family("Input content blocks (`messages[].content[]`)", "block type",
                            side.input_blocks, messages_content, True))
    out.append(union_family("Tools (`tools[]`)", "tool type", side.tools, at(body, "tools", "[]"),
                            True))
    out.append(union_family("`tool_choice`", "variant", side.tool_choice, at(body, "tool_choice"),
                            True))
    out.append(union_family("`thinking`", "variant", side.thinking, at(body, "thinking"), True))

    def field_family(title: str, cls: type, leaves: list[dict[str, Any]], skip: set[str] = set()
                     ) -> Family:
        inner = Walker(spec, elsewhere - {cls})
        result = []
        for f in fields_of(cls):
            if f.name in skip:
                continue
            tally = Tally()
            props = [(leaf.get("properties") or {})[f.name] for leaf in leaves
                     if f.name in (leaf.get("properties") or {})]
            tally.add(bool(props), "the field itself")
            if props:
                inner.compare(f.shape, [s for p in props for s in spec.leaves(p)], f.name, tally,
                              frozenset({cls}))
            result.append(Item(f"`{f.name}`", tally))
        return Family(title, "field", result)

    out.append(field_family("`Message` fields (response)", side.message, response))
    out.append(union_family("Response content blocks (`content[]`)", "block type",
                            side.content_blocks, at(response, "content", "[]"), False))
    out.append(union_family("Citations (`content[]{text}.citations[]`)", "citation type",
                            side.citations, at(response, "content", "[]", "{text}", "citations",
                                               "[]"), False))
    stop_values = {v for leaf in at(response, "stop_reason") for v in spec.values(leaf)}
    sdk_stop = shape(side.stop_reason)
    out.append(Family("`stop_reason` values", "value", [
        Item(f"`{v}`", Tally(1, []) if v in stop_values else Tally(0, ["the value"]))
        for v in sdk_stop.values
    ]))
    out.append(field_family("`Usage` fields (response `usage`)", side.usage,
                            at(response, "usage")))
    out.append(union_family("Stream events (`text/event-stream`)", "event type", side.events,
                            stream, False))
    out.append(union_family("Deltas (`content_block_delta` `.delta`)", "delta type", side.deltas,
                            at(stream, "{content_block_delta}", "delta"), False))
    out.append(field_family("`message_delta` event fields", side.message_delta,
                            at(stream, "{message_delta}")))
    error_union = side.error_response.model_fields["error"].annotation
    out.append(union_family("Error types (error envelope `.error`)", "error type", error_union,
                            at(error, "error"), False))
    out.append(field_family("Error envelope fields", side.error_response, error, {"error"}))
    return out


# -- the report -------------------------------------------------------------------------------


def render(side: Side, roots: Roots | None, fams: list[Family]) -> tuple[list[str], int, int]:
    lines = [f"## {side.name.capitalize()} (`{'client.beta.messages.create' if side.name == 'beta' else 'client.messages.create'}`)", ""]
    if roots is None:
        lines += ["The spec has no `POST /v1/messages` operation for this form: everything is "
                  "missing.", ""]
    else:
        lines += [f"Spec side: {roots.how}.", ""]
    total_items = covered_items = 0
    total_checks = covered_checks = 0
    summary = ["| family | items covered | checks covered |", "|---|---:|---:|"]
    body: list[str] = []
    for fam in fams:
        full = [i for i in fam.items if not i.tally.missing]
        partial = [i for i in fam.items if i.tally.missing]
        checks = sum(i.tally.covered + len(i.tally.missing) for i in fam.items)
        ok_checks = sum(i.tally.covered for i in fam.items)
        total_items += len(fam.items)
        covered_items += len(full)
        total_checks += checks
        covered_checks += ok_checks
        summary.append(f"| {fam.title} | {len(full)}/{len(fam.items)} | {ok_checks}/{checks} |")
        body += [f"### {fam.title}: {len(fam.items)} {fam.unit}s, {len(full)} fully covered", ""]
        if full:
            body += ["Covered: " + ", ".join(i.name for i in full) + ".", ""]
        for i in fam.items:
            if i.tally.notes and not i.tally.missing:
                body.append(f"- {i.name}: covered; presence differs (check the spec's choice):")
                body += [f"  - {n}" for n in i.tally.notes]
        for i in partial:
            if i.tally.missing == ["the variant itself"] or i.tally.missing == ["the field itself"] \
                    or i.tally.missing == ["the value"]:
                body.append(f"- {i.name}: **missing**")
                continue
            if any(m.startswith(("the ", "header ", "body field ")) for m in i.tally.missing) \
                    and i.tally.covered == 0:
                body.append(f"- {i.name}: **missing** ({'; '.join(i.tally.missing)})")
                continue
            body.append(f"- {i.name}: partly covered, missing:")
            for m in i.tally.missing:
                body.append(f"  - {m.lstrip('.')}")
            if i.tally.notes:
                body.append("  - presence differs (check the spec's choice):")
                body += [f"    - {n}" for n in i.tally.notes]
        if partial or any(i.tally.notes for i in fam.items):
            body.append("")
    summary.append(f"| **total** | **{covered_items}/{total_items}** | "
                   f"**{covered_checks}/{total_checks}** |")
    lines += summary + [""] + body
    return lines, total_items - covered_items, total_checks - covered_checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=str(Path(__file__).resolve().parent.parent / "spec" /
                                              "messages.yaml"), help="the OpenAPI document to check")
    parser.add_argument("--side", choices=("plain", "beta", "both"), default="both")
    args = parser.parse_args(argv)
    try:
        doc = yaml.safe_load(Path(args.spec).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        print(f"sdk_coverage: cannot read {args.spec}: {exc}", file=sys.stderr)
        return 2
    spec = Spec(doc if isinstance(doc, dict) else {})
    lines = [f"# SDK coverage: anthropic {anthropic.__version__} against {Path(args.spec).name}",
             "", "Items are matched by wire identity: `type` tag values, JSON field names, "
             "literal values. A check is one variant, field or value, nested ones included.", ""]
    missing_items = missing_checks = 0
    sides = [s for s in (PLAIN, BETA) if args.side in ("both", s.name)]
    for side in sides:
        roots = find_roots(spec, side.name == "beta")
        fams = families(side, spec, roots or Roots("none", None, [], None, None, None))
        part, mi, mc = render(side, roots, fams)
        lines += part
        missing_items += mi
        missing_checks += mc
    lines.append(f"**Result: {missing_items} item(s) not fully covered, {missing_checks} "
                 f"check(s) missing.**" if missing_checks else "**Result: everything covered.**")
    print("\n".join(lines))
    return 1 if missing_checks else 0


if __name__ == "__main__":
    sys.exit(main())
