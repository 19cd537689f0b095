"""Receipts: missing ones grouped per person (card holder included), one reminder per
person per week, attaching a file clears the anomaly, bad files are refused."""

from __future__ import annotations

import email
from datetime import date
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from khazna.agents.deps import AgentDeps
from khazna.cli import main
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Expense
from khazna.ledger.tables_mail import MailMessage
from khazna.mail.receipts import send_receipt_reminders
from khazna.mail.transport import FileOutbox
from khazna.money import format_dzd
from khazna.tools.anomalies import AnomaliesInput, detect_anomalies
from khazna.tools.receipts import (
    ReceiptError,
    attach_receipt,
    missing_receipts,
    set_person_email,
)
from tests.bundles import FILES, write_bundle

OWNER = "gerant@atlas.example.dz"
AS_OF = date(2026, 3, 5)  # a Thursday
EXPENSES = FILES["expenses.csv"] + (
    "E010,2026-02-02,,Restaurant Le Tassili,restaurant,9000.00,carte,CB1,,K. Benali,CARD-01,no,\n"
    "E011,2026-02-03,,Naftal Hydra,carburant,7000.00,carte,CB2,,,CARD-01,no,\n"
    "E012,2026-02-04,,Naftal Hydra,carburant,3000.00,carte,CB3,,K. Benali,CARD-01,yes,\n"
    "E016,2026-02-09,,Naftal Hydra,carburant,2000.00,carte,CB4,,A. Boudiaf,CARD-01,yes,\n"
    "E013,2026-02-05,,Hôtel El Djazair,deplacements,12000.00,virement,VI1,,A. Boudiaf,,no,\n"
    "E014,2026-02-06,,Caisse,fournitures,6000.00,especes,,,,,no,\n"
    "E015,2026-02-07,,Caisse,fournitures,4000.00,especes,,,,,no,\n"
    "E017,2026-02-08,,CNAS,cotisations_sociales,90000.00,virement,,,,,no,\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    bundle = write_bundle(tmp_path / "bundle", expenses_csv=EXPENSES)
    led = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    import_bundle(led, bundle, replace=True)
    yield led
    led.dispose()


def test_missing_receipts_grouped_per_person_with_the_card_holder(ledger):
    with ledger.read() as s:
        groups = {g.person: [i.expense_id for i in g.items] for g in missing_receipts(s, AS_OF)}
    # E011 has no employee: CARD-01 is K. Benali's (2 expenses) rather than A. Boudiaf's (1).
    # E015 is under the 5 000 DA threshold, E017 is a social contribution (no receipt).
    assert groups == {"K. Benali": ["E010", "E011"], "A. Boudiaf": ["E013"], "": ["E014"]}


def _bodies(outbox: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for f in outbox.glob("*.eml"):
        m = email.message_from_bytes(f.read_bytes(), policy=policy.default)
        out[m["Subject"]] = (m["To"], m.get_body(("plain",)).get_content())
    return out


def test_one_grouped_reminder_per_person_per_week(ledger, tmp_path):
    with ledger.session() as s:
        set_person_email(s, "K. Benali", "k.benali@atlas.example.dz")
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    env = {"KHAZNA_OWNER_EMAIL": OWNER}

    sent = send_receipt_reminders(deps, AS_OF, environ=env)
    assert {r.person: (r.to, r.expense_ids) for r in sent} == {
        "K. Benali": (["k.benali@atlas.example.dz"], ["E010", "E011"]),
        "A. Boudiaf": ([OWNER], ["E013"]),
        "": ([OWNER], ["E014"]),
    }
    assert all(r.mail_state == "sent" for r in sent)
    mails = _bodies(tmp_path / "outbox")
    assert len(mails) == 3
    ((to, body),) = [v for k, v in mails.items() if "2 dépenses" in k]
    assert to == "k.benali@atlas.example.dz"
    assert f"E010 du 02/02/2026 — Restaurant Le Tassili — {format_dzd(9000)}" in body
    assert f"E011 du 03/02/2026 — Naftal Hydra — {format_dzd(7000)}" in body
    assert f"Total : {format_dzd(16000)}" in body
    # No address for A. Boudiaf: the owner gets it, with the name in the subject.
    assert any(k.endswith("— A. Boudiaf") and v[0] == OWNER for k, v in mails.items())

    # Same working week (Sunday 1/3 .. Thursday 5/3): nothing more.
    assert send_receipt_reminders(deps, date(2026, 3, 5), environ=env) == []
    assert send_receipt_reminders(deps, date(2026, 3, 3), environ=env) == []
    # Next week, still missing: reminded again.
    again = send_receipt_reminders(deps, date(2026, 3, 8), environ=env)
    assert sorted(r.person for r in again) == ["", "A. Boudiaf", "K. Benali"]
    with ledger.read() as s:
        kinds = s.scalars(select(MailMessage.kind)).all()
    assert kinds == ["receipt_reminder"] * 6


def test_attach_marks_the_expense_and_clears_the_anomaly(ledger):
    def missing() -> list[str]:
        with ledger.read() as s:
            out = detect_anomalies(s, AnomaliesInput(date_to=AS_OF, kinds=["missing_receipt"]))
        return sorted(a.refs[0] for a in out.anomalies)

    assert "E010" in missing()
    info = attach_receipt(ledger, "E010", "ticket.png", PNG, "image/png", uploaded_by="K. Benali")
    assert info.media_type == "image/png" and info.size == len(PNG) and not info.already_attached
    assert "E010" not in missing()
    with ledger.read() as s:
        assert s.get(Expense, "E010").receipt == "yes"
        groups = {g.person: [i.expense_id for i in g.items] for g in missing_receipts(s, AS_OF)}
    assert groups["K. Benali"] == ["E011"]
    # The same file again is stored once; a PDF without a declared type is recognised.
    assert attach_receipt(ledger, "E010", "ticket.png", PNG, None).already_attached
    assert attach_receipt(ledger, "E013", "hotel.pdf", PDF).media_type == "application/pdf"


@pytest.mark.parametrize(
    ("content", "declared", "expense", "message"),
    [
        (b"just some text", "text/plain", "E010", "ni un PDF, ni un JPEG, ni un PNG"),
        (
            PNG,
            "application/pdf",
            "E010",
            "déclaré application/pdf mais le contenu est image/png",
        ),
        (b"", None, "E010", "vide"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), None, "E010", "la limite est de 10 Mo"),
        (PDF, None, "E999", "dépense 'E999' introuvable"),
    ],
)
def test_bad_receipts_are_refused_with_a_clear_message(ledger, content, declared, expense, message):
    with pytest.raises(ReceiptError, match=message):
        attach_receipt(ledger, expense, "x", content, declared)
    with ledger.read() as s:
        assert s.get(Expense, "E010").receipt == "no"


def test_cli_attach_list_and_people(ledger, tmp_path, capsys):
    bad = tmp_path / "note.txt"
    bad.write_text("pas un justificatif")
    assert main(["receipts", "attach", "E010", str(bad), "--db", ledger.url]) == 1
    assert "ni un PDF, ni un JPEG, ni un PNG" in capsys.readouterr().err
    good = tmp_path / "ticket.jpg"
    good.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    assert main(["receipts", "attach", "E010", str(good), "--db", ledger.url, "--json"]) == 0
    assert '"media_type": "image/jpeg"' in capsys.readouterr().out
    assert (
        main(
            [
                "receipts",
                "people",
                "set",
                "A. Boudiaf",
                "a.boudiaf@atlas.example.dz",
                "--db",
                ledger.url,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["receipts", "list", "--as-of", "2026-03-05", "--db", ledger.url]) == 0
    out = capsys.readouterr().out
    assert f"A. Boudiaf — 1 dépense, {format_dzd(12000)} — a.boudiaf@atlas.example.dz" in out
    assert "E010" not in out and "E011" in out
