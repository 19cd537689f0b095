"""Offline answers say what was asked (issue 10): a ranking lists each item with its own
amount, categories are words of the answer's language, Arabic nouns agree with their number,
and ``khazna ask`` prints the sources once. On the demo ledger."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from khazna.agents.assistant import answer_offline
from khazna.cli import main
from khazna.evals.build_assistant_dataset import demo_ledger
from khazna.labels import CATEGORY, CATEGORY_AR, CATEGORY_EN
from khazna.money import format_dzd
from khazna.text import count

AS_OF = date(2026, 11, 16)


@pytest.fixture(scope="module")
def led(tmp_path_factory):
    led = demo_ledger(tmp_path_factory.mktemp("say"), seed=7, as_of=AS_OF)
    yield led
    led.dispose()


@pytest.fixture(scope="module")
def s(led):
    with led.read() as session:
        yield session


@pytest.mark.parametrize(
    "question",
    [
        "Top 3 clients by revenue in 2026?",
        "top 3 clients par chiffre d'affaires en 2026",
        "top 3 fournisseurs payés en 2026",
    ],
)
def test_a_ranking_lists_each_item_with_its_own_amount(s, question):
    a = answer_offline(s, question, AS_OF)
    assert a.query is not None and a.query["aggregation"] == "top", a.understood
    assert len(a.items) == 3 and isinstance(a.value, Decimal)
    cur = "دج" if a.language == "ar" else "DA"
    own = []
    for rank, who in enumerate(a.items, 1):
        m = re.search(
            rf"{rank}\. [^;]*?{re.escape(who)}\)? ([\d\u00a0\u202f ]+,\d\d) {cur}", a.answer
        )
        assert m, (who, a.answer)
        own.append(Decimal(re.sub(r"[^\d,]", "", m.group(1)).replace(",", ".")))
    assert own == sorted(own, reverse=True) and sum(own) == a.value  # value as documented
    assert format_dzd(a.value, cur) in a.answer


@pytest.mark.parametrize(
    ("question", "word", "lang"),
    [
        ("مصاريف الوقود في 2026", CATEGORY_AR["carburant"], "ar"),
        ("مصاريف الرواتب في 2026", CATEGORY_AR["salaires"], "ar"),
        ("fuel expenses in 2026", CATEGORY_EN["carburant"], "en"),
    ],
)
def test_a_category_is_a_word_of_the_answers_language(s, question, word, lang):
    a = answer_offline(s, question, AS_OF)
    assert a.language == lang and a.value is not None
    assert word in a.understood and word in a.answer.split("\n", 1)[1]
    assert not re.search(r"carburant|salaires", a.answer), a.answer


def test_every_category_has_an_arabic_and_an_english_word():
    assert set(CATEGORY_AR) == set(CATEGORY) == set(CATEGORY_EN)


def test_arabic_nouns_agree_with_their_number():
    one, many, two = "فاتورة", "فواتير", "فاتورتين"
    assert count(1, one, many, "ar", two) == "1 فاتورة"
    assert count(2, one, many, "ar", two) == "2 فاتورتين"
    assert [count(n, one, many, "ar") for n in (3, 5, 10)] == [f"{n} فواتير" for n in (3, 5, 10)]
    assert [count(n, one, many, "ar") for n in (11, 52, 100)] == [f"{n} فاتورة" for n in (11, 52, 100)]  # fmt: skip
    assert count(103, one, many, "ar") == "103 فواتير"
    assert count(5, "facture", "factures") == "5 factures"  # French unchanged


def test_an_arabic_answer_counts_in_the_plural_from_3_to_10(s):
    a = answer_offline(s, "مصاريف الرواتب في 2026", AS_OF)
    n = len(a.items)
    assert 3 <= n <= 10, n  # the salaries: one a month
    assert f"{n} عمليات" in a.answer and f"{n} عملية" not in a.answer


def test_ask_prints_the_sources_once_when_the_answer_cut_its_list(led, capsys):
    q = "montant facturé HT en 2026"
    assert main(["ask", q, "--db", str(led.engine.url), "--as-of", AS_OF.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "…" in out or "autres" in out, out
    assert out.count("sources") == 1, out


@pytest.mark.parametrize(
    "template",
    [
        "Quelles factures de {} sont en retard et de combien de jours ?",
        "Which invoices of {} are overdue and by how many days?",
    ],
)
def test_asked_how_many_days_late_each_listed_invoice_shows_them(s, template):
    from khazna.ledger.models import Client
    from khazna.tools.receivables import open_invoices

    late: dict[str, list] = {}
    for r in open_invoices(s, AS_OF):
        if r.days_past_due > 0:
            late.setdefault(r.client_id, []).append(r)
    cid = max(sorted(late), key=lambda c: len(late[c]))  # a client with several late invoices
    name = s.get(Client, cid).name
    a = answer_offline(s, template.format(name), AS_OF)
    truth = late[cid]
    assert sorted(a.items) == sorted(r.number for r in truth), a.answer
    for r in truth:
        said = "jours de retard" if a.language == "fr" else "days late"
        assert f"{r.number} (" in a.answer and f"{r.days_past_due} {said}" in a.answer, a.answer
