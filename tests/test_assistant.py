"""The accountant's assistant: tools, the offline parser in FR/AR/EN, and the model path.

The ledger is the hand-made bundle of ``bundles.py`` plus a few suppliers, expenses, a
cancelled invoice and a client with an Arabic name, so every expected figure below can be
checked by hand (see the comments). The model is scripted: a fake chat model supporting
``bind_tools``, and ChatOpenAI over HTTP against the OpenAI stub.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from khazna.agents.assistant import answer_question
from khazna.agents.assistant.periods import find_period
from khazna.agents.assistant.render import render
from khazna.agents.assistant.tools import receivables, run_tool
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.money import format_dzd
from khazna.tools.names import find_party
from tests.backends import BACKENDS, fresh_db_url

try:  # rootdir-relative when tests/ is a plain folder, package-relative otherwise
    from bundles import FILES, write_bundle
    from openai_stub import OpenAIStub, openai_stub  # noqa: F401
except ImportError:  # pragma: no cover
    from tests.bundles import FILES, write_bundle
    from tests.openai_stub import OpenAIStub, openai_stub  # noqa: F401

AS_OF = date(2026, 3, 31)

SUPPLIERS = """supplier_id,name,category,email,nif
S01,Sonelgaz Distribution Centre,energie,,
S02,Algérie Télécom,telecom,,
"""
EXPENSES = """expense_id,date,supplier_id,payee,category,amount,method,reference,supplier_invoice,employee,card_id,receipt,description
E001,2026-02-25,,Personnel,salaires,1200000.00,virement,,,,,yes,Salaires février
E002,2026-01-20,S01,Sonelgaz,energie,45000.00,virement,,,,,yes,Facture électricité
E003,2026-03-15,S01,Sonelgaz,energie,52000.50,virement,,,,,yes,Facture électricité
E004,2025-12-20,S01,Sonelgaz,energie,40000.00,virement,,,,,yes,Facture électricité
E005,2026-03-03,,Naftal station Hydra,carburant,6000.00,carte,,,,CARD-01,no,Carburant
E006,2026-03-10,,Naftal station Hydra,carburant,7500.00,carte,,,,CARD-01,yes,Carburant
E007,2026-02-12,S02,Algérie Télécom,telecom,12000.00,virement,,,,,no,Internet
E008,2026-03-20,,Caisse,fournitures,3000.00,especes,,,,,no,Café
"""
CLIENTS = FILES["clients.csv"] + "C04,شركة الأمل للتوزيع,pme,,,ar,30,,,,,الرغاية\n"
INVOICES = (
    FILES["invoices.csv"]
    + "F2026-0005,C01,2026-02-25,2026-03-27,virement,5000.00,950.00,0,5950.00,cancelled,\n"
    + "F2026-0006,C04,2026-03-10,2026-04-09,virement,20000.00,3800.00,0,23800.00,issued,\n"
    + "F2026-0007,C02,2026-01-05,2026-02-04,cheque,30000.00,5700.00,0,35700.00,issued,\n"
)
LINES = (
    FILES["invoice_lines.csv"]
    + "F2026-0005,Annulée,1,forfait,5000.00,19\nF2026-0006,Maintenance,1,forfait,20000.00,19\n"
    + "F2026-0007,Formation,1,forfait,30000.00,19\n"
)


@pytest.fixture(scope="module", params=BACKENDS)
def ledger(request, tmp_path_factory) -> Iterator[Ledger]:
    """One ledger per back end for the whole module (its tests only read it)."""
    root = tmp_path_factory.mktemp("assistant")
    for url in fresh_db_url(request.param, root):
        led = Ledger(url)
        import_bundle(led, _bundle(root))
        yield led
        led.dispose()


def _bundle(root):
    bundle = write_bundle(
        root / "bundle",
        suppliers_csv=SUPPLIERS,
        expenses_csv=EXPENSES,
        clients_csv=CLIENTS,
        invoices_csv=INVOICES,
        invoice_lines_csv=LINES,
    )
    return bundle


@pytest.fixture
def session(ledger):
    with ledger.read() as s:
        yield s


def ask(session, question: str, as_of: date = AS_OF, **kw):
    return answer_question(session, question, as_of, **kw)


# --- the open invoices on 2026-03-31, worked out by hand -------------------------------------
# F2026-0001 (C01): 119 000 − P001 50 000 − credit note F2026-0004 11 900 = 57 100, due 09/02 → 50 days
# F2026-0002 (C02): its cheque P002 was rejected, then P003 (100 000, oldest first) paid it
# F2026-0003 (C03): 238 000 − the 40 500 left of P003 = 197 500, not due (02/04)
# F2026-0006 (C04): 23 800, not due (09/04)
# F2026-0007 (C02): 35 700, due 04/02 → 55 days late


def test_tools_rest_on_the_receivables_rules(session):
    res = receivables(session, AS_OF)
    opened = {i.number: i for i in res.invoices}
    assert opened["F2026-0001"].open_amount == Decimal("57100.00")
    assert opened["F2026-0001"].days_past_due == 50
    assert opened["F2026-0006"].days_past_due < 0
    assert res.total == sum((i.open_amount for i in res.invoices), Decimal(0))
    assert res.value == res.total and res.items == [i.number for i in res.invoices]
    assert "F2026-0005" not in opened  # cancelled
    # the total matches the rule computed here independently, row by row:
    # TTC − cleared payments allocated − credit notes, for invoices still owed
    from khazna.ledger.models import Allocation, Invoice, Payment

    invoices = session.query(Invoice).filter(Invoice.issue_date <= AS_OF).all()
    owed = {
        i.number: i.total_ttc
        for i in invoices
        if i.status != "cancelled" and not i.credited_invoice
    }
    for i in invoices:
        if i.credited_invoice in owed and i.status != "cancelled":
            owed[i.credited_invoice] += i.total_ttc
    for a, p in session.query(Allocation, Payment).join(
        Payment, Payment.payment_id == Allocation.payment_id
    ):
        if p.status == "cleared" and p.date <= AS_OF and a.invoice_number in owed:
            owed[a.invoice_number] -= a.amount
    still = [v for v in owed.values() if v > 0]
    assert (res.total, res.count) == (sum(still, Decimal(0)), len(still))


@pytest.mark.parametrize(
    "question",
    [
        "total des créances de plus de 40 jours ?",
        "ما هو مجموع الديون المتأخرة أكثر من 40 يوما؟",
        "What is the total of receivables over 40 days?",
    ],
)
def test_receivables_older_than(session, question):
    a = ask(session, question)
    # F2026-0007 (55 days) and F2026-0001 (50 days); F2026-0003 and -0006 are not due
    assert a.items == ["F2026-0007", "F2026-0001"]
    assert a.value == Decimal("92800.00")
    assert a.tools == ["receivables"] and a.question_kind == "receivables_total"
    assert a.value is not None and a.language == {"t": "fr", "م": "ar", "W": "en"}[question[0]]
    assert format_dzd(Decimal("92800"), "دج" if a.language == "ar" else "DA") in a.answer


@pytest.mark.parametrize(
    ("question", "value", "items"),
    [
        ("combien de factures impayées pour Laiterie Tell ?", 1, ["F2026-0007"]),
        ("combien de factures impayées pour laiterie tel ?", 1, ["F2026-0007"]),
        ("nombre de factures impayées de APC Bab Ezzouar", 1, ["F2026-0003"]),
        ("How many unpaid invoices for Sonatel?", 1, ["F2026-0001"]),
        ("كم عدد الفواتير غير المسددة لشركة الأمل؟", 1, ["F2026-0006"]),
    ],
)
def test_count_of_unpaid_invoices_per_client(session, question, value, items):
    a = ask(session, question)
    assert (a.value, a.items, a.question_kind) == (value, items, "receivables_count")


def test_client_invoices_with_days_late(session):
    a = ask(session, "factures de Sonatel et leurs jours de retard")
    assert a.question_kind == "client_invoices" and a.value is None
    assert a.items == ["F2026-0001"]
    assert "50 jours de retard" in a.answer and format_dzd(Decimal(57100)) in a.answer
    en = ask(session, "invoices of laiterie tell and their days late")
    assert en.items == ["F2026-0007"] and "55 days late" in en.answer


@pytest.mark.parametrize(
    "question",
    [
        "combien avons-nous payé à Sonelgaz en 2026 ?",
        "Combien a-t-on versé à SONELGAZ cette année ?",
        "كم دفعنا لسونلغاز في 2026؟",
        "How much did we pay to sonelgaz in 2026?",
    ],
)
def test_paid_to_a_supplier(session, question):
    a = ask(session, question)
    # E002 + E003 in 2026; E004 is dated 2025
    assert a.value == Decimal("97000.50")
    assert a.items == ["E002", "E003"]
    assert a.question_kind == "paid_to_supplier"


def test_expenses_by_category_and_payee(session):
    a = ask(session, "dépenses de carburant en mars 2026")
    assert (a.value, a.items) == (Decimal("13500.00"), ["E005", "E006"])
    b = ask(session, "fuel expenses in February 2026")
    assert (b.value, b.items) == (Decimal("0.00"), [])
    c = ask(session, "combien avons-nous payé à Naftal ce mois-ci ?")
    assert (c.value, c.items) == (Decimal("13500.00"), ["E005", "E006"])


@pytest.mark.parametrize(
    ("question", "value", "items"),
    [
        # F2026-0003 38 000 + credit note F2026-0004 −1 900; cancelled F2026-0005 left out
        ("TVA collectée en février 2026", Decimal("36100.00"), ["F2026-0003", "F2026-0004"]),
        (
            "VAT collected in January 2026",
            Decimal("34200.00"),
            ["F2026-0001", "F2026-0002", "F2026-0007"],
        ),
        ("الرسم على القيمة المضافة المحصل في مارس 2026", Decimal("3800.00"), ["F2026-0006"]),
        ("TVA collectée le mois dernier", Decimal("36100.00"), ["F2026-0003", "F2026-0004"]),
    ],
)
def test_vat_collected(session, question, value, items):
    a = ask(session, question)
    assert (a.value, a.items, a.question_kind) == (value, items, "vat_month")


def test_vat_answer_says_what_is_excluded(session):
    a = ask(session, "TVA collectée en février 2026")
    assert "F2026-0005" in a.answer and "annulées exclues" in a.answer


@pytest.mark.parametrize(
    ("question", "value"),
    [
        # 4 200 000 + 50 000 + 59 500 − 59 500 − 1 200 000
        ("solde bancaire au 28/02/2026", Decimal("3050000.00")),
        ("رصيد البنك في 2026-02-15", Decimal("4250000.00")),
        ("bank balance on 31 March 2026", Decimal("3150000.00")),
        ("quel est le solde bancaire ?", Decimal("3150000.00")),
    ],
)
def test_bank_balance(session, question, value):
    a = ask(session, question)
    assert (a.value, a.items, a.question_kind) == (value, [], "bank_balance")


def test_a_balance_of_a_day_after_as_of_is_not_today_s_balance(session):
    # the balance of a later day is not known yet (a forecast says what it may be): never the
    # as-of day's balance given as if it were that day's
    a = ask(session, "solde bancaire au 28/02/2026", as_of=date(2026, 2, 15))
    assert a.value is None and "pas encore connu" in a.answer and "28/02/2026" in a.answer
    today = ask(session, "solde bancaire au 15/02/2026", as_of=date(2026, 2, 15))
    assert today.value == Decimal("4250000.00")


@pytest.mark.parametrize(
    "question",
    ["chèques rejetés cette année", "شيكات مرفوضة هذه السنة", "rejected cheques in 2026"],
)
def test_rejected_cheques(session, question):
    a = ask(session, question)
    assert (a.value, a.items, a.question_kind) == (1, ["P002"], "rejected_payments")
    none = ask(session, "chèques rejetés en mars 2026")
    assert (none.value, none.items) == (0, [])


def test_expenses_without_receipt(session):
    a = ask(session, "dépenses sans justificatif")
    assert (a.value, a.items) == (3, ["E007", "E005", "E008"])
    b = ask(session, "dépenses sans justificatif de plus de 5000 DA")
    assert (b.value, b.items) == (2, ["E007", "E005"])
    c = ask(session, "montant total des dépenses sans justificatif en mars 2026")
    assert (c.value, c.items) == (Decimal("9000.00"), ["E005", "E008"])
    d = ask(session, "المصاريف بدون وصل")
    assert d.items == a.items and d.language == "ar"


def test_top_clients_and_dso(session):
    a = ask(session, "top 2 clients par montant dû")
    per: dict[str, Decimal] = {}
    for i in receivables(session, AS_OF).invoices:
        per[i.client_id] = per.get(i.client_id, Decimal(0)) + i.open_amount
    assert a.items == sorted(per, key=lambda c: -per[c])[:2] == ["C03", "C01"]
    assert a.value == per["C03"] + per["C01"]  # the headline: what the two owe together
    d = ask(session, "quel est le DSO ?")
    assert d.question_kind == "dso" and isinstance(d.value, Decimal)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("quelle heure est-il ?", "pas compris"),
        ("factures de Zorglub et leurs jours de retard", "« Zorglub »"),
        ("", "pas compris"),
        ("TVA ?", "pas compris"),
    ],
)
def test_not_understood_is_said_not_invented(session, question, said):
    a = ask(session, question)
    assert a.value is None and a.items == [] and a.tools == []
    assert said in a.answer and a.answer.startswith("Compris :")


def test_fuzzy_names(session):
    assert find_party(session, "sonelgaz").party.party_id == "S01"
    assert find_party(session, "لسونلغاز").party.party_id == "S01"
    assert find_party(session, "algerie telecom").party.party_id == "S02"
    assert find_party(session, "شركة الأمل").party.party_id == "C04"
    assert find_party(session, "C03").party.party_id == "C03"
    assert find_party(session, "quelle heure est-il").party is None


def test_periods_relative_to_as_of():
    d = date(2026, 3, 31)
    assert (find_period("le mois dernier", d).start, find_period("le mois dernier", d).end) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert find_period("en décembre", d).start == date(2025, 12, 1)  # the latest December
    assert find_period("هذه السنة", d).start == date(2026, 1, 1)
    assert find_period("du 01/02/2026 au 15/02/2026", d).end == date(2026, 2, 15)
    assert find_period("rien", d) is None


# --- the model path --------------------------------------------------------------------------


class ScriptedChat(BaseChatModel):
    """Answers with the scripted messages in order and records what it was sent."""

    script: list[Any]
    seen: list[list[Any]] = []
    bound: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs):  # the tools go nowhere: the script decides
        self.bound = [t.name for t in tools]
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.seen.append(list(messages))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return ChatResult(generations=[ChatGeneration(message=step)])


def call(name: str, args: dict, cid: str = "c1") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": cid}])


def test_model_value_and_items_come_from_the_tool(session):
    model = ScriptedChat(
        script=[
            call(
                "query",
                {
                    "measure": "supplier_payments",
                    "filters": {"supplier": "Sonelgaz"},
                    "period": {"start": "2026-01-01", "end": "2026-12-31"},
                },
            ),
            AIMessage("Nous avons payé 97 000,50 DA à Sonelgaz en 2026 (E002, E003)."),
        ]
    )
    a = ask(session, "combien avons-nous payé à Sonelgaz en 2026 ?", model=model)
    assert a.writer == "model" and a.tools == ["query"]
    assert (a.value, a.items) == (Decimal("97000.50"), ["E002", "E003"])
    assert model.bound == ["query", "sql"] and len(model.seen) == 2
    tool_msg = model.seen[1][-1]
    assert tool_msg.type == "tool" and '"value": 97000.5' in tool_msg.content


def test_a_wrong_figure_in_the_prose_retries_then_falls_back(session):
    wrong = AIMessage("Nous avons payé 98 000,00 DA à Sonelgaz en 2026.")
    model = ScriptedChat(
        script=[
            call(
                "query",
                {
                    "measure": "supplier_payments",
                    "filters": {"supplier": "Sonelgaz"},
                    "period": {"start": "2026-01-01"},
                },
            ),
            wrong,
            wrong,
        ]
    )
    a = ask(session, "combien avons-nous payé à Sonelgaz en 2026 ?", model=model)
    assert a.writer == "template_fallback" and "fact check" in a.note
    assert (a.value, a.items) == (Decimal("97000.50"), ["E002", "E003"])
    assert format_dzd(Decimal("97000.50")) in a.answer and "98 000" not in a.answer
    assert len(model.seen) == 3 and "problems" in model.seen[2][-1].content


def test_a_good_second_try_is_kept(session):
    model = ScriptedChat(
        script=[
            call(
                "query",
                {
                    "measure": "open_receivables",
                    "aggregation": "count",
                    "filters": {"client": "laiterie tell"},
                },
            ),
            AIMessage("Laiterie Tell a 2 factures impayées."),
            AIMessage("Laiterie Tell a 1 facture impayée : F2026-0007 (35 700,00 DA)."),
        ]
    )
    a = ask(session, "combien de factures impayées pour Laiterie Tell ?", model=model)
    assert a.writer == "model" and "second try" in a.note
    assert (a.value, a.items) == (1, ["F2026-0007"])


def test_a_model_error_on_the_retry_falls_back_to_the_parser(session, caplog):
    model = ScriptedChat(
        script=[
            call(
                "query",
                {
                    "measure": "supplier_payments",
                    "filters": {"supplier": "Sonelgaz"},
                    "period": {"start": "2026-01-01"},
                },
            ),
            AIMessage("Nous avons payé 98 000,00 DA à Sonelgaz en 2026."),
            TimeoutError("read timed out"),
        ]
    )
    with caplog.at_level("INFO", logger="khazna.agents.assistant.agent"):
        a = ask(session, "combien avons-nous payé à Sonelgaz en 2026 ?", model=model)
    assert a.writer == "template" and "model failed" in a.note
    assert len(model.seen) == 3 and "problems" in model.seen[2][-1].content
    assert "assistant: 2 problem(s) in the model's answer, retrying" in caplog.messages


def test_model_errors_fall_back_to_the_parser(session):
    model = ScriptedChat(script=[TimeoutError("read timed out")])
    a = ask(session, "TVA collectée en février 2026", model=model)
    assert a.writer == "template" and "le modèle n'a pas répondu à temps" in a.note
    assert a.value == Decimal("36100.00")
    broken = ScriptedChat(script=[RuntimeError("HTTP 500")])
    c = ask(session, "TVA collectée en février 2026", model=broken)
    assert c.writer == "template" and "model failed" in c.note
    assert c.value == Decimal("36100.00")
    lazy = ScriptedChat(script=[AIMessage("La TVA est de 1 000 000 DA.")])
    b = ask(session, "TVA collectée en février 2026", model=lazy)
    assert b.value == Decimal("36100.00") and "without calling a tool" in b.note


def test_bad_tool_arguments_are_reported_to_the_model(session):
    model = ScriptedChat(
        script=[
            call("query", {"measure": "vat", "period": {"start": "2026-02-30"}}),
            call(
                "query",
                {"measure": "vat", "period": {"start": "2026-02-01", "end": "2026-02-28"}},
                cid="c2",
            ),
            AIMessage("TVA collectée en février 2026 : 36 100,00 DA."),
        ]
    )
    a = ask(session, "TVA de février ?", model=model)
    assert a.value == Decimal("36100.00") and a.writer == "model"
    assert model.seen[1][-1].status == "error"


def test_tool_rounds_are_bounded(session):
    model = ScriptedChat(script=[call("query", {"measure": "dso"}, cid=f"c{i}") for i in range(4)])
    a = ask(session, "DSO ?", model=model)
    assert a.writer == "template_fallback" and "4 tool rounds" in a.note
    assert a.answer.startswith("Compris : DSO") and a.value is not None


def test_a_typed_tool_result_and_its_template(session):
    r = run_tool(session, AS_OF, "bank_balance", {"on": date(2026, 2, 28)})
    assert r.value == Decimal("3050000.00")
    expected = f"Solde bancaire au 28/02/2026 (fin de journée) : {format_dzd(Decimal(3050000))}."
    assert render(r, "fr", AS_OF) == expected


# the model's tools over HTTP: tests/test_assistant_model_tools.py


def test_eval_score_counts_exact_matches():
    from khazna.evals.assistant_eval import score

    cases = [
        {"question": "a", "kind": "k", "value": "10.50", "items": ["F1", "F2"]},
        {"question": "b", "kind": "k", "value": 3, "items": ["C1", "C2"], "ordered": True},
        {"question": "c", "kind": "unknown", "value": None, "items": []},
    ]
    answers = {
        "a": {"value": Decimal("10.5"), "items": ["F2", "F1"]},  # same set, same amount
        "b": {"value": 3, "items": ["C2", "C1"]},  # a ranking in the wrong order
        "c": {"value": Decimal(0), "items": []},  # a figure where none is due
    }
    out = score(cases, lambda q: answers[q])
    assert (out["value_exact"], out["items_exact"], out["both_exact"]) == (0.6667, 0.6667, 0.3333)
    assert out["by_kind"] == {"k": "1/2", "unknown": "0/1"}
