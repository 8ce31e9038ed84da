"""Public vendor specs (tests/corpus, see its README): each generates a complete package that imports.

They are generated as a new user would, without ``--strict``: their examples
and defaults may be sloppy, which costs a warning, not the client. A document
the generator still refuses is listed in ``REFUSED`` with the located reason,
and its note in the README says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.loader import load_spec
from generator.pipeline import generate
from tests.tree_support import ROOT, import_tree, imported

CORPUS = ROOT / "tests" / "corpus"
GENERATED = [
    "adyen-binlookup-v54.yaml",
    "adyen-dispute-v30.yaml",
    "box.json",
    "petstore.yaml",
    "petstore-expanded.yaml",
    "redocly-museum.yaml",
    "twilio-messaging-v2.yaml",
    "twilio-pricing-v1.yaml",
    "vonage-sms.yaml",
    "vonage-verify.yaml",
    "xero-assets.yaml",
    "xero-projects.yaml",
    # A spec split over 142 files: paths/, components/schemas/, components/responses/...
    "greenbutton-espi/openapi.yaml",
]
# Document -> the codes of the errors that refuse it (see the README's notes).
REFUSED = {
    "resend.yaml": {"E406"},
    "spotify.yaml": {"E404"},
    "vonage-voice.yaml": {"E402", "E406"},
    "xero-bankfeeds.yaml": {"E003"},
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def test_every_document_is_accounted_for() -> None:
    documents = [p.name for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json")]
    # A document split over files is a folder holding its root, `openapi.yaml`.
    documents += [f"{p.name}/openapi.yaml" for p in CORPUS.iterdir() if p.is_dir()]
    assert sorted(documents) == sorted([*GENERATED, *REFUSED])


@pytest.mark.parametrize("name", GENERATED)
def test_generates_a_complete_package_that_imports(name: str, tmp_path: Path) -> None:
    result = generate(CORPUS / name, tmp_path, display_path=name, strict=False)
    api = result.api
    document = load_spec(CORPUS / name, name).data
    written = [
        (path, method) for path, item in (document.get("paths") or {}).items()
        for method in HTTP_METHODS if method in item
    ]
    assert sorted((op.path, op.method) for op in api.operations) == sorted(written)
    import_tree(tmp_path, api.package)
    with imported(tmp_path, api.package) as package:
        client = getattr(package, api.client_name)(base_url="http://127.0.0.1:9", api_key="k")
        try:
            for op in api.operations:
                for binding in op.bindings:
                    target: object = client
                    for part in binding.resource:
                        target = getattr(target, part)
                    assert callable(getattr(target, binding.name)), (op.operation_id, binding)
        finally:
            client.close()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_document_says_where_and_why(name: str, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        generate(CORPUS / name, tmp_path / "out", display_path=name, strict=False)
    errors = [d for d in raised.value.diagnostics if d.severity == "error"]
    assert {d.code for d in errors} == REFUSED[name]
    assert all(d.location.path == name and d.location.line > 0 for d in errors)
    assert not (tmp_path / "out").exists()


def test_a_multi_file_document_is_located_in_its_own_files(tmp_path: Path) -> None:
    """Every file of the bundled spec is read, and findings point into the file they are in."""
    name = "greenbutton-espi/openapi.yaml"
    spec = load_spec(CORPUS / name, name)
    folder = CORPUS / "greenbutton-espi"
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml"))
    assert ["openapi.yaml", *(rel for rel, _, _ in spec.parts)] == ["openapi.yaml", *sorted(
        rel for rel in on_disk if rel != "openapi.yaml")]
    result = generate(CORPUS / name, tmp_path, display_path=name, strict=False)
    where = {w.location.path for w in result.warnings}
    assert "greenbutton-espi/paths/ReadServiceStatus.yaml" in where
    assert all((CORPUS / path).is_file() for path in where), where
    # The part files count in the spec's digest: one edit of a schema is another spec.
    assert result.api.spec_files == tuple(rel for rel, _, _ in spec.parts)
