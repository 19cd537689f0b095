"""The reader on the engineer's own development questions (evals/datasets/assistant_readings.yaml):
each question is read as it was when its reading was checked by hand, and what was answered
null stays null. A reading that changes must be checked again and the file updated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from khazna.agents.assistant import answer_offline
from khazna.evals.build_assistant_dataset import demo_ledger

DATASET = Path(__file__).parents[1] / "evals" / "datasets" / "assistant_readings.yaml"
DOC = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
AS_OF = date.fromisoformat(DOC["ledger"]["as_of"])


@pytest.fixture(scope="module")
def demo_session(tmp_path_factory):
    led = demo_ledger(tmp_path_factory.mktemp("readings"), seed=int(DOC["ledger"]["demo_seed"]), as_of=AS_OF)  # fmt: skip
    with led.read() as s:
        yield s
    led.dispose()


def test_every_family_of_the_issue_has_questions_in_three_languages():
    cases = DOC["cases"]
    assert {c["language"] for c in cases} == {"fr", "ar", "en"}
    families = {c["family"].split("/")[0] for c in cases}
    assert {"open_receivables", "invoiced_ht", "invoiced_ttc", "vat", "stamp_duty", "client_receipts",
            "bank_debits", "bank_credits", "balance", "days_late", "days_since_payment"} <= families  # fmt: skip
    combos = {c["family"].split("/")[1] for c in cases if "/" in c["family"]}
    assert {"share", "difference", "change"} <= combos


def test_the_readings_are_those_checked_by_hand(demo_session):
    changed = []
    for c in DOC["cases"]:
        a = answer_offline(demo_session, c["question"], AS_OF)
        if a.understood != c["understood"] or (a.value is not None) != c["answered"]:
            changed.append((c["question"], c["understood"], a.understood))
        assert a.answer.startswith(a.understood)  # the reading comes first, in every answer
        assert a.language == c["language"]
    assert changed == []
