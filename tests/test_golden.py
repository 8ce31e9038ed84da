"""Golden files: the generated code is compared, byte for byte, with a recorded tree.

Two kinds of record:

- ``generated/`` is the bundled client, regenerated from ``spec/messages.yaml``
  (accept a change with ``messages-codegen generate``);
- ``tests/cases/<feature>/spec.yaml`` beside ``expected/``: one small spec per
  feature, found by one parametrized test, so adding a case is adding a folder
  (accept a change with ``pytest tests/test_golden.py --update-golden``).

A case's ``expected/`` holds everything the generator renders for it, but not
its verbatim copies of the hand-written runtime (``_base_client.py`` and the
like): those are the same in every case, so they are checked against
``generator/runtime/`` instead, and byte for byte in ``generated/``.

Every tree is also held to what the golden files cannot show by themselves: it
imports (each module, warnings as errors), passes ``mypy --strict``, and is
stable (generating twice, or running black over it, changes nothing).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import black
import pytest
import yaml
from click.testing import CliRunner

from generator import fmt
from generator.cli import cli
from generator.diagnostics import SpecError, format_diagnostics
from generator.loader import load_spec
from generator.pipeline import generate, load_api, render_tree
from generator.plan import RUNTIME_MODULES, STREAM_HELPER_MODULE, plan_files
from generator.stubs import RUNTIME_STUBS, STREAM_HELPER_STUB
from generator.writer import CACHE_DIR, PROVENANCE
from tests.tree_support import (
    ROOT,
    case_is_strict,
    compare_report,
    import_tree,
    mypy_trees,
    read_tree,
    write_files,
)

CASES_DIR = ROOT / "tests" / "cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "spec.yaml").is_file())
BUNDLED_SPEC = "spec/messages.yaml"
GENERATED = ROOT / "generated"
RUNTIME_DIR = ROOT / "generator" / "runtime"
RUNTIME_FILES = frozenset(RUNTIME_MODULES) | {STREAM_HELPER_MODULE}
# The tests of how files are written need the package only (it is quicker).
PACKAGE = ("package",)
RUNTIME_STUB_FILES = frozenset(RUNTIME_STUBS) | {STREAM_HELPER_STUB}


def case_spec(case: str) -> str:
    """The spec's path as the header names it (relative to the repository)."""
    return f"tests/cases/{case}/spec.yaml"


def is_runtime_copy(rel: str) -> bool:
    """A verbatim copy of the hand-written runtime, or of its stubs (see test_stubs_docs.py)."""
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == "stubs":
        return parts[2] in RUNTIME_STUB_FILES
    return len(parts) == 2 and parts[1] in RUNTIME_FILES


class Trees:
    """Each spec generated once per session, into its own temporary directory."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.roots: dict[str, Path] = {}
        self.packages: dict[str, str] = {}

    def get(self, name: str) -> Path:
        if name not in self.roots:
            spec = BUNDLED_SPEC if name == "bundled" else case_spec(name)
            out = self.base / name
            result = generate(ROOT / spec, out, display_path=spec, strict=case_is_strict(name))
            self.roots[name] = out
            self.packages[name] = result.api.package
        return self.roots[name]

    def files(self, name: str) -> dict[str, bytes]:
        return read_tree(self.get(name))


@pytest.fixture(scope="session")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Trees:
    return Trees(tmp_path_factory.mktemp("trees"))


# -- the records -------------------------------------------------------------------


def test_bundled_tree_matches_generated(trees: Trees, update_golden: bool) -> None:
    if update_golden:
        generate(ROOT / BUNDLED_SPEC, GENERATED, display_path=BUNDLED_SPEC)
    if not (GENERATED / PROVENANCE).is_file():
        pytest.fail(
            f"generated/ holds no {PROVENANCE}: the bundled client is not committed yet.\n"
            "Create it with `messages-codegen generate` and commit generated/; this test "
            "then guards it."
        )
    report = compare_report(trees.files("bundled"), read_tree(GENERATED), "messages-codegen generate")
    assert not report, report


@pytest.mark.parametrize("case", CASES)
def test_case_matches_expected(case: str, trees: Trees, update_golden: bool) -> None:
    files = {k: v for k, v in trees.files(case).items() if not is_runtime_copy(k)}
    expected_dir = CASES_DIR / case / "expected"
    if update_golden:
        write_files(expected_dir, files)
    accept = f"python -m pytest 'tests/test_golden.py::test_case_matches_expected[{case}]' --update-golden"
    report = compare_report(files, read_tree(expected_dir), accept)
    assert not report, report


@functools.cache
def _formatted_runtime(name: str) -> str:
    return black.format_str((RUNTIME_DIR / name).read_text(encoding="utf-8"), mode=fmt.black_mode())


@pytest.mark.parametrize("case", CASES)
def test_runtime_is_copied_verbatim(case: str, trees: Trees) -> None:
    files = trees.files(case)
    package = trees.packages[case]
    copies = {k.split("/")[1]: v for k, v in files.items() if is_runtime_copy(k) and k.endswith(".py")}
    assert set(RUNTIME_MODULES) <= set(copies)
    for name, data in copies.items():
        body = data.decode("utf-8").split("\n", 2)[2]
        assert body == _formatted_runtime(name), f"{package}/{name}"


# -- what every tree must also be ----------------------------------------------------------

ALL_TREES = ["bundled", *CASES]


@pytest.mark.parametrize("name", ALL_TREES)
def test_tree_imports(name: str, trees: Trees) -> None:
    root = trees.get(name)
    import_tree(root, trees.packages[name])


def test_trees_pass_mypy_strict(trees: Trees, tmp_path: Path) -> None:
    roots = {trees.get(name): trees.packages[name] for name in ALL_TREES}
    report = mypy_trees(roots, tmp_path)
    assert not report, f"mypy --strict found problems in generated code:\n{report}"


_BLACK_CHECKED: dict[tuple[bytes, bool], bool] = {}


def _black_leaves_alone(data: bytes, pyi: bool) -> bool:
    # The two header lines are comments black keeps as they are; the body is
    # what matters, and the runtime copies share theirs across trees.
    body = data.split(b"\n", 2)[2]
    key = (body, pyi)
    if key not in _BLACK_CHECKED:
        text = body.decode("utf-8")
        mode = fmt.black_mode(pyi)
        _BLACK_CHECKED[key] = black.format_str(text, mode=mode) == text
    return _BLACK_CHECKED[key]


@pytest.mark.parametrize("name", ALL_TREES)
def test_tree_is_stable(name: str, trees: Trees) -> None:
    first = trees.files(name)
    spec = BUNDLED_SPEC if name == "bundled" else case_spec(name)
    # Everything is planned and rendered again; black runs again for any file
    # whose rendered text is not exactly what the first run formatted (its
    # header records that text's hash), so equal bytes mean equal rendering.
    # (Determinism across processes: test_output_does_not_depend_on_hash_seed.)
    api, _ = load_api(ROOT / spec, spec, strict=case_is_strict(name))
    again = render_tree(api, first)
    report = compare_report(again, first, "(generation is not deterministic: fix the generator)")
    assert not report, report
    for rel, data in first.items():
        assert b"\r" not in data and (not data or data.endswith(b"\n")), rel
        if rel.endswith((".py", ".pyi")):
            assert _black_leaves_alone(data, rel.endswith(".pyi")), f"black would reformat {rel}"


@pytest.mark.parametrize("name", ALL_TREES)
def test_tree_headers_and_provenance(name: str, trees: Trees) -> None:
    files = trees.files(name)
    spec = BUNDLED_SPEC if name == "bundled" else case_spec(name)
    for rel, data in files.items():
        if rel.endswith((".py", ".pyi")) and data:
            head = data.split(b"\n", 2)
            assert head[0] == f"# Generated by messages-codegen from {spec}. Do not edit by hand.".encode(), rel
            assert head[1].startswith(b"# rendered: "), rel
        assert str(trees.base).encode() not in data, f"{rel} holds an absolute path"
        assert str(ROOT).encode() not in data, f"{rel} holds an absolute path"
    record = json.loads(files[PROVENANCE])
    assert record["spec"] == spec
    assert "date" not in json.dumps(record).lower()


_GENERATE_TWICE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from generator.pipeline import generate
    out = Path(sys.argv[1])
    for spec in sys.argv[2:]:
        generate(Path(spec), out / Path(spec).parent.name, display_path=spec)
    """
)


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    specs = [BUNDLED_SPEC]
    procs = []
    for seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        procs.append(subprocess.Popen(
            [sys.executable, "-c", _GENERATE_TWICE, str(tmp_path / seed), *specs],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    report = compare_report(read_tree(tmp_path / "0"), read_tree(tmp_path / "4242"), "(fix the generator)")
    assert not report, f"output differs between PYTHONHASHSEED=0 and 4242:\n{report}"


# -- writing: nothing touched that need not be ----------------------------------------------

_SMALL = {
    "openapi": "3.1.0",
    "info": {"title": "Small", "version": "1.0"},
    "x-codegen": {"package": "small_client", "client": "SmallClient"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "list_things",
                "tags": ["things"],
                "responses": {
                    "200": {
                        "description": "The things.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "part": {"$ref": "#/components/schemas/Part"}},
            },
            "Part": {"type": "object", "properties": {"size": {"type": "integer"}}},
        }
    },
}


def _write_spec(path: Path, doc: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every generated file's bytes and time (the incremental cache is not output)."""
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.relative_to(out).parts
    }


def test_regenerating_an_up_to_date_tree_touches_nothing(tmp_path: Path) -> None:
    spec = _write_spec(tmp_path / "spec.yaml", _SMALL)
    out = tmp_path / "out"
    generate(spec, out, display_path="spec.yaml")
    before = _snapshot(out)
    result = generate(spec, out, display_path="spec.yaml")
    assert result.written == [] and result.removed == []
    assert _snapshot(out) == before


def test_a_schema_removed_from_the_spec_loses_its_file(tmp_path: Path) -> None:
    spec = _write_spec(tmp_path / "spec.yaml", _SMALL)
    out = tmp_path / "out"
    generate(spec, out, display_path="spec.yaml")
    assert (out / "small_client/types/part.py").is_file()
    smaller = json.loads(json.dumps(_SMALL))
    del smaller["components"]["schemas"]["Part"]
    del smaller["components"]["schemas"]["Thing"]["properties"]["part"]
    before = _snapshot(out)
    result = generate(_write_spec(spec, smaller), out, display_path="spec.yaml")
    # Its module, its stub and its page: each target drops what it no longer makes.
    assert result.removed == [
        "docs/schemas/part.md", "small_client/types/part.py", "stubs/small_client-stubs/types/part.pyi"
    ]
    assert not (out / "small_client/types/part.py").exists()
    after = _snapshot(out)
    # Only the files that mention Part changed; the others kept their bytes and times.
    for rel, (data, mtime) in after.items():
        if rel not in result.written:
            assert before[rel] == (data, mtime), rel
    code = {rel for rel in result.written if not rel.startswith("docs/")}  # pages link to each other
    assert code <= {"small_client/types/__init__.py", "small_client/types/thing.py",
                    "small_client/_client.py", "stubs/small_client-stubs/types/__init__.pyi",
                    "stubs/small_client-stubs/types/thing.pyi", PROVENANCE}


def test_an_invalid_spec_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    spec = _write_spec(tmp_path / "spec.yaml", _SMALL)
    out = tmp_path / "out"
    generate(spec, out, display_path="spec.yaml", targets=PACKAGE)
    before = _snapshot(out)
    broken = json.loads(json.dumps(_SMALL))
    broken["components"]["schemas"]["Thing"]["properties"]["part"] = {"$ref": "#/components/schemas/Nope"}
    with pytest.raises(SpecError) as raised:
        generate(_write_spec(spec, broken), out, display_path="spec.yaml", targets=PACKAGE)
    assert all(d.location.path == "spec.yaml" and d.location.line > 0 for d in raised.value.diagnostics)
    assert _snapshot(out) == before


@pytest.mark.parametrize(
    "template",
    [
        "{{ ctx.no_such_value }}\n",  # StrictUndefined: a misspelled variable raises
        "{% raise %}\n",  # a template that does not even compile
        "class (\n",  # renders, but is not Python: black refuses it
    ],
)
def test_a_failing_template_leaves_the_output_as_it_was(tmp_path: Path, template: str) -> None:
    spec = _write_spec(tmp_path / "spec.yaml", _SMALL)
    out = tmp_path / "out"
    generate(spec, out, display_path="spec.yaml", targets=PACKAGE)
    before = _snapshot(out)
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "model.py.jinja").write_text(template, encoding="utf-8")
    # Touch the spec so every file would be re-rendered.
    changed = json.loads(json.dumps(_SMALL))
    changed["info"]["version"] = "2.0"
    with pytest.raises(Exception):
        generate(_write_spec(spec, changed), out, templates=overrides, display_path="spec.yaml",
                 targets=PACKAGE)
    assert _snapshot(out) == before
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]


# -- the command line -----------------------------------------------------------------------


def test_generate_check_reports_drift_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write_spec(tmp_path / "spec.yaml", _SMALL)
    runner = CliRunner()
    command = ["generate", "--spec", "spec.yaml", "--out", "out"]
    first = runner.invoke(cli, command)
    assert first.exit_code == 0, first.output
    clean = runner.invoke(cli, [*command, "--check"])
    assert clean.exit_code == 0, clean.output
    assert "up to date" in clean.output

    out = tmp_path / "out"
    model = out / "small_client/types/thing.py"
    model.write_text(model.read_text(encoding="utf-8").replace("name: str", "label: str"), encoding="utf-8")
    (out / "small_client/types/part.py").unlink()
    (out / "small_client/types/stray.py").write_text("x = 1\n", encoding="utf-8")
    # An extra file that carries our header is ours: drift.
    (out / "small_client/types/gone.py").write_text(
        "# Generated by messages-codegen from spec.yaml. Do not edit by hand.\n", encoding="utf-8")
    before = _snapshot(out)
    drift = runner.invoke(cli, [*command, "--check"])
    assert drift.exit_code == 1, drift.output
    assert "missing: small_client/types/part.py" in drift.output
    assert "extra: small_client/types/gone.py" in drift.output
    # A user's own file is not drift: generate leaves it alone, so --check says so.
    assert "extra: small_client/types/stray.py" not in drift.output
    assert "not ours, left alone: small_client/types/stray.py" in drift.output
    assert "changed: small_client/types/thing.py" in drift.output
    assert "-    label: str" in drift.output and "+    name: str" in drift.output
    assert "messages-codegen generate" in drift.output
    assert _snapshot(out) == before


def test_template_override_changes_only_that_templates_files(tmp_path: Path) -> None:
    spec = ROOT / case_spec("recursive")
    display = case_spec("recursive")
    plain = tmp_path / "plain"
    generate(spec, plain, display_path=display, targets=PACKAGE)
    overrides = tmp_path / "templates"
    overrides.mkdir()
    original = (ROOT / "templates" / "alias.py.jinja").read_text(encoding="utf-8")
    (overrides / "alias.py.jinja").write_text(
        original.replace("__all__ = ", "# Customised alias template.\n__all__ = "), encoding="utf-8"
    )
    custom = tmp_path / "custom"
    generate(spec, custom, templates=overrides, display_path=display, targets=PACKAGE)
    api, _ = load_api(spec, display)
    from_alias = {f.path for f in plan_files(api) if f.template == "alias.py.jinja"}
    assert from_alias, "the case has no alias module to override"
    a, b = read_tree(plain), read_tree(custom)
    assert set(a) == set(b)
    changed = {rel for rel in a if a[rel] != b[rel]}
    assert changed == from_alias
    for rel in changed:
        assert b"# Customised alias template." in b[rel]


def test_cases_have_no_stray_files() -> None:
    for case in CASES:
        entries = {p.name for p in (CASES_DIR / case).iterdir()}
        # A spec split over files (tests/cases/multi_file) keeps them beside it.
        parts = load_spec(CASES_DIR / case / "spec.yaml").parts
        entries -= {rel.split("/")[0] for rel, _, _ in parts}
        assert entries <= {"spec.yaml", "expected"}, (case, entries)


def test_case_expectations_exist() -> None:
    missing = [c for c in CASES if not (CASES_DIR / c / "expected" / PROVENANCE).is_file()]
    assert not missing, (
        f"cases without a recorded expected/ tree: {missing}; record them with "
        "`python -m pytest tests/test_golden.py --update-golden`"
    )


# -- what the build stage refuses ----------------------------------------------------------------

_ALIAS_CYCLE = """\
openapi: 3.1.0
info:
  title: Alias cycle
  version: "1"
paths: {}
components:
  schemas:
    Json:
      anyOf:
        - type: string
        - type: array
          items:
            $ref: "#/components/schemas/Json"
    Node:
      type: object
      properties:
        children:
          type: array
          items:
            $ref: "#/components/schemas/Node"
"""


def test_a_schema_that_contains_itself_through_no_object_is_refused(tmp_path: Path) -> None:
    # A cycle through an object (Node) is fine; one through lists and unions only
    # cannot be spelled as a Python type alias, and is refused where it is defined.
    spec = tmp_path / "spec.yaml"
    spec.write_text(_ALIAS_CYCLE, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SpecError) as raised:
        generate(spec, out, display_path="spec.yaml")
    assert format_diagnostics(raised.value.diagnostics) == (
        "spec.yaml:8:5: error[E407]: schema `Json` refers to itself only through lists, maps and unions\n"
        "  hint: put an object in the cycle, or describe the recursive part as `{}` (any value)\n"
        "1 error, 0 warnings\n"
    )
    assert not out.exists()


_PARAM_NAME_CLASH = """\
openapi: 3.1.0
info:
  title: Param clash
  version: "1"
paths:
  /a:
    post:
      operationId: do_a
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Req"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Foo"
components:
  schemas:
    Foo:
      type: object
      properties:
        x:
          type: string
    FooParam:
      type: object
      properties:
        y:
          type: integer
    Req:
      type: object
      properties:
        foo:
          $ref: "#/components/schemas/Foo"
        other:
          $ref: "#/components/schemas/FooParam"
"""


def test_a_schema_named_like_another_schemas_request_form_is_refused(tmp_path: Path) -> None:
    # `Foo` is sent and received, so its request form is `FooParam`: the schema
    # already called that would shadow it, and `Req.foo` would take its shape.
    spec = tmp_path / "spec.yaml"
    spec.write_text(_PARAM_NAME_CLASH, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SpecError) as raised:
        generate(spec, out, display_path="spec.yaml")
    assert format_diagnostics(raised.value.diagnostics) == (
        "spec.yaml:29:5: error[E413]: schemas `Foo` and `FooParam` would both generate the Python class "
        "`FooParam`\n"
        "  note: see also spec.yaml:24:5\n"
        "  hint: a schema sent in requests is generated as `<Name>Param`: rename one of the two\n"
        "1 error, 0 warnings\n"
    )
    assert not out.exists()
