"""The owner's approval queue, shared by ``khazna inbox`` and the web inbox.

Decisions resume the draft's approval thread; nothing is sent except through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

from langgraph.types import Command
from pydantic import BaseModel, ValidationError
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from khazna.agents.approval.graph import build_approval_graph, new_thread_id, thread_config
from khazna.agents.approval.sending import deliver_now
from khazna.agents.approval.state import Decision
from khazna.agents.channels import (
    MANUAL_NOTE,
    ChannelError,
    click_to_chat,
    client_phone,
    draft_channel,
    mark_sent_by_hand,
    set_draft_channel,
    whatsapp_template,
    whatsapp_window_open,
)
from khazna.agents.checkpoint import open_checkpointer
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.facts import DunningFacts, to_check_facts
from khazna.agents.dunning.model_writer import parse_sections
from khazna.agents.factcheck import Facts, Problem, check_text
from khazna.calendar_dz import algiers_time
from khazna.labels import draft_status
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.mail.outbox import MailState, delivery_phrase, mail_states, outbox_file
from khazna.money import MoneyError, format_dzd, parse_amount
from khazna.tools.client_state import claim_note, client_states
from khazna.tools.invoice_check.identifiers import rib_valid


class InboxError(Exception):
    """A decision that cannot be taken (unknown draft, already decided...)."""


EditField = Literal["subject", "short", "detailed"]
FIELD_LABELS: dict[str, str] = {
    "subject": "objet",
    "short": "version courte",
    "detailed": "version détaillée",
}


class EditCheck(BaseModel):
    """One mismatch between an owner's edited text and the draft's facts."""

    field: EditField
    kind: str  # a khazna.agents.factcheck ProblemKind
    found: str
    message: str  # French, for the owner


class EditCheckError(InboxError):
    """An edited text states something the draft's facts do not (nothing was sent)."""

    def __init__(self, draft_id: str, problems: list[EditCheck]) -> None:
        super().__init__(
            f"le texte modifié de {draft_id} ne concorde pas avec les faits de la relance : "
            + " ; ".join(p.message for p in problems)
        )
        self.draft_id = draft_id
        self.problems = problems


class DraftView(BaseModel):
    """``inbox show --json`` (spec/cli.md), plus what the web inbox shows."""

    draft_id: str
    client_id: str
    level: int
    status: DraftStatus
    to: list[str]
    cc: list[str]
    language: str
    subject: str
    short: str
    detailed: str
    invoice_numbers: list[str]
    attachments: list[str]
    facts: dict
    citations: list = []
    # what the owner must weigh before deciding: a client's promise or dispute read from an
    # email that may not pause reminders by itself ("... — à confirmer")
    notes: list[str] = []
    # invoices of the letter the invoice checker finds wrong (error level): "F2026-0288 : le
    # montant en lettres ne correspond pas au total — à corriger avant de relancer ?"
    warnings: list[dict] = []
    # the letter asks to be paid on the company's RIB: when the invoice checker's key check
    # finds that RIB invalid, said to the owner above the text, in the list, and asked again
    # before sending (never sent silently)
    rib_warning: str = ""
    # the same findings in the shape of spec/cli.md (``checks``: invoice, code, message)
    checks: list[dict] = []
    total: Decimal
    max_days_late: int
    as_of: date
    writer: str
    writer_note: str
    edited: bool
    decision_note: str
    message_id: str
    decided_by: str = ""
    decided_at: datetime | None = None
    # how the reminder left, from the outbox: "smtp" (handed to a mail server), "file" (an
    # .eml written in the local outbox: nothing was sent), None (not handed to a transport)
    delivery: Literal["smtp", "file", "whatsapp", "sms"] | None = None
    outbox_file: str = ""
    mail_state: str | None = None
    delivery_note: str = ""  # the same, in French, for the owner
    # where it goes: "email", "whatsapp", "sms" (the draft's override, else the client's)
    channel: str = "email"
    # the client's number in international form, when the channel is WhatsApp or SMS (the
    # message goes there, not to ``to``)
    phone: str = ""
    # an approved WhatsApp draft without the API: the click-to-chat link with the approved
    # short text; once the owner sent it himself, ``sent_by_hand`` (never "delivered")
    wa_link: str = ""
    sent_by_hand: bool = False
    # on WhatsApp outside the 24-hour window: the approved template the API will send
    # instead of the short text (its filled body), "" otherwise
    wa_template: str = ""


def reminder_key(draft_id: str) -> str:
    return f"reminder:{draft_id}"


def _mail_of(session: Session, draft_ids: Iterable[str]) -> dict[str, MailState]:
    states = mail_states(session, [reminder_key(i) for i in draft_ids])
    return {key.removeprefix("reminder:"): st for key, st in states.items()}


def view(
    d: Draft,
    mail: MailState | None = None,
    session: Session | None = None,
    *,
    whatsapp_api: bool = True,
) -> DraftView:
    """The draft as shown; ``mail``, its outbox row, tells how it was delivered; with the
    ``session``, its channel (the client's unless overridden) and click-to-chat link.
    ``whatsapp_api``: the Cloud API is configured — only then does the 24-hour window
    matter (the owner's own wa.me link is not subject to it), and the template is shown."""
    extra: dict = {}
    if session is not None:
        extra["channel"] = draft_channel(session, d)
        if extra["channel"] in ("whatsapp", "sms"):
            extra["phone"] = client_phone(session, d.client_id)
        extra["wa_link"] = click_to_chat(session, d)
        if (
            whatsapp_api
            and extra["channel"] == "whatsapp"
            and not whatsapp_window_open(session, d.client_id)
        ):
            extra["wa_template"] = whatsapp_template(d).text
    extra["sent_by_hand"] = MANUAL_NOTE in (d.decision_note or "")
    if extra["sent_by_hand"] and mail is None:
        extra["delivery_note"] = f"{MANUAL_NOTE} (non confirmée comme remise)"
    if mail is not None:
        extra |= {
            "delivery": mail.delivery,
            "outbox_file": outbox_file(mail.via, mail.message_id) if mail.state == "sent" else "",
            "mail_state": mail.state,
            "delivery_note": delivery_phrase(mail.state, mail.via, mail.message_id),
        }
    return DraftView(
        draft_id=d.draft_id,
        client_id=d.client_id,
        level=d.level,
        status=d.status,
        to=list(d.to_addrs),
        cc=list(d.cc_addrs),
        language=d.language,
        subject=d.subject,
        short=d.short,
        detailed=d.detailed,
        invoice_numbers=list(d.invoice_numbers),
        attachments=list(d.attachments),
        facts=dict(d.facts),
        citations=[c for c in d.citations if c.get("kind") != "checker"],
        notes=_claim_notes(d, session),
        warnings=[
            {"number": c["number"], "code": c["code"], "note": c["note"]}
            for c in d.citations
            if c.get("kind") == "checker"
        ],
        rib_warning=rib_warning(str(d.facts.get("rib") or "")),
        checks=[
            {"invoice": c["number"], "code": c["code"], "message": c.get("message") or c["note"]}
            for c in d.citations
            if c.get("kind") == "checker"
        ],
        total=d.total,
        max_days_late=d.max_days_late,
        as_of=d.as_of,
        writer=d.writer,
        writer_note=d.writer_note,
        edited=d.edited,
        decision_note=d.decision_note,
        message_id=d.message_id,
        decided_by=d.decided_by,
        decided_at=d.decided_at,
        **extra,
    )


def _claim_notes(d: Draft, session: Session | None) -> list[str]:
    """The unconfirmed promises and disputes the owner must weigh: those the draft was
    written with, and, while it waits for a decision, those read since (a forged « nous
    paierons le 30/12 » arriving after the draft is shown on it too, and pauses nothing)."""
    stored = [c for c in d.citations if c.get("kind") == "claim" and c.get("note")]
    notes = [c["note"] for c in stored]
    if session is None or d.status not in (DraftStatus.PENDING_APPROVAL, DraftStatus.FAILED):
        return notes
    seen = {c.get("id") for c in stored}
    until = max(d.as_of, algiers_time(datetime.now(UTC)).date())  # replies dated since
    state = client_states(session, until, d.client_id).get(d.client_id)
    if state is not None:
        for claim in state.open_claims(list(d.invoice_numbers), d.as_of):
            if claim.interaction_id not in seen:
                notes.append(claim_note(claim))
    return notes


def views(session: Session, drafts: list[Draft], *, whatsapp_api: bool = True) -> list[DraftView]:
    """:func:`view` for many drafts, their outbox rows read in one query."""
    mail = _mail_of(session, [d.draft_id for d in drafts])
    return [view(d, mail.get(d.draft_id), session, whatsapp_api=whatsapp_api) for d in drafts]


def _has_whatsapp_api(deps: AgentDeps) -> bool:
    return deps.channel_transport("whatsapp") is not None


def urgency_order():
    """Most urgent first: level, then amount, then days late."""
    return (Draft.level.desc(), Draft.total.desc(), Draft.max_days_late.desc(), Draft.draft_id)


def list_drafts(
    deps: AgentDeps,
    statuses: tuple[DraftStatus, ...] = (DraftStatus.PENDING_APPROVAL,),
    limit: int | None = None,
    offset: int = 0,
) -> list[DraftView]:
    """Drafts in ``statuses`` (all when empty), pending first then most urgent first;
    ``limit``/``offset`` page through them (the web inbox shows 50 at a time)."""
    with deps.ledger.read() as s:
        # Page through the ids first (a narrow sort), then load only those drafts: a deep
        # page of a long queue does not drag every draft's text through the sort.
        q = select(Draft.draft_id)
        if len(statuses) != 1:  # with one status the pending-first key is constant
            q = q.order_by(case((Draft.status == DraftStatus.PENDING_APPROVAL, 0), else_=1))
        q = q.order_by(*urgency_order())
        if statuses:
            q = q.where(Draft.status.in_(statuses))
        if limit:
            q = q.limit(limit)
        if offset:
            q = q.offset(offset)
        ids = list(s.scalars(q))
        if not ids:
            return []
        by_id = {d.draft_id: d for d in s.scalars(select(Draft).where(Draft.draft_id.in_(ids)))}
        return views(s, [by_id[i] for i in ids], whatsapp_api=_has_whatsapp_api(deps))


def count_drafts(
    deps: AgentDeps, statuses: tuple[DraftStatus, ...] = (DraftStatus.PENDING_APPROVAL,)
) -> int:
    with deps.ledger.read() as s:
        q = select(func.count()).select_from(Draft)
        if statuses:
            q = q.where(Draft.status.in_(statuses))
        return s.scalar(q) or 0


_SHORT_REF = re.compile(r"^(?P<client>.+?)(?:-L(?P<level>[1-3]))?$")


def resolve_draft_id(deps: AgentDeps, ref: str) -> str:
    """A draft id as typed: the id itself (``D20261207-C04-L3``), or the same without its day
    (``C04-L3``) or a client id alone (``C04``) for that client's newest draft (a pending one
    first) — so a command copied from the README works whatever day the demo was built."""
    with deps.ledger.read() as s:
        if s.get(Draft, ref) is not None:
            return ref
        m = _SHORT_REF.match(ref.strip())
        if m is None:
            return ref
        q = select(Draft.draft_id).where(Draft.client_id == m["client"])
        if m["level"]:
            q = q.where(Draft.level == int(m["level"]))
        pending_first = case((Draft.status == DraftStatus.PENDING_APPROVAL, 0), else_=1)
        found = s.scalar(q.order_by(pending_first, Draft.as_of.desc(), Draft.draft_id.desc()))
        return found or ref


def rib_warning(rib: str) -> str:
    """The owner's warning when the RIB the letter asks to be paid on fails its key check
    (``tools/invoice_check/identifiers.py``); "" when it passes or there is none."""
    if not rib or rib_valid(rib):
        return ""
    return (
        f"RIB de l'entreprise « {rib} » invalide (clé de contrôle) : la lettre demande d'y "
        "payer — à corriger dans company.json avant d'envoyer ?"
    )


def needs_confirmation(d: DraftView) -> bool:
    """A formal notice (level 3) about to leave asks the owner once more, on the web (a
    second page) and in the CLI (a question, or ``--yes``): it is a formal act. So does a
    letter asking to be paid on an invalid RIB."""
    return (d.level >= 3 or bool(d.rib_warning)) and d.status in (
        DraftStatus.PENDING_APPROVAL,
        DraftStatus.FAILED,
    )


def confirmation_question(d: DraftView) -> str:
    """« Envoyer la mise en demeure à Sonatel SPA (compta@sonatel.example.dz) ? »"""
    name = d.facts.get("client_name") or d.client_id
    to = ", ".join(d.to) or "— (pas d'adresse email)"
    what = "la mise en demeure" if d.level >= 3 else "la relance"
    return f"Envoyer {what} à {name} ({to}) ?"


def confirmation_detail(d: DraftView) -> str:
    """What the formal notice commits the company to, said under the question (and the
    invalid RIB, when the letter asks to be paid on one)."""
    if d.rib_warning:
        rest = _notice_detail(d) if d.level >= 3 else "Elle part dès que vous confirmez."
        return f"{d.rib_warning}\n{rest}"
    return _notice_detail(d)


def _notice_detail(d: DraftView) -> str:
    deadline = d.facts.get("deadline")
    if deadline:
        try:
            day = date.fromisoformat(str(deadline)[:10]).strftime("%d/%m/%Y")
        except ValueError:
            day = str(deadline)
        return (
            f"Une mise en demeure est un acte formel : elle fixe un délai au {day} avant "
            "poursuites. Elle part dès que vous confirmez."
        )
    return (
        "Une mise en demeure est un acte formel : elle annonce des poursuites. "
        "Elle part dès que vous confirmez."
    )


def get_draft(deps: AgentDeps, draft_id: str) -> DraftView:
    with deps.ledger.read() as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise InboxError(f"aucune relance {draft_id!r} (voir khazna inbox list)")
        mail = _mail_of(s, [draft_id]).get(draft_id)
        return view(d, mail, s, whatsapp_api=_has_whatsapp_api(deps))


def start_thread(deps: AgentDeps, draft_id: str) -> None:
    """Start the draft's approval thread; it runs until it waits for the owner."""
    with approval_threads(deps) as start:
        start(draft_id)


@contextmanager
def approval_threads(deps: AgentDeps) -> Iterator[Callable[..., None]]:
    """``start(draft_id, thread_id=None)`` for many drafts on one checkpointer and one
    compiled approval graph (a run's dunning writer starts thousands of threads: compiling
    the graph and opening the checkpoints for each was half of its time). Every thread still
    runs to its ``interrupt()`` and its checkpoint is committed before ``start`` returns."""
    with open_checkpointer(deps.ledger.url) as saver:
        graph = build_approval_graph(saver)

        def start(draft_id: str, thread_id: str | None = None) -> None:
            cfg = (
                {"configurable": {"thread_id": thread_id, "deps": deps}}
                if thread_id
                else thread_config(draft_id, deps)
            )
            if graph.get_state(cfg).values:
                return  # already started
            graph.invoke({"draft_id": draft_id}, cfg)

        yield start


def decide(deps: AgentDeps, draft_id: str, decision: Decision) -> DraftView:
    """Resume the draft's thread with the owner's decision (approve / edit / reject)."""
    current = get_draft(deps, draft_id)
    if current.status == DraftStatus.FAILED:
        if decision.action == "reject":
            _reject_failed(deps, draft_id, decision)
            return get_draft(deps, draft_id)
        _reopen_failed(deps, draft_id)  # retry: a fresh thread, decided like a new draft
        current = get_draft(deps, draft_id)
    if current.status != DraftStatus.PENDING_APPROVAL:
        if current.status == DraftStatus.APPROVED and decision.action != "reject":
            _finish(deps, draft_id)  # a send interrupted by a crash: finish it, once
            return get_draft(deps, draft_id)
        raise InboxError(
            f"la relance {draft_id} est déjà "
            f"{draft_status(current.status, current.delivery, current.sent_by_hand)} : "
            "rien à décider"
        )
    if decision.action == "edit" and not (decision.short or decision.detailed or decision.subject):
        raise InboxError(
            "une modification demande un nouvel objet, une version courte ou détaillée"
        )
    if decision.action == "edit":
        problems = check_edit(
            current, subject=decision.subject, short=decision.short, detailed=decision.detailed
        )
        if problems and not decision.force:
            raise EditCheckError(draft_id, problems)
        decision = decision.model_copy(update={"overridden": [p.message for p in problems]})
    with open_checkpointer(deps.ledger.url) as saver:
        graph = build_approval_graph(saver)
        cfg = thread_config(draft_id, deps)
        snapshot = graph.get_state(cfg)
        if not snapshot.values:
            graph.invoke({"draft_id": draft_id}, cfg)
            snapshot = graph.get_state(cfg)
        if not snapshot.interrupts:
            raise InboxError(f"la relance {draft_id} n'attend pas de décision")
        graph.invoke(Command(resume=decision.model_dump()), cfg)
    return get_draft(deps, draft_id)


def _reject_failed(deps: AgentDeps, draft_id: str, decision: Decision) -> None:
    with deps.ledger.session() as s:
        d = s.get(Draft, draft_id)
        if d is not None and d.status == DraftStatus.FAILED:
            d.status = DraftStatus.REJECTED
            d.decided_by = decision.by
            d.decided_at = datetime.now(UTC).replace(tzinfo=None)
            d.decision_note = (
                d.decision_note + f"; rejected after failure: {decision.reason}"
            ).strip("; ")


def _reopen_failed(deps: AgentDeps, draft_id: str) -> None:
    """A failed draft retried: back to pending on a new approval thread (the failed one is
    finished). The outbox idempotency key still forbids a second email if one left."""
    with deps.ledger.session() as s:
        d = s.get(Draft, draft_id)
        if d is None or d.status != DraftStatus.FAILED:
            return
        d.status = DraftStatus.PENDING_APPROVAL
        d.thread_id = new_thread_id(draft_id)
    start_thread(deps, draft_id)


def _finish(deps: AgentDeps, draft_id: str) -> None:
    with open_checkpointer(deps.ledger.url) as saver:
        graph = build_approval_graph(saver)
        cfg = thread_config(draft_id, deps)
        if graph.get_state(cfg).next:
            graph.invoke(None, cfg)
            return

    deliver_now(deps, draft_id)


# --- the owner's edit, checked like a model's text ---------------------------------------


def check_facts(d: DraftView) -> Facts:
    """What the draft's text may state: the facts it was written from (the dunning facts,
    in the fact checker's shape); for a draft without them, its total, invoices and
    recipients."""
    try:
        return to_check_facts(DunningFacts.model_validate(d.facts))
    except ValidationError:
        return Facts(
            amounts={"total": d.total},
            ids={"invoices": list(d.invoice_numbers)},
            emails={"to": list(d.to) + list(d.cc)},
        )


def _french(p: Problem, facts: Facts) -> str:
    """The fact checker's problem, said to the owner with what the facts hold instead."""
    found = f"« {p.found} »"
    if p.kind == "unknown_amount":
        number = re.sub(r"\s*(?:DA|DZD|dinars?|دج|د\.ج\.?|دينارا?)$", "", p.found, flags=re.I)
        try:
            found = f"« {format_dzd(parse_amount(number))} »"  # the house format, as the facts
        except MoneyError:
            pass
        known = list(dict.fromkeys(format_dzd(v) for v in facts.values("amounts")))
        return f"{found} : montant absent des faits de la relance (montants connus : {', '.join(known[:6])})"
    if p.kind == "unknown_date":
        known = sorted(set(facts.values("dates")))
        shown = ", ".join(f"{v:%d/%m/%Y}" for v in known[:6])
        return f"{found} : date absente des faits de la relance (dates connues : {shown})"
    if p.kind == "unknown_invoice":
        return (
            f"{found} : facture qui n'est pas dans cette relance "
            f"(factures : {', '.join(map(str, facts.values('ids', 'invoices')))})"
        )
    if p.kind == "unknown_email":
        known = [str(v) for v in facts.values("emails") if v]
        return (
            f"{found} : adresse qui n'est pas celle du client ni de la société ({', '.join(known)})"
        )
    if p.kind == "unknown_number":
        return f"{found} : nombre absent des faits de la relance (jours de retard, délai, articles)"
    if p.kind == "unknown_rate":
        return f"{found} : pourcentage absent des faits de la relance"
    if p.kind == "empty_text":
        return "le texte est vide"
    return f"{found} : {p.message}"


def check_edit(
    d: DraftView,
    *,
    subject: str | None = None,
    short: str | None = None,
    detailed: str | None = None,
) -> list[EditCheck]:
    """The owner's edited texts (the fields given) against the draft's facts, with the
    model writers' fact checker (:func:`khazna.agents.factcheck.check_text`): every amount,
    date, number, percentage, invoice number and e-mail address must be one of the facts.
    Required facts are not demanded: an owner may write a shorter text (the invoices are
    attached); what the text states must be true."""
    facts = check_facts(d)
    out: list[EditCheck] = []
    for field, text in (("subject", subject), ("short", short), ("detailed", detailed)):
        if text is None:
            continue
        for p in check_text(text, facts):
            label = FIELD_LABELS[field]
            out.append(
                EditCheck(
                    field=field,  # type: ignore[arg-type]
                    kind=p.kind,
                    found=p.found,
                    message=f"{label} : {_french(p, facts)}",
                )
            )
    return out


EDIT_MARKERS = ("OBJET:", "---COURT---", "---DÉTAILLÉ---")


def editable_text(d: DraftView) -> str:
    """The draft's current text in the form ``inbox edit`` opens in ``$EDITOR``."""
    head = (
        f"# Relance {d.draft_id} (niveau {d.level}) à {', '.join(d.to) or '(pas d’email)'}.\n"
        "# Modifiez l'objet et les textes, enregistrez et quittez : la version choisie\n"
        "# (--version, détaillée par défaut) est ENVOYÉE après le contrôle des faits.\n"
        "# Un fichier inchangé ou vidé n'envoie rien. Les lignes en # sont ignorées.\n"
    )
    return (
        f"{head}OBJET: {d.subject}\n---COURT---\n{d.short.strip()}\n"
        f"---DÉTAILLÉ---\n{d.detailed.strip()}\n"
    )


def parse_editable(text: str) -> tuple[str, str, str] | None:
    """(subject, short, detailed) from an edited :func:`editable_text`; None when the
    sections cannot be found (a marker deleted)."""
    kept = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    parsed = parse_sections(kept)
    if parsed is None:
        return None
    return parsed.subject, parsed.short, parsed.detailed


# --- channels ------------------------------------------------------------------------------


def set_channel(deps: AgentDeps, draft_id: str, channel: str) -> DraftView:
    """The owner's per-draft channel (``''``: back to the client's), before approval."""
    try:
        with deps.ledger.session() as s:
            set_draft_channel(s, draft_id, channel)
    except ChannelError as err:
        raise InboxError(str(err)) from None
    return get_draft(deps, draft_id)


def mark_sent(deps: AgentDeps, draft_id: str, by: str = "owner") -> DraftView:
    """An approved draft the owner sent himself (wa.me link): « marquée envoyée à la main »."""
    try:
        with deps.ledger.session() as s:
            mark_sent_by_hand(s, draft_id, by)
    except ChannelError as err:
        raise InboxError(str(err)) from None
    return get_draft(deps, draft_id)
