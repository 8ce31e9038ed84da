"""Public vendor specs (tests/corpus, see its README): each generates a complete package that imports.

They are generated as a new user would, without ``--strict``: their examples
and defaults may be sloppy, which costs a warning, not the client. A document
the generator still refuses is listed in ``REFUSED`` with the located reason,
and its note in the README says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.diagnostics import SpecError
from generator.loader import load_spec
from generator.pipeline import generate, load_api
from generator.validate import validate_file
from tests.tree_support import ROOT, import_tree, imported

CORPUS = ROOT / "tests" / "corpus"
GENERATED = [
    "adyen-binlookup-v54.yaml",
    "adyen-dispute-v30.yaml",
    "box.json",
    "petstore.yaml",
    "petstore-expanded.yaml",
    "redocly-museum.yaml",
    "resend.yaml",
    "spotify.yaml",
    "twilio-messaging-v2.yaml",
    "twilio-pricing-v1.yaml",
    "vonage-sms.yaml",
    "vonage-verify.yaml",
    "vonage-voice.yaml",
    "xero-assets.yaml",
    "xero-projects.yaml",
    # A spec split over 142 files: paths/, components/schemas/, components/responses/...
    "greenbutton-espi/openapi.yaml",
]
# Document -> the codes of the errors that refuse it (see the README's notes).
REFUSED = {
    "xero-bankfeeds.yaml": {"E003"},
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def test_every_document_is_accounted_for() -> None:
    documents = [p.name for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json")]
    # A document split over files is a folder holding its root, `openapi.yaml`.
    documents += [f"{p.name}/openapi.yaml" for p in CORPUS.iterdir() if p.is_dir()]
    assert sorted(documents) == sorted([*GENERATED, *REFUSED])


def _method(client: object, binding: ir.MethodBinding) -> Any:
    """The client's method for ``binding`` (``client.resource.method``)."""
    target = client
    for part in binding.resource:
        target = getattr(target, part)
    return getattr(target, binding.name)


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
                    assert callable(_method(client, binding)), (op.operation_id, binding)
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


@pytest.mark.parametrize("name", sorted([*GENERATED, *REFUSED]))
def test_validate_reports_what_generate_refuses_once(name: str, tmp_path: Path) -> None:
    """``validate`` and ``generate`` agree: the same errors, at the same places, each once."""
    reported = [
        (d.code, d.location.path, d.location.line, d.location.col)
        for d in validate_file(CORPUS / name, name, strict=False) if d.severity == "error"
    ]
    assert len(reported) == len(set(reported)), reported
    try:
        load_api(CORPUS / name, name, strict=False)
        refused: list[tuple[str, str, int, int]] = []
    except SpecError as exc:
        refused = [(d.code, d.location.path, d.location.line, d.location.col)
                   for d in exc.diagnostics if d.severity == "error"]
    assert sorted(reported) == sorted(refused)
    assert bool(refused) == (name in REFUSED)


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


def test_vendor_dates_parse_however_the_server_spells_them(tmp_path: Path) -> None:
    # Twilio's older APIs send RFC 2822 dates in `format: date-time` fields, and
    # `+0000` offsets are common: a reply must parse to datetime, not fail.
    import datetime

    from tests.mockserver import MockServer, Reply

    name = "twilio-messaging-v2.yaml"
    api = generate(CORPUS / name, tmp_path, display_path=name, strict=False).api
    op = next(o for o in api.operations if o.path == "/v2/LinkShortening/Domains/{DomainSid}/Certificate"
              and o.method == "get")
    (binding,) = op.bindings
    reply = {"domain_sid": "DN1", "date_created": "Sat, 06 Feb 2021 18:02:04 +0000",
             "date_updated": "2021-02-06T18:02:04+0000", "date_expires": "not a date"}
    with imported(tmp_path, api.package) as package, MockServer() as server:
        server.enqueue(Reply.json(reply))
        client = getattr(package, api.client_name)(base_url=server.url, api_key="k")
        try:
            cert = _method(client, binding)("DN1")
        finally:
            client.close()
    moment = datetime.datetime(2021, 2, 6, 18, 2, 4, tzinfo=datetime.timezone.utc)
    assert cert.date_created == moment and cert.date_updated == moment
    assert cert.date_expires == "not a date"


def test_vendor_calendar_dates_parse_however_the_server_spells_them(tmp_path: Path) -> None:
    # Xero's Assets API declares `format: date` but its replies spell these as
    # midnight date-times (`2020-01-01T00:00:00`); its older APIs also use
    # `/Date(ms+0000)/`. Each is read as a `date` where it can be, and kept as
    # text where it cannot: a reply never fails on a date.
    import datetime

    from tests.mockserver import MockServer, Reply

    name = "xero-assets.yaml"
    api = generate(CORPUS / name, tmp_path, display_path=name, strict=False).api
    op = next(o for o in api.operations if o.operation_id == "getAssetById")
    (binding,) = op.bindings
    reply = {"assetId": "3b5b3a38-5649-495f-87a1-14a4e5918634", "assetName": "Laptop",
             "purchaseDate": "2020-01-01T00:00:00", "disposalDate": "2021-06-30",
             "bookDepreciationDetail": {"depreciationStartDate": "/Date(1580515200000+0000)/"}}
    with imported(tmp_path, api.package) as package, MockServer() as server:
        server.enqueue(Reply.json(reply))
        client = getattr(package, api.client_name)(base_url=server.url, api_key="k")
        try:
            asset = _method(client, binding)("3b5b3a38-5649-495f-87a1-14a4e5918634", xero_tenant_id="t")
        finally:
            client.close()
    assert asset.purchase_date == datetime.date(2020, 1, 1)
    assert type(asset.disposal_date) is datetime.date and asset.disposal_date == datetime.date(2021, 6, 30)
    assert asset.book_depreciation_detail.depreciation_start_date == "/Date(1580515200000+0000)/"
    assert server.requests[0].headers["xero-tenant-id"] == "t"
