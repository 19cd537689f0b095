"""Letters rendered by the real composer (the dunning graph over an imported bundle):
every invoice a sentence is about is cited, in Arabic too, and the salutation and the
closing follow the client's civility at every level and in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.factcheck import check_text
from khazna.agents.inbox import check_facts, list_drafts
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.tools.notes import invoice_numbers
from tests.bundles import write_bundle

AS_OF = date(2026, 11, 22)
DUE = {3: "2026-10-20", 2: "2026-11-10", 1: "2026-11-17"}  # 33, 12 and 5 days late
HEADER = "client_id,name,kind,email,phone,language,payment_terms_days,nif,nis,rc,ai,address"
INV_HEADER = (
    "number,client_id,issue_date,due_date,payment_method,total_ht,total_tva,timbre,"
    "total_ttc,status,credited_invoice"
)
EMPTY_PAYMENTS = "payment_id,date,client_id,invoice_number,amount,method,reference,status\n"
INTERACTIONS = "interaction_id,client_id,date,channel,direction,kind,text\n"


def _inv(number: str, client: str, level: int) -> str:
    return f"{number},{client},2026-09-01,{DUE[level]},virement,10000.00,1900.00,0,11900.00,issued,"


def _drafts(db_url, tmp_path, clients: str, invoices: list[str], interactions: str = "") -> dict:
    ledger = Ledger(db_url)
    import_bundle(
        ledger,
        write_bundle(
            tmp_path / "b",
            clients_csv=clients,
            invoices_csv=INV_HEADER + "\n" + "\n".join(invoices) + "\n",
            invoice_lines_csv=None,
            payments_csv=EMPTY_PAYMENTS,
            interactions_csv=INTERACTIONS + interactions,
        ),
    )
    deps = AgentDeps(ledger=ledger)
    build_dunning_graph().invoke({"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}})
    return {d.client_id: d for d in list_drafts(deps)}


# --- (a) every invoice of the letter is cited -----------------------------------------------


def test_a_number_written_against_the_arabic_conjunction_is_read():
    assert invoice_numbers("تذكير بخصوص الفاتورتين F2026-7081 وF2026-7082") == [
        "F2026-7081",
        "F2026-7082",
    ]
    assert invoice_numbers("Rappel des factures F2026-7081 et F2026-7082.") == [
        "F2026-7081",
        "F2026-7082",
    ]
    # a Latin letter or a digit still glues: no number read inside a word
    assert invoice_numbers("REFXF2026-7081 12F2026-7082") == []


def test_the_fact_checker_sees_both_numbers_of_an_arabic_pair(db_url, tmp_path):
    clients = HEADER + "\nA1,شركة الواحة,grand_compte,a1@example.dz,,ar,30,,,,,\n"
    drafts = _drafts(
        db_url, tmp_path, clients, [_inv("F2026-7081", "A1", 2), _inv("F2026-7082", "A1", 2)]
    )
    facts = check_facts(drafts["A1"])
    # both cited with the conjunction attached: nothing missing; an unknown one is caught
    assert not check_text("الفاتورتان F2026-7081 وF2026-7082 غير مسددتين.", facts, ["invoices"])
    problems = check_text("الفاتورتان F2026-7081 وF2026-9999 غير مسددتين.", facts)
    assert [p.found for p in problems] == ["F2026-9999"]


@pytest.mark.parametrize(
    ("lang", "text", "about"),
    [
        ("ar", "تذكير بالدفع بخصوص الفاتورتين F2026-7081 وF2026-7082.", "بخصوص الفواتير"),
        (
            "fr",
            "Rappel de paiement des factures F2026-7081 et F2026-7082.",
            "au sujet des factures",
        ),
    ],
)
def test_a_reminder_about_two_invoices_is_cited_with_both(db_url, tmp_path, lang, text, about):
    clients = HEADER + f"\nA1,Oasis Négoce SARL,pme,a1@example.dz,,{lang},30,,,,,\n"
    drafts = _drafts(
        db_url,
        tmp_path,
        clients,
        [_inv("F2026-7081", "A1", 2), _inv("F2026-7082", "A1", 2)],
        f'I1,A1,2026-11-12,email,out,reminder,"{text}"\n',
    )
    letter = drafts["A1"].detailed
    (sentence,) = [p for p in letter.split("\n\n") if "12/11/2026" in p]
    assert about in sentence
    assert "F2026-7081" in sentence and "F2026-7082" in sentence
    # every sentence naming an invoice of the letter names all of them (one letter, 2 invoices)
    for para in letter.split("\n\n"):
        named = {n for n in ("F2026-7081", "F2026-7082") if n in para}
        assert named in (set(), {"F2026-7081", "F2026-7082"}), para


@pytest.mark.parametrize(("lang", "demand"), [("ar", "نعذركم"), ("fr", "mettons en demeure")])
def test_a_notice_beside_an_invoice_not_in_default_names_both_everywhere(
    db_url, tmp_path, lang, demand
):
    """F2026-7081 is in default (level 3), F2026-7082 is not: the subject and the short text
    named only the first; now every part of the letter names both, the demand only the first."""
    clients = HEADER + f"\nA1,Oasis Négoce SARL,pme,a1@example.dz,,{lang},30,,,,,\n"
    d = _drafts(
        db_url, tmp_path, clients, [_inv("F2026-7081", "A1", 3), _inv("F2026-7082", "A1", 1)]
    )["A1"]
    assert d.level == 3 and sorted(d.invoice_numbers) == ["F2026-7081", "F2026-7082"]
    for part in (d.subject, d.short, d.detailed):
        assert "F2026-7081" in part and "F2026-7082" in part, part
    (paragraph,) = [p for p in d.detailed.split("\n\n") if demand in p]
    assert "F2026-7082" not in paragraph and "11 900,00" in paragraph.replace("\u202f", " ")
    short_demand = d.short.split(". ")[0]
    assert "F2026-7082" not in short_demand


# --- (b) the salutation follows the civility ------------------------------------------------


def test_an_arabic_formal_notice_to_a_woman_is_addressed_to_her(db_url, tmp_path):
    """The defect: « السيدات والسادة » opened a level-3 letter to « السيدة … »."""
    clients = HEADER + "\nP1,السيدة نادية بن علي,particulier,n@example.dz,,ar,30,,,,,\n"
    drafts = _drafts(db_url, tmp_path, clients, [_inv("F2026-0201", "P1", 3)])
    d = drafts["P1"]
    assert d.subject.startswith("إعذار")
    assert d.detailed.lstrip("\u200f").startswith("سيدتي المحترمة،")
    assert "السيدات والسادة" not in d.detailed and "السادة" not in d.short
    assert d.short.lstrip("\u200f").startswith("سيدتي المحترمة،")


CASES = [  # (civility column, name, kind, language, salutation, closing, forbidden)
    ("f", "Cabinet Amrani", "grand_compte", "fr", "Madame,", "agréer, Madame,", "Monsieur"),
    ("m", "Cabinet Amrani", "grand_compte", "fr", "Monsieur,", "agréer, Monsieur,", "Madame"),
    ("f", "مكتب عمراني", "grand_compte", "ar", "سيدتي المحترمة،", None, "السادة"),
    ("m", "مكتب عمراني", "grand_compte", "ar", "سيدي المحترم،", None, "السيدات"),
    ("Mme", "Direction des forêts", "administration", "fr", "Madame la Directrice,",
     "Madame la Directrice,", "Monsieur"),
    ("f", "مديرية الغابات", "administration", "ar", "السيدة المديرة المحترمة،",
     "السيدة المديرة", "السيد المدير"),
    ("", "Mme Nadia Benali", "particulier", "fr", None, None, "Monsieur"),
    ("", "M. Samir Haddad", "particulier", "fr", None, None, "Madame"),
]  # fmt: skip


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize(("civ", "name", "kind", "lang", "hello", "bye", "forbidden"), CASES)
def test_the_salutation_follows_the_civility_at_every_level(
    db_url, tmp_path, level, civ, name, kind, lang, hello, bye, forbidden
):
    clients = HEADER + ",civility\n" + f"X1,{name},{kind},x@example.dz,,{lang},30,,,,,,{civ}\n"
    d = _drafts(db_url, tmp_path, clients, [_inv("F2026-0301", "X1", level)])["X1"]
    text = d.detailed.replace("\u200f", "")
    first = text.split("\n\n")[0]
    if kind == "administration" and level == 3:
        first = text.split("\n\n")[1]  # after « À l'attention de l'ordonnateur … »
    if hello is not None:
        assert first == hello, text
    if bye is not None:
        assert bye in text
    if level == 3 and kind == "particulier":  # the formal register: addressed by civility
        assert first == ("Madame," if "Mme" in name else "Monsieur,")
    salutations_and_closings = [
        first,
        *(p for p in text.split("\n\n") if "agréer" in p or "وتقبلوا" in p),
    ]
    assert not any(forbidden in p for p in salutations_and_closings), text
    assert forbidden not in d.short.split(" ")[0]


def test_without_a_civility_the_neutral_salutation_stays(db_url, tmp_path):
    clients = HEADER + "\nG1,Sonatel SPA,grand_compte,g@example.dz,,fr,30,,,,,\n"
    d = _drafts(db_url, tmp_path, clients, [_inv("F2026-0401", "G1", 3)])["G1"]
    assert d.detailed.startswith("Madame, Monsieur,")
    assert "agréer, Madame, Monsieur," in d.detailed


def test_a_company_civility_keeps_the_neutral_salutation_whatever_the_name():
    from khazna.tools.names import civility_of

    assert civility_of("s", "M. Haddad et Fils SARL") == ""
    assert civility_of("", "M. Samir Haddad") == "m"
    assert civility_of("f", "Laiterie Tell") == "f"
