"""Alerts that cannot wait for Thursday's report: the owner is emailed at once when

- the 30-day cash forecast turns to ``tension`` (a projected negative balance) while it was
  not in tension at the previous check, or
- a duplicate payment is found whose refs were never alerted before, or
- a client's reply could not be read and was put in quarantine (once per message: the
  quarantine folder remembers it, and the key ``alert:quarantine:<sha256>`` is mailed once), or
- money placed on a term deposit (``khazna placement add``) will be needed before its term:
  the forecast up to its maturity goes below the threshold ("rapatrier", once per placement,
  key ``alert:repatriate:<placement_id>``).

What was already alerted is kept in the ``settings`` table (key ``alerts_state``), so a
forecast that stays in tension day after day alerts once; the outbox idempotency keys
(``alert:tension:<as_of>``, ``alert:duplicate:<refs>``) keep a re-run of the same day from
mailing twice. No approval is needed: these mails go to the company's own owner.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from khazna.agents.deps import AgentDeps
from khazna.config import owner_email
from khazna.ledger.models import Company, Setting
from khazna.mail.message import build_message, sender_address
from khazna.mail.outbox import delivery_phrase, enqueue, send_queued
from khazna.money import format_dzd
from khazna.tools.anomalies import AnomaliesInput
from khazna.tools.forecast import ForecastError
from khazna.tools.placement import NeededBack, needed_back
from khazna.tools.stored import anomalies_of, forecast_of

log = logging.getLogger(__name__)

STATE_KEY = "alerts_state"
DUPLICATE_LOOKBACK_DAYS = 30


class Alert(BaseModel):
    """One alert event, and what became of its email."""

    kind: Literal["tension", "duplicate", "reply_quarantined", "repatriate"]
    key: str = Field(description="The outbox idempotency key: one email per key, ever.")
    subject: str
    text: str
    refs: list[str] = Field(default_factory=list, description="Expense or bank line ids concerned.")
    amount: Decimal = Field(description="Minimum projected balance, or the duplicated amount.")
    date: date
    sent_to: list[str] = Field(default_factory=list)
    mail_state: str = Field("", description="sent, pending, failed ... ('' when no owner email).")
    delivery: str | None = Field(
        None, description="smtp, or file (an .eml in the local outbox: not sent); None if unsent"
    )
    delivery_note: str = Field("", description="What became of the email, in French.")


def _load_state(session: Session) -> dict:
    row = session.get(Setting, STATE_KEY)
    return dict(row.value or {}) if row else {}


def _save_state(session: Session, state: dict) -> None:
    # A new dict each time: the JSON column does not track in-place changes.
    session.merge(Setting(key=STATE_KEY, value=dict(state)))


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def tension_alert(fc, as_of: date) -> Alert:
    first = next((d for d in fc.days if d.status == "tension"), None)
    first_day = first.date if first else fc.min_balance_date
    text = (
        "Bonjour,\n\n"
        f"La prévision de trésorerie à {fc.horizon_days} jours, calculée le {_d(as_of)}, "
        "passe en TENSION : le solde projeté devient négatif.\n\n"
        f"- Position de trésorerie au {_d(as_of)} : {format_dzd(fc.opening_balance)}\n"
        f"- Premier jour en négatif : {_d(first_day)}"
        + (f" (solde projeté {format_dzd(first.balance)})" if first else "")
        + "\n"
        f"- Solde minimum projeté : {format_dzd(fc.min_balance)} le {_d(fc.min_balance_date)}\n"
        f"- Seuil de sécurité : {format_dzd(fc.threshold)}\n\n"
        "Que faire, avant le " + _d(first_day) + " :\n"
        "1. Relancer dès maintenant les factures échues (khazna inbox list pour approuver les relances).\n"
        "2. Décaler les dépenses qui peuvent l'être (fournisseurs, achats non urgents).\n"
        "3. Demander à la banque une facilité de caisse ou un découvert pour couvrir "
        f"{format_dzd(-fc.min_balance)}.\n"
        f"4. Voir le détail des flux prévus : khazna forecast --as-of {as_of.isoformat()} --explain\n\n"
        "Cette alerte n'est envoyée qu'une fois, le jour où la prévision bascule en tension.\n"
    )
    return Alert(
        kind="tension",
        key=f"alert:tension:{as_of.isoformat()}",
        subject=f"ALERTE trésorerie : solde négatif prévu le {_d(first_day)} "
        f"({format_dzd(fc.min_balance)} au plus bas)",
        text=text,
        amount=fc.min_balance,
        date=as_of,
    )


def duplicate_alert(anomaly) -> Alert:
    refs = sorted(anomaly.refs)
    text = (
        "Bonjour,\n\n"
        "Un paiement en double possible vient d'être trouvé :\n\n"
        f"- Bénéficiaire : {anomaly.payee or '(inconnu)'}\n"
        f"- Montant : {format_dzd(anomaly.amount)} (payé deux fois)\n"
        f"- Pièces : {', '.join(refs)}\n"
        f"- Dernier paiement le {_d(anomaly.date)}\n"
        f"- Détail : {anomaly.reason}\n\n"
        "Que faire :\n"
        "1. Vérifier les deux paiements sur le relevé bancaire et avec le fournisseur.\n"
        f"2. Si c'est un doublon, demander au fournisseur le remboursement ou un avoir de "
        f"{format_dzd(anomaly.amount)}.\n"
        f"3. Si les deux paiements sont justifiés : khazna anomalies confirm {' '.join(refs[:2])}\n"
    )
    return Alert(
        kind="duplicate",
        key=f"alert:duplicate:{','.join(refs)}",
        subject=f"ALERTE paiement en double : {format_dzd(anomaly.amount)} à "
        f"{anomaly.payee or ', '.join(refs)}",
        text=text,
        refs=refs,
        amount=anomaly.amount,
        date=anomaly.date,
    )


def repatriate_alert(n: NeededBack, as_of: date) -> Alert:
    """A placement the forecast will need back before its term."""
    p = n.placement
    product = f" ({p.product_id})" if p.product_id else ""
    text = (
        "Bonjour,\n\n"
        f"La prévision de trésorerie calculée le {_d(as_of)} montre que l'argent placé sera "
        "nécessaire avant la fin du placement :\n\n"
        f"- Placement {p.placement_id}{product} : {format_dzd(p.amount)} depuis le "
        f"{_d(p.start)}, échéance le {_d(p.maturity)}\n"
        f"- Premier jour sous le seuil de sécurité : {_d(n.first_day)}\n"
        f"- Manque au plus bas : {format_dzd(n.shortfall)} le {_d(n.lowest_day)}\n\n"
        "Que faire, avant le " + _d(n.first_day) + " :\n"
        "1. Demander à la banque les conditions d'un retrait anticipé (rapatrier tout ou "
        f"partie, au moins {format_dzd(min(n.shortfall, p.amount))}).\n"
        "2. Ou relancer les factures échues et décaler les dépenses qui peuvent l'être.\n"
        f"3. Voir la prévision : khazna forecast --as-of {as_of.isoformat()} --days "
        f"{(p.maturity - as_of).days}\n\n"
        "Cette alerte n'est envoyée qu'une fois pour ce placement.\n"
    )
    return Alert(
        kind="repatriate",
        key=f"alert:repatriate:{p.placement_id}",
        subject=f"ALERTE placement {p.placement_id} : à rapatrier avant le {_d(n.first_day)} "
        f"({format_dzd(p.amount)} placés jusqu'au {_d(p.maturity)})",
        text=text,
        refs=[p.placement_id],
        amount=n.shortfall,
        date=as_of,
    )


def quarantine_alert(item: dict, as_of: date) -> Alert:
    """A reply set aside unread (``IngestReport.quarantined``, as a dict)."""
    text = (
        "Bonjour,\n\n"
        "Un message reçu dans les réponses des clients n'a pas pu être lu ; il a été mis de "
        "côté et le reste du passage a continué normalement.\n\n"
        f"- Origine : {item['source']}\n"
        f"- Raison : {item['reason']}\n"
        f"- Conservé dans : {item['file'] or '(non conservé)'}\n\n"
        "Que faire :\n"
        "1. L'ouvrir avec précaution (il peut être piégé), à côté du fichier .txt qui "
        "l'accompagne.\n"
        "2. S'il vient d'un client, lui demander de renvoyer sa réponse en texte simple.\n"
        "Vous ne recevrez cette alerte qu'une fois pour ce message.\n"
    )
    return Alert(
        kind="reply_quarantined",
        key=f"alert:quarantine:{item['sha256']}",
        subject="Khazna : un message reçu n'a pas pu être lu (mis en quarantaine)",
        text=text,
        refs=[item["sha256"][:16]],
        amount=Decimal("0"),
        date=as_of,
    )


def find_alerts(session: Session, as_of: date, state: dict) -> tuple[list[Alert], dict]:
    """The alert events of ``as_of`` given the previous ``state``, and the new state (pure on
    the ledger: nothing is written)."""

    alerts: list[Alert] = []
    new_state = dict(state)
    try:
        fc = forecast_of(session, as_of, 30)
    except ForecastError as err:  # no company yet, or a date before the books start
        log.info("no forecast alert on %s: %s", as_of, err)
        fc = None
    if fc is not None:
        if fc.status == "tension" and state.get("forecast_status") != "tension":
            alerts.append(tension_alert(fc, as_of))
        new_state["forecast_status"] = fc.status
    new_state["checked"] = as_of.isoformat()

    alerted = {tuple(r) for r in state.get("duplicates", [])}
    found = anomalies_of(
        session,
        AnomaliesInput(
            date_from=as_of - timedelta(days=DUPLICATE_LOOKBACK_DAYS),
            date_to=as_of,
            kinds=["duplicate_payment"],
        ),
    ).anomalies
    for a in found:
        refs = tuple(sorted(a.refs))
        if refs not in alerted:
            alerted.add(refs)
            alerts.append(duplicate_alert(a))
    new_state["duplicates"] = sorted(list(r) for r in alerted)

    told = set(state.get("repatriate", []))
    try:
        needed = needed_back(session, as_of)
    except ForecastError as err:
        log.info("no placement check on %s: %s", as_of, err)
        needed = []
    for n in needed:
        if n.placement.placement_id not in told:
            told.add(n.placement.placement_id)
            alerts.append(repatriate_alert(n, as_of))
    new_state["repatriate"] = sorted(told)
    new_state["recent"] = remember_recent(state.get("recent", []), alerts)
    return alerts, new_state


RECENT_KEPT = 20


def remember_recent(recent: list, alerts: Sequence[Alert]) -> list[dict]:
    """The latest alerts (kind, subject, day, key), newest first, for the web's banner: an
    alert is seen in the app even when no owner email took it."""
    keys = {a.key for a in alerts}
    fresh = [
        {"kind": a.kind, "key": a.key, "subject": a.subject, "date": a.date.isoformat()}
        for a in alerts
    ]
    return (fresh + [r for r in recent if r.get("key") not in keys])[:RECENT_KEPT]


def check_alerts(deps: AgentDeps, as_of: date, *, environ=None) -> list[Alert]:
    """Find today's alert events, email each one to ``KHAZNA_OWNER_EMAIL`` at once, and
    remember them. Without an owner email the alerts are returned (and logged) unsent."""
    owner = owner_email(environ)
    with deps.ledger.session() as s:
        alerts, new_state = find_alerts(s, as_of, _load_state(s))
        _enqueue(s, alerts, owner)
        _save_state(s, new_state)
    return _send(deps, alerts, owner)


def send_alerts(deps, alerts: Sequence[Alert], *, environ=None) -> list[Alert]:
    """Email each of ``alerts`` to ``KHAZNA_OWNER_EMAIL`` now, once per key ever (the outbox
    idempotency key); without an owner email they are logged and returned unsent."""
    owner = owner_email(environ)
    alerts = list(alerts)
    if alerts:
        with deps.ledger.session() as s:
            _enqueue(s, alerts, owner)
            state = _load_state(s)
            state["recent"] = remember_recent(state.get("recent", []), alerts)
            _save_state(s, state)
    return _send(deps, alerts, owner)


def _enqueue(s: Session, alerts: Sequence[Alert], owner: str) -> None:
    company = s.get(Company, 1)
    for alert in alerts:
        log.warning("alert %s: %s", alert.key, alert.subject)
        if not owner:
            continue
        msg = build_message(
            sender=sender_address(company),
            to=[owner],
            subject=alert.subject,
            text=alert.text,
            reply_to=(company.email or None) if company else None,
        )
        enqueue(s, msg, kind="alert", idempotency_key=alert.key, ref=",".join(alert.refs)[:120])


def _send(deps, alerts: list[Alert], owner: str) -> list[Alert]:
    if not alerts:
        return []
    if owner:
        states = send_queued(deps.ledger.session, deps.mail_transport(), [a.key for a in alerts])
        for alert in alerts:
            row = states.get(alert.key)
            if row is not None:
                alert.mail_state = row.state
                alert.sent_to = list(row.recipients) if row.state == "sent" else []
                alert.delivery = row.delivery if row.state == "sent" else None
                alert.delivery_note = delivery_phrase(row.state, row.via, row.message_id)
    return alerts
