"""The Algerian working calendar: Sunday–Thursday, fixed and Islamic holidays.

Islamic holidays follow moon sighting and the official communiqué, so they live in an
editable table (``holidays.json`` in ``KHAZNA_HOME`` overrides the shipped one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from khazna.config import home_override

try:
    ALGIERS: timezone | ZoneInfo = ZoneInfo("Africa/Algiers")
except ZoneInfoNotFoundError:  # no tz database: Algeria keeps UTC+1 all year (no DST)
    ALGIERS = timezone(timedelta(hours=1), "CET")


def algiers_time(moment: datetime) -> datetime:
    """An instant as the owner's clock in Algiers reads it. The ledger stores naive UTC
    (``datetime.now(UTC).replace(tzinfo=None)``): a naive value is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ALGIERS)


def format_local(moment: datetime | None, *, seconds: bool = False) -> str:
    """``07/12/2026 09:33`` in Algiers time ('' for None): how every owner-facing time reads."""
    if moment is None:
        return ""
    return f"{algiers_time(moment):%d/%m/%Y %H:%M{':%S' if seconds else ''}}"


_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> date | None:
    """A day as people write it here, day first (``03/12/2026``, ``3.12.2026``), or ISO
    (``2026-12-03``, what a browser's date field sends); None when it is neither or is not
    a day of the calendar. The one reader of a typed day, for the CLI's ``--as-of`` and the
    web's forms."""
    text = text.strip()
    try:
        if m := _DAY_FIRST.fullmatch(text):
            day, month, year = (int(g) for g in m.groups())
            return date(year, month, day)
        if _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


# Friday (4) and Saturday (5) are the weekend since August 2009.
WEEKEND = frozenset({4, 5})

FIXED_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): "Jour de l'an",
    (1, 12): "Yennayer",
    (5, 1): "Fête du travail",
    (7, 5): "Fête de l'indépendance",
    (11, 1): "Fête de la révolution",
}

_SHIPPED = Path(__file__).with_name("holidays.json")


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and holidays; ``islamic`` maps ISO dates to holiday names."""

    islamic: dict[date, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> WorkingCalendar:
        """The shipped table, overridden by ``$KHAZNA_HOME/holidays.json`` when present."""
        table: dict[date, str] = {}
        candidates = [_SHIPPED]
        home = home_override()
        if home is not None:
            candidates.append(home / "holidays.json")
        if path is not None:
            candidates.append(path)
        for p in candidates:
            if p.is_file():
                raw = json.loads(p.read_text(encoding="utf-8"))
                for iso, name in raw.get("islamic", {}).items():
                    table[date.fromisoformat(iso)] = name
        return cls(islamic=table)

    def holiday(self, d: date) -> str | None:
        return FIXED_HOLIDAYS.get((d.month, d.day)) or self.islamic.get(d)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() not in WEEKEND and self.holiday(d) is None

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the next one."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def week_end(self, d: date) -> date:
        """The Thursday that closes the working week containing ``d`` (Sun–Thu)."""
        # weekday(): Mon=0 .. Sun=6; the Algerian week starts on Sunday.
        offset = (3 - d.weekday()) % 7
        if d.weekday() in WEEKEND:  # Fri/Sat belong to the week that just ended
            offset -= 7
        return d + timedelta(days=offset)
