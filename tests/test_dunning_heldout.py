"""The held-out dunning letters (evals/heldout/dunning_letters_heldout.py, issue 14): the cases
have the habits the development matrix lacks, their levels agree with the working calendar,
and the eval reads every letter of them with the same rules (a faulty writer scores lower)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from khazna.agents.dunning.compose import compose
from khazna.calendar_dz import WorkingCalendar
from khazna.evals import dunning_letters, eval_dunning, letter_rules, runner
from khazna.evals.heldout import dunning_letters_heldout as held

CASES = held.cases()


def test_heldout_cases_are_new_and_have_the_habits_the_matrix_lacks():
    assert len(CASES) >= 40
    dev = dunning_letters.cases()
    dev_numbers = {i["number"] for c in dev for i in c["invoices"]}
    assert not dev_numbers & {i["number"] for c in CASES for i in c["invoices"]}
    assert not {c["client"]["name"] for c in dev} & {c["client"]["name"] for c in CASES}
    assert sum(c["client"]["language"] == "ar" for c in CASES) * 3 >= len(CASES)
    books = {c["id"]: held.books(c) for c in CASES}
    levels = [sorted(b.invoices.values()) for b in books.values()]
    assert any(lv.count(3) >= 2 and len(lv) - lv.count(3) >= 2 for lv in levels)
    assert any(c["payments"] for c in CASES) and any(c["not_due"] for c in CASES)
    history = [h for c in CASES for h in c["history"]]
    assert any(h["kind"] == "promise" and not h["about"] for h in history)
    assert any(c["expect_draft"] is False for c in CASES)
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in h["text"]) for h in history)
    assert Counter(c["client"]["kind"] for c in CASES).keys() >= {
        "pme", "administration", "particulier", "grand_compte"
    }  # fmt: skip
    for c in CASES:  # open amounts: TTC less the case's partial payments, never below zero
        b = books[c["id"]]
        assert all(v > 0 for v in b.open_amounts.values())
        paid = {p["invoice"] for p in c["payments"]}
        assert paid <= set(b.invoices)


def test_heldout_levels_agree_with_the_working_calendar():
    cal = WorkingCalendar.load()
    assert cal.is_working_day(held.AS_OF)
    moved = 0
    for c in CASES:
        for inv in c["invoices"] + c["not_due"]:
            due = date.fromisoformat(inv["due"])
            steps = [cal.next_working_day(due + timedelta(days=d)) for d in held.LEVELS_DAYS]
            moved += any(
                s != due + timedelta(days=d) for s, d in zip(steps, held.LEVELS_DAYS, strict=True)
            )
            assert held._level(inv["due"]) == sum(s <= held.AS_OF for s in steps), inv
    assert moved  # some steps land on a Friday, a Saturday or a holiday


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return eval_dunning._prepare(tmp_path_factory.mktemp("heldout"), held.AS_OF, CASES)


def test_heldout_letters_are_read_by_the_rules(prepared):
    scores, failed = eval_dunning.read_letters(
        prepared, lambda f, _c: compose(f), held.books, "letters_heldout"
    )
    assert set(scores) == {f"letters_heldout.{r}" for r in letter_rules.RULES} | {
        "letters_heldout.all"
    }
    assert all(0.0 <= v <= 1.0 for v in scores.values())

    # a writer that greets a formal notice casually and invents a reminder scores lower
    def careless(facts, _c):
        t = compose(facts)
        return t.model_copy(
            update={"detailed": "Bonjour,\n\nrappel le 01/01/2026.\n\n" + t.detailed}
        )

    worse, worse_failed = eval_dunning.read_letters(prepared, careless, held.books, "x")
    assert worse["x.register"] == 0.0 and worse["x.history"] == 0.0
    skipped = {c["id"] for c in CASES if c["expect_draft"] is False}
    assert set(worse_failed) - skipped == {c["id"] for c in CASES} - skipped


def test_heldout_has_no_floor():
    for limits in runner.load_thresholds().values():
        assert not [k for k in limits if "letters_heldout" in k]
