"""Specs nobody on the team wrote: the two OpenAPI 3.0 petstores of the OpenAPI examples.

They are committed under ``tests/corpus/`` (see its README for their source and
licence), so the suite needs nothing outside the repository. Each must generate a package that imports, type-checks, has a method
for every operation and a type for every schema -- and whose client works
against a real HTTP server speaking the petstore's protocol.
"""

from __future__ import annotations

import inspect
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.loader import load_spec
from generator.naming import class_name
from generator.pipeline import generate
from tests.tree_support import ROOT, import_tree, imported, mypy_trees

SPECS_DIR = ROOT / "tests" / "corpus"
PETSTORES = ["petstore.yaml", "petstore-expanded.yaml"]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _generate(tmp: Path, name: str) -> Path:
    out = tmp / name.removesuffix(".yaml")
    # Shown by file name only: no absolute path reaches the output.
    generate(SPECS_DIR / name, out, display_path=name)
    return out


@pytest.fixture(scope="module")
def petstores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("petstores")
    return {name: _generate(base, name) for name in PETSTORES}


def _public_methods(resource: object) -> set[str]:
    return {
        name for name, value in inspect.getmembers(type(resource), inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("name", PETSTORES)
def test_every_operation_is_a_method_and_every_schema_a_type(name: str, petstores: dict[str, Path]) -> None:
    spec = load_spec(SPECS_DIR / name, name).data
    operations = [
        (path, method) for path, item in spec["paths"].items() for method in HTTP_METHODS
        if method in item
    ]
    with imported(petstores[name], "swagger_petstore") as package:
        client = package.SwaggerPetstore(base_url="http://127.0.0.1:9")
        try:
            resources = [getattr(client, attr) for attr, value in inspect.getmembers(
                type(client)) if isinstance(value, property) or hasattr(value, "func")]
            resources = [r for r in resources if hasattr(r, "with_raw_response")]
            methods = set().union(*(_public_methods(r) for r in resources)) - {"with_raw_response"}
        finally:
            client.close()
        assert len(methods) == len(operations), (methods, operations)
        exported = set(package.types.__all__)
        for schema in spec["components"]["schemas"]:
            base = class_name(schema)
            assert {base, f"{base}Param"} & exported, f"schema {schema} has no type"


@pytest.mark.parametrize("name", PETSTORES)
def test_petstore_imports(name: str, petstores: dict[str, Path]) -> None:
    import_tree(petstores[name], "swagger_petstore")


def test_petstores_pass_mypy_strict(petstores: dict[str, Path], tmp_path: Path) -> None:
    # Both trees hold a package of the same name: one mypy run each.
    for name, root in petstores.items():
        report = mypy_trees({root: "swagger_petstore"}, tmp_path / name.removesuffix(".yaml"))
        assert not report, f"{name}:\n{report}"


# -- a real server ---------------------------------------------------------------------------


class PetStore(ThreadingHTTPServer):
    """The petstore-expanded protocol, in memory: /pets and /pets/{id}."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _PetHandler)
        self.pets: dict[int, dict[str, Any]] = {
            1: {"id": 1, "name": "Rex", "tag": "dog"},
            2: {"id": 2, "name": "Tom", "tag": "cat"},
            3: {"id": 3, "name": "Nemo"},
        }
        self.seen: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _PetHandler(BaseHTTPRequestHandler):
    server: PetStore

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: object = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.seen.append((method, url.path, query, dict(self.headers)))
        pets = self.server.pets
        parts = url.path.strip("/").split("/")
        if parts[0] not in ("pets", "v1") or (parts[0] == "v1" and parts[1:2] != ["pets"]):
            return self._reply(404, {"code": 404, "message": "no such path"})
        parts = parts[1:] if parts[0] == "v1" else parts
        if parts == ["pets"] and method == "GET":
            found = list(pets.values())
            if "tags" in query:
                found = [p for p in found if p.get("tag") in query["tags"]]
            return self._reply(200, found[: int(query.get("limit", ["100"])[0])])
        if parts == ["pets"] and method == "POST":
            pet = {"id": max(pets) + 1, **body}
            pets[pet["id"]] = pet
            return self._reply(200, pet)
        if len(parts) == 2 and parts[0] == "pets":
            key = int(parts[1]) if parts[1].isdigit() else -1
            if key not in pets:
                return self._reply(404, {"code": 404, "message": f"no pet {parts[1]}"})
            if method == "GET":
                return self._reply(200, pets[key])
            if method == "DELETE":
                del pets[key]
                return self._reply(204)
        return self._reply(405, {"code": 405, "message": "not allowed"})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


@pytest.fixture
def pet_server() -> Iterator[PetStore]:
    server = PetStore()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_expanded_petstore_client_against_a_server(petstores: dict[str, Path], pet_server: PetStore) -> None:
    with imported(petstores["petstore-expanded.yaml"], "swagger_petstore") as package:
        with package.SwaggerPetstore(base_url=pet_server.url, max_retries=0) as client:
            pets = client.default.find_pets(tags=["dog", "cat"], limit=5)
            assert [(p.id, p.name, p.tag) for p in pets] == [(1, "Rex", "dog"), (2, "Tom", "cat")]
            assert all(isinstance(p, package.types.Pet) for p in pets)
            method, path, query, headers = pet_server.seen[-1]
            assert (method, path, query) == ("GET", "/pets", {"tags": ["dog", "cat"], "limit": ["5"]})
            assert "x-api-key" not in {h.lower() for h in headers}

            created = client.default.add_pet(name="Bubbles", tag="fish")
            assert isinstance(created, package.types.Pet)
            assert (created.id, created.name, created.tag) == (4, "Bubbles", "fish")

            one = client.default.find_pet_by_id(id=4)
            assert one == created
            assert pet_server.seen[-1][1] == "/pets/4"

            assert client.default.delete_pet(id=4) is None
            assert 4 not in pet_server.pets

            with pytest.raises(package.APIStatusError) as raised:
                client.default.find_pet_by_id(id=99)
            assert raised.value.status_code == 404


def test_petstore_client_against_a_server(petstores: dict[str, Path], pet_server: PetStore) -> None:
    with imported(petstores["petstore.yaml"], "swagger_petstore") as package:
        with package.SwaggerPetstore(base_url=pet_server.url + "/v1", max_retries=0) as client:
            pets = client.pets.list_pets(limit=2)
            assert [p.name for p in pets] == ["Rex", "Tom"]
            assert pet_server.seen[-1][:3] == ("GET", "/v1/pets", {"limit": ["2"]})
            pet = client.pets.show_pet_by_id(pet_id="3")
            assert isinstance(pet, package.types.Pet) and pet.tag is None and pet.name == "Nemo"
