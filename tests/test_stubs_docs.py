"""The stub package and the Markdown reference: the two targets beside the package.

Black-box: each test generates from a spec (the bundled one, the feature cases,
petstore-expanded, a hostile one) through ``generate`` or the CLI, and looks at
the files. The stubs must mirror the package's public surface, stand alone
(``typing_extensions`` and, optionally, httpx), be black's ``.pyi`` style and
pass ``mypy --strict``; the pages must link only to pages that exist, mention
every operation and schema, and stay well-formed Markdown whatever the spec says.
(``test_typing.py`` checks the bundled stubs against the typing tests.)
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import black
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import fmt, ir
from generator.cli import cli
from generator.docs.markdown import cell, code, fenced, inline, prose
from generator.docs.pages import _black, _black_as_is
from generator.pipeline import generate, load_api, render_tree, target_roots
from generator.stubs import RUNTIME_STUBS, RUNTIME_STUBS_DIR, STREAM_HELPER_STUB
from generator.writer import PROVENANCE
from tests.tree_support import ROOT, case_is_strict, read_tree

CASES_DIR = ROOT / "tests" / "cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "spec.yaml").is_file())
# A public spec nobody on the team wrote (OAI's petstore-expanded example, Apache-2.0), committed.
PETSTORE = ROOT / "tests" / "corpus" / "petstore-expanded.yaml"

HOSTILE = """
openapi: 3.1.0
info:
  title: "Hostile <b>docs</b> | pipes `tick"
  version: "1.0"
  description: "Intro <script>alert(1)</script> and a fence left open:\\n\\n```python\\nprint('x')\\n\\n<!-- never closed"
x-codegen: {package: hostile_docs, client: HostileDocs}
paths:
  /notes/{id}:
    post:
      operationId: create_note
      tags: [notes]
      summary: "Create | a `note` <img src=x onerror=alert(1)> #"
      description: "A | pipe, `code | pipe`, ``` ticks\\n\\n<script>alert('x')</script>\\n\\n```\\nunclosed"
      parameters:
        - name: id
          in: path
          required: true
          description: "a | b\\nc <script> ` lone \\\\"
          schema: {type: string, pattern: "^a|b`c\\\\$"}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
            examples:
              evil:
                summary: "<script>x</script> | `"
                value: {text: "```\\n</code></pre><script>alert(1)</script>", kind: "a|b"}
      responses:
        "200":
          description: "ok | <b>bold</b> *stars*"
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Note:
      description: "Note with `|` and a backslash at the end \\\\"
      type: object
      required: [text, kind]
      properties:
        text: {type: string, description: "ends with a backslash \\\\"}
        kind:
          description: "Pipes | and `ticks` and <tags> and \\u0007 bell"
          type: string
          enum: ["a|b", "c`d", "<script>", "new\\nline", "\\\\", "*x*"]
        choice: {$ref: "#/components/schemas/Choice"}
    Choice:
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
      discriminator:
        propertyName: type
        mapping: {"x|y": "#/components/schemas/A", "b`": "#/components/schemas/B"}
    A:
      type: object
      required: [type]
      properties: {type: {type: string, const: "x|y"}}
    B:
      type: object
      required: [type]
      properties: {type: {type: string, const: "b`"}}
"""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Every spec generated once, all targets: name -> (root, package)."""
    base = tmp_path_factory.mktemp("targets")
    specs = {"bundled": (ROOT / "spec" / "messages.yaml", "spec/messages.yaml")}
    specs.update({c: (CASES_DIR / c / "spec.yaml", f"tests/cases/{c}/spec.yaml") for c in CASES})
    hostile = base / "hostile.yaml"
    hostile.write_text(HOSTILE, encoding="utf-8")
    specs["hostile_docs"] = (hostile, "hostile.yaml")
    out = {}
    for name, (spec, display) in specs.items():
        result = generate(spec, base / name, display_path=display, strict=case_is_strict(name))
        out[name] = (base / name, result.api.package)
    return out


ALL = ["bundled", *CASES, "hostile_docs"]


# -- the stubs -------------------------------------------------------------------------


def _surface(tree: ast.Module) -> dict[str, object]:
    """What a module offers: ``__all__``, and per class its members and method signatures."""
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            found["__all__"] = sorted(ast.literal_eval(node.value))
        if isinstance(node, ast.ClassDef):
            members: dict[str, list[tuple[str, ...]]] = {}
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.setdefault(item.target.id, [])
                elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if item.name == "__init__":
                        # Attributes set in the constructor (the raw-response wrappers).
                        for sub in ast.walk(item):
                            if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) \
                                    and not sub.attr.startswith("_"):
                                members.setdefault(sub.attr, [])
                        continue
                    args = item.args
                    signature = tuple(
                        [f"{a.arg}" for a in args.posonlyargs + args.args]
                        + [f"*{a.arg}={d is not None}" for a, d in zip(args.kwonlyargs, args.kw_defaults)]
                    )
                    members.setdefault(item.name, []).append(signature)
            found[node.name] = {k: sorted(set(v)) for k, v in members.items() if not k.startswith("_")}
    return found


@pytest.mark.parametrize("name", ALL)
def test_stubs_mirror_the_package(name: str, trees: dict[str, tuple[Path, str]]) -> None:
    """Each generated module has a stub with the same names, members and signatures."""
    root, package = trees[name]
    stubs = root / "stubs" / f"{package}-stubs"
    runtime = {p.relative_to(root / package).with_suffix("").as_posix()
               for p in (root / package).rglob("*.py")}
    generated = {p for p in runtime if p.split("/")[-1] in ("__init__", "_client", "_exceptions", "_version")
                 or p.startswith(("types/", "resources/"))}
    stubbed = {p.relative_to(stubs).with_suffix("").as_posix() for p in stubs.rglob("*.pyi")}
    assert generated <= stubbed, f"modules without a stub: {sorted(generated - stubbed)}"
    for module in sorted(generated):
        py = _surface(ast.parse((root / package / f"{module}.py").read_text(encoding="utf-8")))
        pyi = _surface(ast.parse((stubs / f"{module}.pyi").read_text(encoding="utf-8")))
        for key in sorted(set(py) | set(pyi)):
            left, right = py.get(key), pyi.get(key)
            if isinstance(left, dict) and isinstance(right, dict):
                # An attribute holding a function (the raw-response wrappers) is
                # a method in the stub: then only the names are compared.
                right = {k: v if left.get(k) else [] for k, v in right.items()}
            assert left == right, f"{name}: {module}.{key}: package {left!r} != stub {right!r}"


@pytest.mark.parametrize("name", ALL)
def test_runtime_stubs_are_copied_verbatim(name: str, trees: dict[str, tuple[Path, str]]) -> None:
    root, package = trees[name]
    copies = {p.name: p for p in (root / "stubs" / f"{package}-stubs").glob("_*.pyi")
              if (RUNTIME_STUBS_DIR / p.name).is_file()}
    assert set(RUNTIME_STUBS) <= set(copies) <= set(RUNTIME_STUBS) | {STREAM_HELPER_STUB}
    for stub, path in copies.items():
        body = path.read_text(encoding="utf-8").split("\n", 2)[2]
        source = (RUNTIME_STUBS_DIR / stub).read_text(encoding="utf-8")
        assert body == black.format_str(source, mode=fmt.black_mode(pyi=True)), stub


def _class_members(cls: ast.ClassDef, siblings: dict[str, ast.ClassDef]) -> dict[str, object]:
    """Public members of a class (its bases in the same module included): name -> signature or None."""
    out: dict[str, object] = {}
    for base in cls.bases:
        node = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(node, ast.Name) and node.id in siblings:
            out.update(_class_members(siblings[node.id], siblings))
    for item in cls.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            out.setdefault(item.target.id, None)
        elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = item.args
            out[item.name] = tuple(
                [a.arg for a in args.posonlyargs + args.args]
                + [f"*{a.arg}={d is not None}" for a, d in zip(args.kwonlyargs, args.kw_defaults)]
            )
            if item.name == "__init__":
                for sub in ast.walk(item):
                    if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) \
                            and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                        out.setdefault(sub.attr, None)
    return {k: v for k, v in out.items() if not k.startswith("_") or k == "__init__"}


@pytest.mark.parametrize("stub", sorted(p.name for p in RUNTIME_STUBS_DIR.glob("*.pyi")))
def test_runtime_stubs_keep_up_with_the_runtime(stub: str) -> None:
    """Every public class, member and signature of a runtime module is in its stub.

    A stub may say more (``BaseModel``'s pydantic methods, a dataclass's
    constructor), never less or otherwise.
    """
    def classes(path: Path) -> dict[str, ast.ClassDef]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}

    stubbed = classes(RUNTIME_STUBS_DIR / stub)
    runtime = classes(ROOT / "generator" / "runtime" / stub.replace(".pyi", ".py"))
    for name, cls in stubbed.items():
        if name.startswith("_"):
            continue
        assert name in runtime, f"{stub}: {name} is not in the runtime"
        have = _class_members(cls, stubbed)
        for member, signature in _class_members(runtime[name], runtime).items():
            assert member in have, f"{stub}: {name}.{member} is missing"
            if signature is not None and have[member] is not None:
                assert have[member] == signature, f"{stub}: {name}.{member}{signature} != {have[member]}"


def test_stubs_import_nothing_but_typing(trees: dict[str, tuple[Path, str]]) -> None:
    # ``os`` for ``os.PathLike``: a binary upload takes a path.
    allowed = {"typing", "typing_extensions", "functools", "types", "datetime", "httpx", "os"}
    for name in ALL:
        root, package = trees[name]
        for path in (root / "stubs").rglob("*.pyi"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [str(node.module).split(".")[0]]
                else:
                    continue
                assert set(modules) <= allowed, f"{path}: imports {modules}"


def test_stub_package_metadata(trees: dict[str, tuple[Path, str]]) -> None:
    root, package = trees["bundled"]
    text = (root / "stubs" / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "anthropic-messages-stubs"' in text
    assert 'dependencies = ["typing-extensions>=4.10"]' in text
    assert f'"{package}-stubs"' in text
    assert not (root / "stubs" / f"{package}-stubs" / "py.typed").exists()  # complete, not partial


@pytest.mark.parametrize("name", ALL)
def test_stubs_are_black_pyi_with_the_rendered_header(name: str, trees: dict[str, tuple[Path, str]]) -> None:
    root, _ = trees[name]
    for path in sorted((root / "stubs").rglob("*.pyi")):
        text = path.read_text(encoding="utf-8")
        first, second, body = text.split("\n", 2)
        assert first.startswith("# Generated by messages-codegen from "), path
        assert second.startswith("# rendered: "), path
        assert black.format_str(text, mode=fmt.black_mode(pyi=True)) == text, f"black --pyi would change {path}"


def test_stubs_pass_mypy_strict(trees: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    """Every stub package, alone on the path (as the name it stands for), passes ``mypy --strict``."""
    roots = tmp_path / "roots"
    roots.mkdir()
    args = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--python-version", "3.11",
            "--cache-dir", str(tmp_path / "cache")]
    for name in ALL:
        root, package = trees[name]
        (roots / package).symlink_to(root / "stubs" / f"{package}-stubs", target_is_directory=True)
        args += ["-p", package]
    env = dict(_env(), MYPYPATH=str(roots))
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- the docs --------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")
_ALLOWED_HTML = re.compile(r"<(br|code|/code|details markdown=\"1\"|/details|summary|/summary)>")


def _outside_code(text: str) -> str:
    """The page without its fenced blocks and code spans: what Markdown reads as markup."""
    kept, fence = [], None
    for line in text.split("\n"):
        match = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        kept.append(line)
    assert fence is None, "a fenced block is never closed"
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", "\n".join(kept))


def _check_page(rel: str, text: str, files: set[str]) -> None:
    plain = _outside_code(text.split("\n", 1)[1])  # the first line is the generated-by comment
    for tag in re.findall(r"<[A-Za-z!/][^>]*>?", plain):
        assert _ALLOWED_HTML.fullmatch(tag), f"{rel}: raw HTML {tag!r}"
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|( --- \|)+", lines[i + 1]):
            width = lines[i + 1].count("|")
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                assert len(re.findall(r"(?<!\\)\|", row)) == width, f"{rel}: a row breaks its table: {row}"
    for target, _ in _LINK.findall(text):
        if "://" in target:
            continue
        resolved = os.path.normpath(os.path.join(os.path.dirname(rel), target)).replace(os.sep, "/")
        assert resolved in files, f"{rel}: link to a missing page {target}"


@pytest.mark.parametrize("name", ALL)
def test_pages_are_well_formed_and_linked(name: str, trees: dict[str, tuple[Path, str]]) -> None:
    root, _ = trees[name]
    pages = {p.relative_to(root / "docs").as_posix(): p.read_text(encoding="utf-8")
             for p in (root / "docs").rglob("*.md")}
    assert "index.md" in pages and "schemas.md" in pages
    for rel, text in pages.items():
        assert text.startswith("<!-- Generated by messages-codegen from "), rel
        _check_page(rel, text, set(pages))


def test_pages_mention_every_operation_method_and_schema(trees: dict[str, tuple[Path, str]]) -> None:
    api, _ = load_api(ROOT / "spec" / "messages.yaml", "spec/messages.yaml")
    root, _ = trees["bundled"]
    index = (root / "docs" / "index.md").read_text(encoding="utf-8")
    page = (root / "docs" / "operations" / "messages_create.md").read_text(encoding="utf-8")
    for heading in ("## Methods", "## Request body", "## Responses", "## Streaming", "## Errors",
                    "## Examples", "```mermaid\nclassDiagram", "### `ContentBlock`: one of, by `type`",
                    "#### `type: \"text\"` → [`TextBlock`]", "| `529` | `OverloadedError` |"):
        assert heading in page, heading
    # The beta form declares its own body and reply types, so it has a page of its own.
    beta = (root / "docs" / "operations" / "beta_messages_create.md").read_text(encoding="utf-8")
    for heading in ("`client.beta.messages.create`", "| `anthropic-beta`<br>Python: `betas` | header |",
                    "### `BetaContentBlock`: one of, by `type`"):
        assert heading in beta, heading
    assert "Message --> \"*\" ContentBlock : content" in page
    # The operation draws the result one level deep; schemas.md draws each union's variants.
    assert "ContentBlock <|-- TextBlock : text" not in page
    overview = (root / "docs" / "schemas.md").read_text(encoding="utf-8")
    assert "ContentBlock <|-- TextBlock : text" in overview
    for schema in api.schemas:
        assert f"[`{schema.name}`]" in index, schema.name
    for op in api.operations:
        op_page = (root / "docs" / "operations" / f"{op.operation_id}.md").read_text(encoding="utf-8")
        for example in op.request_examples:
            assert f"### Request `{example.name}`" in op_page
    for retried in ("| `429` | `RateLimitError` | `rate_limit_error` | **Retried.** ",
                    "| `500` | `InternalServerError` | `api_error` | **Retried.** ",
                    "| `400` | `BadRequestError` | `invalid_request_error` | Not retried. "):
        assert retried in page, retried


def test_hostile_text_is_escaped(trees: dict[str, tuple[Path, str]]) -> None:
    root, _ = trees["hostile_docs"]
    page = (root / "docs" / "operations" / "create_note.md").read_text(encoding="utf-8")
    assert "# Create \\| a `note` &lt;img" not in page  # a heading is not a table cell
    assert "# Create | a `note` &lt;img src=x onerror=alert(1)> \\#" in page
    assert "&lt;script>alert('x')&lt;/script>" in page
    assert "pattern <code>&#94;a&#124;b&#96;c&#92;&#36;</code>" in page
    assert "| a \\| b c &lt;script> \\` lone \\\\ |" in page
    note = (root / "docs" / "schemas" / "note.md").read_text(encoding="utf-8")
    assert "\\x07 bell" in note


def test_escaping_helpers() -> None:
    assert cell("a | b\n\nnext `x|y` `ok`") == "a \\| b<br><br>next <code>x&#124;y</code> `ok`"
    assert cell("<script>") == "&lt;script>"
    assert cell("trailing \\") == "trailing \\\\"
    assert inline("one\ntwo `code` and a ` lone tick") == "one two `code` and a \\` lone tick"
    assert code("plain") == "`plain`"
    assert code("a`b") == "<code>a&#96;b</code>"
    assert prose("```\nopen fence") == "```\nopen fence\n```"
    assert prose("<!-- comment") == "&lt;!-- comment"
    assert prose("keep `<b>` code") == "keep `<b>` code"
    assert fenced("has ``` inside", "text") == "````text\nhas ``` inside\n````"


_MARKDOWNISH = st.text(
    alphabet=st.one_of(st.sampled_from(list("ab |`<>\\\n*_#-~[]()!&;")), st.characters()), max_size=40
)


def _code_spans_removed(text: str) -> str:
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", text)


@settings(max_examples=300, deadline=None)
@given(text=_MARKDOWNISH)
def test_a_cell_never_breaks_its_row(text: str) -> None:
    out = cell(text)
    assert "\n" not in out
    for match in re.finditer(r"\|", out):
        backslashes = len(out[: match.start()]) - len(out[: match.start()].rstrip("\\"))
        assert backslashes % 2 == 1, f"an unescaped pipe in {out!r}"
    for tag in re.findall(r"<[^>]*>?", _code_spans_removed(out)):
        assert _ALLOWED_HTML.fullmatch(tag), f"raw HTML {tag!r} in {out!r}"
    assert "|" not in code(text) and "\n" not in code(text)


@settings(max_examples=300, deadline=None)
@given(text=_MARKDOWNISH)
def test_prose_closes_what_it_opens(text: str) -> None:
    out = prose(text)
    plain = _outside_code(out)  # fails if a fence is left open
    for tag in re.findall(r"<[A-Za-z!/?][^>]*>?", plain):
        assert _ALLOWED_HTML.fullmatch(tag), f"raw HTML {tag!r} in {out!r}"


@pytest.mark.parametrize("args", ["", "model=..., max_tokens=...", ", ".join(f"argument_{i}=..." for i in range(9))])
@pytest.mark.parametrize("body", [
    "{call}\n",
    "message = {call}\nprint(message)\n",
    "stream = {call}\nfor event in stream:\n    print(event)\n",
])
def test_examples_skip_black_only_where_black_would_change_nothing(args: str, body: str) -> None:
    call = f"client.messages.create({args})"
    source = f"from anthropic_messages import Anthropic\n\nclient = Anthropic()\n{body.format(call=call)}"
    formatted = black.format_str(source, mode=black.Mode(line_length=88))
    assert _black(source) == formatted
    if _black_as_is(source):
        assert formatted == source


# -- targets, commands and petstore ---------------------------------------------------------


def test_target_roots() -> None:
    assert target_roots(("package", "stubs", "docs")) == {"package": "", "stubs": "stubs/", "docs": "docs/"}
    assert target_roots(("docs",)) == {"docs": ""}
    assert target_roots(("stubs", "docs")) == {"stubs": "stubs/", "docs": "docs/"}


def test_one_target_alone_renders_only_itself() -> None:
    api, _ = load_api(CASES_DIR / "enums" / "spec.yaml", "tests/cases/enums/spec.yaml")
    docs = render_tree(api, {}, targets=("docs",))
    assert "index.md" in docs and not any(p.endswith((".py", ".pyi")) for p in docs)
    assert json.loads(docs[PROVENANCE])["targets"] == {"docs": "."}


def test_petstore_stubs_and_docs_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    stubs_out, docs_out = tmp_path / "stubs", tmp_path / "docs"
    for command, out in (("stubs", stubs_out), ("docs", docs_out)):
        result = runner.invoke(cli, [command, "--spec", str(PETSTORE), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert (out / PROVENANCE).is_file()
        again = runner.invoke(cli, [command, "--spec", str(PETSTORE), "--out", str(out), "--check"])
        assert again.exit_code == 0 and "up to date" in again.output, again.output
    # The stubs: alone, under the name they stand for, mypy --strict is satisfied.
    package = next(p.name[: -len("-stubs")] for p in stubs_out.iterdir() if p.name.endswith("-stubs"))
    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / package).symlink_to(stubs_out / f"{package}-stubs", target_is_directory=True)
    usage = tmp_path / "use.py"
    usage.write_text(
        f"from typing_extensions import assert_type\nfrom {package} import SwaggerPetstore\n"
        f"from {package}.types import Pet\n\n"
        "client = SwaggerPetstore(api_key='k')\n"
        "assert_type(client.default.find_pet_by_id(id=1), Pet)\n"
        "client.default.add_pet(name=3)  # type: ignore[arg-type]\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", "--no-error-summary",
         "--cache-dir", str(tmp_path / "cache"), "-p", package, "-m", "use"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env=dict(_env(), MYPYPATH=os.pathsep.join([str(roots), str(tmp_path)])),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The docs: every operation and every schema has its page and its place in the index.
    pages = read_tree(docs_out)
    index = pages["index.md"].decode()
    for op_id, method in (("findPets", "find_pets"), ("addPet", "add_pet"),
                          ("find pet by id", "find_pet_by_id"), ("deletePet", "delete_pet")):
        assert f"`client.default.{method}`" in index, method
    assert {"operations/find_pets.md", "operations/add_pet.md", "operations/find_pet_by_id.md",
            "operations/delete_pet.md"} <= set(pages)
    # A schema's page is named after its Python module (NewPet is only sent: NewPetParam).
    for schema, page in (("Pet", "pet"), ("NewPet", "new_pet_param"), ("Error", "error")):
        assert f"[`{schema}`](schemas/{page}.md)" in index
        assert f"# `{schema}`" in pages[f"schemas/{page}.md"].decode()
    for rel, data in pages.items():
        if rel.endswith(".md"):
            _check_page(rel, data.decode(), set(pages))


def test_a_target_is_never_written_over_another(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(cli, ["docs", "--spec", str(PETSTORE), "--out", str(out)]).exit_code == 0
    before = read_tree(out)
    refused = runner.invoke(cli, ["stubs", "--spec", str(PETSTORE), "--out", str(out)])
    assert refused.exit_code == 2 and "refusing" in refused.output, refused.output
    assert read_tree(out) == before


def test_pages_read_at_a_page_width(trees: dict[str, tuple[Path, str]]) -> None:
    """At most four columns a table, no diagram past the size limit, long examples folded."""
    from generator.docs.site import DIAGRAM_LIMIT

    root, _ = trees["bundled"]
    pages = {p.relative_to(root / "docs").as_posix(): p.read_text(encoding="utf-8")
             for p in (root / "docs").rglob("*.md")}
    for rel, text in pages.items():
        for line in text.splitlines():
            if line.startswith("|") and not line.startswith("| ---"):
                cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
                assert len(cells) <= 4, f"{rel}: {len(cells)} columns: {line[:80]}"
        for diagram in re.findall(r"```mermaid\n(.*?)```", text, re.S):
            assert diagram.count("\n    class ") <= DIAGRAM_LIMIT, rel
    page = pages["operations/messages_create.md"]
    # Required fields carry a badge; a field named the same in Python shows its name once.
    api, _ = load_api(ROOT / "spec" / "messages.yaml")
    (op,) = [o for o in api.operations if o.operation_id == "messages_create"]
    for f in op.body_fields:
        badge = "<br>**required**" if f.required else ""
        if f.py_name == f.name:
            assert f"\n| `{f.name}`{badge} | " in page, f.name
            assert f"Python: `{f.py_name}`" not in page
        else:
            assert f"\n| `{f.name}`<br>Python: `{f.py_name}`{badge} | " in page, f.name
    examples = page.split("## Examples", 1)[1]
    folded = examples.count('<details markdown="1">')
    assert folded and folded == examples.count("</details>")
    assert "schemas.md" in pages and "classDiagram" in pages["schemas.md"]
    # No diagram of every type at once: one per union, each with its variants.
    unions = sum(isinstance(schema, ir.UnionSchema) for schema in api.schemas)
    assert pages["schemas.md"].count("```mermaid") == pages["schemas.md"].count("\n### `") == unions
