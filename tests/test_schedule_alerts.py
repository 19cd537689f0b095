"""The daily automation: the working-day plan, the loop with a fake clock, `schedule --once`
on a Thursday, and alerts mailed at once to a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import json
import socket
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from email import policy

import pytest
from aiosmtpd.controller import Controller

from khazna.agents.alerts import check_alerts
from khazna.agents.deps import AgentDeps
from khazna.agents.schedule import Scheduler, plan_days, run_day, skip_reason
from khazna.calendar_dz import WorkingCalendar
from khazna.cli import main
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Expense
from khazna.mail.transport import MailSettings, SmtpTransport
from khazna.money import format_dzd
from khazna.tools.forecast import forecast
from tests.bundles import FILES, write_bundle

OWNER = "gerant@atlas.example.dz"
BIG_DUE = FILES["commitments.csv"] + (
    "K02,Échéance fournisseur,achats_marchandises,5000000.00,15,1,2026-04-01,2026-04-30\n"
)
DUP_EXPENSES = FILES["expenses.csv"] + (
    "E020,2026-03-01,,SARL CodeLink,sous_traitance,265000.00,virement,VE1,,,,yes,Développement\n"
    "E021,2026-03-03,,SARL CodeLink,sous_traitance,265000.00,virement,VE2,,,,yes,Développement\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self) -> None:
        self.accepted: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ARG002
        self.accepted.append(envelope)
        return "250 2.0.0 Ok"

    def parsed(self, i: int):
        return email.message_from_bytes(self.accepted[i].content, policy=policy.default)


@pytest.fixture
def smtp():
    handler, port = Recorder(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def ledger_with(tmp_path, **files) -> Ledger:
    bundle = write_bundle(tmp_path / "bundle", **files)
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    import_bundle(ledger, bundle, replace=True)
    return ledger


def smtp_deps(ledger: Ledger, port: int) -> AgentDeps:
    settings = MailSettings(
        host="127.0.0.1", port=port, mail_from="khazna@atlas.example.dz", timeout=5
    )
    return AgentDeps(ledger=ledger, transport=SmtpTransport(settings))


# --- the plan and the loop -------------------------------------------------------------


def test_plan_days_skips_weekends_and_holidays():
    cal = WorkingCalendar(islamic={date(2026, 11, 4): "Fête de test"})
    # Thu 29/10 .. Thu 5/11/2026: Fri 30, Sat 31 weekend; Sun 1/11 national day; Wed 4 holiday.
    days = plan_days(date(2026, 10, 29), date(2026, 11, 5), cal)
    assert days == [date(2026, 10, 29), date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 5)]
    assert skip_reason(date(2026, 10, 30), cal) == "vendredi : week-end"
    assert skip_reason(date(2026, 11, 1), cal) == "jour férié : Fête de la révolution"
    assert skip_reason(date(2026, 11, 4), cal) == "jour férié : Fête de test"
    assert skip_reason(date(2026, 11, 2), cal) is None


def test_loop_runs_each_working_day_at_the_hour_and_survives_a_failing_day():
    cal = WorkingCalendar()
    now = [datetime(2026, 10, 29, 7, 30)]  # Thursday, before 08:00
    ran: list[tuple[date, datetime]] = []

    def work(day: date) -> None:
        ran.append((day, now[0]))
        if day == date(2026, 11, 2):
            raise RuntimeError("database down")  # the loop goes on

    def sleep(seconds: float) -> None:
        now[0] += timedelta(seconds=seconds)

    sched = Scheduler(work, time(8, 0), cal, clock=lambda: now[0], sleep=sleep, max_nap=3600)
    assert sched.run(max_days=3) == 3
    assert [d for d, _ in ran] == [date(2026, 10, 29), date(2026, 11, 2), date(2026, 11, 3)]
    assert all(at.time() == time(8, 0) and at.date() == d for d, at in ran)


def test_loop_catches_up_after_a_restart_and_stops_on_request():
    cal = WorkingCalendar()
    now = [datetime(2026, 11, 3, 10, 0)]  # Tuesday, after the hour; Monday was done
    ran: list[date] = []
    sched = None

    def work(day: date) -> None:
        ran.append(day)
        sched.stop()  # what SIGTERM does

    sched = Scheduler(work, time(8, 0), cal, clock=lambda: now[0], sleep=lambda s: None,
                      last_done=date(2026, 11, 2))  # fmt: skip
    assert sched.run() == 1
    assert ran == [date(2026, 11, 3)]


# --- schedule --once -------------------------------------------------------------------


def test_once_on_a_thursday_produces_the_weekly_report(tmp_path, capsys):
    ledger = ledger_with(tmp_path)
    url = ledger.url
    ledger.dispose()
    code = main(["schedule", "--once", "--as-of", "2026-03-05", "--db", url, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out["errors"]
    assert out["ran"] is True and out["errors"] == []
    assert out["report"] is not None and out["report"]["id"]
    assert out["cycle"]["changes"]["end_of_week"] is True
    # A Friday: nothing runs, and it says why.
    code = main(["schedule", "--once", "--as-of", "2026-03-06", "--db", url, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["ran"] is False and out["skipped"] == "vendredi : week-end"


def test_a_failing_cycle_still_runs_alerts_and_receipts(tmp_path, monkeypatch):
    ledger = ledger_with(tmp_path, commitments_csv=BIG_DUE)

    def broken_cycle(*a, **k):
        raise RuntimeError("model server down")

    monkeypatch.setattr("khazna.agents.run.run_cycle", broken_cycle)
    result = run_day(ledger, date(2026, 3, 16), make_deps=lambda led, as_of: AgentDeps(ledger=led))
    assert result.cycle is None
    assert result.errors and "model server down" in result.errors[0]
    assert [a["kind"] for a in result.alerts] == ["tension"]


# --- alerts ------------------------------------------------------------------------------


def test_tension_alert_is_mailed_once_and_not_again_while_in_tension(tmp_path, smtp, monkeypatch):
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", OWNER)
    ledger = ledger_with(tmp_path, commitments_csv=BIG_DUE)
    with ledger.read() as s:  # the scenario: the 5 M DA due on 15/04 enters the horizon on 16/03
        assert forecast(s, date(2026, 3, 15), 30).status == "a_surveiller"
        fc = forecast(s, date(2026, 3, 16), 30)
    assert fc.status == "tension"
    deps = smtp_deps(ledger, smtp.port)

    assert check_alerts(deps, date(2026, 3, 15)) == []
    assert smtp.accepted == []

    alerts = check_alerts(deps, date(2026, 3, 16))
    assert [a.kind for a in alerts] == ["tension"]
    assert alerts[0].key == "alert:tension:2026-03-16"
    assert alerts[0].mail_state == "sent" and alerts[0].sent_to == [OWNER]
    assert alerts[0].delivery == "smtp" and alerts[0].delivery_note.startswith("envoyée par SMTP")
    assert len(smtp.accepted) == 1
    assert smtp.accepted[0].rcpt_tos == [OWNER]
    msg = smtp.parsed(0)
    assert "ALERTE trésorerie" in msg["Subject"]
    body = msg.get_body(("plain",)).get_content()
    assert format_dzd(fc.min_balance) in body and "15/04/2026" in body
    assert format_dzd(fc.threshold) in body and "Que faire" in body

    # The next day, still in tension: nothing new; the same day again: nothing either.
    assert check_alerts(deps, date(2026, 3, 17)) == []
    assert check_alerts(deps, date(2026, 3, 16)) == []
    assert len(smtp.accepted) == 1


def test_a_new_duplicate_payment_alerts_once(tmp_path, smtp, monkeypatch):
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", OWNER)
    ledger = ledger_with(tmp_path, expenses_csv=DUP_EXPENSES)
    deps = smtp_deps(ledger, smtp.port)

    alerts = check_alerts(deps, date(2026, 3, 5))
    dups = [a for a in alerts if a.kind == "duplicate"]
    assert [a.refs for a in dups] == [["E020", "E021"]]
    assert dups[0].key == "alert:duplicate:E020,E021"
    assert len(smtp.accepted) == len(alerts)
    body = smtp.parsed(len(alerts) - 1).get_body(("plain",)).get_content()
    assert "E020, E021" in body and format_dzd(Decimal("265000")) in body

    before = len(smtp.accepted)
    assert check_alerts(deps, date(2026, 3, 8)) == []
    assert len(smtp.accepted) == before

    with ledger.session() as s:  # a new pair appears
        for eid, day in (("E030", date(2026, 3, 8)), ("E031", date(2026, 3, 9))):
            s.add(Expense(expense_id=eid, date=day, payee="Imprimerie Rahma", category="publicite",
                          amount=Decimal("48000.00"), method="virement", receipt="yes"))  # fmt: skip
    alerts = check_alerts(deps, date(2026, 3, 9))
    assert [(a.kind, a.refs) for a in alerts] == [("duplicate", ["E030", "E031"])]
    assert len(smtp.accepted) == before + 1
    assert "Imprimerie Rahma" in smtp.parsed(before)["Subject"]
