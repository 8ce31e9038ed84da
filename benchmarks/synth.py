"""Synthetic OpenAPI 3.1 specs of a given number of schemas, for the scaling runs.

    python benchmarks/synth.py N OUT.yaml

Schema ``Thing{i}`` is an object with eight properties of the common kinds
(string, integer, number, boolean, an inline string enum, an array of strings,
a free-form object, and, except for every tenth, an optional ``$ref`` to
``Thing{i-1}``), each with a description. Every ten schemas form a group with one path and two operations
(GET returning the group's first schema, POST taking its second and returning
its third), tagged by group, so the operation count grows with the schema
count (N / 5 operations). The output is deterministic for a given N and
depends only on the standard library.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

__all__ = ["synthetic_spec", "write_spec"]


def _schema(i: int) -> dict[str, object]:
    properties: dict[str, object] = {
        "id": {"type": "string", "description": f"Identifier of thing {i}."},
        "name": {"type": "string", "description": "Display name."},
        "count": {"type": "integer", "minimum": 0, "description": "How many there are."},
        "ratio": {"type": "number", "description": "A fraction between 0 and 1."},
        "active": {"type": "boolean", "description": "Whether it is in use."},
        "kind": {
            "type": "string",
            "enum": ["alpha", "beta", "gamma"],
            "description": "Which kind it is.",
        },
        "labels": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Free-form labels.",
        },
        "extra": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Arbitrary string metadata.",
        },
    }
    if i % 10:  # chains stay ten deep: openapi-python-client recurses along $ref chains
        properties["parent"] = {
            "$ref": f"#/components/schemas/Thing{i - 1}",
            "description": "The thing this one derives from.",
        }
    return {
        "type": "object",
        "description": f"Synthetic thing number {i}.",
        "required": ["id", "name"],
        "properties": properties,
    }


def _response(schema: str) -> dict[str, object]:
    return {
        "description": "The thing.",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def synthetic_spec(n: int) -> dict[str, object]:
    schemas = {f"Thing{i}": _schema(i) for i in range(n)}
    paths: dict[str, object] = {}
    groups = max(1, n // 10)
    for g in range(groups):
        first = g * 10
        get_schema = f"Thing{min(first, n - 1)}"
        post_body = f"Thing{min(first + 1, n - 1)}"
        post_result = f"Thing{min(first + 2, n - 1)}"
        paths[f"/v1/group{g}/things/{{thing_id}}"] = {
            "parameters": [
                {
                    "name": "thing_id",
                    "in": "path",
                    "required": True,
                    "description": "Which thing.",
                    "schema": {"type": "string"},
                }
            ],
            "get": {
                "operationId": f"get_group{g}_thing",
                "summary": "Fetch a thing.",
                "description": "Returns one thing.",
                "tags": [f"group{g}"],
                "responses": {"200": _response(get_schema)},
            },
            "post": {
                "operationId": f"update_group{g}_thing",
                "summary": "Update a thing.",
                "description": "Replaces one thing and returns the result.",
                "tags": [f"group{g}"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{post_body}"}
                        }
                    },
                },
                "responses": {"200": _response(post_result)},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Synthetic {n}",
            "version": "1.0.0",
            "description": f"A synthetic API with {n} schemas.",
        },
        "servers": [{"url": "https://example.invalid"}],
        "tags": [{"name": f"group{g}", "description": f"Group {g}."} for g in range(groups)],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def write_spec(n: int, out: Path) -> Path:
    """Write the spec as JSON-flavoured YAML (every YAML 1.2 reader accepts it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(synthetic_spec(n), indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(write_spec(int(sys.argv[1]), Path(sys.argv[2])))
