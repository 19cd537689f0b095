"""The forecast's everyday flows: what no invoice, commitment or recurring pattern explains.

Two streams, each projected as a rate per working day:
- everyday *spending*: the debits no pattern or commitment explains;
- everyday *takings*: the credits that settle no recorded payment (counter sales banked in
  cash, card settlements, small transfers): a credit is a recorded payment's when a payment
  of the same amount is dated within 3 days of it.

The rate is the median, over the last 13 weeks, of each week's amount per working day
(a median: one apport or one big purchase does not become a daily habit), after taking out
the calendar's effects, which are then put back on each projected day:

- *seasons*, learned from the company's own last 400 days: the days of Ramadan, the 10 days
  before each Aïd, and August; a season's factor is its mean per working day over the mean of
  the other working days, shrunk toward 1 when few of its days were seen
  (``(n·raw + K) / (n + K)``, K = 10 days). Ramadan is the 29 days before Aïd el-Fitr in the
  holiday table (``holidays.json``), so an edited table moves it too.
- *days off*: money taken on days off is banked the next working day; the share of a day off
  that shows up on the following working day (0 for spending, about 1 for counter sales) is
  learned from the history too (``carry``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from khazna.calendar_dz import WorkingCalendar

WINDOW_WEEKS = 13
SEASON_WINDOW_DAYS = 400
SEASON_SHRINK_DAYS = 10
PRE_AID_DAYS = 10
RAMADAN_DAYS = 29
SEASONS = ("ramadan", "pre_aid", "august")


def _aid_starts(cal: WorkingCalendar) -> tuple[list[date], list[date]]:
    """(first days of Aïd el-Fitr, first days of both Aïds) in the holiday table."""
    fitr, both = [], []
    for d, name in sorted(cal.islamic.items()):
        low = name.lower()
        if "aïd" not in low and "aid" not in low:
            continue
        if cal.islamic.get(d - timedelta(days=1)) == name:
            continue  # the 2nd and 3rd days of the same Aïd
        both.append(d)
        if "fitr" in low:
            fitr.append(d)
    return fitr, both


SEASON_FR = {"ramadan": "ramadan", "pre_aid": "avant l'Aïd", "august": "août"}


@dataclass(frozen=True)
class Seasons:
    """Which of :data:`SEASONS` a day belongs to, from the holiday table."""

    fitr: tuple[date, ...]
    aids: tuple[date, ...]

    @classmethod
    def of(cls, cal: WorkingCalendar) -> Seasons:
        fitr, both = _aid_starts(cal)
        return cls(tuple(fitr), tuple(both))

    def of_day(self, d: date) -> tuple[str, ...]:
        out = []
        if any(0 < (f - d).days <= RAMADAN_DAYS for f in self.fitr):
            out.append("ramadan")
        if any(0 < (a - d).days <= PRE_AID_DAYS for a in self.aids):
            out.append("pre_aid")
        if d.month == 8:
            out.append("august")
        return tuple(out)


def _gap(cal: WorkingCalendar, d: date) -> int:
    """Calendar days since the previous working day (1 on an ordinary day, 3 on a Sunday)."""
    n, p = 1, d - timedelta(days=1)
    while n < 15 and not cal.is_working_day(p):
        n, p = n + 1, p - timedelta(days=1)
    return n


@dataclass
class EverydayModel:
    """A stream's rate per working day, its season factors and its carry of days off."""

    rate: float  # centimes per ordinary working day, seasons taken out
    factors: dict[str, float]
    carry: float  # in [0, 1]: share of a day off's amount banked on the next working day
    weeks: int

    def on(self, d: date, seasons: Seasons, cal: WorkingCalendar) -> float:
        f = 1.0
        for s in seasons.of_day(d):
            f *= self.factors.get(s, 1.0)
        return self.rate * f * (1 + self.carry * (_gap(cal, d) - 1))

    def describe(self) -> str:
        seen = ", ".join(
            f"{SEASON_FR.get(s, s)} ×{f:.2f}".replace(".", ",")
            for s, f in self.factors.items()
            if abs(f - 1) > 0.02
        )
        carry = f"{round(self.carry * 100)} %"
        return (
            f"médiane des {self.weeks} dernières semaines, par jour ouvré"
            + (f" ; saisons apprises de la dernière année : {seen}" if seen else "")
            + (f" ; {carry} d'un jour chômé déposé le jour ouvré suivant" if self.carry else "")
        )


def learn_everyday(
    by_day: dict[date, int], as_of: date, cal: WorkingCalendar, seasons: Seasons
) -> EverydayModel | None:
    """The model of one stream from its amounts by day (centimes, positive), up to ``as_of``."""
    seen = [d for d, c in by_day.items() if c and d <= as_of]
    if not seen:
        return None
    # the window starts with the stream's first day: days before the books are not zeros
    start = max(as_of - timedelta(days=SEASON_WINDOW_DAYS), min(seen) - timedelta(days=1))
    days = [start + timedelta(days=i) for i in range(1, (as_of - start).days + 1)]
    work = [d for d in days if cal.is_working_day(d)]
    if not work:
        return None
    carry = _learn_carry(by_day, work, cal)

    def base(d: date) -> float:  # the day's amount, days off taken out
        return by_day.get(d, 0) / (1 + carry * (_gap(cal, d) - 1))

    factors = _learn_factors(base, work, seasons)

    def plain(d: date) -> float:
        f = 1.0
        for s in seasons.of_day(d):
            f *= factors.get(s, 1.0)
        return base(d) / f

    rates = []
    for w in range(WINDOW_WEEKS):
        week = [as_of - timedelta(days=7 * w + i) for i in range(7)]
        wd = [d for d in week if cal.is_working_day(d)]
        if wd:
            rates.append(sum(plain(d) for d in wd) / len(wd))
    rate = sorted(rates)[len(rates) // 2] if rates else 0.0
    if rate <= 0:
        return None
    return EverydayModel(rate=rate, factors=factors, carry=carry, weeks=len(rates))


def _learn_carry(by_day: dict[date, int], work: list[date], cal: WorkingCalendar) -> float:
    """How much more the working days after days off bring, per day off (clipped to [0, 1])."""
    after = [(by_day.get(d, 0), _gap(cal, d) - 1) for d in work if _gap(cal, d) > 1]
    ordinary = [by_day.get(d, 0) for d in work if _gap(cal, d) == 1]
    if len(after) < 8 or not ordinary:
        return 0.0
    base = sum(ordinary) / len(ordinary)
    if base <= 0:
        return 0.0
    extra = sum(v / base - 1 for v, _ in after) / sum(g for _, g in after)
    return min(max(extra, 0.0), 1.0)


def _learn_factors(
    base: Callable[[date], float], work: list[date], seasons: Seasons
) -> dict[str, float]:
    tagged = [(d, seasons.of_day(d)) for d in work]
    plain = [base(d) for d, s in tagged if not s]
    if not plain or sum(plain) <= 0:
        return {}
    mean_plain = sum(plain) / len(plain)
    out = {}
    for season in SEASONS:
        vals = [base(d) for d, s in tagged if season in s]
        if not vals:
            continue
        raw = (sum(vals) / len(vals)) / mean_plain
        n = len(vals)
        out[season] = min(max((n * raw + SEASON_SHRINK_DAYS) / (n + SEASON_SHRINK_DAYS), 0.2), 4.0)
    return out


def project(
    model: EverydayModel, as_of: date, end: date, cal: WorkingCalendar, seasons: Seasons
) -> list[tuple[date, int]]:
    """(working day, centimes) over (as_of, end]."""
    out = []
    d = as_of + timedelta(days=1)
    while d <= end:
        if cal.is_working_day(d):
            out.append((d, round(model.on(d, seasons, cal))))
        d += timedelta(days=1)
    return out


def unmatched_credits(
    credits: list[tuple[date, int]], payments: list[tuple[date, int]], window: int = 3
) -> dict[date, int]:
    """The credits (day, centimes) that no recorded payment of the same amount within
    ``window`` days accounts for, summed by day; each payment accounts for one credit."""
    free: dict[int, list[date]] = defaultdict(list)
    for d, c in payments:
        free[c].append(d)
    out: dict[date, int] = defaultdict(int)
    for d, c in sorted(credits):
        days = free.get(c, [])
        hit = None
        if days:
            hit = min(
                (p for p in days if abs((p - d).days) <= window),
                key=lambda p: abs((p - d).days),
                default=None,
            )
        if hit is None:
            out[d] += c
        else:
            days.remove(hit)
    return out


def past_levels(
    model: EverydayModel,
    by_day: dict[date, int],
    as_of: date,
    days: int,
    cal: WorkingCalendar,
    seasons: Seasons,
    blocks: int = 12,
) -> list[float]:
    """The stream's last ``blocks`` stretches of ``days`` days the books hold, each ending a
    whole number of weeks before ``as_of`` (their weekdays line up with the horizon's): each
    one's total over what ``model`` says for those days. A forecast's draw scales the stream's
    projection by one of them: how far a real month's level strayed from the model."""
    first = min((d for d, c in by_day.items() if c), default=as_of)
    step = timedelta(days=7 * -(-days // 7))
    out = []
    for k in range(blocks):
        start = as_of - step * k - timedelta(days=days)
        if start < first:
            break
        span = [start + timedelta(days=i) for i in range(1, days + 1)]
        modelled = sum(model.on(d, seasons, cal) for d in span if cal.is_working_day(d))
        total = sum(max(by_day.get(d, 0), 0) for d in span)
        if modelled > 0 and total > 0:
            out.append(total / modelled)
    return out


FOLLOW_LAGS = ((1, 14), (7, 20), (1, 28), (14, 41))  # (first, last) day before, candidates
FOLLOW_DAYS = max(b for _, b in FOLLOW_LAGS)
FOLLOW_WEEKS = 26  # the weeks the readings of the spending are compared on
FOLLOW_GAIN = 1.0  # a receipts reading is kept when its weekly error is under the level's
FOLLOW_CLIP = (0.5, 2.0)


@dataclass(frozen=True)
class Following:
    """Spending that follows the receipts of the days ``lag`` before, around ``mean``."""

    lag: tuple[int, int]
    mean: float

    def factor(self, receipts: dict[date, int], d: date) -> float:
        lo, hi = self.lag
        trail = sum(receipts.get(d - timedelta(days=k), 0) for k in range(lo, hi + 1))
        return min(max(trail / self.mean, FOLLOW_CLIP[0]), FOLLOW_CLIP[1])


def follows_receipts(
    model: EverydayModel,
    by_day: dict[date, int],
    receipts: dict[date, int],
    as_of: date,
    cal: WorkingCalendar,
    seasons: Seasons,
) -> Following | None:
    """When the everyday *spending* follows the receipts (a distributor restocks with what it
    was paid): of the windows of :data:`FOLLOW_LAGS` (the receipts from ``lo`` to ``hi`` days
    before a day), the one with which the model's day × (the window's receipts / their mean
    over the learning weeks) foretold the last 26 weeks' spending best, when its weekly error
    is under that of the model's level alone (:data:`FOLLOW_GAIN`); else None.

    ``receipts``: every credit by day (centimes), up to ``as_of``."""
    weeks = []
    for w in range(FOLLOW_WEEKS):
        days = [as_of - timedelta(days=7 * w + i) for i in range(7)]
        work = [d for d in days if cal.is_working_day(d)]
        if work:
            weeks.append(work)
    past = [d for wk in weeks for d in wk]
    if (
        len(weeks) < FOLLOW_WEEKS
        or not receipts
        or min(past) - timedelta(days=FOLLOW_DAYS) < min(receipts)
    ):
        return None
    on = {d: model.on(d, seasons, cal) for d in past}
    real = [sum(by_day.get(d, 0) for d in wk) for wk in weeks]
    err_level = sum(abs(r - sum(on[d] for d in wk)) for r, wk in zip(real, weeks, strict=True))
    best: tuple[float, Following] | None = None
    for lo, hi in FOLLOW_LAGS:
        trail = {
            d: sum(receipts.get(d - timedelta(days=k), 0) for k in range(lo, hi + 1)) for d in past
        }
        mean = sum(trail.values()) / len(trail)
        if mean <= 0:
            continue
        fol = Following((lo, hi), mean)
        err = sum(
            abs(r - sum(on[d] * fol.factor(receipts, d) for d in wk))
            for r, wk in zip(real, weeks, strict=True)
        )
        if best is None or err < best[0]:
            best = (err, fol)
    if best is None or best[0] >= FOLLOW_GAIN * err_level:
        return None
    return best[1]


def project_following(
    model: EverydayModel,
    following: Following,
    receipts: dict[date, int],
    as_of: date,
    end: date,
    cal: WorkingCalendar,
    seasons: Seasons,
) -> list[tuple[date, int]]:
    """:func:`project`, each day scaled by its window's receipts over their usual level;
    ``receipts`` holds the realised credits up to ``as_of`` and the forecast's after it."""
    return [
        (d, round(c * following.factor(receipts, d)))
        for d, c in project(model, as_of, end, cal, seasons)
    ]
