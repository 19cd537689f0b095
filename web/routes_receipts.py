"""Receipts (justificatifs): the spends still missing one, an upload form per spend, downloads.

Both roles upload: the accountant is the one who collects the receipts, and attaching a
file changes no figure of the books (it only marks the expense ``receipt = yes``). The
upload goes through :func:`khazna.tools.receipts.attach_receipt`, which checks the bytes.

The upload route reads the form itself (not through FastAPI's ``File``/``Form`` parameters,
which are parsed before any dependency runs) so that an oversized request is refused on its
``Content-Length`` before a byte of the body is read.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import UploadFile

from khazna.ledger.models import Expense
from khazna.ledger.tables_receipts import Receipt
from khazna.tools.receipts import (
    EXTENSIONS,
    MAX_BYTES,
    ReceiptError,
    attach_receipt,
    default_since,
    missing_receipts,
    named_for,
    sniff,
)
from khazna.web.common import CurrentUser, check_csrf, flash, ledger_of, render
from khazna.web.routes_pages import _as_of
from khazna.web.users import UserInfo

router = APIRouter()

RECENT = 15
ACCEPT = "application/pdf,image/jpeg,image/png"
FORM_OVERHEAD = 64 * 1024  # multipart boundaries, part headers, the csrf field
UNSAFE_IN_HEADER = re.compile(r"[^A-Za-z0-9 ._()+,;=@&#!$%\'-]")


def _page_context(request: Request, day: date) -> dict:
    """The missing receipts up to ``day`` and the last receipts attached."""

    with ledger_of(request).read() as s:
        groups = missing_receipts(s, day)
        recent = s.execute(
            select(
                Receipt.id,
                Receipt.expense_id,
                Receipt.filename,
                Receipt.media_type,
                func.length(Receipt.content).label("size"),
                Receipt.uploaded_at,
                Receipt.uploaded_by,
                Expense.payee,
                Expense.amount,
            )
            .join(Expense, Expense.expense_id == Receipt.expense_id)
            .order_by(Receipt.uploaded_at.desc(), Receipt.id.desc())
            .limit(RECENT)
        ).all()
    return {
        "as_of": day,
        "since": default_since(day),
        "groups": groups,
        "count": sum(len(g.items) for g in groups),
        "total": sum((g.total for g in groups), start=Decimal(0)),
        "recent": recent,
        "accept": ACCEPT,
    }


def _show(
    request: Request,
    user: UserInfo,
    day: date,
    explicit: bool,
    error: str = "",
    status: int = 200,
):
    """The page; ``explicit``: the date came from ``?as_of=`` and the forms keep it."""
    return render(
        request,
        "receipts.html",
        status_code=status,
        user=user,
        error=error,
        keep=f"?as_of={day.isoformat()}" if explicit else "",
        **_page_context(request, day),
    )


@router.get("/receipts", response_class=HTMLResponse)
def receipts_page(request: Request, user: CurrentUser, as_of: str | None = None):
    return _show(request, user, _as_of(as_of), bool(as_of))


def _size_mb(n: int) -> str:
    return f"{n / 1048576:.1f}".replace(".", ",")


def _check_file(name: str, content: bytes) -> str:
    """The usual mistakes, said in French; the service checks again (and everything else)."""

    if not content:
        return f"« {name} » est vide."
    if len(content) > MAX_BYTES:
        return f"« {name} » pèse plus de 10 Mo (limite : 10 Mo)."
    if sniff(content) is None:
        return f"« {name} » n'est ni un PDF, ni une image JPEG ou PNG (types acceptés)."
    return ""


@router.post("/receipts/{expense_id:path}", response_class=HTMLResponse)
async def upload_receipt(
    request: Request, user: CurrentUser, expense_id: str, as_of: str | None = None
):

    day = _as_of(as_of)  # in the form's action URL: known before the body is read
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "longueur de la requête (Content-Length) requise")
    if int(length) > MAX_BYTES + FORM_OVERHEAD:
        message = f"Fichier trop volumineux ({_size_mb(int(length))} Mo) : la limite est 10 Mo."
        return await run_in_threadpool(_show, request, user, day, bool(as_of), message, 413)
    await check_csrf(request)
    form = await request.form()

    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        error = "Choisissez un fichier (PDF, JPEG ou PNG) avant d'envoyer."
        return await run_in_threadpool(_show, request, user, day, bool(as_of), error, 400)
    name = upload.filename
    content = await upload.read(MAX_BYTES + 1)
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    # browsers send application/octet-stream for what they do not know: let the bytes decide
    media_type = declared if declared in set(EXTENSIONS.values()) | {"image/jpg"} else None
    error = _check_file(name, content)
    if not error:
        try:
            info = await run_in_threadpool(
                attach_receipt,
                ledger_of(request),
                expense_id,
                name,
                content,
                media_type,
                uploaded_by=user.username,
            )
        except ReceiptError as err:
            error = str(err)
    if error:
        message = f"Justificatif refusé pour la dépense {expense_id} : {error}"
        return await run_in_threadpool(_show, request, user, day, bool(as_of), message, 400)
    if info.already_attached:
        flash(request, "info", f"« {info.filename} » était déjà joint à la dépense {expense_id}.")
    else:
        flash(request, "ok", f"Justificatif « {info.filename} » joint à la dépense {expense_id}.")
    back = f"/receipts?as_of={day.isoformat()}" if as_of else "/receipts"
    return RedirectResponse(back, status_code=303)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    fallback = UNSAFE_IN_HEADER.sub("_", filename).strip() or "justificatif"
    exact = quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"


@router.get("/receipts/file/{receipt_id:int}")
def receipt_file(request: Request, user: CurrentUser, receipt_id: int):

    with ledger_of(request).read() as s:
        row = s.get(Receipt, receipt_id)
        if row is None:
            raise HTTPException(404, f"pas de justificatif n° {receipt_id}")
        content, media_type, filename = row.content, row.media_type, row.filename
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition(named_for(filename, media_type))},
    )
