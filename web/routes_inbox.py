"""The owner's inbox: pending drafts, one draft's page, and the approve / edit / reject forms.

Every decision goes through :func:`khazna.agents.inbox.decide`, which resumes the draft's
approval thread: the web app never sends anything itself.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from khazna.agents.approval.sending import draft_html, invoice_pdf
from khazna.agents.approval.state import Decision
from khazna.agents.dunning.leave_out import LeaveOutError, leave_out
from khazna.agents.inbox import (
    DraftView,
    EditCheck,
    InboxError,
    check_edit,
    confirmation_detail,
    confirmation_question,
    count_drafts,
    decide,
    get_draft,
    list_drafts,
    mark_sent,
    needs_confirmation,
    set_channel,
    views,
)
from khazna.filenames import safe_name, url_segment
from khazna.ledger.documents import PIECE_LABEL, piece_file_name
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.web.common import (
    Csrf,
    CurrentUser,
    Owner,
    agent_deps,
    flash,
    ledger_of,
    render,
)
from khazna.web.routes_pages import invoice_page
from khazna.web.routes_receipts import content_disposition

router = APIRouter()

PAGE_SIZE = 50
DECIDED = (DraftStatus.APPROVED, DraftStatus.SENT, DraftStatus.REJECTED, DraftStatus.FAILED)


def recent_decided(request: Request, n: int = 15) -> list[DraftView]:
    """The last drafts the owner decided, newest decision first."""
    with ledger_of(request).read() as s:
        q = (
            select(Draft)
            .where(Draft.status.in_(DECIDED))
            .order_by(Draft.decided_at.desc(), Draft.draft_id)
            .limit(n)
        )
        api = agent_deps(request).channel_transport("whatsapp") is not None
        return views(s, list(s.scalars(q)), whatsapp_api=api)


@router.get("/", response_class=HTMLResponse)
@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, user: CurrentUser, page: int = 1):
    deps = agent_deps(request)
    total = count_drafts(deps)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    drafts = list_drafts(deps, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(
        request,
        "inbox.html",
        user=user,
        drafts=drafts,
        total=total,
        page=page,
        pages=pages,
        first_rank=(page - 1) * PAGE_SIZE + 1,
        recent=recent_decided(request),
    )


def _draft_or_404(request: Request, draft_id: str) -> DraftView:
    try:
        return get_draft(agent_deps(request), draft_id)
    except InboxError as err:
        raise HTTPException(404, str(err)) from None


@router.get("/drafts/{draft_id:path}", response_class=HTMLResponse)
def draft_page(request: Request, user: CurrentUser, draft_id: str):
    d = _draft_or_404(request, draft_id)
    return render(
        request,
        "draft.html",
        user=user,
        d=d,
        facts=d.facts or {},
        pieces=[
            (piece_file_name(p["number"], p["kind"]), PIECE_LABEL.get(p["kind"], p["kind"]))
            for p in (d.facts or {}).get("pieces", [])
            if p.get("kind") in PIECE_LABEL
        ],
        can_decide=user.role == "owner"
        and d.status in (DraftStatus.PENDING_APPROVAL, DraftStatus.FAILED),
        text_dir="rtl" if d.language == "ar" else "ltr",
        # the e-mail's HTML part, built from the same text by the same code (escaped there)
        email_html=Markup(draft_html(d.facts, d.language, d.detailed)),  # noqa: S704
    )


def _decide(request: Request, draft_id: str, decision: Decision) -> RedirectResponse:
    _draft_or_404(request, draft_id)
    try:
        d = decide(agent_deps(request), draft_id, decision)
    except InboxError as err:
        flash(request, "error", str(err))
        return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)
    flash(request, *outcome_message(d))
    return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)


def outcome_message(d: DraftView) -> tuple[str, str]:
    """The flash after a decision: what happened, true to the transport (a reminder the
    file outbox took was written in the local outbox, not sent)."""
    if d.status == DraftStatus.SENT and d.delivery == "file":
        return (
            "warn",
            "Relance approuvée et écrite dans la boîte d'envoi locale "
            "(non envoyée : aucun serveur SMTP configuré).",
        )
    if d.status == DraftStatus.SENT and d.delivery in ("whatsapp", "sms"):
        return ("ok", f"Relance approuvée et {d.delivery_note}.")
    if d.status == DraftStatus.SENT:
        return ("ok", f"Relance approuvée et envoyée par SMTP à {', '.join(d.to)}.")
    if d.status == DraftStatus.APPROVED and not d.message_id and d.channel != "email":
        return (
            "info",
            "Relance approuvée, rien n'est parti : envoyez-la vous-même"
            + (" avec le lien WhatsApp" if d.wa_link else "")
            + ", puis marquez-la envoyée.",
        )
    return {
        DraftStatus.APPROVED: (
            "info",
            "Relance approuvée ; l'envoi sera retenté (voir mail-outbox).",
        ),
        DraftStatus.REJECTED: ("ok", "Relance rejetée."),
        DraftStatus.FAILED: (
            "error",
            f"Relance approuvée mais l'envoi a échoué : {d.decision_note}",
        ),
    }.get(d.status, ("info", f"Statut : {d.status}"))


def _fingerprint(subject: str, short: str, detailed: str, problems: list[EditCheck]) -> str:
    """Ties a « send anyway » click to the exact text and mismatches the owner was shown."""
    shown = "\x00".join([subject, short, detailed, *(p.message for p in problems)])
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def _confirm_page(
    request: Request,
    user,
    d: DraftView,
    *,
    action: str,
    version: str,
    texts: dict[str, str] | None = None,
    problems: list[EditCheck] | None = None,
):
    """The second click: a formal notice asks « Envoyer la mise en demeure à … ? »; an edit
    that does not match the facts lists the mismatches and asks to send anyway. Nothing has
    been decided or sent yet."""
    problems = problems or []
    texts = texts or {}
    return render(
        request,
        "confirm.html",
        user=user,
        d=d,
        action=action,
        version=version,
        texts=texts,
        problems=problems,
        fingerprint=_fingerprint(
            texts.get("subject", ""), texts.get("short", ""), texts.get("detailed", ""), problems
        )
        if problems
        else "",
        text_dir="rtl" if d.language == "ar" else "ltr",
        question=confirmation_question(d) if needs_confirmation(d) else "",
        question_detail=confirmation_detail(d) if needs_confirmation(d) else "",
    )


def _version(value: str) -> Literal["short", "detailed"]:
    if value not in ("short", "detailed"):
        raise HTTPException(400, "version: short ou detailed")
    return "short" if value == "short" else "detailed"


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


@router.post("/drafts/{draft_id:path}/approve")
def approve(
    request: Request,
    user: Owner,
    _csrf: Csrf,
    draft_id: str,
    version: str = Form("detailed"),
    confirm: str = Form(""),
):
    version = _version(version)
    d = _draft_or_404(request, draft_id)
    if needs_confirmation(d) and confirm != "1":
        return _confirm_page(request, user, d, action="approve", version=version)
    decision = Decision(action="approve", by=user.username, version=version)
    return _decide(request, draft_id, decision)


@router.post("/drafts/{draft_id:path}/edit")
def edit(
    request: Request,
    user: Owner,
    _csrf: Csrf,
    draft_id: str,
    subject: str = Form(""),
    short: str = Form(""),
    detailed: str = Form(""),
    version: str = Form("detailed"),
    confirm: str = Form(""),
    force: str = Form(""),
):
    version = _version(version)
    d = _draft_or_404(request, draft_id)
    subject, short, detailed = _text(subject).strip(), _text(short), _text(detailed)
    changed = {
        "subject": subject if subject and subject != d.subject else None,
        "short": short if short.strip() and short != d.short else None,
        "detailed": detailed if detailed.strip() and detailed != d.detailed else None,
    }
    if not any(changed.values()):
        flash(
            request, "error", "Aucune modification : utilisez « Approuver » pour envoyer tel quel."
        )
        return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)
    texts = {"subject": subject or d.subject, "short": short, "detailed": detailed}
    problems = check_edit(d, **changed) if d.status == DraftStatus.PENDING_APPROVAL else []
    # « envoyer quand même » counts only for the text and mismatches the owner was shown
    forced = bool(problems) and force == _fingerprint(
        texts["subject"], texts["short"], texts["detailed"], problems
    )
    pending = d.status == DraftStatus.PENDING_APPROVAL
    if pending and ((problems and not forced) or (needs_confirmation(d) and confirm != "1")):
        return _confirm_page(
            request, user, d, action="edit", version=version, texts=texts, problems=problems
        )
    decision = Decision(
        action="edit",
        by=user.username,
        version=version,
        force=forced,
        **changed,
    )
    return _decide(request, draft_id, decision)  # decide() checks the text again


@router.post("/drafts/{draft_id:path}/leave-out")
def leave_out_invoice(
    request: Request, user: Owner, _csrf: Csrf, draft_id: str, number: str = Form("")
):
    """One click: the invoice leaves the letter, which is written again; nothing is sent."""
    _draft_or_404(request, draft_id)
    try:
        leave_out(agent_deps(request), draft_id, number, user.username)
    except LeaveOutError as err:
        flash(request, "error", str(err))
    else:
        flash(request, "ok", f"{number} retirée : la lettre a été réécrite sans elle.")
    return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)


@router.post("/drafts/{draft_id:path}/channel")
def draft_channel_form(
    request: Request, user: Owner, _csrf: Csrf, draft_id: str, channel: str = Form("")
):
    """The owner's channel for this draft (before approval); nothing is sent."""
    _draft_or_404(request, draft_id)
    try:
        d = set_channel(agent_deps(request), draft_id, "" if channel == "client" else channel)
    except InboxError as err:
        flash(request, "error", str(err))
    else:
        flash(request, "ok", f"Canal de la relance : {d.channel}.")
    return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)


@router.post("/drafts/{draft_id:path}/mark-sent")
def mark_sent_form(request: Request, user: Owner, _csrf: Csrf, draft_id: str):
    """An approved draft the owner sent himself (wa.me): « marquée envoyée à la main »."""
    _draft_or_404(request, draft_id)
    try:
        mark_sent(agent_deps(request), draft_id, user.username)
    except InboxError as err:
        flash(request, "error", str(err))
    else:
        flash(request, "ok", "Relance marquée envoyée à la main (remise non confirmée).")
    return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)


@router.post("/drafts/{draft_id:path}/reject")
def reject(request: Request, user: Owner, _csrf: Csrf, draft_id: str, reason: str = Form("")):
    reason = _text(reason).strip()
    if not reason:
        flash(request, "error", "Indiquez la raison du rejet.")
        return RedirectResponse(f"/drafts/{url_segment(draft_id)}", status_code=303)
    decision = Decision(action="reject", by=user.username, reason=reason)
    return _decide(request, draft_id, decision)


@router.get("/invoices/{number:path}/pdf")
def invoice_pdf_download(request: Request, user: CurrentUser, number: str):
    """The invoice's PDF, named like its attachment (``2026%2F0001.pdf``, khazna.filenames)."""
    if not request.scope.get("raw_path", b"/pdf").endswith(b"/pdf"):
        # /invoices/X%2Fpdf is the page of invoice "X/pdf", not the PDF of "X"
        return invoice_page(request, user, f"{number}/pdf")
    with ledger_of(request).read() as s:
        pdf = invoice_pdf(s, number)
    if pdf is None:
        raise HTTPException(404, f"pas de facture {number!r}")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": content_disposition(safe_name(number, ".pdf"))},
    )
