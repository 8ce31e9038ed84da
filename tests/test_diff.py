"""`messages-codegen diff`: crafted spec pairs, a real Stripe pair, and the command line.

Each folder under tests/diff_cases/ holds old.yaml, new.yaml and expected.json
(every change's rule, path, direction, impact, bump and Python wording, plus the
suggested bump). Adding a case is adding a folder; `pytest --update-golden`
rewrites expected.json from what the diff reports now.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build_api
from generator.cli import cli
from generator.diff import RULES, DiffReport, diff_specs, normalize, render
from generator.diff.compare import _reach
from generator.diff.python import component_names
from generator.loader import load_spec, load_text
from generator.typemap import schema_names

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "diff_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "old.yaml").is_file())
EVOLUTION = CASES / "messages_evolution"
# Too large to commit (4 MB each): the team's shared data beside the clone, when present.
STRIPE_OLD = ROOT.parent / "shared" / "specs" / "stripe-2023-08-23.yaml"
STRIPE_NEW = ROOT.parent / "shared" / "specs" / "stripe-2023-09-12.yaml"
_KEYS = ("rule", "path", "direction", "impact", "bump", "python")


def diff_case(name: str) -> DiffReport:
    folder = CASES / name
    return diff_specs(load_spec(folder / "old.yaml", "old.yaml"), load_spec(folder / "new.yaml", "new.yaml"))


def summary(report: DiffReport) -> dict[str, Any]:
    return {
        "bump": report.bump,
        "changes": [{k: getattr(c, k) for k in _KEYS} for c in report.changes],
    }


# -- crafted pairs -------------------------------------------------------------------------


def test_there_are_enough_cases() -> None:
    assert len(CASE_NAMES) >= 20


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, update_golden: bool) -> None:
    actual = summary(diff_case(name))
    expected_file = CASES / name / "expected.json"
    if update_golden:
        expected_file.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected, f"run `pytest tests/test_diff.py --update-golden` to accept ({name})"


def test_every_rule_has_a_case() -> None:
    seen = set()
    for name in CASE_NAMES:
        expected = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
        seen |= {change["rule"] for change in expected["changes"]}
    assert sorted(set(RULES) - seen) == []


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_invariants(name: str) -> None:
    report = diff_case(name)
    keys = [(c.rule, c.path) for c in report.changes]
    assert len(keys) == len(set(keys)), "a change was reported twice"
    assert all(c.rule in RULES for c in report.changes)
    assert list(report.changes) == sorted(report.changes, key=lambda c: c.sort_key())
    assert all(c.old is not None and c.new is not None for c in report.changes)
    # Deterministic output, byte for byte.
    again = diff_case(name)
    for fmt in ("text", "markdown", "json"):
        assert render(report, fmt) == render(again, fmt)


@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.parametrize("side", ["old.yaml", "new.yaml"])
def test_a_spec_has_no_changes_from_itself(name: str, side: str) -> None:
    spec = load_spec(CASES / name / side)
    report = diff_specs(spec, spec)
    assert report.changes == ()
    assert report.bump is None


def test_messages_evolution_classifies_each_step() -> None:
    """The realistic evolution, one line per change the brief lists."""
    found = {(c.rule, c.path): (c.impact, c.bump, c.direction) for c in diff_case("messages_evolution").changes}
    expected = {
        # operationId renamed, but x-resource/x-method still name client.messages.create.
        ("operation.id-changed", "POST /v1/messages"): ("docs", "patch", "operation"),
        ("field.removed", "MessageCreateParams.top_k"): ("breaking", "major", "request"),
        ("field.added", "MessageCreateParams.service_tier"): ("compatible", "minor", "request"),
        ("bounds.tightened", "MessageCreateParams.max_tokens"): ("breaking", "major", "request"),
        ("bounds.relaxed", "MessageCreateParams.temperature"): ("compatible", "minor", "request"),
        ("enum.value-removed", "Base64ImageSource.media_type"): ("breaking", "major", "request"),
        ("enum.value-added", "StopReason"): ("compatible", "minor", "response"),
        ("union.member-added", "ContentBlock<redacted_thinking>"): ("compatible", "minor", "response"),
        ("component.added", "RedactedThinkingBlock"): ("compatible", "minor", "response"),
        # Request-only: the TypedDict is `MetadataParam` before and after, so nothing breaks.
        ("component.renamed", "MetadataParam"): ("compatible", "minor", "request"),
        ("field.became-optional", "Usage.output_tokens"): ("breaking", "major", "response"),
        ("field.became-required", "ThinkingConfigEnabledParam.budget_tokens"): ("breaking", "major", "request"),
        ("field.became-optional", "ToolParam.description"): ("compatible", "minor", "request"),
        ("response.status-added", "POST /v1/messages response 529"): ("compatible", "minor", "response"),
    }
    assert found == expected


def test_messages_evolution_speaks_python() -> None:
    python = {c.path: c.python for c in diff_case("messages_evolution").changes}
    assert python["MessageCreateParams.top_k"] == "`client.messages.create(top_k=...)` removed"
    assert python["Usage.output_tokens"] == "`Usage.output_tokens: int -> int | None`"
    assert python["MetadataParam"] == "unchanged: both names are the class `MetadataParam`"
    # Named as users import it: a schema only requests use is a TypedDict `...Param`.
    assert python["Base64ImageSource.media_type"].startswith("`Base64ImageSourceParam.media_type: ")
    assert python["POST /v1/messages response 529"] == "`client.messages.create()` may raise `OverloadedError` (529)"
    reasons = {c.path: c.reason for c in diff_case("messages_evolution").changes}
    assert "accept enum values they do not know" in (reasons["StopReason"] or "")
    assert "accept union members they do not know" in (reasons["ContentBlock<redacted_thinking>"] or "")


def test_locations_point_into_both_versions() -> None:
    old_lines = (EVOLUTION / "old.yaml").read_text().splitlines()
    new_lines = (EVOLUTION / "new.yaml").read_text().splitlines()
    changes = {c.path: c for c in diff_case("messages_evolution").changes}
    top_k = changes["MessageCreateParams.top_k"]
    assert top_k.old is not None and top_k.new is not None
    assert old_lines[top_k.old.line - 1].strip() == "top_k:"
    assert top_k.old.path == "old.yaml" and top_k.new.path == "new.yaml"
    # Gone from the new version: it points at the object it was removed from.
    assert new_lines[top_k.new.line - 1].strip() == "properties:"
    usage = changes["Usage.output_tokens"]
    assert usage.old is not None and usage.new is not None
    assert old_lines[usage.old.line - 1].strip() == "output_tokens:"
    assert new_lines[usage.new.line - 1].strip() == "output_tokens:"
    assert (usage.old.col, usage.new.col) == (9, 9)


def test_a_class_both_sides_use_is_named_on_each_side() -> None:
    python = {c.path: c.python for c in diff_case("names_per_side").changes}
    assert python["Usage.output_tokens"] == (
        "`Usage.output_tokens: int -> int | None`; `UsageParam.output_tokens: int -> NotRequired[int]`"
    )
    # Alike on both sides: said once, naming both classes.
    assert python["Usage.input_tokens"].startswith("`Usage.input_tokens` / `UsageParam.input_tokens`: minimum 0 -> 1")
    assert python["ConfigParams.mode"].startswith("`ConfigParamsModel.mode` / `ConfigParams.mode`: ")
    assert python["Kind"] == "`Kind: Literal['a', 'b'] -> Literal['a', 'b', 'c']`"  # an enum has one name
    # Arguments of a method take their inline classes' names from the operation.
    assert python["ItemCreateParams.source"] == (
        "`client.items.create(source=...)` added (`CreateItemParamsSourceParam`, optional)"
    )
    renames = {c.path: c for c in diff_case("names_per_side").changes if c.rule == "component.renamed"}
    assert (renames["Metadata"].bump, renames["TagParam"].bump) == ("major", "minor")


@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.parametrize("side", ["old.yaml", "new.yaml"])
def test_component_names_are_the_generators(name: str, side: str) -> None:
    """The report names each component exactly as the generated package does, on each side."""
    spec = load_spec(CASES / name / side)
    model = normalize(spec)
    reported = component_names(spec, model, _reach(model))
    generated = {schema.name: schema_names(schema) for schema in build_api(spec).schemas}
    assert reported == {name: generated[name] for name in reported}


# -- properties that hold for any spec ---------------------------------------------------------


def _shuffled(value: Any, rng: random.Random) -> Any:
    """``value`` with every mapping's keys and every union's members in another order."""
    if isinstance(value, dict):
        items = [(k, _shuffled(v, rng)) for k, v in value.items()]
        rng.shuffle(items)
        for key in ("oneOf", "anyOf"):
            for index, (k, v) in enumerate(items):
                if k == key:
                    members = list(v)
                    rng.shuffle(members)
                    items[index] = (k, members)
        return dict(items)
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), name=st.sampled_from(CASE_NAMES))
def test_reordering_keys_and_union_members_changes_nothing(seed: int, name: str) -> None:
    text = (CASES / name / "new.yaml").read_text(encoding="utf-8")
    original = load_text(text, "a.yaml")
    reordered = _shuffled(yaml.safe_load(text), random.Random(seed))
    other = load_text(yaml.safe_dump(reordered, sort_keys=False), "b.yaml")
    assert diff_specs(original, other).changes == ()


# -- the real Stripe pair ---------------------------------------------------------------------------

stripe = pytest.mark.skipif(
    not (STRIPE_OLD.is_file() and STRIPE_NEW.is_file()), reason="the shared Stripe specs are not present"
)


@pytest.fixture(scope="module")
def stripe_report() -> tuple[DiffReport, float]:
    started = time.perf_counter()
    report = diff_specs(load_spec(STRIPE_OLD, "old.yaml"), load_spec(STRIPE_NEW, "new.yaml"))
    return report, time.perf_counter() - started


@stripe
@pytest.mark.slow
def test_stripe_pair_is_sane(stripe_report: tuple[DiffReport, float]) -> None:
    report, seconds = stripe_report
    assert seconds < 60, f"diffing the Stripe pair took {seconds:.1f}s"
    keys = [(c.rule, c.path) for c in report.changes]
    assert len(keys) == len(set(keys)), "a change was reported twice"
    # A union that only reordered (or gained a member) is never reported as a removal
    # plus an addition of the same member.
    removed = {c.path for c in report.changes if c.rule == "union.member-removed"}
    added = {c.path for c in report.changes if c.rule == "union.member-added"}
    assert not removed & added
    assert not removed, "no union lost a member between these two Stripe versions"
    # What the two versions really differ in (checked by reading the YAML diff).
    assert Counter(c.rule for c in report.changes) == Counter({
        "docs.changed": 27,
        "enum.value-added": 15,
        "operation.added": 14,
        "component.added": 7,
        "field.added": 6,
        "bounds.relaxed": 2,
        "enum.value-removed": 2,
        "field.added-required": 1,
        "parameter.added": 1,
        "union.member-added": 1,
    })
    assert report.bump == "major"  # 'invoiceitem.updated' can no longer be subscribed to
    breaking = [c for c in report.changes if c.bump == "major"]
    assert {c.path for c in breaking} == {
        "POST /v1/webhook_endpoints body.enabled_events[]",
        "POST /v1/webhook_endpoints/{webhook_endpoint} body.enabled_events[]",
    }


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)

    def invoke(*args: str) -> Result:
        result = CliRunner().invoke(cli, ["diff", *args])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        return result

    return invoke


def _pair(name: str) -> tuple[str, str]:
    return (f"tests/diff_cases/{name}/old.yaml", f"tests/diff_cases/{name}/new.yaml")


def test_cli_text_is_the_default(run) -> None:  # type: ignore[no-untyped-def]
    result = run(*_pair("messages_evolution"))
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.endswith("14 changes (5 breaking, 5 new, 3 changed, 1 docs); suggested version bump: major")
    assert "  [field.removed] MessageCreateParams.top_k (request; wire: breaking)" in result.stdout
    assert "    python: `client.messages.create(top_k=...)` removed" in result.stdout
    assert "    at:     tests/diff_cases/messages_evolution/old.yaml:85:9 -> " in result.stdout


def test_cli_markdown_is_a_changelog(run) -> None:  # type: ignore[no-untyped-def]
    result = run(*_pair("messages_evolution"), "--format", "markdown")
    assert result.exit_code == 0
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings == [
        "## Changes from `tests/diff_cases/messages_evolution/old.yaml` to `tests/diff_cases/messages_evolution/new.yaml`",
        "### Breaking", "### New", "### Changed", "### Docs",
    ]
    assert "Suggested version bump: **major**" in result.stdout
    assert "- `client.messages.create(top_k=...)` removed." in result.stdout


def test_cli_json_is_stable_and_sorted(run) -> None:  # type: ignore[no-untyped-def]
    result = run(*_pair("messages_evolution"), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert result.stdout == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["bump"] == "major"
    assert data["counts"]["total"] == len(data["changes"]) == 14
    change = next(c for c in data["changes"] if c["rule"] == "field.removed")
    assert sorted(change) == [
        "bump", "direction", "impact", "message", "new", "old", "path", "python", "reason", "rule", "section",
    ]
    assert change["old"] == "tests/diff_cases/messages_evolution/old.yaml:85:9"


@pytest.mark.parametrize(
    ("case", "fail_on", "status"),
    [
        ("messages_evolution", None, 0),
        ("messages_evolution", "breaking", 1),
        ("enums", "breaking", 1),
        ("operation_added", "breaking", 0),
        ("operation_added", "minor", 1),
        ("docs_only", "minor", 0),
        ("docs_only", "any", 1),
        ("equivalent_rewrites", "any", 0),
    ],
)
def test_cli_fail_on(run, case: str, fail_on: str | None, status: int) -> None:  # type: ignore[no-untyped-def]
    args = [*_pair(case)] + (["--fail-on", fail_on] if fail_on else [])
    assert run(*args).exit_code == status


def test_cli_no_changes(run) -> None:  # type: ignore[no-untyped-def]
    result = run(*_pair("equivalent_rewrites"))
    assert result.exit_code == 0
    assert result.stdout.endswith(": no changes\n")


def test_cli_missing_file_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    result = run("tests/diff_cases/nope.yaml", _pair("enums")[1])
    assert result.exit_code == 2
    assert result.stderr == "error: tests/diff_cases/nope.yaml: cannot read spec: No such file or directory\n"
    assert result.stdout == ""


def test_cli_broken_spec_exits_1_with_diagnostics(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: T, version: 1}\ninfo: {}\n")
    result = run(str(broken), _pair("enums")[1])
    assert result.exit_code == 1
    assert "error[E002]: duplicate key `info`" in result.stderr


def test_cli_a_ref_to_nothing_exits_1_instead_of_reporting_a_change(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    """A typo in a `$ref` read as "any value" and came out as a breaking type change."""
    old, new = _pair("messages_evolution")
    text = Path(old).read_text(encoding="utf-8")
    assert text.count("$ref: '#/components/schemas/Usage'") == 1
    typo = tmp_path / "typo.yaml"
    typo.write_text(text.replace("$ref: '#/components/schemas/Usage'",
                                 "$ref: '#/components/schemas/Usge'"), encoding="utf-8")
    result = run(str(typo), old)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "error[E200]: `$ref` points at nothing: `#/components/schemas/Usge`" in result.stderr
    assert "hint: did you mean `#/components/schemas/Usage`?" in result.stderr


# -- git:REV ---------------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )


@pytest.fixture
def spec_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose spec/messages.yaml went through two commits, tagged v1 and v2."""
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    _git(repo, "init", "-q")
    for tag, side in (("v1", "old.yaml"), ("v2", "new.yaml")):
        shutil.copy(EVOLUTION / side, repo / "spec" / "messages.yaml")
        _git(repo, "add", "spec/messages.yaml")
        _git(repo, "commit", "-q", "-m", tag)
        _git(repo, "tag", tag)
    monkeypatch.chdir(repo)
    return repo


@needs_git
def test_cli_git_revisions(spec_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "git:v1", "git:HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"] == "v1:spec/messages.yaml"
    assert data["counts"]["total"] == 14
    removed = next(c for c in data["changes"] if c["rule"] == "field.removed")
    assert removed["old"] == "v1:spec/messages.yaml:85:9"


@needs_git
def test_cli_git_revision_against_a_file(spec_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "git:v2", str(spec_repo / "spec" / "messages.yaml")])
    assert result.exit_code == 0
    assert result.stdout.endswith(": no changes\n")


@needs_git
def test_cli_git_unknown_revision_exits_2(spec_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "git:v9", "git:v2"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: `git:v9`: cannot read v9:spec/messages.yaml: ")
    assert "Traceback" not in result.output


@needs_git
def test_cli_git_revision_with_a_path(spec_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git:REV:PATH names the file, relative to the working directory as file arguments are."""
    (spec_repo / "api").mkdir()
    shutil.move(spec_repo / "spec" / "messages.yaml", spec_repo / "api" / "shop.yaml")
    _git(spec_repo, "add", "-A")
    _git(spec_repo, "commit", "-q", "-m", "moved")
    result = CliRunner().invoke(cli, ["diff", "git:v1:spec/messages.yaml", "git:HEAD:api/shop.yaml",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["old"], data["new"]) == ("v1:spec/messages.yaml", "HEAD:api/shop.yaml")
    assert data["counts"]["total"] == 14
    # From a subdirectory, and with an absolute path: the same file.
    (spec_repo / "sub").mkdir()
    monkeypatch.chdir(spec_repo / "sub")
    for new in ("git:HEAD:../api/shop.yaml", f"git:HEAD:{spec_repo / 'api' / 'shop.yaml'}"):
        again = CliRunner().invoke(cli, ["diff", "git:v1:../spec/messages.yaml", new, "--format", "json"])
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["counts"]["total"] == 14


@needs_git
def test_cli_git_revision_reads_the_spec_setting(spec_repo: Path) -> None:
    """git:REV alone reads the spec that [tool.messages-codegen] names, as generate does."""
    (spec_repo / "api").mkdir()
    shutil.copy(spec_repo / "spec" / "messages.yaml", spec_repo / "api" / "shop.yaml")
    (spec_repo / "pyproject.toml").write_text('[tool.messages-codegen]\nspec = "api/shop.yaml"\n')
    _git(spec_repo, "add", "-A")
    _git(spec_repo, "commit", "-q", "-m", "v3")
    result = CliRunner().invoke(cli, ["diff", "git:HEAD", "api/shop.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HEAD:api/shop.yaml -> api/shop.yaml: no changes")
    missing = CliRunner().invoke(cli, ["diff", "git:v1", "api/shop.yaml"])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("error: `git:v1`: cannot read v1:api/shop.yaml: ")


@needs_git
def test_cli_git_revision_with_an_empty_path_exits_2(spec_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "git::spec/messages.yaml", "git:v1:"])
    assert result.exit_code == 2
    assert "expected git:REV or git:REV:PATH" in result.stderr


def test_cli_git_outside_a_repository_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = CliRunner().invoke(cli, ["diff", "git:HEAD", "git:HEAD"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: `git:HEAD`: ")


def test_cli_without_git_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(cli, ["diff", "git:HEAD", "git:HEAD"])
    assert result.exit_code == 2
    assert result.stderr == "error: `git:HEAD`: git is not installed (or not on PATH)\n"


# -- the markdown changelog of a large change -------------------------------------------------


def _added(name: str, direction: str) -> Any:
    from generator.diff.changes import Change

    return Change(
        rule="component.added", path=name, direction=direction, impact="compatible", bump="minor",
        section="new", message=f"new schema `{name}`", python=f"new class `{name}`", reason=None,
        old=None, new=None,
    )


def test_markdown_lists_many_new_classes_by_name_in_one_entry_per_direction() -> None:
    names = [f"Block{i}" for i in range(5)]
    changes = tuple(_added(n, "response") for n in names) + (_added("Params", "request"),)
    text = render(DiffReport("a", "b", changes), "markdown")
    assert "- 5 new classes (response): `Block0`, `Block1`, `Block2`, `Block3`, `Block4`." in text
    assert "- 1 new class (request): `Params`." in text
    assert "New class `Block0`" not in text
    few = render(DiffReport("a", "b", changes[:2]), "markdown")
    assert "- New class `Block0`." in few and "new classes" not in few


def _status_added(method: str, status: str) -> Any:
    from generator.diff.changes import Change

    return Change(
        rule="response.status-added", path=f"GET /{method} response {status}", direction="response",
        impact="compatible", bump="minor", section="new", message=f"new response {status}",
        python=f"`client.{method}()` may raise an API status error for {status}",
        reason="unknown statuses already reach the caller", old=None, new=None,
    )


def test_markdown_says_once_that_many_methods_may_get_a_new_status() -> None:
    """A status added to every endpoint (a spec that adds 429 everywhere) is one entry, not one per method."""
    methods = [f"things.m{i}" for i in range(5)]
    changes = tuple(_status_added(m, "429") for m in methods) + (_status_added("things.m0", "503"),)
    text = render(DiffReport("a", "b", changes), "markdown")
    assert ("- 5 methods may raise an API status error for 429: `client.things.m0()`, `client.things.m1()`, "
            "`client.things.m2()`, `client.things.m3()`, `client.things.m4()`.") in text
    assert "  New response 429 in 5 operations; rule `response.status-added`." in text
    assert "- `client.things.m0()` may raise an API status error for 503." in text  # alone: its own entry
    assert text.count("429") == 2
    # Text and JSON keep one change per operation.
    assert render(DiffReport("a", "b", changes), "text").count("[response.status-added]") == 6


def test_a_ref_to_a_union_that_lists_the_old_ref_is_a_widening() -> None:
    def spec(items: str, extra: str) -> str:
        return f"""openapi: 3.1.0
info: {{title: T, version: '1'}}
paths:
  /tools:
    post:
      operationId: setTools
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                tools: {{type: array, items: {{$ref: '#/components/schemas/{items}'}}}}
      responses:
        '200': {{description: ok}}
components:
  schemas:
    Tool:
      type: object
      properties:
        name: {{type: string}}
{extra}"""

    union = """    Bash:
      type: object
      properties:
        type: {type: string, const: bash}
    ToolUnion:
      anyOf:
        - $ref: '#/components/schemas/Tool'
        - $ref: '#/components/schemas/Bash'
"""
    old = load_text(spec("Tool", ""), "old.yaml")
    new = load_text(spec("ToolUnion", union), "new.yaml")
    report = diff_specs(old, new)
    (change,) = [c for c in report.changes if c.path.endswith("tools[]")]
    assert change.rule == "schema.type-widened" and change.section != "breaking"
    back = diff_specs(new, old)
    (change,) = [c for c in back.changes if c.path.endswith("tools[]")]
    assert change.rule == "schema.type-narrowed"


# -- Python names the generator chooses ----------------------------------------------------------

_NAME_CASES = [
    "python_attribute_names", "python_argument_names", "python_class_names", "python_class_sides",
    "python_helpers_and_errors",
]


def _generated(spec: Path, out: Path) -> str:
    """Every generated Python file of ``spec``'s package, concatenated: what users import and call."""
    from generator.pipeline import generate

    generate(spec, out, targets=("package",))
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.py")))


@pytest.mark.parametrize("name", _NAME_CASES)
def test_python_names_reported_are_the_generated_packages(name: str, tmp_path: Path) -> None:
    """Each `X` is now `Y` names a class, attribute or argument of the old package and one of the new."""
    import re

    old = _generated(CASES / name / "old.yaml", tmp_path / "old")
    new = _generated(CASES / name / "new.yaml", tmp_path / "new")
    changes = [c for c in diff_case(name).changes if c.rule.startswith("python.")]
    assert changes
    for change in changes:
        found = re.match(r"`([^`]+)` is (?:now `([^`]+)`|gone)", change.python)
        assert found, change.python
        for code, text in ((found.group(1), old), (found.group(2), new)):
            if code is None:
                continue
            if code.endswith("()"):  # client.messages.stream(): a method
                assert re.search(rf"def {code[:-2].rsplit('.', 1)[1]}\(", text), code
            elif "(" in code:  # client.searches.create(limit=...): a keyword argument of the method
                argument = code.split("(")[1].split("=")[0]
                assert re.search(rf"\b{argument}: ", text), code
            elif "." in code:  # Report.date_: an attribute of the model
                cls, attr = code.split(".")
                assert re.search(rf"class {cls}\(", text) and re.search(rf"^    {attr}: ", text, re.M), code
            else:  # a class: a model, a TypedDict or an exception
                assert re.search(rf"class {code}\(", text), code
    gone = [c for c in changes if c.rule == "python.class-removed"]
    for change in gone:
        cls = change.python.split("`")[1]
        assert re.search(rf"class {cls}\(", old) and not re.search(rf"class {cls}\(", new)


def test_format_changes_read_as_added_and_removed() -> None:
    messages = {c.path: c.message for c in diff_case("date_formats").changes}
    assert messages["Report.day"] == "format `date` added"
    assert messages["Report.published"] == "format `date` removed"
    assert messages["Report.sealed_at"] == "format `date` -> `date-time`"


def test_a_side_the_generator_refuses_still_gets_its_spec_changes() -> None:
    """No IR, no generated names to compare: the spec's own changes are reported all the same."""
    folder = CASES / "python_attribute_names"
    refused = "      not: {type: integer}\n"  # E401: not supported by the generator

    def side(file: str) -> Any:
        text = (folder / file).read_text(encoding="utf-8").replace("    Report:\n", "    Report:\n" + refused)
        return load_text(text, file)

    report = diff_specs(side("old.yaml"), side("new.yaml"))
    rules = {(c.rule, c.path) for c in report.changes}
    assert ("schema.format-added", "Report.when") in rules
    assert not any(rule.startswith("python.") for rule, _ in rules)


def test_a_renamed_argument_points_at_its_property() -> None:
    (change,) = [c for c in diff_case("python_argument_names").changes if c.rule == "python.name-changed"]
    assert change.old is not None and change.new is not None
    for side, at in (("old.yaml", change.old), ("new.yaml", change.new)):
        line = (CASES / "python_argument_names" / side).read_text(encoding="utf-8").splitlines()[at.line - 1]
        assert line.strip().startswith("limit: {type: integer"), (side, line)


def test_cli_json_carries_the_python_name_rules(run) -> None:  # type: ignore[no-untyped-def]
    result = run(*_pair("python_attribute_names"), "--format", "json")
    assert result.exit_code == 0
    change = next(c for c in json.loads(result.stdout)["changes"] if c["path"] == "Report.date")
    assert change["rule"] == "python.name-changed"
    assert (change["impact"], change["bump"], change["section"]) == ("compatible", "major", "breaking")
    assert change["python"].startswith("`Report.date` is now `Report.date_`: code that reads `.date` breaks")
    markdown = run(*_pair("python_attribute_names"), "--format", "markdown").stdout
    assert "- `Report.date` is now `Report.date_`: code that reads `.date` breaks" in markdown
    assert "Breaks Python code only; the JSON on the wire is unchanged." in markdown
