"""When the books stop before the day asked (issue 13): every command that reports as of a
later day says so in one line, and ``--json`` carries ``books_end`` and the sentence in
``notes``; the weekly report opens with it (text and PDF); ``doctor`` warns when the last bank
line is old. The small bundle's records end on 01/03/2026."""

from __future__ import annotations

import json
from datetime import date

from khazna.cli import main
from khazna.ledger.db import Ledger
from khazna.tools.status import books_end
from tests.bundles import write_bundle

LATE = "2026-05-10"  # 70 days after the last record (01/03/2026)
NOTE = "les livres s'arrêtent au 01/03/2026 (70 jours avant le 10/05/2026)"


def _ledger(tmp_path, capsys) -> str:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    return db


def _json(capsys, argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_books_end_is_the_last_record_of_each_kind(tmp_path, capsys):
    db = _ledger(tmp_path, capsys)
    with Ledger(db).read() as s:
        end = books_end(s, date(2026, 5, 10))
        assert books_end(s, date(2026, 3, 1)) is None  # the last record's day: covered
        assert books_end(s, date(2026, 2, 15)) is None
    assert end is not None and end.last_record == date(2026, 3, 1)
    assert end.last_record == max(
        d for d in (end.bank_lines, end.invoices, end.payments, end.expenses) if d
    )
    assert end.note.startswith(NOTE)


def test_aging_anomalies_ask_say_where_the_books_stop(tmp_path, capsys):
    db = _ledger(tmp_path, capsys)
    for argv in (
        ["aging", "--db", db, "--as-of", LATE],
        ["anomalies", "--db", db, "--as-of", LATE],
        ["ask", "quel est le DSO ?", "--db", db, "--as-of", LATE],
    ):
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert out.count(NOTE) == 1, argv
        doc = _json(capsys, [*argv, "--json"])
        assert doc["books_end"]["last_record"] == "2026-03-01", argv
        assert doc["books_end"]["bank_lines"] and doc["books_end"]["invoices"]
        assert any(n.startswith(NOTE) for n in doc["notes"]), argv
    # the spec's fields stay (cli.md: a command may add fields, never remove them)
    aging = _json(capsys, ["aging", "--db", db, "--as-of", LATE, "--json"])
    assert {"as_of", "buckets", "clients", "totals"} <= set(aging)
    assert "anomalies" in _json(capsys, ["anomalies", "--db", db, "--as-of", LATE, "--json"])


def test_an_answer_says_it_in_the_language_of_its_question(tmp_path, capsys):
    db = _ledger(tmp_path, capsys)
    for question, words in (
        ("What is our DSO?", "Note: the books stop on 01/03/2026 (70 days before 10/05/2026)"),
        ("كم تدين لنا الزبائن؟", "ملاحظة: تتوقف الدفاتر عند 01/03/2026"),
    ):
        assert main(["ask", question, "--db", db, "--as-of", LATE]) == 0
        out = capsys.readouterr().out
        assert words in out and NOTE not in out, question
        doc = _json(capsys, ["ask", question, "--db", db, "--as-of", LATE, "--json"])
        assert doc["notes"][-1] == doc["books_end"]["note"] and NOTE not in doc["notes"][-1]


def test_nothing_is_added_while_the_books_reach_the_day(tmp_path, capsys):
    db = _ledger(tmp_path, capsys)
    for argv in (
        ["aging", "--db", db, "--as-of", "2026-03-01"],
        ["anomalies", "--db", db, "--as-of", "2026-03-01"],
    ):
        assert main(argv) == 0
        assert "les livres s'arrêtent" not in capsys.readouterr().out
        doc = _json(capsys, [*argv, "--json"])
        assert "books_end" not in doc and "notes" not in doc


def test_run_and_the_weekly_report_open_with_it(tmp_path, capsys):
    from pypdf import PdfReader

    db = _ledger(tmp_path, capsys)
    assert main(["run", "--db", db, "--as-of", LATE, "--no-send"]) == 0
    assert NOTE in capsys.readouterr().out
    run = _json(capsys, ["run", "--db", db, "--as-of", LATE, "--no-send", "--json"])
    assert run["books_end"]["last_record"] == "2026-03-01" and "drafts" in run
    pdf = tmp_path / "r.pdf"
    assert main(["report", "--db", db, "--as-of", LATE, "--pdf", str(pdf)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"Attention : {NOTE}")
    assert text.count("les livres s'arrêtent") == 1  # once, before the week's figures
    page = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert f"Attention : {NOTE}" in page
    rep = _json(capsys, ["report", "--db", db, "--as-of", LATE, "--json"])
    assert rep["books_end"]["last_record"] == "2026-03-01"
    assert rep["facts"]["books_end"] == "2026-03-01" and rep["facts"]["books_note"]
    assert rep["commentary"].startswith("Attention : ")
    from khazna.agents.reporter.compose import books_paragraph
    from khazna.agents.reporter.facts import ReportFacts

    ar = ReportFacts.model_validate(rep["facts"]).model_copy(update={"language": "ar"})
    assert (books_paragraph(ar) or "").startswith("تنبيه: تتوقف الدفاتر عند 01/03/2026 (70 ")
    # a week the books cover: no such paragraph
    assert main(["report", "--db", db, "--as-of", "2026-03-01"]) == 0
    assert "les livres s'arrêtent" not in capsys.readouterr().out


def test_doctor_warns_when_the_last_bank_line_is_old(tmp_path, capsys):
    from khazna.commands.doctor_cmd import check_books

    db = _ledger(tmp_path, capsys)
    with Ledger(db).read() as s:
        from sqlalchemy import func, select

        from khazna.ledger.models import BankLine

        last = s.scalar(select(func.max(BankLine.date)))
    fresh = check_books(db, last)
    assert fresh.ok and fresh.level == "warning"
    old = check_books(db, date(2026, 5, 10))
    assert not old.ok and old.level == "warning"
    assert f"dernière ligne bancaire le {last:%d/%m/%Y}" in old.detail
    assert "khazna import-bank" in old.detail
    assert check_books(f"sqlite:///{tmp_path / 'empty.db'}").ok  # no books yet: nothing to say
    assert main(["doctor", "--db", db]) == 0  # a warning, not a failure
    out = capsys.readouterr().out
    assert "attention livres" in out and "à voir : livres" in out


def test_the_questions_page_says_where_the_books_stop(tmp_path):
    from fastapi.testclient import TestClient

    from khazna.web.app import create_app
    from tests.web_helpers import ACCOUNTANT, csrf_of, ledger_with_draft, login

    url, ledger = ledger_with_draft(tmp_path)
    app = create_app(url, secret="s" * 40)
    pages = {}
    with TestClient(app) as web:
        login(web, ACCOUNTANT)
        for day in (LATE, "2026-02-15"):
            r = web.post(
                "/questions",
                data={"csrf": csrf_of(web, "/questions"), "question": "quel est le DSO ?",
                      "as_of": day},
            )  # fmt: skip
            assert r.status_code == 200
            pages[day] = r.text
    ledger.dispose()
    app.state.ledger.dispose()
    assert "les livres s&#39;arrêtent au 01/03/2026" in pages[LATE]
    assert "arrêtent au" not in pages["2026-02-15"]
