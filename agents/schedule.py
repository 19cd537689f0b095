"""The daily automation: on each Algerian working day at a set time, the cycle (reminders
every morning; the weekly report on the last working day of the week, as the supervisor
decides), the alerts, then the receipt reminders.

Friday, Saturday and public holidays are skipped (and logged). A failing step is logged and
the next one still runs; a failing day does not stop the loop. SIGTERM / SIGINT end the
loop cleanly between two days (a day already started is finished first).

``khazna schedule --once`` runs the due work of one day and exits: what cron calls.
The time of day is the machine's local time (set ``TZ=Africa/Algiers`` on a server kept in
UTC).
"""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from khazna.agents import run as cycle
from khazna.agents.alerts import check_alerts
from khazna.agents.deps import AgentDeps
from khazna.agents.run import make_deps as default_make_deps
from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import Setting
from khazna.mail.receipts import send_receipt_reminders

log = logging.getLogger(__name__)

STATE_KEY = "schedule_state"
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def skip_reason(day: date, cal: WorkingCalendar) -> str | None:
    """Why nothing runs on ``day`` (None on a working day)."""
    if day.weekday() in (4, 5):
        return f"{WEEKDAYS_FR[day.weekday()]} : week-end"
    holiday = cal.holiday(day)
    return f"jour férié : {holiday}" if holiday else None


def plan_days(start: date, end: date, cal: WorkingCalendar) -> list[date]:
    """The days from ``start`` to ``end`` (both included) on which the work runs."""
    days, d = [], start
    while d <= end:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


@dataclass
class DayResult:
    day: date
    ran: bool = True
    skipped: str = ""
    cycle: dict | None = None
    alerts: list[dict] = field(default_factory=list)
    receipt_reminders: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "ran": self.ran,
            "skipped": self.skipped,
            "cycle": self.cycle,
            "report": (self.cycle or {}).get("report"),
            "alerts": self.alerts,
            "receipt_reminders": self.receipt_reminders,
            "errors": self.errors,
        }


def _record_day(ledger, day: date, result: DayResult) -> None:

    with ledger.session() as s:
        s.merge(
            Setting(
                key=STATE_KEY,
                value={
                    "last_day": day.isoformat(),
                    "at": datetime.now().isoformat(timespec="seconds"),
                    "errors": result.errors,
                },
            )
        )


def last_day_run(ledger) -> date | None:

    with ledger.read() as s:
        row = s.get(Setting, STATE_KEY)
        value = (row.value or {}) if row else {}
    return date.fromisoformat(value["last_day"]) if value.get("last_day") else None


def run_day(
    ledger,
    day: date,
    *,
    cal: WorkingCalendar | None = None,
    make_deps: Callable[..., Any] | None = None,
    send_report: bool = True,
) -> DayResult:
    """Everything due on ``day``: cycle (with its alerts), alerts again if the cycle failed,
    receipt reminders. Each step's failure is logged and recorded, never raised."""
    cal = cal or WorkingCalendar.load()
    reason = skip_reason(day, cal)
    if reason:
        log.info("%s: nothing to do (%s)", day, reason)
        return DayResult(day=day, ran=False, skipped=reason)

    result = DayResult(day=day)

    def failed(step: str, err: BaseException) -> None:
        log.error("%s: %s failed: %s\n%s", day, step, err, traceback.format_exc())
        result.errors.append(f"{step}: {type(err).__name__}: {err}")

    try:
        if make_deps is None:
            make_deps = default_make_deps
        deps = make_deps(ledger, as_of=day)
    except Exception as err:  # noqa: BLE001 - a bad model setting must not stop the alerts
        failed("configuration", err)
        deps = AgentDeps(ledger=ledger, as_of=day)  # offline: alerts and receipts still run
    else:
        try:
            result.cycle = cycle.run_cycle(deps, day, send_report=send_report)
            result.alerts = list(result.cycle.get("alerts", []))
            log.info("%s: cycle %s done: %d draft(s), report %s", day, result.cycle["run_id"],
                     len(result.cycle["drafts"]), (result.cycle.get("report") or {}).get("id"))  # fmt: skip
        except Exception as err:  # noqa: BLE001 - the day goes on with the next steps
            failed("cycle", err)
    if result.cycle is None:
        try:
            result.alerts = [a.model_dump() for a in check_alerts(deps, day)]
        except Exception as err:  # noqa: BLE001
            failed("alerts", err)
    try:
        result.receipt_reminders = [r.model_dump() for r in send_receipt_reminders(deps, day)]
    except Exception as err:  # noqa: BLE001
        failed("receipt reminders", err)
    for a in result.alerts:
        log.warning(
            "%s: alert sent (%s): %s", day, a.get("mail_state") or "no owner email", a["subject"]
        )
    try:
        _record_day(ledger, day, result)
    except Exception as err:  # noqa: BLE001
        failed("bookkeeping", err)
    return result


class Scheduler:
    """The long-running loop. ``clock`` and ``sleep`` are injectable so that tests run a
    week in milliseconds; ``sleep(seconds)`` may return early (the default wakes on stop)."""

    def __init__(
        self,
        work: Callable[[date], Any],
        at: time,
        cal: WorkingCalendar,
        *,
        clock: Callable[[], datetime] = datetime.now,
        sleep: Callable[[float], Any] | None = None,
        last_done: date | None = None,
        max_nap: float = 60.0,
    ) -> None:
        self.work, self.at, self.cal, self.clock = work, at, cal, clock
        self._stop = threading.Event()
        self.sleep = sleep or self._stop.wait
        self.last_done = last_done
        self.max_nap = max_nap
        self._skipped_logged: set[date] = set()

    def stop(self, *_: Any) -> None:
        log.info("stop requested: the schedule ends after the current step")
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def next_day(self, now: datetime) -> date:
        """The next working day whose run is still to do: today when it is not done yet,
        even if the time has passed (a restart catches up), else the next one."""
        d = now.date()
        if self.last_done is not None and d <= self.last_done:
            d = self.last_done + timedelta(days=1)
        while not self.cal.is_working_day(d):
            if d not in self._skipped_logged:
                self._skipped_logged.add(d)
                log.info("%s skipped: %s", d, skip_reason(d, self.cal))
            d += timedelta(days=1)
        return d

    def run(self, max_days: int | None = None) -> int:
        """Loop until stopped (or ``max_days`` days were run); returns the days run."""
        done = 0
        while not self.stopped and (max_days is None or done < max_days):
            day = self.next_day(self.clock())
            due = datetime.combine(day, self.at)
            wait = (due - self.clock()).total_seconds()
            if wait > 0:
                self.sleep(min(wait, self.max_nap))
                continue  # re-read the clock: the nap may have been cut short
            try:
                self.work(day)
            except Exception:  # noqa: BLE001 - a failing day is logged, the loop goes on
                log.exception("%s: the day failed", day)
            self.last_done = day
            done += 1
        return done


def install_signal_handlers(scheduler: Scheduler) -> None:

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, scheduler.stop)
