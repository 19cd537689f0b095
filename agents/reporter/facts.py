"""The weekly report's figures, all computed by the engine's tools."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.agents.factcheck import Facts
from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.models import BankLine, Client, Company
from khazna.ledger.queries import cash_position, sum_money
from khazna.tools.anomalies import AnomaliesInput
from khazna.tools.forecast import forecast
from khazna.tools.placement import placeable
from khazna.tools.receivables import open_invoices
from khazna.tools.status import books_end
from khazna.tools.stored import anomalies_of, forecast_of, riskiest_of


class RiskyInvoice(BaseModel):
    number: str
    client_id: str
    client_name: str
    open_amount: Decimal
    due_date: date
    days_late: int
    score: float


class OutOfNorm(BaseModel):
    kind: str
    refs: list[str]
    amount: Decimal
    reason: str
    date: date


class ReportFacts(BaseModel):
    as_of: date
    week_start: date
    week_end: date = Field(
        description="the last day the week's figures count: the day the "
        "week closes, or the as-of day when the week is not over"
    )
    week_closes: date | None = Field(
        None, description="the Thursday that closes the week (None in reports stored before it)"
    )
    company: str
    language: str = Field(default="fr", description="the company's language: fr or ar")
    cash_in: Decimal
    cash_out: Decimal
    net: Decimal
    cash_position: Decimal
    forecast_status: str
    threshold: Decimal
    min_balance: Decimal
    min_balance_date: date
    excess_cash: Decimal
    horizon_days: int
    tension_days: list[date] = Field(default_factory=list)
    watch_days: list[date] = Field(default_factory=list)
    open_receivables: Decimal
    overdue_receivables: Decimal
    riskiest: list[RiskyInvoice]
    out_of_norm: list[OutOfNorm]
    forecast_days: list[dict] = Field(
        default_factory=list, description="date, balance, status, p10, p90 (for the chart)"
    )
    prob_below_threshold: int | None = Field(
        None,
        description="per cent of the forecast's draws whose lowest balance goes under the threshold",
    )
    books_end: date | None = Field(
        None, description="the ledger's last record, when it is before the as-of day"
    )
    books_note: str | None = Field(
        None, description="the sentence that says the books stop before the as-of day"
    )


def report_week(as_of: date, cal: WorkingCalendar) -> tuple[date, date]:
    """The seven days the report covers: the weekend (Friday, Saturday) and the working
    week (Sunday to Thursday) that closes on the Thursday of ``as_of``'s week."""
    end = cal.week_end(as_of)
    return end - timedelta(days=6), end


def week_is_open(f: ReportFacts) -> bool:
    """The week the report covers is not over on its as-of day (its figures stop there)."""
    return f.week_closes is not None and f.as_of < f.week_closes


WEEK_WORDS = {
    "fr": {"open": "semaine en cours, du {start} au {end} (elle se termine le {closes})",
           "closed": "semaine du {start} au {end}"},
    "ar": {"open": "الأسبوع الجاري، من {start} إلى {end} (ينتهي في {closes})",
           "closed": "أسبوع من {start} إلى {end}"},
}  # fmt: skip


def week_span(f: ReportFacts, lang: str | None = None) -> str:
    """The week the report covers, said honestly: « semaine en cours, du 04/12/2026 au
    08/12/2026 (elle se termine le 10/12/2026) » before its Thursday, « semaine du … au … »
    once it is over (lower case, for the middle of a sentence)."""
    words = WEEK_WORDS["ar" if (lang or f.language) == "ar" else "fr"]
    return words["open" if week_is_open(f) else "closed"].format(
        start=f"{f.week_start:%d/%m/%Y}",
        end=f"{f.week_end:%d/%m/%Y}",
        closes=f"{(f.week_closes or f.week_end):%d/%m/%Y}",
    )


def build_report_facts(
    session: Session, as_of: date, cal: WorkingCalendar | None = None
) -> ReportFacts:

    own_calendar = cal is None  # the package's: the forecast stored per ledger state serves
    cal = cal or WorkingCalendar.load()
    start, end = report_week(as_of, cal)
    until = min(end, as_of)
    lo = start
    cash_in = sum_money(
        session, BankLine.amount, BankLine.date >= lo, BankLine.date <= until, BankLine.amount > 0
    )
    cash_out = -sum_money(
        session, BankLine.amount, BankLine.date >= lo, BankLine.date <= until, BankLine.amount < 0
    )
    fc = forecast_of(session, as_of, 30) if own_calendar else forecast(session, as_of, 30, cal=cal)
    names: dict[str, str] = {
        cid: name for cid, name in session.execute(select(Client.client_id, Client.name))
    }
    risky = [
        RiskyInvoice(
            number=r.number,
            client_id=r.client_id,
            client_name=names.get(r.client_id, r.client_id),
            open_amount=r.open_amount,
            due_date=r.due_date,
            days_late=max(0, (as_of - r.due_date).days),
            score=round(float(r.score), 3),
        )
        for r in riskiest_of(session, as_of, n=10)
    ]
    anomalies = anomalies_of(
        session, AnomaliesInput(date_from=as_of - timedelta(days=30), date_to=as_of)
    )
    out_of_norm = [
        OutOfNorm(kind=a.kind, refs=a.refs, amount=a.amount, reason=a.reason, date=a.date)
        for a in anomalies.anomalies
    ]
    opens = open_invoices(session, as_of)
    company = session.get(Company, 1)
    stop = books_end(session, as_of)  # the books end before the as-of day
    return ReportFacts(
        as_of=as_of,
        week_start=start,
        week_end=until,
        week_closes=end,
        company=company.name if company else "",
        language="ar" if company is not None and company.language == "ar" else "fr",
        cash_in=cash_in,
        cash_out=cash_out,
        net=cash_in - cash_out,
        cash_position=cash_position(session, as_of),
        forecast_status=fc.status,
        threshold=fc.threshold,
        min_balance=fc.min_balance,
        min_balance_date=fc.min_balance_date,
        # what can be placed for the horizon without a day of the band's low edge (P10)
        # under the threshold: the amount `khazna placement` gives, not the median's room
        excess_cash=placeable(fc, fc.horizon_days),
        horizon_days=fc.horizon_days,
        tension_days=[d.date for d in fc.days if d.status == "tension"],
        watch_days=[d.date for d in fc.days if d.status == "a_surveiller"],
        open_receivables=sum((i.open_amount for i in opens), Decimal("0")),
        overdue_receivables=sum(
            (i.open_amount for i in opens if i.days_past_due > 0), Decimal("0")
        ),
        riskiest=risky,
        out_of_norm=out_of_norm,
        forecast_days=[
            {"date": d.date.isoformat(), "balance": str(d.balance), "status": d.status}
            | ({"p10": str(d.p10), "p90": str(d.p90)} if d.p10 is not None else {})
            for d in fc.days
        ],
        prob_below_threshold=(
            None if fc.prob_below_threshold is None else round(100 * fc.prob_below_threshold)
        ),
        books_end=stop.last_record if stop is not None else None,
        books_note=stop.note if stop is not None else None,
    )


def to_check_facts(f: ReportFacts):

    amounts: dict = {
        k: getattr(f, k)
        for k in (
            "cash_in",
            "cash_out",
            "net",
            "cash_position",
            "threshold",
            "min_balance",
            "excess_cash",
            "open_receivables",
            "overdue_receivables",
        )
    }
    amounts["net_abs"] = abs(f.net)
    amounts["risky"] = [r.open_amount for r in f.riskiest]
    amounts["risky_total"] = sum((r.open_amount for r in f.riskiest), Decimal("0"))
    amounts["anomalies"] = [a.amount for a in f.out_of_norm]
    dates: dict = {
        "as_of": f.as_of,
        "week_start": f.week_start,
        "week_end": f.week_end,
        "week_closes": f.week_closes or f.week_end,
        "min_balance_date": f.min_balance_date,
        "tension": f.tension_days,
        "watch": f.watch_days,
        "due": [r.due_date for r in f.riskiest],
        "anomaly_dates": [a.date for a in f.out_of_norm],
    }
    if f.tension_days:
        dates["first_tension"] = f.tension_days[0]
    counts: dict = {
        "horizon_days": f.horizon_days,
        "risky_count": len(f.riskiest),
        "anomaly_count": len(f.out_of_norm),
        "tension_count": len(f.tension_days),
        "days_late": [r.days_late for r in f.riskiest],
    }
    rates: dict = {}
    if f.prob_below_threshold is not None:
        rates["prob_below_threshold"] = Decimal(f.prob_below_threshold)
    return Facts(
        amounts=amounts,
        dates=dates,
        counts=counts,
        rates=rates,
        ids={
            "invoices": [r.number for r in f.riskiest],
            "refs": [x for a in f.out_of_norm for x in a.refs],
        },
        names={"company": f.company, "clients": [r.client_name for r in f.riskiest]},
    )
