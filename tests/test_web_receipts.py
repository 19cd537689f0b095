"""The receipts page: the missing receipts per person, uploading one clears the anomaly,
bad files and forged forms are refused, downloads keep the bytes and a safe file name."""

from __future__ import annotations

import html
import io
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.money import format_dzd
from khazna.tools.anomalies import AnomaliesInput, detect_anomalies
from khazna.tools.receipts import attach_receipt, receipts_of
from khazna.web.app import create_app
from khazna.web.users import add_user
from tests.bundles import FILES, write_bundle
from tests.web_helpers import ACCOUNTANT, OWNER, csrf_of, login

AS_OF = "2026-03-05"
EXPENSES = FILES["expenses.csv"] + (
    "E010,2026-02-02,,Restaurant Le Tassili,restaurant,9000.00,carte,CB1,,K. Benali,CARD-01,no,\n"
    "E011,2026-02-03,,Naftal Hydra,carburant,7000.00,carte,CB2,,,CARD-01,no,\n"
    "E012,2026-02-04,,Naftal Hydra,carburant,3000.00,carte,CB3,,K. Benali,CARD-01,no,\n"
    "E013,2026-02-05,,Hôtel El Djazair,deplacements,12000.00,virement,VI1,,A. Boudiaf,,no,\n"
)


def small_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.fixture
def web(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger(url)
    import_bundle(ledger, write_bundle(tmp_path / "bundle", expenses_csv=EXPENSES))
    with ledger.session() as s:
        add_user(s, OWNER[0], "owner", OWNER[1])
        add_user(s, ACCOUNTANT[0], "accountant", ACCOUNTANT[1])
    app = create_app(url, secret="r" * 40)
    with TestClient(app) as client:
        client.ledger = ledger
        yield client
    ledger.dispose()
    app.state.ledger.dispose()


def flagged(ledger: Ledger) -> list[str]:
    """The expenses the anomaly analyst reports as missing a receipt."""
    inp = AnomaliesInput(
        date_from=date(2026, 1, 1), date_to=date(2026, 3, 5), kinds=["missing_receipt"]
    )
    with ledger.read() as s:
        return sorted(a.refs[0] for a in detect_anomalies(s, inp).anomalies)


def upload(web, expense_id: str, name: str, content: bytes, media: str, token: str | None):
    data = {} if token is None else {"csrf": token}
    return web.post(
        f"/receipts/{expense_id}?as_of={AS_OF}",
        data=data,
        files={"file": (name, content, media)},
        follow_redirects=False,
    )


def test_login_is_required(web):
    r = web.get(f"/receipts?as_of={AS_OF}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/receipts%3Fas_of%3D2026-03-05"
    r = upload(web, "E010", "f.pdf", small_pdf(), "application/pdf", "x")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    with web.ledger.read() as s:
        assert receipts_of(s, "E010") == []
    attach_receipt(web.ledger, "E010", "f.pdf", small_pdf())
    r = web.get("/receipts/file/1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_page_lists_the_missing_receipts_per_person(web):
    login(web, ACCOUNTANT)
    page = web.get(f"/receipts?as_of={AS_OF}")
    assert page.status_code == 200
    text = page.text
    assert 'href="/receipts" aria-current="page">Justificatifs' in text
    # E012 is under the 5 000 DA threshold; E011 goes to the card holder K. Benali
    for expense in ("E010", "E011", "E013"):
        assert f'id="exp-{expense}"' in text
        assert f'action="/receipts/{expense}?as_of={AS_OF}"' in text
    assert 'id="exp-E012"' not in text and 'id="exp-E001"' not in text
    benali = text.split("K. Benali")[1].split("</section>")[0]
    assert format_dzd(Decimal("16000")) in benali and '<span class="count">2</span>' in benali
    assert "Restaurant Le Tassili" in benali and "restaurant" in benali
    assert format_dzd(Decimal("28000")) in text  # the total of the three
    assert 'enctype="multipart/form-data"' in text
    assert text.count('accept="application/pdf,image/jpeg,image/png"') == 3
    assert text.count('name="csrf"') == 4  # three uploads and the logout form
    # a day written day first is read as the CLI reads it; a day that is not one is a 400
    # saying what is expected
    assert web.get("/receipts?as_of=05-03-2026").status_code == 200
    bad = web.get("/receipts?as_of=2026-13-45")
    assert bad.status_code == 400 and "AAAA-MM-JJ" in bad.text and "JJ/MM/AAAA" in bad.text


def test_upload_attaches_the_receipt_and_clears_the_anomaly(web):
    assert flagged(web.ledger) == ["E010", "E011", "E013"]
    login(web, ACCOUNTANT)  # the accountant collects receipts: allowed
    pdf = small_pdf()
    r = upload(web, "E010", "ticket-tassili.pdf", pdf, "application/pdf", csrf_of(web, "/receipts"))
    assert r.status_code == 303
    assert r.headers["location"] == f"/receipts?as_of={AS_OF}"

    page = web.get(r.headers["location"]).text
    assert "Justificatif « ticket-tassili.pdf » joint à la dépense E010." in page
    assert 'id="exp-E010"' not in page and 'action="/receipts/E010' not in page
    assert 'id="exp-E011"' in page
    with web.ledger.read() as s:
        [info] = receipts_of(s, "E010")
    assert (info.filename, info.media_type, info.size) == (
        "ticket-tassili.pdf",
        "application/pdf",
        len(pdf),
    )
    assert info.uploaded_by == ACCOUNTANT[0]
    assert flagged(web.ledger) == ["E011", "E013"]
    assert f'href="/receipts/file/{info.id}">ticket-tassili.pdf</a>' in page

    got = web.get(f"/receipts/file/{info.id}")
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith(
        'attachment; filename="ticket-tassili.pdf"'
    )
    assert web.get("/receipts/file/999").status_code == 404


def test_owner_uploads_a_photo_sent_as_octet_stream(web):
    login(web, OWNER)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    r = upload(web, "E013", "photo", png, "application/octet-stream", csrf_of(web, "/receipts"))
    assert r.status_code == 303
    with web.ledger.read() as s:
        [info] = receipts_of(s, "E013")
    assert (info.media_type, info.uploaded_by) == ("image/png", OWNER[0])
    assert web.get(f"/receipts/file/{info.id}").headers["content-type"] == "image/png"


def test_bad_files_are_refused_with_the_reason(web):
    login(web, OWNER)
    token = csrf_of(web, "/receipts")
    r = upload(web, "E010", "notes.txt", b"ticket perdu", "text/plain", token)
    assert r.status_code == 400
    assert "Justificatif refusé pour la dépense E010" in r.text
    assert "« notes.txt » n'est ni un PDF, ni une image JPEG ou PNG" in html.unescape(r.text)
    assert 'id="exp-E010"' in r.text  # the page is shown again, the expense still listed
    r = upload(web, "E010", "vide.pdf", b"", "application/pdf", token)
    assert r.status_code == 400 and "« vide.pdf » est vide" in r.text
    # the service's own checks: a JPEG declared as a PDF, an expense that does not exist
    r = upload(web, "E010", "x.pdf", b"\xff\xd8\xff\xe0" + b"0" * 20, "application/pdf", token)
    assert r.status_code == 400 and "image/jpeg" in r.text
    r = upload(web, "E999", "x.pdf", small_pdf(), "application/pdf", token)
    assert r.status_code == 400 and "E999" in r.text
    r = web.post(f"/receipts/E010?as_of={AS_OF}", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 400 and "Choisissez un fichier" in r.text
    with web.ledger.read() as s:
        assert receipts_of(s, "E010") == []
    assert flagged(web.ledger) == ["E010", "E011", "E013"]


def test_an_oversized_request_is_refused_before_reading_it(web):
    login(web, OWNER)
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 100_000)
    r = upload(web, "E010", "scan.pdf", big, "application/pdf", csrf_of(web, "/receipts"))
    assert r.status_code == 413
    assert "la limite est 10 Mo" in r.text
    with web.ledger.read() as s:
        assert receipts_of(s, "E010") == []


def test_missing_or_forged_csrf_is_refused(web):
    login(web, OWNER)
    pdf = small_pdf()
    assert upload(web, "E010", "f.pdf", pdf, "application/pdf", None).status_code == 403
    assert upload(web, "E010", "f.pdf", pdf, "application/pdf", "forged").status_code == 403
    with web.ledger.read() as s:
        assert receipts_of(s, "E010") == []
    assert "E010" in flagged(web.ledger)


def test_file_names_are_escaped_on_the_page_and_in_the_header(web):
    nasty = 'fac"ture été <img src=x onerror=alert(1)>\r\n.pdf'
    info = attach_receipt(web.ledger, "E011", nasty, small_pdf(), uploaded_by="<b>x</b>")
    login(web, ACCOUNTANT)
    page = web.get(f"/receipts?as_of={AS_OF}").text
    assert "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    disposition = web.get(f"/receipts/file/{info.id}").headers["content-disposition"]
    fallback = disposition.split('filename="')[1].split('";')[0]
    assert '"' not in fallback and "\r" not in disposition and "\n" not in disposition
    assert "filename*=UTF-8''fac%22ture%20%C3%A9t%C3%A9%20%3Cimg" in disposition


def test_dashboard_links_a_missing_receipt_to_the_page(web):
    login(web, OWNER)
    page = web.get("/dashboard?as_of=2026-02-28").text
    assert 'href="/receipts?as_of=2026-02-28#exp-E010">Justificatif manquant</a>' in page


def test_the_dashboard_counts_the_open_anomalies_like_the_cli(web, capsys):
    """One truth per figure: the dashboard's count is `khazna anomalies`' count, with its period."""
    import json as _json

    from khazna.cli import main

    assert main(["anomalies", "--db", str(web.ledger.url), "--to", "2026-02-28", "--json"]) == 0
    cli = _json.loads(capsys.readouterr().out)["anomalies"]
    login(web, OWNER)
    page = web.get("/dashboard?as_of=2026-02-28").text
    n = len(cli)
    assert n > 0
    word = "anomalie ouverte" if n == 1 else "anomalies ouvertes"
    assert f"{n} {word}" in page and "Aucune anomalie" not in page
