"""Dates written in French or Arabic notes, resolved against the note's own date.

Every rule is on normalised text (:func:`khazna.text.fold`), so Arabic-Indic
digits, accents and alef forms do not matter. A date without a year is the next such
date on or after the reference day (promises look forward). ``fin du mois`` is the last day
of the month; ``début du mois`` the 5th; ``la semaine prochaine`` the Thursday of next
week (the Algerian working week runs Sunday to Thursday); ``avant le 30`` the next 30th
(the month's last day when it has fewer days).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from khazna import months
from khazna.text import fold

# every spelling folded: the rules below run on fold(text)
MONTHS: dict[str, int] = {fold(k): m for k, m in {**months.MONTHS, **months.ABBREVIATIONS}.items()}
_MONTH_ALT = months.alternation(MONTHS)
# An Arabic month name may carry the article or a preposition: "في نوفمبر", "لشهر".
_M = rf"(?:[وبل]?(?:ال)?)?(?P<month>{_MONTH_ALT})"

_WEEKDAYS_RAW = {
    0: "lundi الاثنين الإثنين",
    1: "mardi الثلاثاء",
    2: "mercredi الأربعاء",
    3: "jeudi الخميس",
    4: "vendredi الجمعة",
    5: "samedi السبت",
    6: "dimanche الأحد",
}
WEEKDAYS = {fold(n): d for d, ns in _WEEKDAYS_RAW.items() for n in ns.split()}
_WD_ALT = "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True))

_NEXT = fold(r"(?:prochaine?|القادم|القادمه|المقبل|المقبله)")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    rule: str


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _forward(ref: date, m: int, d: int) -> date | None:
    """The next (month, day) on or after ``ref``."""
    for y in (ref.year, ref.year + 1):
        c = _safe(y, m, min(d, calendar.monthrange(y, m)[1]) if d > 28 else d)
        if c is not None and c >= ref:
            return c
    return None


def _next_day_of_month(ref: date, d: int) -> date | None:
    if not 1 <= d <= 31:
        return None
    for i in range(3):
        y, m = _add_months(ref.year, ref.month, i)
        c = date(y, m, min(d, calendar.monthrange(y, m)[1]))
        if c >= ref:
            return c
    return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y


_ISO = re.compile(r"(?<![\w/.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\w/-])")
_NUM = re.compile(
    r"(?<![\w/.-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{4}|\d{2}))?(?![\w/-])"
)
_DAY_MONTH = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:er)?\s+(?:de\s+)?{_M}(?:\s+(?P<y>\d{{4}}))?\b")
_END = re.compile(
    rf"\b[وبل]?(?:fin|نهايه|اخر|اواخر)\s+(?:(?:du|de|de la|ce|الشهر|شهر)\s*)?"
    rf"(?:(?P<month>{_MONTH_ALT})|(?P<mois>mois|الشهر|شهر)(?:\s+(?P<next>{_NEXT}))?)"
)
_START = re.compile(
    rf"\b[وبل]?(?:debut|بدايه|اوائل)\s+(?:(?:du|de|ce)\s*)?"
    rf"(?:(?P<month>{_MONTH_ALT})|(?P<mois>mois|الشهر|شهر)(?:\s+(?P<next>{_NEXT}))?)"
)
_NEXT_MONTH = re.compile(rf"\b(?:le\s+)?mois\s+prochain\b|\bالشهر\s+{_NEXT}")
_NEXT_WEEK = re.compile(rf"\bsemaine\s+(?:prochaine|pro)\b|\bالاسبوع\s+{_NEXT}")
_THIS_WEEK = re.compile(r"\bcette\s+semaine\b|\bهذا\s+الاسبوع\b|\bخلال\s+الاسبوع\b")
_IN_DAYS = re.compile(
    r"\b(?:dans|sous|d'ici|d ici|خلال|بعد|في غضون)\s+(?P<n>\d{1,3})\s*(?:jours?|j\b|ايام|يوما|يوم)"
)
_REL = re.compile(r"\b(?:apres-demain|apres demain|بعد غد|demain|غدا|aujourd'hui|اليوم)\b")
_WEEKDAY = re.compile(
    rf"\b(?:يوم\s+)?(?P<wd>{_WD_ALT})(?:\s+(?:prochain|{_NEXT}))?\b(?!\s+(?:dernier|الماضي))"
)
_DAY_ONLY = re.compile(
    r"\b(?:avant|d'ici|d ici|au plus tard|jusqu'au|jusqu au|le|au|pour le|قبل|يوم|حتى|في|بتاريخ)"
    r"\s+(?:le\s+)?(?P<d>\d{1,2})(?:er)?\b(?!\s*[/.%\d-]|\s*(?:da|dzd|dinars?|دج|h\b))"
)


def find_dates(text: str, ref: date) -> list[DateMention]:
    """Every date expression in ``text``, left to right, resolved against ``ref``."""
    t = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []

    def add(m: re.Match[str], value: date | None, rule: str) -> None:
        if value is None:
            return
        s, e = m.span()
        if any(s < b and a < e for a, b in taken):
            return
        taken.append((s, e))
        found.append(DateMention(s, e, value, rule))

    for m in _ISO.finditer(t):
        add(m, _safe(int(m["y"]), int(m["m"]), int(m["d"])), "iso")
    for m in _NUM.finditer(t):
        d, mo, y = int(m["d"]), int(m["m"]), _year(m["y"])
        if 1 <= mo <= 12:
            add(m, _safe(y, mo, d) if y else _forward(ref, mo, d), "numeric")
    for m in _DAY_MONTH.finditer(t):
        mo, y = MONTHS[m["month"]], _year(m["y"])
        add(m, _safe(y, mo, int(m["d"])) if y else _forward(ref, mo, int(m["d"])), "day_month")
    for rx, rule in ((_END, "end_of_month"), (_START, "start_of_month")):
        for m in rx.finditer(t):
            if m["month"]:
                mo = MONTHS[m["month"]]
                y = ref.year if mo >= ref.month else ref.year + 1
            else:
                y, mo = _add_months(ref.year, ref.month, 1 if m["next"] else 0)
            add(m, _month_end(y, mo) if rule == "end_of_month" else date(y, mo, 5), rule)
    for m in _NEXT_MONTH.finditer(t):
        y, mo = _add_months(ref.year, ref.month, 1)
        add(m, _month_end(y, mo), "next_month")
    # Python weekday: Monday=0 ... Thursday=3, Sunday=6; the Algerian week starts on Sunday.
    week_start = ref - timedelta(days=(ref.weekday() + 1) % 7)
    for m in _NEXT_WEEK.finditer(t):
        add(m, week_start + timedelta(days=11), "next_week")
    for m in _THIS_WEEK.finditer(t):
        add(m, max(ref, week_start + timedelta(days=4)), "this_week")
    for m in _IN_DAYS.finditer(t):
        add(m, ref + timedelta(days=int(m["n"])), "in_days")
    for m in _REL.finditer(t):
        w = m.group(0)
        n = 2 if ("apres" in w or "بعد" in w) else 1 if w in ("demain", "غدا") else 0
        add(m, ref + timedelta(days=n), "relative")
    for m in _WEEKDAY.finditer(t):
        ahead = (WEEKDAYS[m["wd"]] - ref.weekday()) % 7 or 7
        add(m, ref + timedelta(days=ahead), "weekday")
    for m in _DAY_ONLY.finditer(t):
        add(m, _next_day_of_month(ref, int(m["d"])), "day_only")
    return sorted(found, key=lambda x: x.start)


def first_future_date(text: str, ref: date) -> date | None:
    """The first date mentioned that is on or after ``ref`` (a promise's date), if any."""
    for mention in find_dates(text, ref):
        if mention.value >= ref:
            return mention.value
    return None
