"""Specs split over files: bundled at load time, located in their own files, watched as inputs.

The feature itself is the golden case ``tests/cases/multi_file``; its refusals
are ``tests/validate_cases/ref_*.yaml``. These tests cover what a golden tree
cannot show: where diagnostics of the later stages point, that an edit of
one referenced file reaches ``generate`` and ``--check``, and that the output
does not depend on how the spec was named.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.diagnostics import SpecError
from generator.loader import load_spec
from generator.pipeline import generate
from generator.writer import read_tree

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "tests" / "cases" / "multi_file"
SHORTCUT = "unchanged since the last run"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the multi-file case under ``api/``."""
    shutil.copytree(CASE, tmp_path / "api", ignore=shutil.ignore_patterns("expected"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_of_only_a_referenced_file_is_noticed(project: Path) -> None:
    command = ("generate", "--spec", "api/spec.yaml", "--out", "out")
    assert _run(*command)[0] == 0
    code, output = _run(*command, "--check")
    assert code == 0 and SHORTCUT in output
    _edit(project / "api" / "components" / "schemas" / "Team.yaml", "A team of users.", "A squad.")
    code, output = _run(*command, "--check")
    assert code == 1 and SHORTCUT not in output
    assert '+    """A squad."""' in output
    code, output = _run(*command)
    assert code == 0 and SHORTCUT not in output
    assert "A squad." in (project / "out" / "multi_file_client" / "types" / "team.py").read_text(
        encoding="utf-8")
    assert SHORTCUT in _run(*command)[1]


def test_a_referenced_file_removed_is_a_located_error_not_a_stale_shortcut(project: Path) -> None:
    command = ("generate", "--spec", "api/spec.yaml", "--out", "out")
    assert _run(*command)[0] == 0
    before = read_tree(project / "out")
    (project / "api" / "components" / "parameters" / "limit.yaml").unlink()
    code, output = _run(*command, "--check")
    assert code == 1 and SHORTCUT not in output
    assert ("api/paths/teams.yaml:6:7: error[E011]: `$ref` names "
            "`api/components/parameters/limit.yaml`, which cannot be read: no such file") in output
    assert read_tree(project / "out") == before


def test_generate_locates_what_it_refuses_in_the_file_it_is_in(project: Path) -> None:
    # `not` is valid OpenAPI the generator cannot express (E401): a build-stage refusal.
    _edit(project / "api" / "components" / "schemas" / "User.yaml", "  name:\n    type: string\n",
          "  name:\n    type: string\n    not:\n      const: root\n")
    with pytest.raises(SpecError) as raised:
        generate(Path("api/spec.yaml"), project / "out", display_path="api/spec.yaml")
    places = {(d.code, str(d.location)) for d in raised.value.diagnostics}
    assert ("E401", "api/components/schemas/User.yaml:9:5") in places, places
    assert not (project / "out").exists()


def test_the_output_does_not_depend_on_how_the_spec_is_named(project: Path) -> None:
    generate(Path("api/spec.yaml"), project / "a", display_path="api/spec.yaml", source="api/spec.yaml")
    generate((project / "api" / "spec.yaml").resolve(), project / "b", display_path="api/spec.yaml",
             source="api/spec.yaml")
    a, b = read_tree(project / "a"), read_tree(project / "b")
    assert a == b
    assert not any(str(project).encode() in data for data in a.values())


def test_names_of_objects_from_other_files(project: Path) -> None:
    spec = load_spec(project / "api" / "spec.yaml", "api/spec.yaml")
    components = spec.data["components"]
    # The root's own listing, the key in a file of several, the file's stem:
    assert sorted(components["schemas"]) == ["Cat", "Dog", "Error", "Pet", "Team", "User"]
    assert sorted(components["responses"]) == ["NotFound"]
    assert sorted(components["parameters"]) == ["limit"]
    assert spec.data["paths"]["/teams"]["get"]["parameters"] == [
        {"$ref": "#/components/parameters/limit"}]
    mapping = components["schemas"]["Pet"]["discriminator"]["mapping"]
    assert mapping == {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
    # Each part is located in its own file; the key that names it, where it is written.
    assert str(spec.at("components", "schemas", "User")) == "api/spec.yaml:20:5"
    assert str(spec.at("components", "schemas", "User", "properties", "team")) == \
        "api/components/schemas/User.yaml:9:3"
    assert str(spec.at("components", "schemas", "Cat")) == "api/components/schemas/pets.yaml:11:1"
    assert str(spec.at("paths", "/teams")) == "api/spec.yaml:15:3"
    assert str(spec.at("paths", "/teams", "post", "requestBody")) == "api/paths/teams.yaml:26:3"
    assert str(spec.at("components", "schemas", "Error", "required", 0)) == \
        "api/components/common.json:6:22"


def test_a_name_taken_twice_is_renamed_in_the_order_of_the_files(tmp_path: Path) -> None:
    for folder, field in (("a", "code"), ("b", "reason")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "errors.yaml").write_text(
            f"Error:\n  type: object\n  properties:\n    {field}:\n      type: string\n",
            encoding="utf-8")
    spec = (
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Both:\n      type: object\n      properties:\n"
        "        second: {$ref: 'b/errors.yaml#/Error'}\n        first: {$ref: 'a/errors.yaml#/Error'}\n"
    )
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    loaded = load_spec(tmp_path / "spec.yaml", "spec.yaml")
    schemas = loaded.data["components"]["schemas"]
    assert schemas["Error"]["properties"] == {"code": {"type": "string"}}
    assert schemas["Error2"]["properties"] == {"reason": {"type": "string"}}
    assert [(d.code, str(d.location)) for d in loaded.findings] == [("W310", "b/errors.yaml:1:1")]


def test_a_path_item_merged_with_its_siblings_is_located_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "item.yaml").write_text(
        "get:\n  operationId: ping\n  responses:\n    '204': {description: Pong.}\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /ping:\n"
        "    $ref: item.yaml\n    summary: Health.\n", encoding="utf-8")
    spec = load_spec(tmp_path / "spec.yaml", "spec.yaml")
    assert set(spec.data["paths"]["/ping"]) == {"get", "summary"}
    assert str(spec.at("paths", "/ping", "summary")) == "spec.yaml:6:5"
    assert str(spec.at("paths", "/ping", "get", "operationId")) == "item.yaml:2:3"


def test_a_spec_in_one_file_is_loaded_as_it_was(tmp_path: Path) -> None:
    spec = load_spec(ROOT / "spec" / "messages.yaml", "spec/messages.yaml")
    assert spec.parts == ()
    assert spec.text_of("spec/messages.yaml") == spec.raw


def test_diff_reads_the_files_of_a_spec_at_a_git_revision(project: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True, cwd=project)
    subprocess.run([*git, "add", "api"], check=True, cwd=project)
    subprocess.run([*git, "commit", "-qm", "spec"], check=True, cwd=project)
    _edit(project / "api" / "components" / "schemas" / "User.yaml", "  name:\n", "  full_name:\n")
    _, output = _run("diff", "git:HEAD:api/spec.yaml", "api/spec.yaml")
    assert "[field.removed] User.name" in output, output
    assert "at:     HEAD:api/components/schemas/User.yaml:7:3 -> api/components/schemas/User.yaml:4:1" \
        in output


def test_an_operation_or_a_description_written_as_a_ref_is_put_in_place(tmp_path: Path) -> None:
    # Not OpenAPI, but how DigitalOcean splits its spec (`get: {$ref: ...}`).
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "get_a.yaml").write_text(
        "operationId: get_a\nresponses:\n  '200':\n    description: A.\n"
        "    content:\n      application/json:\n        schema: {$ref: ../models/a.yaml}\n",
        encoding="utf-8")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.yaml").write_text(
        "type: object\nproperties:\n  id: {type: string}\n", encoding="utf-8")
    (tmp_path / "texts.yaml").write_text("intro: Everything about A.\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://a.example'}]\n"
        "tags:\n  - name: a\n    description: {$ref: 'texts.yaml#/intro'}\n"
        "paths:\n  /a:\n    get: {$ref: ops/get_a.yaml}\n", encoding="utf-8")
    spec = load_spec(tmp_path / "spec.yaml", "spec.yaml")
    assert spec.data["tags"][0]["description"] == "Everything about A."
    assert spec.data["paths"]["/a"]["get"]["operationId"] == "get_a"
    assert str(spec.at("paths", "/a", "get", "responses")) == "ops/get_a.yaml:2:1"
    assert str(spec.at("components", "schemas", "a", "properties", "id")) == "models/a.yaml:3:3"
    result = generate(tmp_path / "spec.yaml", tmp_path / "out", display_path="spec.yaml")
    assert [op.operation_id for op in result.api.operations] == ["get_a"]
