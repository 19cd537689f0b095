"""Families of questions read by the semantic layer, on the demo ledger: each expected figure is
computed here from the engine's own lower-level functions (open invoices, the forecast), never
from the reader, so a filter the reader drops or a day it misreads shows as a wrong figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from khazna.agents.assistant import answer_offline
from khazna.evals.build_assistant_dataset import demo_ledger
from khazna.tools.forecast import forecast
from khazna.tools.receivables import open_invoices

AS_OF = date(2026, 11, 16)


@pytest.fixture(scope="module")
def s(tmp_path_factory):
    led = demo_ledger(tmp_path_factory.mktemp("families"), seed=7, as_of=AS_OF)
    with led.read() as session:
        yield session
    led.dispose()


@pytest.mark.parametrize(
    "question",
    [
        "combien de factures ont plus de 90 jours de retard ?",
        "nombre de factures de plus de 90 jours",
        "how many invoices are more than 90 days late?",
    ],
)
def test_an_age_on_an_invoice_count_counts_open_invoices_that_old(s, question):
    truth = sorted(r.number for r in open_invoices(s, AS_OF) if r.days_past_due > 90)
    a = answer_offline(s, question, AS_OF)
    assert a.value == len(truth) and sorted(a.items) == truth


def test_clients_owing_more_than_an_amount_are_bounded_by_what_each_owes(s):
    owed: dict[str, Decimal] = {}
    for r in open_invoices(s, AS_OF):
        owed[r.client_id] = owed.get(r.client_id, Decimal(0)) + r.open_amount
    truth = sorted(c for c, v in owed.items() if v > Decimal("1000000"))
    assert 0 < len(truth) < len(owed)  # the bound matters on this ledger
    for q in ("quels clients nous doivent plus de 1 000 000 DA ?", "quels clients nous doivent plus de 1 M DA ?"):  # fmt: skip
        a = answer_offline(s, q, AS_OF)
        assert (a.value, a.items) == (len(truth), truth), q


def test_days_are_never_read_as_an_amount(s):
    a = answer_offline(s, "Total overdue by more than 90 days", AS_OF)
    assert a.query is not None and "min_amount" not in a.query.get("filters", {})
    assert a.value == sum((r.open_amount for r in open_invoices(s, AS_OF) if r.days_past_due > 90), Decimal("0.00"))  # fmt: skip


def test_a_filter_the_measure_cannot_take_is_reported_not_dropped(s):
    a = answer_offline(s, "montant facturé de plus de 90 jours", AS_OF)
    assert a.value is None and a.items == []
    assert any("90 jours" in u for u in a.unresolved)


def test_the_oldest_open_invoice(s):
    rows = [r for r in open_invoices(s, AS_OF) if r.days_past_due > 0]
    oldest = max(rows, key=lambda r: (r.days_past_due, r.open_amount))
    a = answer_offline(s, "Quelle est la facture la plus ancienne non payée ?", AS_OF)
    assert (a.value, a.items) == (oldest.days_past_due, [oldest.number])
    assert "jours de retard" in a.answer


def test_can_we_pay_the_salaries_this_month_reads_the_lowest_projected_day(s):
    fc = forecast(s, AS_OF, 30)
    month = [d for d in fc.days if d.date <= date(2026, 11, 30)]
    low = min(month, key=lambda d: (d.balance, d.date))
    for q in ("est-ce que je vais pouvoir payer les salaires ce mois-ci ?", "نقدر نخلص الخلصة هاد الشهر؟"):  # fmt: skip
        a = answer_offline(s, q, AS_OF)
        assert a.value == low.balance, q
        assert low.date.strftime("%d/%m/%Y") in a.answer
    fr = answer_offline(s, "est-ce que je vais pouvoir payer les salaires ce mois-ci ?", AS_OF)
    below = low.balance < fc.threshold
    assert ("sous le seuil" in fr.answer) == below and "Prévision" in fr.answer


def test_a_projected_balance_is_the_same_figure_as_the_forecast_command(s):
    fc = forecast(s, AS_OF, 30)
    a = answer_offline(s, "quel est le solde prévu dans 30 jours ?", AS_OF)
    assert a.value == fc.days[-1].balance
    b = answer_offline(s, "solde prévu au 26/11/2026", AS_OF)
    assert b.value == next(d.balance for d in fc.days if d.date == date(2026, 11, 26))
    # the items are ids of the books (invoices, commitments), never a learned habit's label
    assert a.items and all(" " not in i for i in a.items)


def test_combien_de_an_amount_noun_is_a_sum_not_a_count(s):
    from sqlalchemy import func, select

    from khazna.ledger.models import Invoice

    truth = s.scalar(
        select(func.sum(Invoice.timbre)).where(
            Invoice.status != "cancelled",
            Invoice.issue_date >= date(2026, 1, 1),
            Invoice.issue_date <= AS_OF,
        )
    )
    a = answer_offline(s, "combien de droits de timbre avons-nous facturés en 2026 ?", AS_OF)
    assert a.value == Decimal(truth)


def test_debtors_are_clients_not_bank_debits(s):
    owed: dict[str, Decimal] = {}
    for r in open_invoices(s, AS_OF):
        owed[r.client_id] = owed.get(r.client_id, Decimal(0)) + r.open_amount
    top3 = sorted(owed, key=lambda c: -owed[c])[:3]
    a = answer_offline(s, "quels sont nos 3 plus gros débiteurs ?", AS_OF)
    assert a.query is not None and a.query["measure"] == "open_receivables"
    assert [i for i in a.items if i in owed][:3] == top3


def test_the_weighted_average_of_days_late_is_weighted_by_amounts(s):
    late = [r for r in open_invoices(s, AS_OF) if r.days_past_due > 0]
    tot = sum((r.open_amount for r in late), Decimal(0))
    truth = (sum((r.open_amount * r.days_past_due for r in late), Decimal(0)) / tot).quantize(Decimal("0.01"))  # fmt: skip
    a = answer_offline(s, "quel est le délai moyen de retard pondéré par les montants ?", AS_OF)
    assert a.value == truth
    assert f"{truth}".replace(".", ",") + " jours" in a.answer  # French decimals


def test_last_month_after_a_preposition(s):
    a = answer_offline(s, "la dépense la plus élevée du mois dernier", AS_OF)
    assert a.query is not None and a.query["period"]["start"] == "2026-10-01"


def test_invoices_paid_in_a_month_are_those_settled_by_a_payment_of_that_month(s):
    from sqlalchemy import func, select

    from khazna.ledger.models import Allocation, Invoice, Payment

    rows = s.execute(
        select(
            Invoice.number, Invoice.total_ttc, func.max(Payment.date), func.sum(Allocation.amount)
        )
        .join(Allocation, Allocation.invoice_number == Invoice.number)
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(
            Payment.status == "cleared",
            Payment.date <= date(2026, 10, 31),
            Invoice.status != "cancelled",
        )
        .group_by(Invoice.number, Invoice.total_ttc)
    ).all()
    truth = sorted(n for n, ttc, last, alloc in rows if alloc >= ttc and last >= date(2026, 10, 1))
    a = answer_offline(s, "combien de factures ont été payées en octobre ?", AS_OF)
    assert (a.value, sorted(a.items)) == (len(truth), truth)
    unpaid = answer_offline(s, "combien de factures impayées avons-nous ?", AS_OF)
    assert unpaid.value == len(open_invoices(s, AS_OF))  # "impayées" is not "payées"


def test_a_client_named_only_by_common_words(s):
    a = answer_offline(s, "combien nous doit la Direction de l'Éducation ?", AS_OF)
    assert a.query is not None and a.query["filters"]["client"] == "C15"


def test_by_how_much_is_an_amount_and_a_percentage_when_asked(s):
    a = answer_offline(s, "de combien le CA a-t-il augmenté entre T2 et T3 2026 ?", AS_OF)
    b = answer_offline(s, "de combien en % le CA a-t-il augmenté entre T2 et T3 2026 ?", AS_OF)
    assert a.query is not None and a.query["combine"] == "difference"
    assert b.query is not None and b.query["combine"] == "change"


def test_a_figure_question_with_an_anomaly_word_is_answered_not_listed(tmp_path):
    from khazna.agents.ask import route_offline

    led = demo_ledger(tmp_path, seed=7, as_of=AS_OF)
    try:
        route, _, ans = route_offline(
            led, "combien de dépenses sans justificatif ce mois-ci ?", AS_OF
        )
        assert route == "assistant" and ans is not None and ans.value is not None
        assert (
            route_offline(led, "quelles sont les anomalies de ce mois ?", AS_OF)[0]
            == "anomaly_analyst"
        )
    finally:
        led.dispose()


# --- families found wrong on 2026-12-07 (each answered another question's figure) ----------


def _rows(s, sql: str) -> list[tuple]:
    from sqlalchemy import text

    return [tuple(r) for r in s.execute(text(sql))]


@pytest.mark.parametrize(
    "question", ["factures pas encore échues", "montant non échu", "invoices not yet due"]
)
def test_not_yet_due_is_open_and_not_past_due(s, question):
    rows = [r for r in open_invoices(s, AS_OF) if r.days_past_due <= 0]
    a = answer_offline(s, question, AS_OF)
    assert a.value == sum((r.open_amount for r in rows), Decimal("0.00"))
    assert sorted(a.items) == sorted(r.number for r in rows)


def test_the_amount_of_one_invoice_is_that_invoice(s):
    number, ttc = _rows(s, "select number, total_ttc from invoices where status != 'cancelled' order by number limit 1 offset 40")[0]  # fmt: skip
    a = answer_offline(s, f"quel est le montant TTC de la facture {number} ?", AS_OF)
    assert (a.value, a.items) == (Decimal(str(ttc)), [number])


def test_an_employee_and_a_card_filter_expenses(s):
    rows = _rows(s, "select expense_id, amount, employee, card_id from expenses where date between '2026-10-01' and '2026-10-31' and card_id != ''")  # fmt: skip
    card = rows[0][3]
    want = sorted(r[0] for r in rows if r[3] == card)
    a = answer_offline(s, f"combien a dépensé la carte {card} en octobre ?", AS_OF)
    assert sorted(a.items) == want and a.value == sum(Decimal(str(r[1])) for r in rows if r[3] == card)  # fmt: skip
    unknown = answer_offline(s, "combien a dépensé la carte CARD-99 en octobre ?", AS_OF)
    assert unknown.value is None  # never the total of every card


def test_a_day_range_inside_a_month_is_that_range(s):
    rows = _rows(s, "select payment_id, amount from payments where status = 'cleared' and date between '2026-10-01' and '2026-10-15'")  # fmt: skip
    a = answer_offline(s, "encaissements du 1er au 15 octobre", AS_OF)
    assert sorted(a.items) == sorted(r[0] for r in rows)
    assert a.value == sum(Decimal(str(r[1])) for r in rows)


def test_the_lowest_balance_of_a_period_is_the_lowest_end_of_day(s):
    from khazna.ledger.queries import cash_position

    days = [date(2026, 10, d) for d in range(1, 32)]
    a = answer_offline(s, "solde le plus bas en octobre", AS_OF)
    assert a.value == min(cash_position(s, d) for d in days)
    high = answer_offline(s, "solde le plus haut en octobre", AS_OF)
    assert high.value == max(cash_position(s, d) for d in days)


def test_a_vocabulary_word_is_not_a_typo_of_a_name(s):
    # "frais" once matched the supplier "… Raïs" and answered 0,00 DA for a tax office
    a = answer_offline(s, "frais de restaurant au T3", AS_OF)
    assert a.query is not None and "supplier" not in a.query.get("filters", {})
    assert a.value is not None and a.value > 0


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("شحال صرفنا على المازوت هاد الشهر؟", date(2026, 11, 1), AS_OF),
        ("شحال خلصونا الكليان الشهر اللي فات؟", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_darja_periods_are_read_not_dropped(s, question, start, end):
    a = answer_offline(s, question, AS_OF)
    assert a.query is not None and a.query.get("period"), a.understood  # never the whole history
    assert (a.query["period"]["start"], min(date.fromisoformat(a.query["period"]["end"]), AS_OF)) == (start.isoformat(), end)  # fmt: skip


def _rows(s, sql):
    from sqlalchemy import text

    return s.execute(text(sql)).all()


@pytest.mark.parametrize(
    ("question", "client"),
    [
        ("Quand SONAREP a-t-elle payé pour la dernière fois ?", "C01"),
        ("Date du dernier paiement de Numidia Agro", "C07"),
        ("When did Hodna Plast last pay us?", "C10"),
        ("متى دفعت شركة الأمل آخر مرة؟", "C11"),
    ],
)
def test_when_a_client_last_paid_is_the_day_of_its_latest_cleared_payment(s, question, client):
    rows = _rows(s, f"SELECT payment_id, date FROM payments WHERE client_id = '{client}' "
                    f"AND status = 'cleared' AND date <= '{AS_OF}' ORDER BY date, payment_id")  # fmt: skip
    last_day = date.fromisoformat(str(rows[-1][1])[:10])
    a = answer_offline(s, question, AS_OF)
    assert a.value == last_day and a.items == [rows[-1][0]], (question, a.understood, a.answer)
    assert last_day.strftime("%d/%m/%Y") in a.answer


def test_the_day_of_a_supplier_payment_and_of_a_first_invoice(s):
    a = answer_offline(s, "Quand avons-nous payé Sonelgaz pour la dernière fois ?", AS_OF)
    rows = _rows(s, f"SELECT expense_id, date FROM expenses WHERE supplier_id = 'S02' "
                    f"AND date <= '{AS_OF}' ORDER BY date, expense_id")  # fmt: skip
    assert (a.value, a.items) == (date.fromisoformat(str(rows[-1][1])[:10]), [rows[-1][0]])
    a = answer_offline(s, "Date de la première facture de Numidia Agro", AS_OF)
    rows = _rows(s, "SELECT number, issue_date FROM invoices WHERE client_id = 'C07' "
                    "AND status != 'cancelled' ORDER BY issue_date, number")  # fmt: skip
    assert (a.value, a.items) == (date.fromisoformat(str(rows[0][1])[:10]), [rows[0][0]])


def test_a_number_of_days_since_is_not_a_day(s):
    a = answer_offline(s, "Depuis quand Numidia Agro n'a pas payé ?", AS_OF)
    assert isinstance(a.value, int) and a.query["measure"] == "days_since_payment"


def test_the_invoices_of_a_client_are_all_its_invoices_the_unpaid_ones_the_open_ones(s):
    every = [r[0] for r in _rows(s, "SELECT number FROM invoices WHERE client_id = 'C06' "
                                    f"AND status != 'cancelled' AND issue_date <= '{AS_OF}'")]  # fmt: skip
    opened = [r.number for r in open_invoices(s, AS_OF, "C06")]
    assert len(opened) < len(every)
    a = answer_offline(s, "Quelles sont les factures de Bordj Logistique ?", AS_OF)
    assert sorted(a.items) == sorted(every)
    a = answer_offline(s, "Factures impayées de Bordj Logistique", AS_OF)
    assert sorted(a.items) == sorted(opened)


@pytest.mark.parametrize(
    "question",
    ["CA du T3 vs T2", "Chiffre d'affaires T3 par rapport au T2", "turnover Q3 compared to Q2"],
)
def test_two_periods_compared_give_their_difference_and_both_sides(s, question):
    def ht(start, end):
        rows = _rows(s, f"SELECT total_ht FROM invoices WHERE status != 'cancelled' "
                        f"AND issue_date >= '{start}' AND issue_date <= '{end}'")  # fmt: skip
        return sum((Decimal(str(r[0])) for r in rows), Decimal("0.00"))

    t3, t2 = ht("2026-07-01", "2026-09-30"), ht("2026-04-01", "2026-06-30")
    a = answer_offline(s, question, AS_OF)
    assert a.value == t3 - t2, (question, a.understood)
    from khazna.money import format_dzd

    assert format_dzd(t3) in a.answer and format_dzd(t2) in a.answer


def test_receipts_no_invoice_took_are_the_unallocated_part_of_each_payment(s):
    rows = _rows(s, "SELECT p.payment_id, p.amount, (SELECT COALESCE(SUM(a.amount), 0) FROM "
                    "allocations a WHERE a.payment_id = p.payment_id) FROM payments p "
                    f"WHERE p.status = 'cleared' AND p.date <= '{AS_OF}' ORDER BY p.date, p.payment_id")  # fmt: skip
    cent = Decimal("0.01")  # SQLite sums money as REAL: back to centimes before comparing
    left = [
        (pid, (Decimal(str(amt)) - Decimal(str(done))).quantize(cent)) for pid, amt, done in rows
    ]
    left = [(pid, v) for pid, v in left if v > 0]
    assert left
    for q in ("Paiements clients non affectés", "Montant des encaissements non lettrés", "unallocated payments"):  # fmt: skip
        a = answer_offline(s, q, AS_OF)
        assert (a.value, a.items) == (
            sum((v for _, v in left), Decimal("0.00")),
            [p for p, _ in left],
        ), q
    a = answer_offline(s, "Combien de paiements n'ont pas été affectés à une facture ?", AS_OF)
    assert a.value == len(left)


@pytest.mark.parametrize(
    "question",
    [
        "Solde bancaire au 31/02/2026 ?",
        "Combien a-t-on encaissé le 32 mai 2026 ?",
        "Bank balance on 2026-02-30?",
        "Solde banque au 15 janvier 2025",  # before the bank's opening day
        "Combien nous doit Sonelgaz ?",  # a supplier, not a client
        "L'échu des administrations et des PME ?",  # two kinds, one slot, no comparison asked
    ],
)
def test_what_cannot_be_read_gets_no_figure(s, question):
    a = answer_offline(s, question, AS_OF)
    assert a.value is None and a.items == [], (question, a.understood, a.value)


def test_a_ranking_over_overdue_receivables_ranks_what_is_overdue(s):
    per: dict[str, Decimal] = {}
    for r in open_invoices(s, AS_OF):
        if r.days_past_due > 0:
            per[r.client_id] = per.get(r.client_id, Decimal(0)) + r.open_amount
    top = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    a = answer_offline(s, "Top 3 des clients par créances échues", AS_OF)
    assert a.items == [c for c, _ in top] and a.value == sum(v for _, v in top)
    a = answer_offline(s, "Quel est le client qui nous doit le plus ?", AS_OF)
    assert len(a.items) == 1


def test_credit_notes_netted_in_are_the_default_and_left_out_on_request(s):
    def ht(where):
        rows = _rows(s, "SELECT total_ht FROM invoices WHERE status != 'cancelled' AND "
                        f"issue_date >= '2026-01-01' AND issue_date <= '2026-06-30' {where}")  # fmt: skip
        return sum((Decimal(str(r[0])) for r in rows), Decimal("0.00")).quantize(Decimal("0.01"))

    assert ht("") != ht("AND credited_invoice = ''")  # the demo has credit notes in S1
    assert answer_offline(s, "CA HT du premier semestre 2026, net des avoirs", AS_OF).value == ht(
        ""
    )
    assert answer_offline(s, "CA HT du S1 2026 hors avoirs", AS_OF).value == ht("AND credited_invoice = ''")  # fmt: skip


def test_a_pronoun_on_the_right_side_keeps_the_left_sides_client(s):
    opened = [r for r in open_invoices(s, AS_OF, "C04")]
    truth = sum((r.open_amount for r in opened if r.days_past_due <= 0), Decimal("0.00"))
    a = answer_offline(s, "Encours Cosidar moins sa partie échue ?", AS_OF)
    assert a.value == truth, a.understood


# --- session 29: families found failing on held-out split 6 (each a family, not a question) ---


def _invoices(s, start: date, end: date):
    from sqlalchemy import select

    from khazna.ledger.models import Invoice

    return s.execute(
        select(Invoice.number, Invoice.credited_invoice).where(
            Invoice.issue_date >= start, Invoice.issue_date <= end, Invoice.status != "cancelled"
        )
    ).all()


@pytest.mark.parametrize(
    "question",
    [
        "Combien de factures avons-nous émises en 2026 ?",
        "شحال من فاتورة درنا في 2026؟",
        "how many invoices did we issue in 2026?",
    ],  # fmt: skip
)
def test_an_invoice_count_counts_invoices_not_the_credit_notes_correcting_them(s, question):
    rows = _invoices(s, date(2026, 1, 1), AS_OF)
    assert any(c for _, c in rows), "the ledger must hold a credit note for this test to bite"
    truth = sorted(n for n, c in rows if not c)
    a = answer_offline(s, question, AS_OF)
    assert (a.value, sorted(a.items)) == (len(truth), truth)


@pytest.mark.parametrize(
    "question",
    [
        "Reste à payer de SARL Numidia Agro ?",
        "restant dû SARL Numidia Agro",
        "شحال باقي عند SARL Numidia Agro؟",
    ],  # fmt: skip
)
def test_what_is_left_to_pay_is_what_the_client_owes(s, question):
    truth = [r for r in open_invoices(s, AS_OF) if r.client_id == "C07"]
    a = answer_offline(s, question, AS_OF)
    assert a.value == sum((r.open_amount for r in truth), Decimal("0.00"))
    assert sorted(a.items) == sorted(r.number for r in truth)


def test_the_word_naming_a_card_is_not_a_category_filter(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    rows = s.execute(
        select(Expense.expense_id, Expense.amount, Expense.category).where(
            Expense.card_id == "CARD-01",
            Expense.date >= date(2026, 10, 1),
            Expense.date <= date(2026, 10, 31),
        )
    ).all()
    assert {c for *_, c in rows} - {"carburant"}, "the card must also pay for other things"
    for q in ("Fuel card CARD-01 spending in October 2026?", "dépenses de la carte carburant CARD-01 en octobre 2026"):  # fmt: skip
        a = answer_offline(s, q, AS_OF)
        assert a.value == sum((Decimal(v) for _, v, _ in rows), Decimal("0.00")), q
    a = answer_offline(s, "carburant payé avec CARD-01 en octobre 2026", AS_OF)  # a filter
    assert a.value == sum((Decimal(v) for _, v, c in rows if c == "carburant"), Decimal("0.00"))


def test_an_average_asked_of_a_category_is_an_average(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    amounts = [
        Decimal(v)
        for v in s.scalars(
            select(Expense.amount).where(
                Expense.category == "restaurant",
                Expense.date >= date(2026, 1, 1),
                Expense.date <= AS_OF,
            )
        )
    ]
    a = answer_offline(s, "Montant moyen d'une note de restaurant en 2026 ?", AS_OF)
    assert a.value == (sum(amounts) / len(amounts)).quantize(Decimal("0.01"))


def test_an_age_of_lateness_alone_asks_what_is_owed_that_late(s):
    truth = [r for r in open_invoices(s, AS_OF) if r.days_past_due > 90]
    a = answer_offline(s, "Et celles de plus de 90 jours de retard ?", AS_OF)
    assert a.value == sum((r.open_amount for r in truth), Decimal("0.00"))


def test_an_amount_said_in_parentheses_turns_a_count_into_an_amount(s):
    count = answer_offline(s, "Combien de chèques encaissés en 2026 ?", AS_OF)
    amount = answer_offline(s, "Combien de chèques encaissés (montant) en 2026 ?", AS_OF)
    assert count.value == len(count.items) and sorted(amount.items) == sorted(count.items)
    assert isinstance(amount.value, Decimal) and amount.value > count.value


def test_receipts_of_a_kind_of_client_are_only_theirs(s):
    from sqlalchemy import select

    from khazna.ledger.models import Client, Payment

    rows = s.execute(
        select(Payment.payment_id, Payment.amount, Client.kind)
        .join(Client, Client.client_id == Payment.client_id)
        .where(Payment.status == "cleared", Payment.date >= date(2026, 1, 1), Payment.date <= AS_OF)
    ).all()
    truth = sorted(p for p, _, k in rows if k == "particulier")
    assert 0 < len(truth) < len(rows)
    a = answer_offline(s, "Combien les particuliers nous ont-ils payé en 2026 ?", AS_OF)
    assert sorted(a.items) == truth
    assert a.value == sum((Decimal(v) for p, v, k in rows if k == "particulier"), Decimal("0.00"))


def test_the_largest_of_a_category_is_taken_in_that_category(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    rows = s.execute(
        select(Expense.expense_id, Expense.amount, Expense.category).where(
            Expense.date >= date(2026, 1, 1), Expense.date <= date(2026, 3, 31)
        )
    ).all()
    best = max((r for r in rows if r[2] == "restaurant"), key=lambda r: Decimal(r[1]))
    assert Decimal(best[1]) < max(Decimal(r[1]) for r in rows)  # the filter matters here
    a = answer_offline(s, "Plus grosse note de restaurant du premier trimestre 2026 ?", AS_OF)
    assert (a.value, a.items) == (Decimal(best[1]), [best[0]])


@pytest.mark.parametrize("question", ["Combien de salariés avons-nous ?", "How many employees do we have?", "شحال من عامل عندنا؟"])  # fmt: skip
def test_a_headcount_is_not_in_the_books_and_gets_no_figure(s, question):
    a = answer_offline(s, question, AS_OF)
    assert a.value is None and a.unresolved


def test_in_amount_turns_a_count_of_receivables_into_their_amount(s):
    truth = [r for r in open_invoices(s, AS_OF) if r.days_past_due > 90]
    a = answer_offline(s, "Combien de créances ont plus de 90 jours de retard, en montant ?", AS_OF)
    assert a.value == sum((r.open_amount for r in truth), Decimal("0.00"))


def test_the_method_introduced_by_by_wins_over_cash_meaning_money(s):
    by_transfer = answer_offline(s, "Cash received by bank transfer in 2026", AS_OF)
    plain = answer_offline(s, "receipts by transfer in 2026", AS_OF)
    assert by_transfer.value == plain.value and by_transfer.items == plain.items
    assert (by_transfer.query or {}).get("filters", {}).get("payment_method") == "virement"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Encaissements de avril 2025", "commencent le 01/06/2025"),
        ("Dépenses de carburant en avril 2025", "commencent le 03/06/2025"),
        ("المصاريف في أفريل 2025", "03/06/2025"),
    ],
)
def test_a_flow_before_its_own_records_start_gets_no_zero(s, question, said):
    # invoices start earlier (2025-03) than payments and expenses (2025-06): a 0,00 for April
    # 2025 receipts would be a guess; the reason is said in the question's language
    a = answer_offline(s, question, AS_OF)
    assert a.value is None and said in a.answer and "nothing before" not in a.answer


def test_since_a_month_runs_from_that_month_to_today(s):
    from sqlalchemy import select

    from khazna.ledger.models import Payment

    amounts = s.scalars(
        select(Payment.amount).where(
            Payment.status == "cleared", Payment.date >= date(2026, 3, 1), Payment.date <= AS_OF
        )  # fmt: skip
    ).all()
    for q in (
        "encaissements depuis mars 2026",
        "receipts since March 2026",
        "التحصيلات منذ مارس 2026",
    ):
        a = answer_offline(s, q, AS_OF)
        assert a.value == sum((Decimal(v) for v in amounts), Decimal("0.00")), q


def test_stamp_duty_counts_the_invoices_that_carry_it(s):
    from sqlalchemy import select

    from khazna.ledger.models import Invoice

    rows = s.execute(
        select(Invoice.number, Invoice.timbre).where(
            Invoice.issue_date >= date(2026, 7, 1),
            Invoice.issue_date <= date(2026, 9, 30),
            Invoice.status != "cancelled",  # fmt: skip
        )
    ).all()
    carrying = sorted(n for n, t in rows if Decimal(t) != 0)
    assert 0 < len(carrying) < len(rows)
    a = answer_offline(s, "nombre de factures soumises au droit de timbre au T3 2026", AS_OF)
    assert (a.value, sorted(a.items)) == (len(carrying), carrying)


def test_the_amount_of_rejected_cheques_is_an_amount(s):
    from sqlalchemy import select

    from khazna.ledger.models import Payment

    total = sum((Decimal(v) for v in s.scalars(select(Payment.amount).where(Payment.status == "rejected"))), Decimal("0.00"))  # fmt: skip
    a = answer_offline(s, "Montant des chèques rejetés ?", AS_OF)
    assert a.value == total and total > 1
    assert answer_offline(s, "Combien de chèques rejetés ?", AS_OF).value == 1


def test_a_legal_form_word_alone_names_no_party(s):
    # "مؤسسة" (établissement), like SARL, is in many names: it names none of them by itself
    from khazna.tools.names import find_party

    assert find_party(s, "شحال من مؤسسة عندها فواتير متأخرة؟", ("client",)).party is None
    assert find_party(s, "combien de SARL nous doivent ?", ("client",)).party is None


def _spent(s, suppliers, start, end):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    rows = s.execute(
        select(Expense.expense_id, Expense.amount).where(
            Expense.supplier_id.in_(suppliers), Expense.date >= start, Expense.date <= end
        )
    ).all()
    return sorted(e for e, _ in rows), sum((Decimal(v) for _, v in rows), Decimal("0.00"))


def test_two_suppliers_named_together_are_both_counted(s):
    ids, total = _spent(s, ["S07", "S15"], date(2026, 1, 1), AS_OF)
    one, _ = _spent(s, ["S07"], date(2026, 1, 1), AS_OF)
    assert 0 < len(one) < len(ids)
    for q in ("Spend with CodeLink and DataSoft together in 2026", "combien avons-nous payé à CodeLink et DataSoft en 2026 ?"):  # fmt: skip
        a = answer_offline(s, q, AS_OF)
        assert (a.value, sorted(a.items)) == (total, ids), q


def test_all_ages_together_still_keep_the_kind_of_client(s):
    from sqlalchemy import select

    from khazna.ledger.models import Client

    pme = set(s.scalars(select(Client.client_id).where(Client.kind == "pme")))
    truth = [r for r in open_invoices(s, AS_OF) if r.client_id in pme]
    assert truth and len(truth) < len(open_invoices(s, AS_OF))
    a = answer_offline(s, "Nos créances sur les PME, échues ou pas, ça fait combien ?", AS_OF)
    assert a.value == sum((r.open_amount for r in truth), Decimal("0.00"))


def test_clients_invoiced_in_a_month_are_counted_from_the_invoices(s):
    from sqlalchemy import select

    from khazna.ledger.models import Invoice

    clients = sorted(set(s.scalars(select(Invoice.client_id).where(
        Invoice.issue_date >= date(2026, 8, 1), Invoice.issue_date <= date(2026, 8, 31), Invoice.status != "cancelled"
    ))))  # fmt: skip
    a = answer_offline(s, "Combien de clients différents a-t-on facturés en août 2026 ?", AS_OF)
    assert (a.value, sorted(a.items)) == (len(clients), clients)


def test_the_collection_rate_is_receipts_over_invoiced_ttc(s):
    from sqlalchemy import select

    from khazna.ledger.models import Invoice, Payment

    q3 = (date(2026, 7, 1), date(2026, 9, 30))
    got = sum((Decimal(v) for v in s.scalars(select(Payment.amount).where(Payment.status == "cleared", Payment.date.between(*q3)))), Decimal(0))  # fmt: skip
    billed = sum((Decimal(v) for v in s.scalars(select(Invoice.total_ttc).where(Invoice.status != "cancelled", Invoice.issue_date.between(*q3)))), Decimal(0))  # fmt: skip
    for q in (
        "Taux d'encaissement du T3 2026 ?",
        "collection rate in Q3 2026",
        "نسبة التحصيل في الثلاثي الثالث 2026",
    ):
        a = answer_offline(s, q, AS_OF)
        assert a.value == (got * 100 / billed).quantize(Decimal("0.01")), q


def test_the_same_measure_for_another_party_said_as_celui_de(s):
    from sqlalchemy import select

    from khazna.ledger.models import Client

    kind = dict(s.execute(select(Client.client_id, Client.kind)).all())
    overdue = [r for r in open_invoices(s, AS_OF) if r.days_past_due > 0]

    def owed(k):
        return sum((r.open_amount for r in overdue if kind[r.client_id] == k), Decimal("0.00"))

    a = answer_offline(s, "Différence entre l'échu des administrations et celui des PME ?", AS_OF)
    assert a.value == owed("administration") - owed("pme")
    b = answer_offline(s, "Les grands comptes nous doivent combien de plus que les PME ?", AS_OF)
    everything = [r for r in open_invoices(s, AS_OF)]
    gc = sum((r.open_amount for r in everything if kind[r.client_id] == "grand_compte"), Decimal(0))
    pme = sum((r.open_amount for r in everything if kind[r.client_id] == "pme"), Decimal(0))
    assert b.value == gc - pme


def test_suppliers_are_ranked_among_suppliers_not_clients_or_staff(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    per: dict[str, Decimal] = {}
    for sid, v in s.execute(select(Expense.supplier_id, Expense.amount).where(Expense.supplier_id != "", Expense.date.between(date(2026, 1, 1), AS_OF))):  # fmt: skip
        per[sid] = per.get(sid, Decimal(0)) + Decimal(v)
    top3 = sorted(per, key=lambda k: (-per[k], k))[:3]
    for q in (
        "Nos 3 plus gros fournisseurs payés en 2026 ?",
        "Top 3 suppliers by amount paid in 2026",
    ):
        a = answer_offline(s, q, AS_OF)
        assert a.items == top3 and a.value == sum(per[k] for k in top3), q


def test_what_is_said_after_dans_describes_the_whole_of_a_share(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    rows = s.execute(
        select(Expense.amount, Expense.category).where(
            Expense.method == "carte", Expense.date.between(date(2026, 1, 1), AS_OF)
        )  # fmt: skip
    ).all()
    fuel = sum((Decimal(v) for v, c in rows if c == "carburant"), Decimal(0))
    whole = sum((Decimal(v) for v, _ in rows), Decimal(0))
    a = answer_offline(s, "part du carburant dans les dépenses payées par carte en 2026 (%)", AS_OF)
    assert a.value == (fuel * 100 / whole).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("Stamp duty invoiced last quarter?", date(2026, 7, 1), date(2026, 9, 30)),
        ("droit de timbre du trimestre dernier", date(2026, 7, 1), date(2026, 9, 30)),
        ("droit de timbre de ce trimestre", date(2026, 10, 1), AS_OF),
    ],
)
def test_last_and_this_quarter_are_calendar_quarters(s, question, start, end):
    a = answer_offline(s, question, AS_OF)
    period = (a.query or {}).get("period") or {}
    assert (str(period.get("start")), str(period.get("end"))) == (
        start.isoformat(),
        end.isoformat(),
    )


def test_two_words_of_a_name_written_as_one_name_the_party(s):
    from khazna.tools.names import find_party

    m = find_party(s, "montant échu chez bordjlogistique", ("client",))
    assert m.party is not None and m.party.party_id == "C06"


def test_the_clients_of_the_books_are_counted_from_the_register_by_kind(s):
    from sqlalchemy import select

    from khazna.ledger.models import Client

    every = sorted(s.scalars(select(Client.client_id)))
    admins = sorted(s.scalars(select(Client.client_id).where(Client.kind == "administration")))
    assert 0 < len(admins) < len(every)
    a = answer_offline(s, "combien de clients avons-nous ?", AS_OF)
    assert (a.value, a.items) == (len(every), every)
    for q in (
        "Combien avons-nous de clients administrations ?",
        "how many government clients do we have?",
    ):
        a = answer_offline(s, q, AS_OF)
        assert (a.value, a.items) == (len(admins), admins), q


def test_a_payee_group_asked_as_a_client_gets_no_figure(s):
    a = answer_offline(s, "combien nous doit le client Naftal ?", AS_OF)
    assert a.value is None and "Naftal" in a.unresolved


def test_the_day_of_the_last_credit_note(s):
    from sqlalchemy import select

    from khazna.ledger.models import Invoice

    last = max(s.scalars(select(Invoice.issue_date).where(Invoice.credited_invoice != "")))
    a = answer_offline(s, "quand a-t-on fait notre dernier avoir ?", AS_OF)
    assert str(a.value)[:10] == last.isoformat()


def test_the_sides_of_a_share_are_said_in_dinars_not_in_percent(s):
    a = answer_offline(s, "taux d'encaissement du T3 2026", AS_OF)
    body = a.answer.splitlines()[-1]
    assert body.count("%") == 1 and body.count(" DA") == 2  # the rate once, both sides in dinars


def test_the_largest_unpaid_invoice_is_taken_among_what_is_owed(s):
    rows = open_invoices(s, AS_OF)
    best = max(rows, key=lambda r: (r.open_amount, r.number))
    for q in ("quelle est la plus grosse facture impayée ?", "واش هي أكبر فاتورة ما تخلصتش؟"):
        a = answer_offline(s, q, AS_OF)
        assert (a.value, a.items) == (best.open_amount, [best.number]), q


def test_yesterday_and_today_are_one_day(s):
    from datetime import timedelta

    from sqlalchemy import select

    from khazna.ledger.models import BankLine

    y = AS_OF - timedelta(days=1)
    for q, day in (("mouvements débiteurs d'hier", y), ("bank debits yesterday", y), ("mouvements débiteurs d'aujourd'hui", AS_OF)):  # fmt: skip
        lines = s.execute(select(BankLine.line_id, BankLine.amount).where(BankLine.date == day, BankLine.amount < 0)).all()  # fmt: skip
        a = answer_offline(s, q, AS_OF)
        assert sorted(a.items) == sorted(i for i, _ in lines), q


def test_the_last_spending_of_a_category_is_a_day(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    last = max(
        s.scalars(
            select(Expense.date).where(Expense.category == "carburant", Expense.date <= AS_OF)
        )
    )
    a = answer_offline(s, "c'était quand le dernier plein de carburant ?", AS_OF)
    assert str(a.value)[:10] == last.isoformat()


def test_a_range_of_months_is_one_span(s):
    from sqlalchemy import select

    from khazna.ledger.models import Payment

    amounts = s.scalars(select(Payment.amount).where(Payment.status == "cleared", Payment.date.between(date(2026, 1, 1), date(2026, 3, 31)))).all()  # fmt: skip
    for q in ("encaissements de janvier à mars 2026", "receipts from January to March 2026"):
        a = answer_offline(s, q, AS_OF)
        assert a.value == sum((Decimal(v) for v in amounts), Decimal("0.00")), q


# --- session 30: names across scripts, Darja, typos, one receivable, a ranking of receipts ----


def _open_of(s, client_id):
    rows = [r for r in open_invoices(s, AS_OF) if r.client_id == client_id]
    return sum((r.open_amount for r in rows), Decimal("0.00")), sorted(r.number for r in rows)


@pytest.mark.parametrize(
    ("question", "client"),
    [
        ("ما هو المبلغ المتبقي على مديرية الصحة لولاية بومرداس؟", "C16"),  # the name as written
        ("encours de la DSP de Boumerdès", "C16"),  # a French acronym of an Arabic name
        ("encours de la Direction de la Santé de Boumerdès", "C16"),  # its French words
        ("كم بقي على مديرية التربية لولاية الجزائر؟", "C15"),  # Arabic words of a French name
    ],
)
def test_a_public_body_is_named_in_either_language(s, question, client):
    a = answer_offline(s, question, AS_OF)
    total, numbers = _open_of(s, client)
    assert a.query["filters"]["client"] == client and not a.unresolved
    assert (a.value, sorted(a.items)) == (total, numbers)


def test_a_supplier_is_named_by_its_arabic_name_and_khalasna_is_what_we_paid(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    rows = s.scalars(select(Expense).where(Expense.supplier_id == "S03", Expense.date >= date(2026, 1, 1), Expense.date <= date(2026, 6, 30))).all()  # fmt: skip
    a = answer_offline(s, "قداه خلصنا اتصالات الجزائر في السداسي الأول 2026؟", AS_OF)
    assert rows and a.query["filters"]["supplier"] == "S03"
    assert (a.value, sorted(a.items)) == (
        sum(e.amount for e in rows),
        sorted(e.expense_id for e in rows),
    )


def test_a_typo_in_a_measure_word_is_read_as_the_word(s):
    right = answer_offline(s, "encaissements du T3 2026", AS_OF)
    typo = answer_offline(s, "encaissments du T3 2026", AS_OF)
    assert right.value is not None and (typo.value, typo.items) == (right.value, right.items)
    # a word no vocabulary word is close to stays unread: no figure for it
    odd = answer_offline(s, "encaissements zorglubesques du T3 2026", AS_OF)
    assert odd.value is None and "zorglubesques" in odd.unresolved


def test_the_largest_receivable_is_one_invoice_not_a_ranking_of_clients(s):
    best = max(open_invoices(s, AS_OF), key=lambda r: r.open_amount)
    for q in (
        "quelle est la plus grosse créance ouverte ?",
        "la plus grosse créance (montant restant)",
    ):
        a = answer_offline(s, q, AS_OF)
        assert (a.value, a.items) == (best.open_amount, [best.number]), q


def test_clients_who_paid_us_the_most_are_ranked_by_receipts(s):
    ranked = answer_offline(s, "top 3 clients par encaissements en 2026", AS_OF)
    said = answer_offline(s, "les 3 clients qui nous ont le plus payé en 2026", AS_OF)
    assert len(ranked.items) == 3 and (said.value, said.items) == (ranked.value, ranked.items)


def test_a_superlative_no_slot_takes_is_reported(s):
    a = answer_offline(
        s, "combien avons-nous encaissé le mois où nous avons le plus encaissé ?", AS_OF
    )
    assert a.value is None and a.unresolved


def test_card_expenses_are_the_expenses_paid_by_card(s):
    from sqlalchemy import select

    from khazna.ledger.models import Expense

    rows = s.scalars(select(Expense).where(Expense.method == "carte", Expense.date >= date(2026, 10, 1), Expense.date <= date(2026, 10, 31))).all()  # fmt: skip
    a = answer_offline(s, "card expenses in October 2026", AS_OF)
    assert rows and (a.value, sorted(a.items)) == (sum(e.amount for e in rows), sorted(e.expense_id for e in rows))  # fmt: skip
    assert "paid by card" in a.understood


# --- families of held-out splits 11 and 12 (session 32) ------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "est-ce que je vais pouvoir payer les salaires ce mois-ci ?",
        "can we pay the salaries this month?",
        "واش نقدرو نخلصو الشهرية هذا الشهر؟",
    ],
)
def test_a_yes_no_forecast_question_has_a_verdict_and_rests_on_the_lowest_balance(s, question):
    fc = forecast(s, AS_OF, 30)
    end = date(2026, 11, 30)
    days = [d for d in fc.days if d.date <= end]
    a = answer_offline(s, question, AS_OF)
    assert a.query is not None and a.query["aggregation"] == "status"
    assert a.value == min(d.balance for d in days)
    rank = {"ok": 0, "a_surveiller": 1, "tension": 2}
    assert a.verdict == max((d.status for d in days), key=lambda x: rank.get(x, 0))


def test_a_how_much_forecast_question_has_no_verdict(s):
    a = answer_offline(s, "quel est le solde prévu dans 30 jours ?", AS_OF)
    assert a.verdict is None and a.value is not None


def test_countable_things_then_combien_are_counted(s):
    truth = sorted(
        r.number for r in open_invoices(s, AS_OF) if Decimal(0) < r.open_amount < r.total_ttc
    )
    a = answer_offline(s, "factures partiellement payées : combien ?", AS_OF)
    assert (a.value, sorted(a.items)) == (len(truth), truth)
    money = answer_offline(s, "factures partiellement payées : combien en montant ?", AS_OF)
    assert money.value == sum((r.open_amount for r in open_invoices(s, AS_OF) if r.number in truth), Decimal("0.00"))  # fmt: skip


def test_a_balance_change_between_two_month_ends(s):
    from khazna.ledger.queries import cash_position

    a = answer_offline(s, "variation de la tréso entre fin septembre et fin octobre", AS_OF)
    truth = cash_position(s, date(2026, 10, 31)) - cash_position(s, date(2026, 9, 30))
    assert a.value == truth


def test_the_share_of_the_encours_overdue_by_an_age_is_over_all_the_encours(s):
    rows = open_invoices(s, AS_OF)
    part = sum((r.open_amount for r in rows if r.days_past_due > 90), Decimal(0))
    whole = sum((r.open_amount for r in rows), Decimal(0))
    a = answer_offline(s, "quel pourcentage de l'encours est échu depuis plus de 90 jours ?", AS_OF)
    assert a.value == (part * 100 / whole).quantize(Decimal("0.01"))


def test_a_supplier_named_only_in_arabic_script_is_not_a_client(s):
    a = answer_offline(s, "شحال تسالنا سونلغاز؟", AS_OF)
    assert a.value is None and a.unresolved


def test_names_words_count_once_and_initials_name_a_body():
    from khazna.tools.names import _initials, _score, word_matches

    # "clients" is two slips from "ciments": another word, not a typo
    assert not word_matches("clients", "ciments")
    assert word_matches("encaissments", "encaissements")
    # a short Latin name by its vowels, a joined article, across scripts
    assert word_matches("جيكا", "gica") and word_matches("زوار", "ezzouar")
    assert not word_matches("جيكا", "gaza")
    # a long name's repeated "de" does not outscore the name the question says
    q = ["combien", "doit", "l", "apc", "de", "setif"]
    assert _score(q, "APC de Sétif") > _score(q, "Direction de l'Éducation de la Wilaya de Sétif")
    assert _initials(["dep"], "Direction des Équipements Publics de la Wilaya de Sétif") == 1.0
    assert _initials(["dep"], "Direction de l'Éducation de la Wilaya de Sétif") == 0.0


def test_late_payers_are_a_ranking_of_clients_not_the_oldest_invoice(s):
    a = answer_offline(s, "les 5 plus gros retardataires (montant échu)", AS_OF)
    assert a.query is not None and a.query["measure"] == "open_receivables"
    assert a.query["aggregation"] == "top" and a.query["filters"].get("overdue") is True


def test_one_persons_salary_is_refused_not_answered_zero(s):
    a = answer_offline(s, "Quel est le salaire net de K. Benali ?", AS_OF)
    assert a.value is None and a.unresolved
