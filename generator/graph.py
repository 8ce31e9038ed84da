"""References between named schemas: who refers to whom, and the cycles they make.

Plain functions over the IR, used by the builder (to refuse what cannot be
generated) and by the type writer (to spell a cycle so that it imports).
"""

from __future__ import annotations

from typing import Iterator, Mapping

from generator import ir

__all__ = ["schema_cycles", "schema_refs", "type_refs"]


def schema_cycles(schemas: Mapping[str, ir.Schema]) -> dict[str, int]:
    """The schemas that take part in a reference cycle, each with its cycle's number.

    Schemas in one strongly connected component share a number; a schema that
    refers to nothing that leads back to it is left out.
    """
    graph = {name: sorted(set(schema_refs(s)) & set(schemas)) for name, s in schemas.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: dict[str, int] = {}
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if i < len(edges):
                work.append((node, i + 1))
                nxt = edges[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1 or node in graph[node]:
                    counter += 1
                    result.update((m, counter) for m in members)
    return result


def schema_refs(schema: ir.Schema) -> Iterator[str]:
    """The names of the schemas ``schema`` refers to directly."""
    match schema:
        case ir.ObjectSchema(fields=fields, additional=additional):
            for f in fields:
                yield from type_refs(f.type)
            if additional is not None:
                yield from type_refs(additional)
        case ir.UnionSchema(union=union):
            yield from type_refs(union)
        case ir.AliasSchema(target=target):
            yield from type_refs(target)
        case _:
            pass


def type_refs(t: ir.TypeExpr) -> Iterator[str]:
    match t:
        case ir.Ref(name=name):
            yield name
        case ir.ListOf(item=inner) | ir.MapOf(value=inner) | ir.Nullable(inner=inner):
            yield from type_refs(inner)
        case ir.UnionOf(members=members):
            for m in members:
                yield from type_refs(m.type)
        case _:
            pass
