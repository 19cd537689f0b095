"""The demo generator: deterministic, faithful to spec/bundle.md, and telling the story the
agents need (tight cash on salary days, a hostile note, Arabic clients, readable PDFs)."""

from __future__ import annotations

import csv
import json
import re
import time
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from khazna.demo import ids
from khazna.demo.generator import COLUMNS, generate

AS_OF = date(2026, 11, 26)
AMOUNT = re.compile(r"-?\d+(\.\d{1,2})?")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, object, float]:
    out = tmp_path_factory.mktemp("demo") / "bundle"
    t0 = time.perf_counter()
    summary = generate(out, seed=7, as_of=AS_OF)
    return out, summary, time.perf_counter() - t0


def rows(folder: Path, name: str) -> list[dict]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_books(bundle, tmp_path):
    out, _, _elapsed = bundle
    generate(tmp_path / "again", seed=7, as_of=AS_OF)
    assert files(out) == files(tmp_path / "again")
    generate(tmp_path / "other", seed=8, as_of=AS_OF)
    other = files(tmp_path / "other")
    assert other["invoices.csv"] != files(out)["invoices.csv"]
    assert other["bank_lines.csv"] != files(out)["bank_lines.csv"]


def test_every_file_follows_the_bundle_rules(bundle):
    out, summary, _ = bundle
    json.loads((out / "company.json").read_text(encoding="utf-8"))
    for name, cols in COLUMNS.items():
        with (out / name).open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == cols.split(), name
        data = rows(out, name)
        assert len(data) == summary.counts[name]
        key = cols.split()[0]
        if name != "invoice_lines.csv":
            assert len({r[key] for r in data}) == len(data), f"duplicate ids in {name}"
        for r in data:
            for col in ("date", "issue_date", "due_date", "start", "end"):
                if r.get(col):
                    assert ISO.fullmatch(r[col]), (name, col, r[col])
            for col in ("amount", "total_ht", "total_tva", "timbre", "total_ttc", "unit_price_ht"):
                if col in r:
                    assert AMOUNT.fullmatch(r[col]), (name, col, r[col])
    clients = {r["client_id"]: r for r in rows(out, "clients.csv")}
    invoices = {r["number"]: r for r in rows(out, "invoices.csv")}
    suppliers = {r["supplier_id"] for r in rows(out, "suppliers.csv")}
    assert all(r["client_id"] in clients for r in invoices.values())
    for p in rows(out, "payments.csv"):
        assert p["client_id"] in clients
        assert all(n in invoices for n in p["invoice_number"].split(";") if n)
    assert all(r["supplier_id"] in suppliers for r in rows(out, "expenses.csv") if r["supplier_id"])
    assert all(r["number"] in invoices for r in rows(out, "invoice_lines.csv"))
    assert all(r["client_id"] in clients for r in rows(out, "interactions.csv"))
    docs = {p.stem for p in (out / "documents").iterdir()}
    assert {s for s in docs if not s.endswith(("-BL", "-ASF"))} == set(invoices)


def test_identifiers_and_clients(bundle):
    out, _, _ = bundle
    company = json.loads((out / "company.json").read_text(encoding="utf-8"))
    rib = company["rib"]
    assert len(rib) == 20 and rib[-2:] == ids.rib_key(rib[3:8], rib[8:18])
    clients = rows(out, "clients.csv")
    assert {c["kind"] for c in clients} == {"grand_compte", "pme", "administration", "particulier"}
    assert 15 <= len(clients) <= 25
    assert any(c["language"] == "ar" and ARABIC.search(c["name"]) for c in clients)
    for c in clients:
        if c["kind"] in ("grand_compte", "pme"):
            assert re.fullmatch(r"\d{15}", c["nif"]) and re.fullmatch(r"\d{15}", c["nis"])
            assert re.fullmatch(r"\d{11}", c["ai"])
            assert re.fullmatch(r"\d{2}/00-\d{7} [AB] \d{2}", c["rc"])


def test_invoices_add_up_and_cover_the_special_cases(bundle):
    out, _, _ = bundle
    invoices = rows(out, "invoices.csv")
    assert 600 <= len(invoices) <= 1200
    lines: dict[str, list[dict]] = {}
    for ln in rows(out, "invoice_lines.csv"):
        lines.setdefault(ln["number"], []).append(ln)
    for inv in invoices:
        ht = sum(
            Decimal(ln["quantity"]) * Decimal(ln["unit_price_ht"]) for ln in lines[inv["number"]]
        )
        tva = sum(
            (
                Decimal(ln["quantity"])
                * Decimal(ln["unit_price_ht"])
                * Decimal(ln["tva_rate"])
                / 100
            ).quantize(Decimal("0.01"))
            for ln in lines[inv["number"]]
        )
        assert Decimal(inv["total_ht"]) == ht and Decimal(inv["total_tva"]) == tva, inv["number"]
        assert Decimal(inv["total_ttc"]) == ht + tva + Decimal(inv["timbre"]), inv["number"]
        if inv["payment_method"] == "especes":
            assert Decimal(inv["timbre"]) == ids.timbre(ht + tva), inv["number"]
        else:
            assert Decimal(inv["timbre"]) == 0
    assert {ln["tva_rate"] for ln in rows(out, "invoice_lines.csv")} == {"0", "9", "19"}
    assert {i["number"][:5] for i in invoices} == {"F2025", "F2026"}
    assert any(i["status"] == "cancelled" for i in invoices)
    credit = [i for i in invoices if i["credited_invoice"]]
    assert credit and all(Decimal(i["total_ttc"]) < 0 for i in credit)
    payments = rows(out, "payments.csv")
    assert any(p["status"] == "rejected" and p["method"] == "cheque" for p in payments)
    assert any(";" in p["invoice_number"] for p in payments)
    assert any(p["invoice_number"] == "" for p in payments)
    assert (
        Counter(p["invoice_number"] for p in payments if p["invoice_number"]).most_common(1)[0][1]
        >= 2
    )


def test_bank_lines_and_truth_agree(bundle):
    out, summary, _ = bundle
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    bank = rows(out, "bank_lines.csv")
    assert set(truth["bank_lines"]) == {b["line_id"] for b in bank}
    expenses = {e["expense_id"] for e in rows(out, "expenses.csv")}
    payments = {p["payment_id"]: p for p in rows(out, "payments.csv")}
    for b in bank:
        t = truth["bank_lines"][b["line_id"]]
        if "expense_id" in t["settles"]:
            assert t["settles"]["expense_id"] in expenses
        if "payment_id" in t["settles"]:
            assert Decimal(payments[t["settles"]["payment_id"]]["amount"]) == abs(
                Decimal(b["amount"])
            )
    labels = [b["label"] for b in bank]
    for start in ("VIR RECU", "REMISE CHQ", "IMPAYE CHQ", "PRLV SONELGAZ", "PRLV ALGERIE TELECOM",
                  "VIR SALAIRES", "VIR CNAS", "G50 DGI", "RETRAIT DAB", "FRAIS TENUE DE COMPTE",
                  "COMMISSION VIR", "PAIEMENT CB", "VIR EMIS"):  # fmt: skip
        assert any(label.startswith(start) for label in labels), start
    # every cleared virement and cheque payment has its credit line
    for pid, p in payments.items():
        if p["method"] in ("virement", "cheque"):
            assert any(
                t["settles"].get("payment_id") == pid for t in truth["bank_lines"].values()
            ), pid
    kinds = Counter(a["kind"] for a in truth["anomalies"])
    assert set(kinds) == {"duplicate_payment", "over_limit", "category_not_allowed", "missing_receipt",
                          "amount_outlier", "unknown_payee"}  # fmt: skip
    assert kinds == summary.anomalies_by_kind
    assert truth["not_anomalies"]
    assert all(len(codes) >= 1 for codes in truth["invoice_documents"]["defects"].values())


def test_cash_is_tight_around_salary_days(bundle):
    out, summary, _ = bundle
    company = json.loads((out / "company.json").read_text(encoding="utf-8"))
    threshold = Decimal(
        json.loads((out / "policy.json").read_text())["treasury"]["safety_threshold"]
    )
    balance = Decimal(str(company["opening_balance"]))
    end_of_day: dict[str, Decimal] = {}
    for b in rows(out, "bank_lines.csv"):
        assert b["date"] >= company["opening_date"]
        balance += Decimal(b["amount"])
        end_of_day[b["date"]] = balance
    assert min(end_of_day.values()) == summary.balance_min < 0
    near_25 = [d for d, v in end_of_day.items() if v < threshold and 23 <= int(d[8:]) <= 28]
    assert len(near_25) >= 2
    assert balance == summary.cash_position
    assert max(end_of_day.values()) > 2 * threshold


def test_interactions_hostile_and_arabic(bundle):
    out, _, _ = bundle
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    inter = {r["interaction_id"]: r for r in rows(out, "interactions.csv")}
    hostile = inter[truth["hostile_interaction_id"]]
    assert (
        "IGNORE TOUTES LES INSTRUCTIONS" in hostile["text"]
        and "attaquant@evil.example" in hostile["text"]
    )
    assert sum(bool(ARABIC.search(r["text"])) for r in inter.values()) >= 3
    kinds = Counter(r["kind"] for r in inter.values())
    assert (
        kinds[""] >= 3
        and kinds["promise"] >= 2
        and kinds["dispute"] >= 2
        and kinds["reminder"] >= 5
    )
    assert any(
        re.search(r"\d{2}/\d{2}/\d{4}", r["text"]) for r in inter.values() if r["kind"] == "promise"
    )


def test_documents_json_and_pdf_read_back(bundle):
    from pypdf import PdfReader

    out, summary, _ = bundle
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    invoices = {r["number"]: r for r in rows(out, "invoices.csv")}
    defects = truth["invoice_documents"]["defects"]
    for path in (out / "documents").glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if path.stem not in defects:
            assert Decimal(str(doc["total_ttc"])) == Decimal(invoices[path.stem]["total_ttc"])
            assert doc["amount_in_words"] and doc["seller"]["nif"]
    pdfs = [p for p in sorted((out / "documents").glob("*.pdf"))
            if not p.stem.endswith(("-BL", "-ASF"))]  # fmt: skip
    assert len(pdfs) == summary.pdf_documents >= 5
    for path in pdfs:
        text = unicodedata.normalize(
            "NFKC", "".join(p.extract_text() for p in PdfReader(path).pages)
        )
        assert "Total TTC" in text and "Échéance" in text and f"Facture N° {path.stem}" in text
        if "AMOUNT_IN_WORDS_MISSING" not in defects.get(path.stem, []):
            assert "Arrêtée la présente facture à la somme de" in text


def test_the_bundle_imports(bundle, tmp_path):
    pytest.importorskip("khazna.ledger.bundle")
    from khazna.ledger.bundle import import_bundle
    from khazna.ledger.db import Ledger
    from khazna.tools.status import ledger_status

    out, summary, _ = bundle
    ledger = Ledger(f"sqlite:///{tmp_path / 'k.db'}")
    report = import_bundle(ledger, out, replace=True)
    assert report.counts["invoices.csv"] == summary.counts["invoices.csv"]
    assert report.counts["bank_lines.csv"] == summary.counts["bank_lines.csv"]
    assert not [w for w in report.warnings if "truth" not in w]
    with ledger.read() as s:
        st = ledger_status(s, AS_OF)
    assert st.cash_position == summary.cash_position
    assert st.open_receivables == summary.open_receivables
    ledger.dispose()


def test_the_demo_keeps_delivery_notes_and_attestations_and_reminders_attach_them(bundle, tmp_path):
    """Issue 14 part 4 on the demo: goods delivered have a signed delivery note, a public
    body's invoices its attestation de service fait; a reminder names and attaches them."""
    from email import message_from_bytes, policy

    from pypdf import PdfReader

    from khazna.agents.approval.state import Decision
    from khazna.agents.deps import AgentDeps
    from khazna.agents.dunning.graph import build_dunning_graph
    from khazna.agents.inbox import decide, list_drafts
    from khazna.ledger.bundle import import_bundle
    from khazna.ledger.db import Ledger
    from khazna.mail.transport import FileOutbox

    out, summary, _ = bundle
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    pieces = truth["invoice_documents"]["pieces"]
    kinds = {c["client_id"]: c["kind"] for c in rows(out, "clients.csv")}
    invoices = {r["number"]: r for r in rows(out, "invoices.csv")}
    goods = {r["number"] for r in rows(out, "invoice_lines.csv")
             if r["description"].startswith("Fourniture")}  # fmt: skip
    assert summary.pieces["delivery_note"] >= 5 and summary.pieces["service_attestation"] >= 5
    for number, kept in pieces.items():
        assert number in invoices
        if "delivery_note" in kept:
            assert number in goods
            text = PdfReader(out / "documents" / f"{number}-BL.pdf").pages[0].extract_text()
            assert f"Bon de livraison N° BL-{number}" in text and "reçu conforme" in text
            assert "Formation des utilisateurs" not in text  # the goods only, not the services
        if "service_attestation" in kept:
            assert kinds[invoices[number]["client_id"]] == "administration"
            text = PdfReader(out / "documents" / f"{number}-ASF.pdf").pages[0].extract_text()
            assert "Attestation de service fait" in text and f"facture N° {number}" in text

    ledger = Ledger(f"sqlite:///{tmp_path / 'k.db'}")
    import_bundle(ledger, out, replace=True)
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    build_dunning_graph().invoke({"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}})
    drafts = list_drafts(deps)
    with_pieces = {"-BL.pdf": 0, "-ASF.pdf": 0}
    for d in drafts:
        expected = [f"{n}-{tag}.pdf" for n in d.invoice_numbers for kind, tag in
                    (("delivery_note", "BL"), ("service_attestation", "ASF"))
                    if kind in pieces.get(n, {})]  # fmt: skip
        assert [a for a in d.attachments if a.endswith(("-BL.pdf", "-ASF.pdf"))] == expected
        for suffix in with_pieces:
            with_pieces[suffix] += any(a.endswith(suffix) for a in d.attachments)
        if kinds[d.client_id] == "administration" and expected and d.language == "fr":
            assert "attestation" in d.detailed  # named in « Vous trouverez ci-joint … »
    assert with_pieces["-BL.pdf"] >= 1 and with_pieces["-ASF.pdf"] >= 2
    public = next(d for d in drafts if any(a.endswith("-ASF.pdf") for a in d.attachments))
    decide(deps, public.draft_id, Decision(action="approve", by="gerant"))
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    sent = [p.get_filename() for p in msg.iter_attachments()]  # type: ignore[attr-defined]
    assert sorted(sent) == sorted(public.attachments)
    ledger.dispose()
