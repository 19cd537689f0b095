"""A what-if question in French ("et si Cimenterie des Babors paie avec 60 jours de retard ?")
read into the scenario texts of :mod:`khazna.tools.scenarios`, then run by the same executor
as ``khazna forecast --what-if``. The reader only rewrites words into the grammar; every
figure of the answer is the executor's.

Read (accents and case ignored):
- « si (le client) X paie N jours plus tard / avec N jours de retard / N jours plus tôt »
  → ``delay:X:+N``
- « si je place M (DA) pendant N jours / N mois » → ``place:M:N``
- « si j'achète … à M (DA) le 10 décembre » / « si je paie / dépense M le … » → ``once:-M``;
  « si je reçois / encaisse M le … » → ``once:+M``
- « si j'embauche K … à M (DA) par mois (à partir de janvier) » → ``recurring:-(K×M)/month``;
  « un loyer / une charge de M par mois » likewise.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from khazna.ledger.db import Ledger
from khazna.months import MONTHS, alternation, month_number
from khazna.text import fold
from khazna.tools.forecast import ForecastError
from khazna.tools.scenarios import (
    ClientDelay,
    OneOffFlow,
    RecurringFlow,
    ScenarioError,
    outcome,
    parse_spec,
    run_what_if,
    what_if_text,
)

WHAT_IF = re.compile(
    r"\bwhat if\b|\bsi\b.*\b(?:paie|paye|place|achete|embauche|recrute|recois|encaisse|depense)\b"
)
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10,
}  # fmt: skip
_AMOUNT = r"(\d[\d\s\u00a0\u202f.]*(?:,\d+)?)\s*(k|m|millions?|mille)?\s*(?:da|dzd|dinars?)?"
_MONTH = alternation({k: v for k, v in MONTHS.items() if k.isascii()})
_DAY = rf"(?:le\s+)?(\d{{1,2}})(?:er)?\s+({_MONTH})(?:\s+(\d{{4}}))?"


def is_what_if(question: str) -> bool:
    return WHAT_IF.search(fold(question)) is not None


def _amount(digits: str, unit: str | None) -> Decimal:
    raw = re.sub(r"[\s\u00a0\u202f.]", "", digits).replace(",", ".")
    value = Decimal(raw)
    u = (unit or "").lower()
    if u.startswith("m") and u != "mille":
        value *= 1_000_000
    elif u in ("k", "mille"):
        value *= 1000
    return value


def _plain(v: Decimal) -> str:
    return format(v.normalize(), "f")


def _day(day_text: str, month_text: str, year: str | None, as_of: date) -> date | None:
    day, month = int(day_text), month_number(month_text)
    if month is None:
        return None
    y = int(year) if year else as_of.year
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    if not year and d <= as_of:
        d = date(y + 1, month, day)
    return d


def horizon(specs: list[str], as_of: date, days: int = 30) -> int:
    """The forecast's horizon for a question: 30 days, or up to 30 days past the latest day a
    scenario names ("à partir de janvier", "le 10 mars"), at most a year."""
    latest = as_of
    for spec in specs:
        try:
            it = parse_spec(spec)
        except ScenarioError:
            continue  # run_what_if says what was not understood
        if isinstance(it, RecurringFlow) and it.start:
            latest = max(latest, it.start)
        elif isinstance(it, OneOffFlow):
            latest = max(latest, it.date)
    return min(max(days, (latest - as_of).days + days), 366)


def read_what_if(question: str, as_of: date) -> tuple[list[str], list[str]]:
    """(scenario texts, parts of the question that looked like a scenario but were not read)."""
    t = fold(question).replace("’", "'")
    specs: list[str] = []
    for m in re.finditer(
        r"(?:si\s+)?(?:le client\s+)?([^,;?]+?)\s+(?:nous\s+)?paie\s+(?:avec\s+)?(\d+)\s*jours?"
        r"\s+(plus tard|de retard|plus tot|en avance|d'avance)",
        t,
    ):
        who = re.sub(r"^(?:et\s+)?si\s+(?:le client\s+)?", "", m.group(1)).strip()
        sign = "-" if m.group(3) in ("plus tot", "en avance", "d'avance") else "+"
        specs.append(f"delay:{who}:{sign}{m.group(2)}d")
    for m in re.finditer(rf"\bplace\s+{_AMOUNT}\s+(?:pendant|pour|sur)\s+(\d+)\s*(jours?|mois)", t):
        n = int(m.group(3)) * (30 if m.group(4) == "mois" else 1)
        specs.append(f"place:{_plain(_amount(m.group(1), m.group(2)))}:{n}d")
    for m in re.finditer(
        rf"\b(achete|paie|depense|regle|recois|encaisse)\b[^?]*?\b(?:a|de|pour)?\s*{_AMOUNT}\s+{_DAY}",
        t,
    ):
        if specs and m.group(1) == "paie" and "jours" in m.group(0):
            continue
        d = _day(m.group(4), m.group(5), m.group(6), as_of)
        if d is None:
            continue
        sign = "+" if m.group(1) in ("recois", "encaisse") else "-"
        specs.append(f"once:{d.isoformat()}:{sign}{_plain(_amount(m.group(2), m.group(3)))}")
    for m in re.finditer(
        rf"\b(?:embauche|recrute)\s+(\w+)\b[^?]*?\ba\s+{_AMOUNT}\s+par\s+mois"
        rf"(?:\s+a partir (?:de|du)\s+(?:(\d{{1,2}})\s+)?({_MONTH})(?:\s+(\d{{4}}))?)?",
        t,
    ):
        k = _NUMBER_WORDS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 1)
        amount = _amount(m.group(2), m.group(3)) * k
        spec = f"recurring:-{_plain(amount)}/month"
        if m.group(5):
            month = month_number(m.group(5)) or 1
            year = int(m.group(6)) if m.group(6) else as_of.year
            start = date(year, month, int(m.group(4) or 1))
            if not m.group(6) and start <= as_of:
                start = date(year + 1, month, start.day)
            spec += f":{start.isoformat()}"
        specs.append(spec + ":embauche")
    unread = [] if specs else [question.strip()]
    return specs, unread


def answer_what_if(ledger: Ledger, question: str, as_of: date) -> dict[str, Any]:
    """'Et si le client X paie 15 jours plus tard ?': the question read into scenario texts,
    run by the executor of ``khazna forecast --what-if``; not read, an honest null."""
    specs, unread = read_what_if(question, as_of)
    if not specs:
        return {
            "answer": "Scénario non compris : dites par exemple « et si C04 paie 15 jours plus "
            "tard ? », « si je place 3 M DA pendant 90 jours », ou utilisez khazna forecast "
            "--what-if.",
            "items": [],
            "value": None,
            "unresolved": unread,
            "tools": ["what_if"],
        }
    try:
        with ledger.read() as s:
            wi = run_what_if(s, as_of, specs, horizon(specs, as_of))
    except (ScenarioError, ForecastError) as err:
        return {
            "answer": f"Scénario non compris : {err}",
            "items": [],
            "value": None,
            "unresolved": [str(err)],
            "scenarios": specs,
            "tools": ["what_if"],
        }
    new = outcome(wi.scenario)
    return {
        "answer": what_if_text(wi, days=False),
        "value": new.min_balance,
        "items": sorted(
            {x.client_id for x in (i.scenario for i in wi.items) if isinstance(x, ClientDelay)}
        ),
        "scenarios": specs,
        "base": outcome(wi.base).model_dump(mode="python"),
        "scenario": new.model_dump(mode="python"),
        "what_breaks": wi.breaks,
        "tools": ["what_if"],
    }
