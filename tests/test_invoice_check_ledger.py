"""The invoice checker on the ledger: --number, --all, numbering findings."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from decimal import Decimal

import pytest

from khazna.cli import main
from khazna.ledger.db import Ledger
from khazna.ledger.models import Client, Company, Document, Invoice, InvoiceLine
from khazna.tools.invoice_check.ledger_check import check_ledger, check_number, numbering_findings
from khazna.tools.invoice_check.models import InvoiceReadError
from tests.invoice_check_pdfs import GOOD, good, render

AS_OF = date(2026, 10, 20)
D = Decimal


def _invoice(
    number: str, client: str, ht: str, *, method: str = "virement", stamp: str = "0"
) -> list:
    ht_d = D(ht)
    tva = (ht_d * D("0.19")).quantize(D("0.01"))
    inv = Invoice(
        number=number, client_id=client, issue_date=date(2026, 10, 5), due_date=date(2026, 11, 4),
        payment_method=method, total_ht=ht_d, total_tva=tva, timbre=D(stamp),
        total_ttc=ht_d + tva + D(stamp),
    )  # fmt: skip
    line = InvoiceLine(number=number, position=1, description="Maintenance serveurs",
                       quantity=D("1"), unit="forfait", unit_price_ht=ht_d, tva_rate=D("19"))  # fmt: skip
    return [inv, line]


def _doc(filename: str, number: str, content: bytes, media: str) -> Document:
    return Document(filename=filename, number=number, media_type=media, content=content,
                    sha256=hashlib.sha256(content).hexdigest())  # fmt: skip


@pytest.fixture
def ledger_url(db_url, tmp_path) -> str:
    s, b = GOOD["seller"], GOOD["buyer"]
    ledger = Ledger(db_url)
    with ledger.session() as session:
        session.add(Company(id=1, name=s["name"], legal_form="SARL", capital=D("1000000"),
                            address=s["address"], rc=s["rc"], nif=s["nif"], nis=s["nis"], ai=s["ai"],
                            rib=s["rib"], opening_balance=D("0"), opening_date=date(2026, 1, 1)))  # fmt: skip
        session.add(Client(client_id="C01", name=b["name"], kind="grand_compte", address=b["address"],
                           rc=b["rc"], nif=b["nif"], nis=b["nis"], ai=b["ai"], payment_terms_days=30))  # fmt: skip
        session.add(Client(client_id="C02", name="Karim Benali", kind="particulier"))
        session.flush()
        rows = _invoice("F2026-0140", "C01", "100000.00")
        rows += _invoice("F2026-0141", "C02", "1000.00", method="especes", stamp="0")
        rows += _invoice("F2026-0142", "C01", "150000.00")
        rows += _invoice("F2026-0145", "C01", "20000.00")
        rows += _invoice("F2025-0009", "C01", "20000.00")
        session.add_all(rows)
        session.flush()
        session.add(
            _doc("F2026-0142.json", "F2026-0142", json.dumps(good()).encode(), "application/json")
        )
        pdf = render(good(number="F2026-0142", seller__nif="123"), tmp_path / "x.pdf").read_bytes()
        # a PDF stored for F2026-0145 that prints the number of F2026-0142
        session.add(_doc("F2026-0145.pdf", "F2026-0145", pdf, "application/pdf"))
        session.add(_doc("F2025-0009.pdf", "F2025-0009", b"%PDF-1.4 truncated", "application/pdf"))
    ledger.dispose()
    return db_url


def test_check_number_uses_the_stored_document_or_the_rows(ledger_url) -> None:
    ledger = Ledger(ledger_url)
    with ledger.read() as session:
        stored = check_number(session, "F2026-0142", AS_OF)
        assert stored.source == "documents/F2026-0142.json" and stored.ok and not stored.findings
        built = check_number(session, "F2026-0140", AS_OF)
        assert built.source == "ledger rows" and "tirée des lignes du grand livre" in built.notes[0]
        assert built.ok and built.findings == []
        assert built.document.amount_in_words == "cent dix-neuf mille dinars algériens"
        # a private client: name only; cash without the stamp: TIMBRE_MISSING (1 190 DA → 12 × 1 DA)
        person = check_number(session, "F2026-0141", AS_OF)
        assert [f.code for f in person.findings] == ["TIMBRE_MISSING"]
        assert "droit de timbre de 12,00 DA absent" in person.findings[0].message
        with pytest.raises(InvoiceReadError, match="aucune facture 'F9999'"):
            check_number(session, "F9999", AS_OF)
        with pytest.raises(InvoiceReadError, match="PDF abîmé ou tronqué"):
            check_number(session, "F2025-0009", AS_OF)
    ledger.dispose()


def test_check_ledger_all(ledger_url) -> None:
    ledger = Ledger(ledger_url)
    with ledger.read() as session:
        report = check_ledger(session, AS_OF)
    ledger.dispose()
    by_source = {r.source: r for r in report.invoices}
    assert set(by_source) == {"documents/F2026-0142.json", "documents/F2026-0145.pdf",
                              "documents/F2025-0009.pdf", "ledger rows"}  # fmt: skip
    assert len(report.invoices) == 5
    bad_pdf = by_source["documents/F2025-0009.pdf"]
    assert bad_pdf.error and not bad_pdf.ok
    codes = [(f.code, f.message) for f in report.ledger_findings]
    assert [c for c, _ in codes] == [
        "NUMBER_DUPLICATE",
        "NUMBERING_GAP",
        "DOCUMENT_NUMBER_MISMATCH",
    ]
    assert "F2026-0142 figure 2 fois" in codes[0][1]
    assert "il manque F2026-0143 à F2026-0144 (2 numéros)" in codes[1][1]
    s = report.summary
    assert (s.invoices, s.unreadable, s.ledger_findings) == (5, 1, 3)
    assert s.by_code["SELLER_NIF_INVALID"] == 1 and s.by_code["TIMBRE_MISSING"] == 1


def test_numbering_rules() -> None:
    assert (
        numbering_findings([("F2026-0001", "a", "F2026-0001"), ("F2026-0002", "b", "F2026-0002")])
        == []
    )
    # two files of one invoice are not a duplicate; years are separate series
    entries = [("F2026-0001", "a.pdf", "F2026-0001"), ("F2026-0001", "a.json", "F2026-0001"),
               ("F2025-0007", "l", "F2025-0007"), ("F2026-0002", "l", "F2026-0002")]  # fmt: skip
    assert numbering_findings(entries) == []
    gap = numbering_findings([("F2026-0001", "l", "F2026-0001"), ("F2026-0003", "l", "F2026-0003")])
    assert [f.code for f in gap] == ["NUMBERING_GAP"] and "il manque F2026-0002 ;" in gap[0].message
    dup = numbering_findings([("A2026-1", "x", "A2026-1"), ("A2026-1", "y", "A2026-2")])
    assert [f.code for f in dup] == ["NUMBER_DUPLICATE"]


def test_cli_ledger_modes(ledger_url, capsys) -> None:
    assert (
        main(["check-invoice", "--all", "--json", "--db", ledger_url, "--as-of", "2026-10-20"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"invoices", "ledger_findings", "summary"}
    assert out["summary"]["invoices"] == 5
    assert {"code", "severity", "field", "message"} <= set(out["ledger_findings"][0])
    assert main(["check-invoice", "--number", "F2026-0140", "--db", ledger_url, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["number"] == "F2026-0140" and one["document"]["total_ttc"] == 119000
    assert main(["check-invoice", "--all", "--db", ledger_url, "--as-of", "2026-10-20"]) == 0
    human = capsys.readouterr().out
    assert "✘ F2026-0145" not in human  # the PDF prints F2026-0142: shown under its printed number
    assert "il manque F2026-0143 à F2026-0144 (2 numéros)" in human and "5 factures" in human
    assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", human), human  # no code on the screen
    assert main(["check-invoice", "--number", "F9999", "--db", ledger_url]) == 1
    assert "aucune facture 'F9999'" in capsys.readouterr().err


def test_cli_all_lists_only_problems_unless_verbose(ledger_url, capsys) -> None:
    assert (
        main(["check-invoice", "--all", "--json", "--db", ledger_url, "--as-of", "2026-10-20"]) == 0
    )
    results = json.loads(capsys.readouterr().out)["invoices"]
    clean = [r["number"] for r in results if r["ok"] and not r["findings"] and not r["error"]]
    flagged = [r["number"] for r in results if r["number"] not in clean]
    assert clean and flagged  # the fixture has both kinds
    assert main(["check-invoice", "--all", "--db", ledger_url, "--as-of", "2026-10-20"]) == 0
    human = capsys.readouterr().out
    assert "aucune remarque" not in human
    for number in clean:
        assert f"✔ {number} " not in human
    for number in flagged:
        assert f" {number}  [" in human
    n = len(clean)
    hidden = (
        "1 facture sans constat n'est pas affichée"
        if n == 1
        else f"{n} factures sans constat ne sont pas affichées"
    )
    assert f"({hidden} : --verbose pour tout voir)" in human
    assert "5 factures" in human  # the summary still counts every invoice
    assert (
        main(["check-invoice", "--all", "--verbose", "--db", ledger_url, "--as-of", "2026-10-20"])
        == 0
    )
    verbose = capsys.readouterr().out
    assert verbose.count("aucune remarque") == n
    assert all(f"✔ {number} " in verbose for number in clean)
    assert "--verbose pour tout voir" not in verbose


def test_a_finding_on_many_invoices_is_said_once_with_its_count() -> None:
    """Issue 13.7: the demo's --all printed 130 times « Mention absente : le registre du
    commerce (RC) du client »; issue 11/13: bundle13 printed 2 909 lines, the same RIB error
    on all 725 invoices. A finding, error or warning, repeated on 5 invoices or more is said
    once, with how many and which (errors first)."""
    from types import SimpleNamespace as NS

    from khazna.commands.check_invoice_cmd import repeated_findings

    rc = NS(severity="warning", code="BUYER_RC_MISSING", message="Mention absente : RC.")
    nif = NS(severity="error", code="SELLER_NIF_INVALID", message="NIF mal formé.")
    results = [NS(number=f"F{i}", source="x", findings=[rc, nif]) for i in range(5)]
    assert list(repeated_findings(results).items()) == [
        (("error", "SELLER_NIF_INVALID", "NIF mal formé."), [f"F{i}" for i in range(5)]),
        (("warning", "BUYER_RC_MISSING", "Mention absente : RC."), [f"F{i}" for i in range(5)]),
    ]
    assert repeated_findings(results[:4]) == {}


def test_an_invoice_with_only_a_repeated_warning_is_not_listed_one_by_one(capsys) -> None:
    from types import SimpleNamespace as NS

    from khazna.commands.check_invoice_cmd import _has_remarks, _print_result, repeated_findings

    rc = NS(severity="warning", code="BUYER_RC_MISSING", message="Mention absente : RC.")
    nif = NS(severity="error", code="SELLER_NIF_INVALID", message="NIF mal formé.")
    only_rc = [
        NS(number=f"F{i}", source="x", ok=True, error="", fields={}, notes=[], findings=[rc])
        for i in range(6)
    ]
    both = NS(number="F9", source="x", ok=False, error="", fields={}, notes=[], findings=[rc, nif])
    repeated = repeated_findings([*only_rc, both])
    assert not _has_remarks(only_rc[0], repeated) and _has_remarks(only_rc[0])
    assert _has_remarks(both, repeated)
    _print_result(both, repeated)
    out = capsys.readouterr().out
    assert "✘ NIF mal formé." in out and "RC" not in out and "SELLER_NIF_INVALID" not in out


def test_a_company_level_error_is_one_line_and_the_source_is_in_french(capsys) -> None:
    """Issue 11/13: one RIB error on every invoice is one line « sur N factures : … »; an
    invoice with only repeated findings is counted, not listed; the tag is in French."""
    from types import SimpleNamespace as NS

    from khazna.commands import check_invoice_cmd as cmd

    rib = NS(severity="error", code="SELLER_RIB_INVALID", message="RIB « 1 » invalide.")
    stamp = NS(severity="error", code="TIMBRE_WRONG", message="Droit de timbre faux.")
    results = [
        NS(number=f"F{i}", source="ledger rows", ok=False, error="", fields={},
           notes=["tirée des lignes"], findings=[rib] + ([stamp] if i == 3 else []))
        for i in range(8)
    ]  # fmt: skip
    repeated = cmd.repeated_findings(results)
    assert [k[2] for k in repeated] == ["RIB « 1 » invalide.", "tirée des lignes"]
    assert [r.number for r in results if cmd._has_remarks(r, repeated)] == ["F3"]
    cmd._print_result(results[3], repeated)
    out = capsys.readouterr().out
    assert "[lignes du grand livre]" in out and "ledger rows" not in out
    assert "Droit de timbre faux." in out and "RIB" not in out and "tirée" not in out
