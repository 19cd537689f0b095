"""Read-only pages: dashboard, questions, one invoice, exports."""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from khazna.agents.assistant import answer_question
from khazna.agents.channels import ChannelError, set_client_channel
from khazna.agents.reporter.facts import ReportFacts, week_span
from khazna.calendar_dz import parse_day
from khazna.ledger.bundle import BundleError, export_bundle
from khazna.ledger.models import Allocation, Client, Invoice, InvoiceLine, Payment
from khazna.ledger.queries import get_company
from khazna.ledger.tables_agents import Report
from khazna.tools.accounting import AccountingError, accounts, journal, to_csv, to_xlsx
from khazna.tools.anomalies import KINDS
from khazna.tools.forecast import ForecastError
from khazna.tools.names import civility_of
from khazna.tools.receivables import open_invoices
from khazna.tools.scenarios import GRAMMAR, ScenarioError, outcome, run_what_if
from khazna.tools.status import books_end, books_span
from khazna.tools.stored import forecast_of, open_anomalies_of, riskiest_of
from khazna.web.chart import forecast_svg, what_if_svg
from khazna.web.common import Csrf, CurrentUser, Owner, flash, ledger_of, render

log = logging.getLogger(__name__)
router = APIRouter()


def _as_of(value: str | None) -> date:
    if not value:
        return date.today()
    day = parse_day(value)
    if day is None:  # a malformed request, not a missing page: 400, with what was expected
        raise HTTPException(
            400,
            f"la date « {value} » (as_of) n'est pas valide : attendu JJ/MM/AAAA ou AAAA-MM-JJ, "
            "par exemple 31/03/2026",
        )
    return day


def _section(name: str, errors: list[str], fn):
    """One dashboard block; a tool that fails shows its error instead of the whole page."""
    try:
        return fn()
    except Exception as err:  # noqa: BLE001 - shown on the page, logged with its traceback
        log.exception("dashboard section %s failed", name)
        errors.append(f"{name} : {type(err).__name__}: {err}")
        return None


def _forecast(session, day: date):
    return forecast_of(session, day, 30)


def _riskiest(session, day: date):
    return riskiest_of(session, day, n=10)


def _anomalies(session, day: date):
    """The open anomalies up to ``day`` (the one definition of tools.anomalies)."""
    return open_anomalies_of(session, day)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, user: CurrentUser, as_of: str | None = None):
    day = _as_of(as_of)
    errors: list[str] = []
    with ledger_of(request).read() as s:
        company = get_company(s)
        if company is None:
            return render(request, "dashboard.html", user=user, as_of=day, empty=True)
        # computed once per ledger state (a new import, a new row, a changed setting)
        memo = request.app.state.results
        fc = _section(
            "prévision", errors, lambda: memo.get(s, "forecast", day, lambda: _forecast(s, day))
        )
        risky = (
            _section(
                "factures à risque",
                errors,
                lambda: memo.get(s, "riskiest", day, lambda: _riskiest(s, day)),
            )
            or []
        )
        found = _section(
            "anomalies", errors, lambda: memo.get(s, "anomalies", day, lambda: _anomalies(s, day))
        )
        report = latest_report(s, day)
        names = dict(s.execute(select(Client.client_id, Client.name)).all())
        # a day after the last record (or before the first) is said, as `status --as-of` does
        span = memo.get(s, "books_span", day, lambda: books_span(s, day))
    return render(
        request,
        "dashboard.html",
        span_notes=span.notes,
        user=user,
        as_of=day,
        empty=False,
        company=company,
        fc=fc,
        chart=forecast_svg(fc) if fc is not None else None,
        risky=risky,
        anomalies=found.anomalies if found else [],
        anomalies_from=found.date_from if found else None,
        kind_labels={k: v.label_fr.capitalize() for k, v in KINDS.items()},
        report=report,
        report_week=report_week(report),
        names=names,
        errors=errors,
    )


def latest_report(session, day: date) -> Report | None:
    """The report the dashboard shows: the latest one made as of ``day`` or before — by the
    day it covers, then by when it was made (a report rebuilt for an earlier day, after a
    later one, does not hide the later one)."""
    return session.scalars(
        select(Report)
        .where(Report.as_of <= day)
        .order_by(Report.as_of.desc(), Report.created_at.desc())
        .limit(1)
    ).first()


def report_week(report: Report | None) -> str:
    """« Semaine en cours, du … au … (elle se termine le …) » or « Semaine du … au … »: the
    week the stored report covers, as its commentary says it."""
    if report is None:
        return ""
    try:
        span = week_span(ReportFacts.model_validate(report.facts), "fr")
    except ValidationError:  # facts of an older shape: the stored days
        span = f"semaine du {report.week_start:%d/%m/%Y} au {report.week_end:%d/%m/%Y}"
    return span[0].upper() + span[1:]


def what_if_specs(q) -> list[str]:
    """The scenario texts a what-if form asks for (:mod:`khazna.tools.scenarios`): each group
    of fields filled in gives one; the free field adds one per line."""
    f = {k: (q.get(k) or "").strip() for k in q.keys()}
    specs = []
    if f.get("recurring_amount"):
        spec = f"recurring:{f['recurring_amount']}/{f.get('recurring_every') or 'month'}"
        if f.get("recurring_start"):
            spec += f":{f['recurring_start']}"
        specs.append(spec + (f":{f['recurring_label']}" if f.get("recurring_label") else ""))
    if f.get("once_amount") or f.get("once_date"):
        spec = f"once:{f.get('once_date', '')}:{f.get('once_amount', '')}"
        specs.append(spec + (f":{f['once_label']}" if f.get("once_label") else ""))
    if f.get("delay_client") and f.get("delay_days"):
        specs.append(f"delay:{f['delay_client']}:{f['delay_days']}d")
    if f.get("place_amount"):
        specs.append(f"place:{f['place_amount']}:{f.get('place_days') or '90'}d")
    specs += [line.strip() for line in f.get("specs", "").splitlines() if line.strip()]
    return specs[:10]


@router.get("/dashboard/what-if", response_class=HTMLResponse)
def what_if_page(request: Request, user: CurrentUser, as_of: str | None = None):
    """The what-if form and, when it was filled, the base against the scenario (read-only:
    nothing is recorded, so a GET)."""
    day = _as_of(as_of)
    specs = what_if_specs(request.query_params)
    wi, error = None, ""
    with ledger_of(request).read() as s:
        clients = s.execute(select(Client.client_id, Client.name).order_by(Client.client_id)).all()
        if specs:
            try:
                wi = run_what_if(s, day, specs)
            except (ScenarioError, ForecastError) as err:
                error = str(err)
    return render(
        request,
        "what_if.html",
        status_code=400 if error else 200,
        user=user,
        as_of=day,
        q=request.query_params,
        clients=clients,
        specs=specs,
        grammar=GRAMMAR,
        error=error,
        wi=wi,
        base=outcome(wi.base) if wi else None,
        new=outcome(wi.scenario) if wi else None,
        chart=what_if_svg(wi.base, wi.scenario) if wi else None,
    )


@router.get("/questions", response_class=HTMLResponse)
def questions_form(request: Request, user: CurrentUser):
    return render(
        request,
        "questions.html",
        user=user,
        question="",
        as_of=date.today(),
        answer=None,
        error="",
    )


@router.post("/questions", response_class=HTMLResponse)
def ask(
    request: Request,
    user: CurrentUser,
    _csrf: Csrf,
    question: str = Form(""),
    as_of: str = Form(""),
):
    day = _as_of(as_of or None)
    question = question.strip()[:2000]
    answer, error, links, end = None, "", {}, None
    if not question:
        error = "Posez une question."
    else:
        with ledger_of(request).read() as s:
            try:
                answer = answer_question(s, question, day, model=request.app.state.model)
            except Exception as err:  # noqa: BLE001 - shown to the user, logged in full
                log.exception("assistant failed on %r", question)
                error = f"L'assistant a échoué : {type(err).__name__}: {err}"
            if answer is not None:
                end = books_end(s, day)
                ids = [str(i) for i in (getattr(answer, "items", None) or [])]
                invoices = set(s.scalars(select(Invoice.number).where(Invoice.number.in_(ids))))
                clients = set(s.scalars(select(Client.client_id).where(Client.client_id.in_(ids))))
                for i in ids:
                    if i in invoices:
                        links[i] = f"/invoices/{quote(i, safe='')}"
                    elif i in clients:
                        links[i] = f"/clients/{quote(i, safe='')}"
    return render(
        request,
        "questions.html",
        user=user,
        question=question,
        as_of=day,
        answer=answer,
        links=links,
        error=error,
        books_note=end.note if end is not None else "",
    )


@router.get("/invoices/{number:path}", response_class=HTMLResponse)
def invoice_page(request: Request, user: CurrentUser, number: str, as_of: str | None = None):
    day = _as_of(as_of)
    with ledger_of(request).read() as s:
        inv = s.get(Invoice, number)
        if inv is None:
            raise HTTPException(404, f"pas de facture {number!r}")
        client = s.get(Client, inv.client_id)
        lines = s.scalars(
            select(InvoiceLine).where(InvoiceLine.number == number).order_by(InvoiceLine.position)
        ).all()
        payments = s.execute(
            select(Payment, Allocation.amount)
            .join(Allocation, Allocation.payment_id == Payment.payment_id)
            .where(Allocation.invoice_number == number)
            .order_by(Payment.date)
        ).all()
        credits = s.scalars(select(Invoice).where(Invoice.credited_invoice == number)).all()
        still_open = {o.number: o for o in open_invoices(s, day, inv.client_id)}
    return render(
        request,
        "invoice.html",
        user=user,
        inv=inv,
        client=client,
        lines=lines,
        payments=payments,
        credits=credits,
        open_item=still_open.get(number),
        as_of=day,
    )


@router.get("/clients/{client_id:path}", response_class=HTMLResponse)
def client_page(request: Request, user: CurrentUser, client_id: str):
    day = date.today()
    with ledger_of(request).read() as s:
        client = s.get(Client, client_id)
        if client is None:
            raise HTTPException(404, f"pas de client {client_id!r}")
        items = open_invoices(s, day, client_id)
    return render(
        request,
        "client.html",
        user=user,
        client=client,
        items=items,
        as_of=day,
        civilities=CIVILITIES,
        addressed=civility_of(client.civility, client.name),
    )


CIVILITIES = {"": "non précisée", "f": "Madame", "m": "Monsieur", "s": "raison sociale"}


@router.post("/clients/{client_id:path}/civility")
def client_civility_form(
    request: Request, user: Owner, _csrf: Csrf, client_id: str, civility: str = Form("")
):
    """The owner says how letters address this client: Madame, Monsieur, or as a company
    (raison sociale: « Madame, Monsieur, »); « non précisée » reads the title of the name."""
    if civility not in CIVILITIES:
        flash(request, "error", f"civilité inconnue : {civility!r}")
        return RedirectResponse(f"/clients/{quote(client_id, safe='')}", status_code=303)
    with ledger_of(request).session() as s:
        client = s.get(Client, client_id)
        if client is None:
            raise HTTPException(404, f"pas de client {client_id!r}")
        client.civility = civility
    flash(request, "ok", f"Civilité de {client_id} : {CIVILITIES[civility]}.")
    return RedirectResponse(f"/clients/{quote(client_id, safe='')}", status_code=303)


@router.post("/clients/{client_id:path}/channel")
def client_channel_form(
    request: Request, user: Owner, _csrf: Csrf, client_id: str, channel: str = Form("")
):
    """The owner sets where this client's reminders go (email, WhatsApp, SMS)."""
    try:
        with ledger_of(request).session() as s:
            set_client_channel(s, client_id, channel)
    except ChannelError as err:
        flash(request, "error", str(err))
    else:
        flash(request, "ok", f"Les relances de {client_id} partiront par {channel}.")
    return RedirectResponse(f"/clients/{quote(client_id, safe='')}", status_code=303)


@router.get("/exports", response_class=HTMLResponse)
def exports(request: Request, user: CurrentUser):
    today = date.today()
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return render(
        request,
        "exports.html",
        user=user,
        date_from=last_month_end.replace(day=1),
        date_to=last_month_end,
    )


@router.get("/exports/journal")
def export_journal(
    request: Request,
    user: CurrentUser,
    date_from: str = "",
    date_to: str = "",
    fmt: str = "csv",
):
    """The period's journal in SCF accounts (khazna.tools.accounting), as CSV or XLSX."""

    lo, hi = _as_of(date_from or None), _as_of(date_to or None)
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, f"format {fmt!r} : csv ou xlsx")
    try:
        with ledger_of(request).read() as s:
            entries = journal(s, lo, hi)
            data = to_csv(entries) if fmt == "csv" else to_xlsx(entries, accounts(s))
    except AccountingError as err:
        raise HTTPException(409, str(err)) from None
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    name = f"journal-{lo}-{hi}.{fmt}"
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/exports/bundle.zip")
def export_zip(request: Request, user: CurrentUser):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "khazna-bundle"
        try:
            export_bundle(ledger_of(request), root)
        except BundleError as err:
            raise HTTPException(409, str(err)) from None
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(root.parent).as_posix())
    name = f"khazna-bundle-{date.today():%Y%m%d}.zip"
    return Response(
        buf.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
