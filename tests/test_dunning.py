"""The dunning rule of spec/cli.md, the drafts it produces, and their tone."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.dunning.leave_out import LeaveOutError, leave_out
from khazna.agents.inbox import get_draft, list_drafts
from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Document, Invoice
from khazna.ledger.tables_agents import DraftStatus
from khazna.tools.dunning import level_on, select_reminders
from khazna.tools.invoice_check.ledger_check import document_from_rows
from tests.bundles import write_bundle

CAL = WorkingCalendar.load()
LEVELS = [3, 10, 30]

CLIENTS = """client_id,name,kind,email,phone,language,payment_terms_days,nif,nis,rc,ai,address
C01,Laiterie Tell,pme,compta@tell.example.dz,,fr,30,,,,,Blida
C02,Sonatel SPA,grand_compte,dfc@sonatel.example.dz,,fr,30,,,,,Hydra
C03,Direction de l'Éducation,administration,daf@education.example.dz,,ar,30,,,,,Alger
C04,Karim Belkacem,particulier,karim@example.dz,,fr,30,,,,,Oran
"""
INVOICES = """number,client_id,issue_date,due_date,payment_method,total_ht,total_tva,timbre,total_ttc,status,credited_invoice
F2026-0101,C01,2026-10-20,2026-11-19,virement,100000.00,19000.00,0,119000.00,issued,
F2026-0102,C01,2026-09-20,2026-10-20,virement,50000.00,9500.00,0,59500.00,issued,
F2026-0103,C02,2026-10-25,2026-11-24,virement,200000.00,38000.00,0,238000.00,issued,
F2026-0104,C03,2026-09-29,2026-10-29,virement,300000.00,57000.00,0,357000.00,issued,
F2026-0105,C04,2026-10-10,2026-11-10,virement,10000.00,1900.00,0,11900.00,issued,
F2026-0106,C02,2026-10-01,2026-10-31,virement,80000.00,15200.00,0,95200.00,issued,
"""
EMPTY_PAYMENTS = "payment_id,date,client_id,invoice_number,amount,method,reference,status\n"
EMPTY_INTERACTIONS = "interaction_id,client_id,date,channel,direction,kind,text\n"


def _ledger(db_url: str, tmp_path, interactions: str = EMPTY_INTERACTIONS) -> Ledger:
    ledger = Ledger(db_url)
    import_bundle(
        ledger,
        write_bundle(
            tmp_path / "b",
            clients_csv=CLIENTS,
            invoices_csv=INVOICES,
            invoice_lines_csv=None,
            payments_csv=EMPTY_PAYMENTS,
            interactions_csv=interactions,
        ),
    )
    return ledger


@pytest.mark.parametrize(
    ("due", "as_of", "level"),
    [
        (date(2026, 11, 19), date(2026, 11, 21), 0),  # +3 = Sun 22: not yet on Sat 21
        (date(2026, 11, 19), date(2026, 11, 22), 1),
        (date(2026, 11, 24), date(2026, 11, 28), 0),  # +3 = Fri 27 → Sun 29
        (date(2026, 11, 24), date(2026, 11, 29), 1),
        (date(2026, 10, 29), date(2026, 11, 1), 0),  # +3 = Sun 1 Nov, a holiday → Mon 2
        (date(2026, 10, 29), date(2026, 11, 2), 1),
        (date(2026, 11, 10), date(2026, 11, 20), 1),  # +10 = Fri 20 → Sun 22
        (date(2026, 11, 10), date(2026, 11, 22), 2),
        (date(2026, 10, 20), date(2026, 11, 19), 3),  # +30 = Thu 19
        (date(2026, 10, 20), date(2026, 11, 18), 2),
    ],
)
def test_levels_fall_on_working_days(due, as_of, level):
    assert level_on(due, as_of, LEVELS, CAL) == level


def test_one_draft_per_client_at_its_highest_level(db_url, tmp_path):
    ledger = _ledger(db_url, tmp_path)
    with ledger.read() as s:
        sel = select_reminders(s, date(2026, 11, 22), CAL)
    plans = {p.client_id: p for p in sel.plans}
    # C01: F0102 is 33 days late (level 3), F0101 3 days (level 1) → one level-3 draft for both
    assert plans["C01"].level == 3
    assert [i.number for i in plans["C01"].invoices] == ["F2026-0102", "F2026-0101"]
    assert plans["C03"].level == 2 and plans["C04"].level == 2  # 24 and 12 days late
    assert plans["C02"].level == 2  # F0106 due 31/10: 22 days; F0103 due 24/11 not yet
    assert [i.number for i in plans["C02"].invoices] == ["F2026-0106"]


def test_disputes_and_promises_pause_reminders(db_url, tmp_path):
    interactions = EMPTY_INTERACTIONS + (
        "I1,C03,2026-11-01,letter,in,,نعترض على الفاتورة F2026-0104 لأن الخدمة غير مطابقة\n"
        "I2,C04,2026-11-15,phone,in,promise,Je paierai le 30/11/2026\n"
        "I3,C02,2026-11-02,email,in,promise,Règlement prévu le 10/11/2026\n"
    )
    ledger = _ledger(db_url, tmp_path, interactions)
    with ledger.read() as s:
        sel = select_reminders(s, date(2026, 11, 22), CAL)
    skipped = {k.number: (k.reason, k.ref) for k in sel.skipped}
    assert skipped["F2026-0104"] == ("dispute", "I1")  # inferred from the Arabic text
    assert skipped["F2026-0105"] == ("promise", "I2")  # promised date not passed
    assert "F2026-0106" not in skipped  # C02's promise date (10/11) has passed
    assert {p.client_id for p in sel.plans} == {"C01", "C02"}


def test_running_twice_creates_nothing_new_and_levels_are_not_repeated(db_url, tmp_path):
    ledger = _ledger(db_url, tmp_path)
    deps = AgentDeps(ledger=ledger)
    graph = build_dunning_graph()
    cfg = {"configurable": {"deps": deps}}
    first = graph.invoke({"as_of": date(2026, 11, 22), "run_id": "a"}, cfg)
    assert len(first["drafts"]) == 4
    again = graph.invoke({"as_of": date(2026, 11, 22), "run_id": "b"}, cfg)
    assert again["drafts"] == []
    assert {k["reason"] for k in again["skipped"]} == {"pending_draft"}
    # next day, still pending: nothing new either
    assert graph.invoke({"as_of": date(2026, 11, 23), "run_id": "c"}, cfg)["drafts"] == []


def test_tone_language_and_formal_notice(db_url, tmp_path):
    ledger = _ledger(db_url, tmp_path)
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a"}, {"configurable": {"deps": deps}}
    )
    drafts = {d.client_id: d for d in list_drafts(deps)}
    pme, big, admin, person = drafts["C01"], drafts["C02"], drafts["C03"], drafts["C04"]
    assert pme.subject.startswith("Mise en demeure") and "mettons en demeure" in pme.detailed
    assert "injonction de payer" in pme.detailed
    # the formal demand covers only the invoice in default (F2026-0102, 33 days late);
    # F2026-0101 (3 days late) is recalled in its own paragraph, outside the deadline
    text = pme.detailed.replace("\u202f", " ")
    demand = next(p for p in text.split("\n\n") if "mettons en demeure" in p)
    assert "59 500,00 DA" in demand and "8 jours ouvrables" in demand
    assert "119 000,00 DA" not in demand
    others = next(p for p in text.split("\n\n") if p.startswith("Par ailleurs"))
    assert "F2026-0101" in others and "119 000,00 DA" in others
    assert sorted(pme.invoice_numbers) == ["F2026-0101", "F2026-0102"]
    # a formal notice is formal for a PME too
    assert text.startswith("Madame, Monsieur,") and "Bonjour" not in text
    assert "bonne journée" not in text and "haute considération" in text
    assert big.detailed.startswith("Madame, Monsieur,") and "haute considération" in big.detailed
    assert (
        admin.language == "ar" and "\u200f" in admin.detailed and "الخدمة المنجزة" in admin.detailed
    )
    assert person.detailed.startswith("Bonjour Karim Belkacem,")
    assert pme.to == ["compta@tell.example.dz"]
    assert pme.attachments == ["F2026-0102.pdf", "F2026-0101.pdf"]
    # urgency order: level, then amount
    assert [d.client_id for d in list_drafts(deps)] == ["C01", "C03", "C02", "C04"]


def test_payment_plan_when_lateness_repeats(db_url, tmp_path):
    interactions = EMPTY_INTERACTIONS + (
        "I1,C04,2026-08-01,email,out,reminder,Rappel de paiement facture F2025-0001\n"
        "I2,C04,2026-09-01,email,out,reminder,Deuxième relance facture F2025-0002\n"
    )
    ledger = _ledger(db_url, tmp_path, interactions)
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a"}, {"configurable": {"deps": deps}}
    )
    person = next(d for d in list_drafts(deps) if d.client_id == "C04")
    plan = person.facts["plan"]
    assert len(plan) == 3 and sum(float(p["amount"]) for p in plan) == pytest.approx(11900.00)
    assert "échéancier" in person.detailed
    # those reminders were about other invoices: the letter about F2026-0105 cites none
    assert "01/09/2026" not in person.detailed and "01/08/2026" not in person.detailed
    assert person.facts["history"] is None
    # nor calls itself a second reminder: the first one about F2026-0105 never went out
    assert "Deuxième relance" not in person.subject + person.short
    assert person.subject.startswith("Relance de paiement")


def test_history_cites_only_exchanges_about_the_same_invoices(db_url, tmp_path):
    interactions = EMPTY_INTERACTIONS + (
        "I1,C04,2026-09-01,email,out,reminder,Deuxième relance facture F2025-0002\n"
        "I2,C04,2026-11-14,email,out,reminder,Rappel de paiement facture F2026-0105\n"
    )
    ledger = _ledger(db_url, tmp_path, interactions)
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a"}, {"configurable": {"deps": deps}}
    )
    person = next(d for d in list_drafts(deps) if d.client_id == "C04")
    assert "rappel le 14/11/2026 au sujet de la facture F2026-0105" in person.detailed
    assert "01/09/2026" not in person.detailed
    assert person.facts["history"]["interaction_id"] == "I2"


def test_a_first_reminder_at_level_3_does_not_claim_earlier_ones(db_url, tmp_path):
    ledger = _ledger(db_url, tmp_path)
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a"}, {"configurable": {"deps": deps}}
    )
    pme = next(d for d in list_drafts(deps) if d.client_id == "C01")
    assert pme.level == 3 and "rappels" not in pme.detailed.split("\n\n")[1]
    assert "largement dépassée" in pme.detailed


def test_an_invoice_the_checker_finds_wrong_is_flagged_and_can_be_left_out(
    db_url, tmp_path, capsys
):
    """Issue 14 part 3: the draft says which invoice is wrong, the owner leaves it out, the
    letter is written again without it (totals, level, notice), still pending."""
    ledger = _ledger(db_url, tmp_path)
    with ledger.session() as s:  # the issued document of F2026-0102 states wrong words
        doc = document_from_rows(s, s.get(Invoice, "F2026-0102"))
        doc = doc.model_copy(update={"amount_in_words": "Mille dinars algériens"})
        content = doc.model_dump_json().encode()
        s.add(
            Document(
                filename="F2026-0102.json",
                number="F2026-0102",
                media_type="application/json",
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a"}, {"configurable": {"deps": deps}}
    )
    pme = get_draft(deps, "D20261122-C01-L3")
    flagged = {w["number"] for w in pme.warnings}
    assert flagged == {"F2026-0102"}  # F2026-0101 has no issued document: not judged
    assert any("lettres" in w["note"] and "à corriger" in w["note"] for w in pme.warnings)
    assert all(c.get("kind") != "checker" for c in pme.citations)
    from khazna.cli import main

    capsys.readouterr()
    assert main(["inbox", "list", "--db", db_url]) == 0  # seen in the list, before opening
    (line,) = [li for li in capsys.readouterr().out.splitlines() if "C01" in li]
    assert line.endswith("— à vérifier : F2026-0102")
    leave_out(deps, pme.draft_id, "F2026-0102", "gerant")
    after = get_draft(deps, pme.draft_id)
    assert after.status == DraftStatus.PENDING_APPROVAL
    assert after.invoice_numbers == ["F2026-0101"] and after.attachments == ["F2026-0101.pdf"]
    assert after.total == Decimal("119000.00") and after.level == 1  # F2026-0101: 3 days late
    assert "F2026-0102" not in after.detailed and "mise en demeure" not in after.detailed.lower()
    assert "119 000,00 DA" in after.detailed.replace("\u202f", " ")
    assert after.warnings == [] and "retirée de la relance par gerant" in after.writer_note
    with pytest.raises(LeaveOutError, match="seule facture"):
        leave_out(deps, pme.draft_id, "F2026-0101", "gerant")


def test_a_letter_asking_to_pay_on_an_invalid_rib_is_flagged_and_not_sent_silently(
    db_url, tmp_path, capsys
):
    """Issue 14 (s32o, merged without its ladder change): the company's RIB fails its key check: the draft says so above the
    text, ``inbox list`` flags it, and approving asks a confirmation first."""
    import json

    from khazna.agents.inbox import list_drafts, needs_confirmation, rib_warning
    from khazna.cli import main
    from tests.bundles import COMPANY

    ledger = Ledger(db_url)
    import_bundle(
        ledger,
        write_bundle(
            tmp_path / "b",
            company_json=json.dumps({**COMPANY, "rib": "00100412030000012345"}),
            clients_csv=CLIENTS,
            invoices_csv=INVOICES,
            invoice_lines_csv=None,
            payments_csv=EMPTY_PAYMENTS,
            interactions_csv=EMPTY_INTERACTIONS,
        ),
    )
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a"}, {"configurable": {"deps": deps}}
    )
    (draft_id,) = [x.draft_id for x in list_drafts(deps) if x.client_id == "C01"]
    d = get_draft(deps, draft_id)
    assert "00100412030000012345" in d.detailed
    assert "invalide (clé de contrôle)" in d.rib_warning and needs_confirmation(d)
    capsys.readouterr()
    assert main(["inbox", "list", "--db", db_url]) == 0
    (line,) = [li for li in capsys.readouterr().out.splitlines() if "C01" in li]
    assert line.endswith("— à vérifier : RIB invalide")
    # a valid RIB (the bundle's): no warning
    assert rib_warning(COMPANY["rib"]) == "" and rib_warning("") == ""
