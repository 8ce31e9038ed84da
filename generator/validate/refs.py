"""References: every ``$ref`` resolves (E200) to something other than more refs
(E225), is local once the spec is bundled (E202), and every component is used (W300).

References to other files are resolved when the spec is loaded from its file
(``generator.bundle``, codes E010-E015); what reaches these checks refers
within one document, except in a spec given as text alone (``loader.load_text``).
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterator

from generator.diagnostics import Diagnostic, Location
from generator.loader import Pointer
from generator.validate.document import Document, parse_local_ref, pointer_text
from generator.validate.text import did_you_mean

__all__ = ["check_refs", "check_unused", "collapse_aliases", "has_ref_loop", "mapping_ref"]

# The component kinds whose unused entries are worth a warning.
_KINDS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "headers": "header",
    "requestBodies": "request body",
    "examples": "example",
    "securitySchemes": "security scheme",
}
_ROOT = ("", "")


def check_refs(doc: Document) -> Iterator[Diagnostic]:
    loops = _LoopFinder(doc)
    for ref in doc.refs:
        where = doc.at((*ref.pointer, "$ref"))
        if not ref.target.startswith("#"):
            yield external_ref(ref.target, where)
        elif doc.resolve(ref.target) is None:
            yield Diagnostic(
                "E200", f"`$ref` points at nothing: `{ref.target}`", where,
                hint=_closest(doc, ref.target),
            )
        elif loops(ref.target):
            yield Diagnostic(
                "E225", f"`$ref` leads only to more `$ref`s, in a loop: `{ref.target}`", where,
                hint="one schema in the chain must define something instead of referring on",
            )


def has_ref_loop(doc: Document) -> bool:
    loops = _LoopFinder(doc)
    return any(loops(ref.target) for ref in doc.refs if ref.target.startswith("#"))


class _LoopFinder:
    """Whether following a target from ref to ref comes back to a ref already seen.

    Every target's answer is remembered, and a walk stops at the first target
    whose answer is known, so all refs together cost one step each: a chain of
    thousands of refs is linear, not quadratic.
    """

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._known: dict[str, bool] = {}

    def __call__(self, target: str) -> bool:
        path: list[str] = []
        on_path: set[str] = set()
        while target not in self._known:
            if target in on_path:
                answer = True
                break
            path.append(target)
            on_path.add(target)
            found = self._doc.resolve(target)
            node = found[1] if found is not None else None
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                answer = False
                break
            target = node["$ref"]
        else:
            answer = self._known[target]
        # Every ref on the way leads where the last one does.
        for seen in path:
            self._known[seen] = answer
        return answer


def collapse_aliases(doc: Document) -> dict[str, Any]:
    """``doc.data`` with every ``$ref`` to a bare ``$ref`` pointed at where the chain ends.

    openapi-spec-validator resolves a chain of N such aliases afresh at each
    link (N squared steps; past about 900 links, a RecursionError). Each link
    holds nothing but its ``$ref``, so aiming it at the chain's end changes
    no verdict, and the validator's work becomes linear. Loops and dangling
    refs are left as they are: the reference checks report those.
    """
    loops = _LoopFinder(doc)
    ends: dict[str, str] = {}

    def end(target: str) -> str:
        trail = []
        while target not in ends:
            found = doc.resolve(target)
            node = found[1] if found is not None else None
            if not (isinstance(node, dict) and set(node) == {"$ref"} and isinstance(node["$ref"], str)):
                break
            trail.append(target)
            target = node["$ref"]
        final = ends.get(target, target)
        for seen in trail:
            ends[seen] = final
        return final

    # Copied only along the paths to a ref that changes, each container once.
    copies: dict[int, Any] = {}

    def copy_of(node: Any) -> Any:
        if id(node) not in copies:
            copies[id(node)] = dict(node) if isinstance(node, dict) else list(node)
        return copies[id(node)]

    root = copy_of(doc.data)
    for ref in doc.refs:
        if not ref.target.startswith("#") or loops(ref.target):
            continue
        final = end(ref.target)
        if final == ref.target:
            continue
        node = root
        for part in ref.pointer:
            child = node[part]
            node[part] = node = copy_of(child)
        node["$ref"] = final
    return dict(root)


def external_ref(target: str, where: Location) -> Diagnostic:
    return Diagnostic(
        "E202", f"`$ref` to another document, which is not bundled here: `{target}`", where,
        hint="other files are bundled in when the spec is read from its own file "
        "(`messages-codegen validate path/to/spec.yaml`); a URL is never fetched",
    )


def mapping_ref(target: str) -> str:
    """A discriminator mapping value as a ``$ref``: a bare name means a component schema."""
    if target.startswith("#") or "/" in target:
        return target
    return f"#/components/schemas/{target}"


def _closest(doc: Document, target: str) -> str | None:
    """A did-you-mean for a dangling ref, from the names beside the one it asked for."""
    pointer = parse_local_ref(target)
    if not pointer:
        return None
    found = doc.resolve(pointer_text(pointer[:-1])) if len(pointer) > 1 else ((), doc.data)
    if found is None or not isinstance(found[1], dict):
        return None
    parent = pointer_text(found[0]) if found[0] else "#"
    hint = did_you_mean(pointer[-1], found[1])
    if hint is None:
        return None
    name = hint.split("`")[1]
    return f"did you mean `{parent}/{name.replace('~', '~0').replace('/', '~1')}`?"


def _owner(pointer: Pointer | tuple[str, ...]) -> tuple[str, str]:
    if len(pointer) >= 3 and pointer[0] == "components" and pointer[1] in _KINDS:
        return str(pointer[1]), str(pointer[2])
    # Anything outside the component kinds we track is used by being there.
    return _ROOT


def check_unused(doc: Document) -> Iterator[Diagnostic]:
    components = doc.data.get("components")
    if not isinstance(components, dict):
        return
    edges: dict[tuple[str, str], set[tuple[str, str]]] = {}
    referenced: set[tuple[str, str]] = set()

    def add(source: Pointer | tuple[str, ...], target: tuple[str, ...] | None) -> None:
        if target is None:
            return
        dest = _owner(target)
        if dest != _ROOT:
            edges.setdefault(_owner(source), set()).add(dest)
            referenced.add(dest)

    for ref in doc.refs:
        add(ref.pointer, parse_local_ref(ref.target))
    for pointer, schema in doc.schemas:
        disc = schema.get("discriminator")
        mapping = disc.get("mapping") if isinstance(disc, dict) else None
        if isinstance(mapping, dict):
            for target in mapping.values():
                if isinstance(target, str):
                    add(pointer, parse_local_ref(mapping_ref(target)))
    for pointer, name in doc.security_uses:
        add(pointer, ("components", "securitySchemes", name))

    reached = {_ROOT}
    queue = deque([_ROOT])
    while queue:
        for dest in edges.get(queue.popleft(), ()):
            if dest not in reached:
                reached.add(dest)
                queue.append(dest)

    for kind, label in _KINDS.items():
        entries = components.get(kind)
        if not isinstance(entries, dict):
            continue
        for name in entries:
            if (kind, name) in reached:
                continue
            if (kind, name) in referenced:
                message = f"{label} `{name}` is used only by components that are themselves unused"
            else:
                message = f"{label} `{name}` is never used"
            yield Diagnostic(
                "W300", message, doc.at(("components", kind, name)), severity="warning",
                hint=f"remove it, or refer to it with `$ref: '#/components/{kind}/{name}'`",
            )
