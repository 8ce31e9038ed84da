"""A variant's own ``x-response`` reaches the items of its pages and the lines of its downloads.

A list's page schema and a JSON Lines download's line schema are both "the
reply" of their operation, so a variant that names its own reply type must get
its own item type too, not the plain operation's.
"""

from __future__ import annotations

from generator import ir
from generator.build import build_api
from generator.loader import load_text

SPEC = """\
openapi: 3.1.0
info: {title: Things, version: "1.0", description: Things and their beta form.}
servers: [{url: "https://api.example.com"}]
paths:
  /things:
    get:
      operationId: things_list
      x-resource: things
      x-method: list
      summary: List things.
      description: A page of things.
      x-pagination: {}
      x-variants:
        - resource: beta.things
          method: list
          query: {beta: true}
          x-response: {$ref: '#/components/schemas/BetaThingPage'}
      parameters:
        - {name: beta, in: query, required: false, description: Beta flag., schema: {type: boolean}}
        - {name: after_id, in: query, required: false, description: Cursor., schema: {type: string}}
        - {name: before_id, in: query, required: false, description: Cursor., schema: {type: string}}
      responses:
        '200':
          description: One page.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ThingPage'}
  /things/export:
    get:
      operationId: things_export
      x-resource: things
      x-method: export
      summary: Export things.
      description: One thing a line.
      x-variants:
        - resource: beta.things
          method: export
          query: {beta: true}
          x-response: {$ref: '#/components/schemas/BetaThing'}
      parameters:
        - {name: beta, in: query, required: false, description: Beta flag., schema: {type: boolean}}
      responses:
        '200':
          description: The export.
          content:
            application/x-jsonl:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      description: A thing.
      required: [id]
      properties: {id: {type: string, description: Its id.}}
    BetaThing:
      type: object
      description: A beta thing.
      required: [id]
      properties:
        id: {type: string, description: Its id.}
        extra: {type: string, description: A beta-only field.}
    ThingPage:
      type: object
      description: A page of things.
      required: [data, has_more, first_id, last_id]
      properties:
        data: {type: array, description: The things., items: {$ref: '#/components/schemas/Thing'}}
        has_more: {type: boolean, description: More follow.}
        first_id: {type: [string, 'null'], description: First id.}
        last_id: {type: [string, 'null'], description: Last id.}
    BetaThingPage:
      type: object
      description: A page of beta things.
      required: [data, has_more, first_id, last_id]
      properties:
        data: {type: array, description: The things., items: {$ref: '#/components/schemas/BetaThing'}}
        has_more: {type: boolean, description: More follow.}
        first_id: {type: [string, 'null'], description: First id.}
        last_id: {type: [string, 'null'], description: Last id.}
"""


def _operations() -> dict[tuple[str, ...], ir.Operation]:
    api = build_api(load_text(SPEC, "things.yaml"))
    return {(*op.bindings[0].resource, op.bindings[0].name): op for op in api.operations}


def test_a_variant_page_yields_the_variant_item_type() -> None:
    ops = _operations()
    plain, beta = ops[("things", "list")], ops[("beta", "things", "list")]
    assert plain.pagination is not None and beta.pagination is not None
    assert plain.result == ir.Ref("ThingPage") and plain.pagination.item_type == ir.Ref("Thing")
    assert beta.result == ir.Ref("BetaThingPage")
    assert beta.pagination.item_type == ir.Ref("BetaThing")
    assert beta.pagination.after == plain.pagination.after == "after_id"


def test_a_variant_download_yields_the_variant_line_type() -> None:
    ops = _operations()
    plain, beta = ops[("things", "export")], ops[("beta", "things", "export")]
    assert plain.lines == ir.Ref("Thing")
    assert beta.lines == ir.Ref("BetaThing")
    # a download has no JSON reply: x-response must not invent one
    assert beta.result is None and plain.result is None
