"""What the owner reads is true (issue 13): a second run of the day says so and leaves a sent
report as it was sent; statuses, kinds and categories in words; times on the Algiers clock."""

from __future__ import annotations

import re
from datetime import datetime

from khazna.calendar_dz import format_local
from khazna.cli import main
from khazna.labels import draft_status
from khazna.ledger.db import Ledger
from khazna.ledger.tables_agents import Report
from tests.bundles import write_bundle

AS_OF = "2026-03-31"


def _ledger(tmp_path, capsys) -> str:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    return db


def test_second_run_of_the_day_says_already_done_and_keeps_the_sent_report(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "gerant@example.dz")
    db = _ledger(tmp_path, capsys)
    assert main(["run", "--db", db, "--as-of", AS_OF, "--report"]) == 0
    first = capsys.readouterr().out
    assert "premier passage" in first and "déjà fait" not in first
    assert re.search(r"rapport hebdomadaire R20260331 : statut (OK|à surveiller|tension)", first)
    assert "a_surveiller" not in first
    # the report went out with these words; pretend the books moved its status since
    ledger = Ledger(db)
    with ledger.session() as s:
        row = s.get(Report, "R20260331")
        assert row is not None and row.sent_to == ["gerant@example.dz"]
        sent_status, sent_text = row.forecast_status, row.commentary
        other = "ok" if sent_status == "tension" else "tension"
        row.facts = {**row.facts, "forecast_status": other}
        row.forecast_status = other
    assert main(["run", "--db", db, "--as-of", AS_OF, "--report"]) == 0
    second = capsys.readouterr().out
    assert "déjà fait aujourd'hui, à " in second and "premier passage" not in second
    assert "contrôle des factures : déjà fait aujourd'hui" in second
    assert "déjà envoyé (pour gerant@example.dz) : non recalculé" in second
    words = {"ok": "OK", "tension": "tension"}
    assert f"statut {words[other]}" in second  # what was stored stands: not recomputed
    with ledger.read() as s:
        row = s.get(Report, "R20260331")
        assert row.forecast_status == other and row.commentary == sent_text
    assert main(["run", "--db", db, "--as-of", AS_OF, "--json"]) == 0
    out = capsys.readouterr().out
    assert '"earlier_today": "20' in out  # --json: when the earlier run of the day started


def test_run_without_owner_email_says_the_report_went_nowhere(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KHAZNA_OWNER_EMAIL", raising=False)
    db = _ledger(tmp_path, capsys)
    assert main(["run", "--db", db, "--as-of", AS_OF, "--report"]) == 0
    out = capsys.readouterr().out
    assert "non envoyé : KHAZNA_OWNER_EMAIL n'est pas défini" in out
    assert "Cycle du 31/03/2026" in out
    durations = next(line for line in out.splitlines() if "durées" in line)
    assert "dunning_writer" not in durations and "relances" in durations


def test_draft_status_words_never_say_sent_for_a_file():
    assert draft_status("pending_approval") == "en attente d'approbation"
    assert draft_status("sent", "file") == "écrite dans la boîte d'envoi locale (non envoyée)"
    assert draft_status("sent", "smtp") == "envoyée par SMTP"
    assert draft_status("sent", None, True) == "marquée envoyée à la main"


def test_times_read_on_the_algiers_clock():
    # the ledger keeps naive UTC; Algiers is UTC+1 all year
    assert format_local(datetime(2026, 12, 7, 8, 33)) == "07/12/2026 09:33"
    assert format_local(datetime(2026, 7, 1, 23, 30)) == "02/07/2026 00:30"


def test_inbox_list_and_show_print_statuses_in_words(tmp_path, capsys):
    db = _ledger(tmp_path, capsys)
    assert main(["run", "--db", db, "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main(["inbox", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "en attente d'approbation" in out and "pending_approval" not in out
    draft_id = out.split()[0]
    assert main(["inbox", "approve", draft_id, "--db", db, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "écrite dans la boîte d'envoi locale (non envoyée)" in out.splitlines()[0]
    assert " sent " not in out


def test_decision_note_in_words_without_the_hash():
    from khazna.labels import decision_words

    note = "version=detailed; sha256=" + "ab" * 32 + "; canal=whatsapp; not sent: no phone"
    words = decision_words(note)
    assert words == "version détaillée approuvée ; canal : WhatsApp ; non envoyée : no phone"
    assert "sha256" not in words


def test_an_alert_shows_as_a_banner_on_the_web_even_unsent(tmp_path, monkeypatch):
    from datetime import date, timedelta
    from decimal import Decimal

    from fastapi.testclient import TestClient

    from khazna.agents.alerts import Alert, send_alerts
    from khazna.agents.deps import AgentDeps
    from khazna.web.app import create_app
    from tests.web_helpers import OWNER, ledger_with_draft, login

    monkeypatch.delenv("KHAZNA_OWNER_EMAIL", raising=False)  # the email goes nowhere
    url, ledger = ledger_with_draft(tmp_path)
    today = date.today()
    alert = Alert(
        kind="tension",
        key=f"alert:tension:{today.isoformat()}",
        subject="ALERTE trésorerie : solde négatif prévu le 28/12/2026",
        text="…",
        amount=Decimal("-1000"),
        date=today,
    )
    [told] = send_alerts(AgentDeps(ledger=ledger), [alert])
    assert told.sent_to == []  # no owner email: nothing was mailed
    client = TestClient(create_app(url, secret="s", home=tmp_path / "home"))
    login(client, OWNER)
    for page in ("/inbox", "/dashboard"):
        html = client.get(page).text
        assert 'class="flash alert tension" role="alert"' in html
        assert "ALERTE trésorerie : solde négatif prévu le 28/12/2026" in html
    # a week later it is gone from the pages
    old = alert.model_copy(
        update={
            "key": "alert:tension:old",
            "date": today - timedelta(days=30),
            "subject": "VIEILLE",
        }
    )
    send_alerts(AgentDeps(ledger=ledger), [old])
    assert "VIEILLE" not in client.get("/inbox").text


def test_forecast_explain_is_french_and_says_each_source_once(tmp_path, capsys):
    db = _ledger(tmp_path, capsys)
    assert main(["forecast", "--db", db, "--as-of", AS_OF, "--explain"]) == 0
    out = capsys.readouterr().out
    flows = out.split("Flux projetés :", 1)[1]
    assert flows.strip()
    for english in (
        r"everyday",
        r"median\b",
        r" d late",
        r"month\(s\)",
        r"pays in",
        r"\bof\b",
        r"\bdue\b",
    ):
        assert not re.search(english, flows), english
    assert "dépenses courantes : dépenses courantes" not in flows
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", flows)  # days as 31/03/2026


def test_the_report_does_not_send_the_reader_to_itself(tmp_path, capsys):
    from pypdf import PdfReader

    db = _ledger(tmp_path, capsys)
    pdf = tmp_path / "r.pdf"
    assert main(["report", "--db", db, "--as-of", AS_OF, "--pdf", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert f"Rapport PDF écrit dans {pdf}" in out
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "figure dans le rapport" not in text and "figure dans le rapport" not in out
