"""Dates and periods in questions, in French, Arabic and English, relative to the as-of day.

Understood: ``30/09/2026``, ``2026-09-30``, ``30 septembre 2026``; a month (``septembre
2026``, ``أكتوبر 2026``, ``October 2026``, or a month alone: its latest occurrence not after
the as-of day); a year (``en 2026``); ``cette année``, ``ce mois-ci``, ``le mois dernier``,
``l'année dernière`` and their Arabic and English forms. A period never ends after the
as-of day: records dated later are not known yet.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from pydantic import BaseModel

from khazna import months
from khazna.agents.factcheck import normalise

# full names only: "sept jours" is a week, not September
MONTHS: dict[str, int] = months.MONTHS
_MONTH_ALT = months.alternation(MONTHS)


def _month(word: str) -> int:
    number = months.month_number(word, MONTHS)
    assert number is not None, word  # the word was matched from MONTHS
    return number


# a month name must not be glued to other letters ("mai" in "maison", "مارس" in "تمارس")
_MONTH_RE = re.compile(rf"(?<![^\W\d_])(?:[بلف]?)({_MONTH_ALT})(?![^\W\d_])", re.IGNORECASE)

# fmt: off
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_NUM = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_DATE_WORDS = re.compile(rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?({_MONTH_ALT})\s+(\d{{4}})(?!\d)", re.I)
_YEAR = re.compile(r"(?<![\d/.-])(20\d{2})(?![\d/.-])")

_THIS_YEAR = re.compile(r"cette ann[ée]e|هاد العام|هاد السنة|\bde l.ann[ée]e\b(?!\s*(?:derni|pr[ée]c|pass|20\d\d))|\bof the year\b|this year|هذه السنة|هذا العام|السنة الحالية|العام الحالي|l'ann[ée]e en cours", re.I)
_LAST_YEAR = re.compile(r"l[’']ann[ée]e (?:derni[èe]re|pr[ée]c[ée]dente)|l[’']an dernier|last year|السنة الماضية|العام الماضي|العام (?:اللي|الي|لي) فات|السنة (?:اللي|الي|لي) فاتت", re.I)
# one day said as a word: "dépenses d'hier", "solde d'hier soir", "mouvements d'aujourd'hui"
_YESTERDAY = re.compile(r"\bhier(?: soir)?\b|\byesterday\b|(?<!\S)(?:ال)?بارح(?!\S)|(?<!\S)أمس(?!\S)|(?<!\S)البارحة(?!\S)", re.I)
_TODAY_ONLY = re.compile(r"\bd.aujourd.hui\b|\bde la journ[ée]e\b|\btoday.s\b|\bde ce jour\b|(?<!\S)(?:ديال|تاع) اليوم(?!\S)", re.I)
_THIS_MONTH = re.compile(r"depuis le d[ée]but du mois|since the (?:start|beginning) of (?:the|this) month|\bmonth to date\b|\bmtd\b|(?:منذ|من) بداية (?:ال)?شهر(?: الحالي)?|ce mois(?:-ci)?|this month|هاد الشهر|هذ الشهر|ها الشهر|الشهر هذا|هذا الشهر|الشهر الحالي|le mois en cours", re.I)
_LAST_MONTH = re.compile(r"(?:le|du|au|ce) mois dernier|(?:le|du|au) mois pr[ée]c[ée]dent|last month|the previous month|الشهر الماضي|الشهر السابق|الشهر (?:اللي|الي|لي) فات", re.I)
# quarters (T3, Q3 2026), half-years (S1, H2) and year-to-date
QUARTER = re.compile(r"\b(?:t|q)([1-4])\b(?:\s*(20\d{2}))?", re.I)
HALF = re.compile(r"\b(?:s|h)([12])\b(?:\s*(20\d{2}))?", re.I)
_LAST_QUARTER = re.compile(r"(?:le|du|au|ce) (?:dernier trimestre|trimestre (?:dernier|pr[ée]c[ée]dent|pass[ée]))|\b(?:last|previous|the prior) quarter\b|(?:ال)?(?:ثلاثي|فصل|ربع) (?:ال)?(?:ماضي|سابق|(?:اللي|الي|لي) فات)", re.I)
_THIS_QUARTER = re.compile(r"\bce trimestre(?:-ci)?\b|\ble trimestre en cours\b|\bthis quarter\b|\bthe current quarter\b|(?:هذا|هاد) (?:ال)?(?:ثلاثي|فصل|ربع)|(?:ال)?(?:ثلاثي|فصل|ربع) (?:ال)?حالي", re.I)
YTD = re.compile(r"since the (?:start|beginning) of (?:the|this) year|depuis (?:le )?d[ée]but (?:de l.ann[ée]e|d.ann[ée]e)|depuis le d[ée]but de l.ann[ée]e|depuis janvier|year to date|so far this year|\bytd\b|منذ بداية السنة|منذ بداية العام|من بداية العام|من بداية السنة", re.I)
# fmt: on


class Period(BaseModel):
    """Days ``start`` to ``end``, both included, and how the question said it."""

    start: date
    end: date
    label: str

    def clipped(self, as_of: date) -> Period:
        return Period(start=self.start, end=min(self.end, as_of), label=self.label)


def month_period(year: int, month: int) -> Period:
    return Period(
        start=date(year, month, 1),
        end=date(year, month, monthrange(year, month)[1]),
        label=f"{year:04d}-{month:02d}",
    )


def year_period(year: int) -> Period:
    return Period(start=date(year, 1, 1), end=date(year, 12, 31), label=f"{year:04d}")


def quarter_period(year: int, quarter: int) -> Period:
    end = date(year, 3 * quarter, monthrange(year, 3 * quarter)[1])
    return Period(start=date(year, 3 * quarter - 2, 1), end=end, label=f"T{quarter} {year}")


def half_period(year: int, half: int) -> Period:
    start, end = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))  # fmt: skip
    return Period(start=start, end=end, label=f"S{half} {year}")


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_DAY_MONTH = re.compile(r"(?<![\w/.-])(\d{1,2})/(\d{1,2})(?![\w/])")


# "le 30 juin", "30 September", "30 جوان" with no year after it
_DAY_NAMED = re.compile(
    rf"(?<![\d/.-])(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?({_MONTH_ALT})(?![^\W\d_])(?!\s*\d)",
    re.IGNORECASE,
)


_SUFFIX = r"(?:er|st|nd|rd|th)?"
_DAY_RANGE = re.compile(
    rf"\b(du|from|between|entre le|entre|de)\s+(\d{{1,2}}){_SUFFIX}\s+(au|to|and|et le|et|à)\s+"
    rf"(?:the\s+)?(\d{{1,2}}){_SUFFIX}\s+(?:de\s+)?({_MONTH_ALT})(?![^\W\d_])",
    re.IGNORECASE,
)


def with_years(text: str, as_of: date) -> str:
    """``au 31/03`` written with its year: the latest such day not after ``as_of`` (how an
    accountant means a day-and-month with no year). Anything that is not a real day stays."""

    def latest_year(day: int, month: int) -> int | None:
        """The year of the latest such day not after ``as_of``; None if it is no real day."""
        this_year = _safe(as_of.year, month, day)
        if this_year is None and _safe(as_of.year - 1, month, day) is None:
            return None
        return as_of.year if this_year is not None and this_year <= as_of else as_of.year - 1

    def full(m: re.Match) -> str:
        day, month = int(m.group(1)), int(m.group(2))
        year = latest_year(day, month)
        return m.group(0) if year is None else f"{day:02d}/{month:02d}/{year:04d}"

    def named(m: re.Match) -> str:
        year = latest_year(int(m.group(1)), _month(m.group(2)))
        return m.group(0) if year is None else f"{m.group(0)} {year:04d}"

    def day_range(m: re.Match) -> str:  # "du 1er au 15 octobre": both days of that month
        month = m.group(5)
        return f"{m.group(1)} {m.group(2)} {month} {m.group(3)} {m.group(4)} {month}"

    text = _DAY_RANGE.sub(day_range, text)
    return _DAY_NAMED.sub(named, _DAY_MONTH.sub(full, text))


def _written_days(text: str) -> list[tuple[int, str, date | None]]:
    """Every full date written in ``text`` (words, ISO, dd/mm/yyyy), in order of appearance:
    where it stands, as written, and the day (None when no calendar has it). A date in words
    is blanked before the numeric forms are looked for."""
    t = normalise(text)
    found: list[tuple[int, str, date | None]] = []
    for m in _DATE_WORDS.finditer(t):
        found.append((m.start(), m.group(0), _safe(int(m.group(3)), _month(m.group(2)), int(m.group(1)))))  # fmt: skip
        t = t[: m.start()] + " " * (m.end() - m.start()) + t[m.end() :]
    for m in _DATE_ISO.finditer(t):
        found.append((m.start(), m.group(0), _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))))  # fmt: skip
    for m in _DATE_NUM.finditer(t):
        found.append((m.start(), m.group(0), _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))))  # fmt: skip
    return sorted(found, key=lambda f: f[0])


def find_dates(text: str) -> list[date]:
    """Every full date written in ``text``, in order of appearance."""
    return [d for _, _, d in _written_days(text) if d is not None]


def impossible_dates(text: str) -> list[str]:
    """The days written in ``text`` that no calendar has (``31/02/2026``, ``32 mai 2026``,
    ``2026-02-30``, ``31/04``): said back to the owner, never replaced by another day."""
    bad = [written for _, written, d in _written_days(text) if d is None]
    for m in _DAY_MONTH.finditer(normalise(text)):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and _safe(2024, month, day) is None:  # 2024: 29/02 is a day
            bad.append(m.group(0))
    return bad


def strip_dates(text: str) -> str:
    t = normalise(text)
    for pattern in (_DATE_WORDS, _DATE_ISO, _DATE_NUM):
        t = pattern.sub(" ", t)
    return t


def quarter_half_ytd(text: str, as_of: date) -> Period | None:
    """``T3 2026``, ``Q1``, ``S2``, ``H1 2025``, ``depuis le début de l'année``: the first such
    span the text names (a quarter or half with no year is one of the as-of year, or the
    year the text names)."""
    year = _YEAR.search(text)
    default = int(year.group(1)) if year else as_of.year
    m = QUARTER.search(text)
    if m:
        return quarter_period(int(m.group(2) or default), int(m.group(1)))
    m = HALF.search(text)
    if m:
        return half_period(int(m.group(2) or default), int(m.group(1)))
    q_now = (as_of.month - 1) // 3 + 1
    if _LAST_QUARTER.search(text):
        return (
            quarter_period(as_of.year, q_now - 1)
            if q_now > 1
            else quarter_period(as_of.year - 1, 4)
        )
    if _THIS_QUARTER.search(text):
        return quarter_period(as_of.year, q_now).clipped(as_of)
    if YTD.search(text):
        return Period(start=date(as_of.year, 1, 1), end=as_of, label=f"{as_of.year} YTD")
    m = SINCE_YEAR_START.search(text)
    if m and int(m.group(1)) <= as_of.year:  # "depuis début 2026": that year's 1 January on
        y = int(m.group(1))
        return Period(start=date(y, 1, 1), end=as_of, label=f"{y}-01-01..{as_of.isoformat()}")
    return None


SINCE_YEAR_START = re.compile(
    r"(?:depuis|since|[àa] partir d[ue']|منذ|من)\s+(?:le\s+)?(?:d[ée]but|the (?:start|beginning) of|the start|بداية)\s+(?:de\s+|d['’]\s*|of\s+)?(?:l['’]ann[ée]e\s+|(?:ال)?(?:سنة|عام)\s+)?(20\d{2})\b",
    re.I,
)


_SINCE_DAY = re.compile(
    r"(?:depuis|since|[àa] partir du|[àa] compter du|منذ|من)\s+(?:le\s+|the\s+)?\d{1,4}", re.I
)


_SINCE_MONTH = re.compile(
    r"(?:depuis|since|[àa] partir d[e']|[àa] compter d[e']|منذ|ابتداء من|من)\s*(?:le mois d[e']\s*|the (?:start|beginning) of\s*|(?:le )?d[ée]but (?:de |d')?\s*|بداية\s*(?:شهر\s*)?|شهر\s*)?$",
    re.I,
)


def find_period(text: str, as_of: date) -> Period | None:
    """The period a question speaks of, or None when it names none."""
    t = normalise(text)
    dates = find_dates(t)
    if len(dates) >= 2:
        a, b = sorted(dates[:2])
        return Period(start=a, end=b, label=f"{a.isoformat()}..{b.isoformat()}")
    since = _SINCE_DAY.search(t)
    if len(dates) == 1 and since is not None and dates[0] <= as_of:
        # "depuis le 1er janvier", "since 01/03/2026": from that day to the as-of day
        return Period(start=dates[0], end=as_of, label=f"{dates[0].isoformat()}..{as_of.isoformat()}")  # fmt: skip
    rest = strip_dates(t)
    span = quarter_half_ytd(rest, as_of)
    if span is not None:
        return span
    if _YESTERDAY.search(rest):
        eve = as_of - timedelta(days=1)
        return Period(start=eve, end=eve, label=eve.isoformat())
    if _TODAY_ONLY.search(rest):
        return Period(start=as_of, end=as_of, label=as_of.isoformat())
    if _LAST_MONTH.search(rest):
        first = as_of.replace(day=1) - timedelta(days=1)
        return month_period(first.year, first.month)
    if _THIS_MONTH.search(rest):
        return month_period(as_of.year, as_of.month)
    if _LAST_YEAR.search(rest):
        return year_period(as_of.year - 1)
    if _THIS_YEAR.search(rest):
        return year_period(as_of.year)
    month = _MONTH_RE.search(rest)
    year = _YEAR.search(rest)
    if month:
        m = _month(month.group(1))
        if year:
            y = int(year.group(1))
        else:  # the latest such month not after the as-of day
            y = as_of.year if m <= as_of.month else as_of.year - 1
        before = rest[: month.start()]
        if _SINCE_MONTH.search(before) and date(y, m, 1) <= as_of:
            # "depuis mars", "since January", "منذ مارس": from that month's first day to today
            return Period(start=date(y, m, 1), end=as_of, label=f"{date(y, m, 1).isoformat()}..{as_of.isoformat()}")  # fmt: skip
        return month_period(y, m)
    if year:
        return year_period(int(year.group(1)))
    return None


def find_day(text: str) -> date | None:
    """The one day a question names (``au 30/09/2026``), or None."""
    dates = find_dates(text)
    return dates[0] if dates else None
