"""What-if scenarios on the cash forecast: a small typed grammar, and one executor.

A scenario is one text ``KIND:FIELD:FIELD...`` (``khazna forecast --what-if SPEC``,
repeatable; the web form and ``khazna ask`` build the same texts):

- ``recurring:AMOUNT/PERIOD[:START][:LABEL]`` — a new recurring flow: ``AMOUNT`` signed
  (``-160000`` out, ``+50000`` in), ``PERIOD`` one of ``week``, ``month``, ``quarter``,
  ``year`` (or ``semaine``, ``mois``, ``trimestre``, ``an``), ``START`` the first occurrence
  (default: the day after the as-of date; later ones on the same day of the period).
- ``once:DATE:AMOUNT[:LABEL]`` — a one-off flow on ``DATE`` (``AMOUNT`` signed).
- ``delay:CLIENT:DAYS`` — a client pays ``DAYS`` later (``+15d``, ``60j``; negative: earlier)
  than the forecast expects: each of its expected receipts moves; those pushed past the
  horizon drop out. ``CLIENT`` is an id (``C04``) or a name (``Cimenterie des Babors``).
- ``place:AMOUNT:TERM[:PRODUCT]`` — ``AMOUNT`` leaves the account on the first working day
  after the as-of date and comes back with its interest after ``TERM`` (``90d``), at the
  rate of ``PRODUCT`` (``policy.json`` ``placement.products``; default: the product of that
  term, else no interest counted).

Amounts: digits with an optional decimal comma or point and ``k``/``M`` (``1,5M``,
``80k``), spaces and ``_`` ignored, ``DA`` allowed. Dates: ``2026-12-20`` or ``20/12/2026``.
Kinds also read in French: ``recurrent``, ``ponctuel``, ``retard``, ``placement``.
Every flow a scenario adds or moves lands on a working day (the next one), as the forecast's.

Parsing (:func:`parse_spec`) needs no ledger; :func:`run_what_if` resolves clients and
products against it and runs the forecast twice (base, scenario) through its ``adjust`` hook.
A text not understood raises :class:`ScenarioError`, whose French message names the part.
"""

from __future__ import annotations

import calendar as _cal
import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from difflib import get_close_matches
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import Client, Invoice
from khazna.ledger.policy import get_policy
from khazna.money import format_dzd, q2
from khazna.text import count
from khazna.tools.forecast import STATUS_LABELS, STATUS_RANK, Flow, Forecast, forecast
from khazna.tools.names import find_party
from khazna.tools.placement import interest

Period = Literal["week", "month", "quarter", "year"]
PERIODS: dict[str, Period] = {
    "week": "week", "semaine": "week", "sem": "week",
    "month": "month", "mois": "month", "mensuel": "month",
    "quarter": "quarter", "trimestre": "quarter",
    "year": "year", "an": "year", "annee": "year", "année": "year",
}  # fmt: skip
PERIOD_WORDS = {"week": "semaine", "month": "mois", "quarter": "trimestre", "year": "an"}
KINDS = {
    "recurring": "recurring", "recurrent": "recurring", "récurrent": "recurring",
    "once": "once", "ponctuel": "once", "unique": "once",
    "delay": "delay", "retard": "delay",
    "place": "place", "placement": "place", "placer": "place",
}  # fmt: skip
GRAMMAR = (
    "recurring:-150000/month[:AAAA-MM-JJ][:libellé], once:AAAA-MM-JJ:+500000[:libellé], "
    "delay:CLIENT:+15d, place:2000000:90d[:PRODUIT]"
)


class ScenarioError(ValueError):
    """A scenario that was not understood; the message (French) names what."""


class RecurringFlow(BaseModel):
    """A new flow every period (hiring, a new rent, a loan instalment...)."""

    kind: Literal["recurring"] = "recurring"
    amount: Decimal = Field(description="Signed: negative out, positive in.")
    every: Period
    start: date | None = Field(None, description="First occurrence (default: the next day).")
    label: str = ""


class OneOffFlow(BaseModel):
    """One flow on one day (a machine bought, a subsidy received)."""

    kind: Literal["once"] = "once"
    date: date
    amount: Decimal = Field(description="Signed: negative out, positive in.")
    label: str = ""


class ClientDelay(BaseModel):
    """A client pays ``days`` later (negative: earlier) than the forecast expects."""

    kind: Literal["delay"] = "delay"
    client: str = Field(description="As written: an id or a name.")
    days: int
    client_id: str = Field("", description="The client it names, once resolved.")
    client_name: str = ""


class PlaceFunds(BaseModel):
    """Money placed on a term deposit: out now, back with interest at the term."""

    kind: Literal["place"] = "place"
    amount: Decimal = Field(gt=0)
    term_days: int = Field(ge=1, le=3660)
    product: str = ""
    annual_rate_percent: Decimal | None = Field(None, description="Once resolved.")
    placeholder_rate: bool = False
    min_amount: Decimal = Field(Decimal(0), description="The product's minimum, once resolved.")


Scenario = Annotated[
    RecurringFlow | OneOffFlow | ClientDelay | PlaceFunds, Field(discriminator="kind")
]
SCENARIO = TypeAdapter(Scenario)

_AMOUNT = re.compile(r"([+-])?(\d+(?:[.,]\d+)?)(k|m)?(?:da|dzd)?", re.IGNORECASE)
_DAYS = re.compile(r"([+-])?(\d+)\s*(d|j|jours?|days?)?", re.IGNORECASE)


def _amount(text: str, *, signed: bool) -> Decimal:
    t = re.sub(r"[\s_\u00a0\u202f]", "", text)
    m = _AMOUNT.fullmatch(t)
    if not m:
        raise ScenarioError(f"montant non compris : {text!r} (ex. -150000, +1,5M, 80k)")
    sign, digits, unit = m.groups()
    if not digits.strip("0.,"):
        raise ScenarioError(f"montant nul : {text!r}")
    if signed and not sign:
        raise ScenarioError(
            f"montant sans signe : {text!r} — écrivez -{digits} pour une sortie, "
            f"+{digits} pour une entrée"
        )
    if not signed and sign == "-":
        raise ScenarioError(f"montant négatif : {text!r} — un placement est un montant positif")
    try:
        value = Decimal(digits.replace(",", "."))
    except InvalidOperation:
        raise ScenarioError(f"montant non compris : {text!r}") from None
    value *= {"k": 1000, "m": 1_000_000}.get((unit or "").lower(), 1)
    return q2(-value if sign == "-" else value)


def _date(text: str) -> date:
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t):
            d, mo, y = (int(g) for g in m.groups())
            return date(y, mo, d)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return date.fromisoformat(t)
    except ValueError:
        pass
    raise ScenarioError(f"date non comprise : {text!r} (AAAA-MM-JJ ou JJ/MM/AAAA)")


def _is_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}", text.strip()))


def _days(text: str, *, signed: bool) -> int:
    m = _DAYS.fullmatch(text.strip())
    if not m:
        raise ScenarioError(f"nombre de jours non compris : {text!r} (ex. +15d, 60j, 90d)")
    sign, n, _ = m.groups()
    if not signed and sign == "-":
        raise ScenarioError(f"durée négative : {text!r}")
    days = -int(n) if sign == "-" else int(n)
    if days == 0:
        raise ScenarioError(f"nombre de jours nul : {text!r}")
    return days


def parse_spec(text: str) -> Scenario:
    """One scenario text as a typed model (see the module doc); :class:`ScenarioError` else."""
    raw = text.strip()
    head, _, rest = raw.partition(":")
    kind = KINDS.get(head.strip().lower())
    if kind is None:
        raise ScenarioError(
            f"scénario non compris : {text!r} — le type {head.strip()!r} n'existe pas "
            f"(recurring, once, delay, place ; ex. {GRAMMAR})"
        )
    parts = [p.strip() for p in rest.split(":")] if rest else []
    if kind == "recurring":
        if not parts or "/" not in parts[0]:
            raise ScenarioError(
                f"{text!r} : attendu recurring:MONTANT/PÉRIODE, ex. recurring:-150000/month"
            )
        amount, _, period = parts[0].partition("/")
        every = PERIODS.get(period.strip().lower())
        if every is None:
            raise ScenarioError(
                f"{text!r} : période non comprise {period!r} (week, month, quarter, year)"
            )
        start = None
        more = parts[1:]
        if more and _is_date(more[0]):
            start, more = _date(more[0]), more[1:]
        return RecurringFlow(
            amount=_amount(amount, signed=True),
            every=every,
            start=start,
            label=":".join(more),
        )
    if kind == "once":
        if len(parts) < 2:
            raise ScenarioError(
                f"{text!r} : attendu once:DATE:MONTANT, ex. once:2026-12-20:+500000"
            )
        first, second = parts[0], parts[1]
        if not _is_date(first) and _is_date(second):
            first, second = second, first  # the amount written first: the shapes tell them apart
        return OneOffFlow(
            date=_date(first), amount=_amount(second, signed=True), label=":".join(parts[2:])
        )
    if kind == "delay":
        if len(parts) < 2 or not parts[0]:
            raise ScenarioError(f"{text!r} : attendu delay:CLIENT:JOURS, ex. delay:C04:+15d")
        return ClientDelay(client=":".join(parts[:-1]), days=_days(parts[-1], signed=True))
    if len(parts) < 2:
        raise ScenarioError(f"{text!r} : attendu place:MONTANT:DURÉE, ex. place:2000000:90d")
    return PlaceFunds(
        amount=_amount(parts[0], signed=False),
        term_days=_days(parts[1], signed=False),
        product=":".join(parts[2:]),
    )


# -- resolution against the ledger -------------------------------------------------------


def resolve(session: Session, items: Sequence[Scenario]) -> list[Scenario]:
    """Clients and placement products named by ``items``, looked up in the ledger and the
    policy; an unknown client or product is a :class:`ScenarioError` naming the closest."""
    out: list[Scenario] = []
    products = get_policy(session).placement.products
    for it in items:
        if isinstance(it, ClientDelay):
            m = find_party(session, it.client, ("client",))
            if m.party is None:
                names = [n for (n,) in session.execute(select(Client.name))]
                ids = [i for (i,) in session.execute(select(Client.client_id))]
                close = [p.name for p in m.ambiguous] or get_close_matches(
                    it.client, names + ids, n=3, cutoff=0.5
                )
                hint = f" ; le plus proche : {', '.join(close)}" if close else ""
                what = "ambigu" if m.ambiguous else "inconnu"
                raise ScenarioError(f"client {what} : {it.client!r}{hint}")
            it = it.model_copy(update={"client_id": m.party.party_id, "client_name": m.party.name})
        elif isinstance(it, PlaceFunds):
            if it.product:
                hit = [p for p in products if p.product_id.lower() == it.product.lower()]
                if not hit:
                    known = ", ".join(p.product_id for p in products) or "aucun dans policy.json"
                    raise ScenarioError(
                        f"produit de placement inconnu : {it.product!r} (connus : {known})"
                    )
            else:
                hit = [p for p in products if p.term_days == it.term_days]
            if hit:
                it = it.model_copy(
                    update={
                        "product": hit[0].product_id,
                        "annual_rate_percent": hit[0].annual_rate_percent,
                        "placeholder_rate": hit[0].placeholder,
                        "min_amount": hit[0].min_amount,
                    }
                )
        out.append(it)
    return out


# -- the executor ------------------------------------------------------------------------


def _add_months(d: date, months: int, day: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, min(day, _cal.monthrange(y, m + 1)[1]))


def _occurrences(it: RecurringFlow, first: date, end: date) -> list[date]:
    out: list[date] = []
    i = 0
    step_months = {"month": 1, "quarter": 3, "year": 12}.get(it.every)
    while True:
        d = (
            first + timedelta(days=7 * i)
            if step_months is None
            else _add_months(first, step_months * i, first.day)
        )
        if d > end:
            return out
        out.append(d)
        i += 1


class Applier:
    """Changes a forecast's flows as ``items`` say (the ``adjust`` hook of the forecast)."""

    def __init__(
        self,
        items: Sequence[Scenario],
        as_of: date,
        days: int,
        cal: WorkingCalendar,
        invoice_client: dict[str, str],
        day_basis: int = 365,
    ) -> None:
        self.items, self.as_of, self.cal = list(items), as_of, cal
        self.end = as_of + timedelta(days=days)
        self.invoice_client, self.day_basis = invoice_client, day_basis
        self.added: list[list[Flow]] = [[] for _ in self.items]
        self.notes: list[list[str]] = [[] for _ in self.items]

    def _on(self, d: date) -> date | None:
        d = self.cal.next_working_day(d)
        return d if self.as_of < d <= self.end else None

    def __call__(self, flows: list[Flow]) -> list[Flow]:
        flows = list(flows)
        for i, it in enumerate(self.items):
            self.added[i], self.notes[i] = [], []
            flows = self._apply(i, it, flows)
        return flows

    def _flow(self, i: int, d: date, amount: Decimal, detail: str) -> Flow:
        f = Flow(date=d, amount=amount, kind="scenario", source=f"what-if {i + 1}", detail=detail)
        self.added[i].append(f)
        return f

    def _apply(self, i: int, it: Scenario, flows: list[Flow]) -> list[Flow]:
        if isinstance(it, RecurringFlow):
            first = it.start or self.as_of + timedelta(days=1)
            for raw in _occurrences(it, first, self.end):
                if raw > self.as_of and (d := self._on(raw)) is not None:
                    flows.append(self._flow(i, d, it.amount, describe(it)))
            if not self.added[i]:
                self.notes[i].append("aucune échéance dans l'horizon : sans effet")
        elif isinstance(it, OneOffFlow):
            d = self._on(it.date) if it.date > self.as_of else None
            if d is None:
                self.notes[i].append(f"le {it.date:%d/%m/%Y} est hors de l'horizon : sans effet")
            else:
                flows.append(self._flow(i, d, it.amount, describe(it)))
        elif isinstance(it, ClientDelay):
            moved, dropped, out = 0, 0, []
            for f in flows:
                if f.kind != "invoice" or self.invoice_client.get(f.source) != it.client_id:
                    out.append(f)
                    continue
                d = self._on(f.date + timedelta(days=it.days))
                if d is None:
                    dropped += 1
                    self.notes[i].append(f"{f.source} ({format_dzd(f.amount)}) sort de l'horizon")
                    continue
                moved += 1
                out.append(
                    f.model_copy(
                        update={"date": d, "detail": f.detail + f"; what-if: {it.days:+d} d"}
                    )
                )
            self.notes[i].insert(
                0,
                f"{count(moved + dropped, 'encaissement prévu', 'encaissements prévus')} de "
                f"{it.client_id} {'décalé' if moved + dropped <= 1 else 'décalés'}, {dropped} hors horizon",
            )
            flows = out
        else:
            start = self._on(self.as_of + timedelta(days=1))
            if start is None:
                return flows
            flows.append(self._flow(i, start, -it.amount, describe(it)))
            back = self._on(start + timedelta(days=it.term_days))
            rate = it.annual_rate_percent
            earned = interest(it.amount, rate, it.term_days, self.day_basis) if rate else Decimal(0)
            if it.amount < it.min_amount:
                self.notes[i].append(
                    f"sous le minimum de {it.product} ({format_dzd(it.min_amount)})"
                )
            if rate is None:
                self.notes[i].append(
                    "aucun produit de ce terme dans policy.json : intérêts non comptés"
                )
            if back is None:
                self.notes[i].append("le placement revient après l'horizon")
            else:
                flows.append(
                    self._flow(
                        i,
                        back,
                        it.amount + earned,
                        f"retour du placement (+ {format_dzd(earned)} d'intérêts)",
                    )
                )
        return flows


def describe(it: Scenario) -> str:
    """The scenario in the owner's words."""
    if isinstance(it, RecurringFlow):
        way = "sortie" if it.amount < 0 else "entrée"
        start = f" à partir du {it.start:%d/%m/%Y}" if it.start else " dès demain"
        label = f" ({it.label})" if it.label else ""
        return f"{way} de {format_dzd(abs(it.amount))} par {PERIOD_WORDS[it.every]}{start}{label}"
    if isinstance(it, OneOffFlow):
        way = "sortie" if it.amount < 0 else "entrée"
        label = f" ({it.label})" if it.label else ""
        return f"{way} unique de {format_dzd(abs(it.amount))} le {it.date:%d/%m/%Y}{label}"
    if isinstance(it, ClientDelay):
        who = f"{it.client_name} ({it.client_id})" if it.client_id else it.client
        when = "plus tard" if it.days > 0 else "plus tôt"
        return f"{who} paie {abs(it.days)} jours {when} que prévu"
    rate = ""
    if it.annual_rate_percent is not None:
        pct = f"{it.annual_rate_percent:.2f}".replace(".", ",")
        rate = f" au taux de {pct} % ({it.product}"
        rate += ", taux d'exemple à remplacer)" if it.placeholder_rate else ")"
    return f"placement de {format_dzd(it.amount)} pendant {it.term_days} jours{rate}"


class Outcome(BaseModel):
    """What the owner decides on: the lowest day, the status, the days under the threshold."""

    status: str
    min_balance: Decimal
    min_balance_date: date
    days_below_threshold: int
    first_below_threshold: date | None
    first_negative: date | None
    excess_cash: Decimal


def outcome(fc: Forecast) -> Outcome:
    below = [d for d in fc.days if d.balance < fc.threshold]
    negative = [d for d in fc.days if d.balance < 0]
    return Outcome(
        status=fc.status,
        min_balance=fc.min_balance,
        min_balance_date=fc.min_balance_date,
        days_below_threshold=len(below),
        first_below_threshold=below[0].date if below else None,
        first_negative=negative[0].date if negative else None,
        excess_cash=fc.excess_cash,
    )


class ItemResult(BaseModel):
    spec: str
    scenario: Scenario
    description: str
    outcome: Outcome = Field(description="This scenario alone against the base.")
    flows: list[Flow] = Field(description="The flows it adds (moved receipts are not listed).")
    notes: list[str]


class WhatIf(BaseModel):
    base: Forecast
    scenario: Forecast = Field(description="Every scenario together.")
    items: list[ItemResult]
    breaks: str = Field(description="What breaks first, in French.")


def what_breaks(base: Outcome, new: Outcome, threshold: Decimal) -> str:
    """The first thing that gets worse, in one French sentence."""
    if new.first_negative and (
        base.first_negative is None or new.first_negative < base.first_negative
    ):
        return f"le solde devient négatif le {new.first_negative:%d/%m/%Y} (au plus bas {format_dzd(new.min_balance)} le {new.min_balance_date:%d/%m/%Y})"
    if new.first_below_threshold and (
        base.first_below_threshold is None or new.first_below_threshold < base.first_below_threshold
    ):
        return f"le solde passe sous le seuil de {format_dzd(threshold)} le {new.first_below_threshold:%d/%m/%Y}"
    if STATUS_RANK[new.status] > STATUS_RANK[base.status]:
        return f"le statut passe de {STATUS_LABELS[base.status]} à {STATUS_LABELS[new.status]}"
    if new.days_below_threshold > base.days_below_threshold:
        more = new.days_below_threshold - base.days_below_threshold
        return (
            f"{count(more, 'jour', 'jours')} de plus sous le seuil ; au plus bas {format_dzd(new.min_balance)} "
            f"le {new.min_balance_date:%d/%m/%Y}"
        )
    drop = base.min_balance - new.min_balance
    if drop <= 0:
        return "rien ne casse : le point bas ne baisse pas"
    if new.days_below_threshold:
        return f"aucun jour de plus sous le seuil ; le point bas baisse de {format_dzd(drop)}"
    return f"rien ne casse : le solde reste au-dessus du seuil ; le point bas baisse de {format_dzd(drop)}"


def _invoice_clients(session: Session, items: Sequence[Scenario]) -> dict[str, str]:
    ids = {it.client_id for it in items if isinstance(it, ClientDelay)}
    if not ids:
        return {}
    q = select(Invoice.number, Invoice.client_id).where(Invoice.client_id.in_(ids))
    return {n: c for n, c in session.execute(q)}


def run_what_if(
    session: Session,
    as_of: date,
    specs: Sequence[str],
    days: int = 30,
    *,
    cal: WorkingCalendar | None = None,
    base: Forecast | None = None,
) -> WhatIf:
    """The forecast without and with the scenarios ``specs`` (texts of the grammar): each
    alone, and all together. :class:`ScenarioError` on a text or a name not understood."""
    parsed = [parse_spec(s) for s in specs]
    if not parsed:
        raise ScenarioError("aucun scénario")
    cal = cal or WorkingCalendar.load()
    items = resolve(session, parsed)
    clients = _invoice_clients(session, items)
    basis = get_policy(session).placement.day_basis
    base = base or forecast(session, as_of, days, cal=cal)
    together = Applier(items, as_of, days, cal, clients, basis)
    scen = forecast(session, as_of, days, cal=cal, adjust=together)
    results = []
    for i, (spec, it) in enumerate(zip(specs, items, strict=True)):
        if len(items) == 1:
            alone, added, notes = scen, together.added[0], together.notes[0]
        else:
            one = Applier([it], as_of, days, cal, clients, basis)
            alone = forecast(session, as_of, days, cal=cal, adjust=one)
            added, notes = one.added[0], one.notes[0]
        results.append(
            ItemResult(
                spec=spec,
                scenario=it,
                description=describe(it),
                outcome=outcome(alone),
                flows=[f.model_copy(update={"source": f"what-if {i + 1}"}) for f in added],
                notes=notes,
            )
        )
    return WhatIf(
        base=base,
        scenario=scen,
        items=results,
        breaks=what_breaks(outcome(base), outcome(scen), scen.threshold),
    )


def what_if_text(wi: WhatIf, *, days: bool = True) -> str:
    """The base against the scenario, for a person (also the assistant's answer); ``days``:
    with the balance of each day, base and scenario."""
    b, n = outcome(wi.base), outcome(wi.scenario)
    fc = wi.scenario
    out = [
        f"Et si… au {fc.as_of:%d/%m/%Y}, sur {fc.horizon_days} jours, seuil {format_dzd(fc.threshold)}"
    ]
    for i, it in enumerate(wi.items, 1):
        out.append(f"  {i}. {it.description}  [{it.spec}]")
        out.extend(f"     note : {x}" for x in it.notes)

    def day(d) -> str:
        return f"{d:%d/%m/%Y}" if d else "—"

    rows = [
        ("statut", STATUS_LABELS[b.status], STATUS_LABELS[n.status]),
        ("solde minimum", format_dzd(b.min_balance), format_dzd(n.min_balance)),
        ("le", day(b.min_balance_date), day(n.min_balance_date)),
        ("jours sous le seuil", str(b.days_below_threshold), str(n.days_below_threshold)),
        ("premier jour sous le seuil", day(b.first_below_threshold), day(n.first_below_threshold)),
        ("premier jour négatif", day(b.first_negative), day(n.first_negative)),
        ("excédent plaçable", format_dzd(b.excess_cash), format_dzd(n.excess_cash)),
    ]
    out.append(f"  {'':<28} {'base':>20} {'scénario':>20}")
    out.extend(f"  {k:<28} {x:>20} {y:>20}" for k, x, y in rows)
    if len(wi.items) > 1:
        out.append("  chacun seul : " + " ; ".join(
            f"{i}. {format_dzd(it.outcome.min_balance)} le {it.outcome.min_balance_date:%d/%m/%Y}"
            for i, it in enumerate(wi.items, 1)
        ))  # fmt: skip
    out.append(f"Ce qui casse d'abord : {wi.breaks}")
    if not days:
        return "\n".join(out)
    out.append(f"  {'date':<10} {'base':>20} {'scénario':>20}  statut")
    for x, y in zip(wi.base.days, wi.scenario.days, strict=True):
        out.append(
            f"  {y.date:%d/%m/%Y} {format_dzd(x.balance):>20} {format_dzd(y.balance):>20}  {STATUS_LABELS[y.status]}"
        )
    return "\n".join(out)
