"""The outgoing mail as the owner sees it (``/outbox``: what ``khazna mail-outbox`` lists)
and the settings in force (``/settings``: what ``khazna doctor`` says about the writer, the
mail and the owner's address). Read-only: settings are set in the environment."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from khazna.agents.configuration import Configuration, ConfigurationError
from khazna.config import Paths, khazna_home
from khazna.labels import LANGUAGE, MAIL_KIND, label, outbox_state
from khazna.ledger.policy import get_policy
from khazna.ledger.queries import get_company
from khazna.mail.outbox import delivery_phrase, describe, list_messages, outbox_files
from khazna.mail.setup import mail_line, mail_transport, owner_email_line
from khazna.text import count
from khazna.web.common import CurrentUser, ledger_of, render
from khazna.web.users import list_users

router = APIRouter()


@router.get("/outbox", response_class=HTMLResponse)
def outbox(request: Request, user: CurrentUser):
    """Every outgoing message, newest first, its state true to the transport: a reminder
    the file outbox wrote is « écrit (non envoyé) », never « parti »."""
    with ledger_of(request).read() as s:
        rows = list_messages(s)
        files = outbox_files(rows)
        messages = []
        for row in reversed(rows):
            m = describe(row, files)
            messages.append(
                {
                    **m,
                    "kind_words": label(MAIL_KIND, m["kind"]),
                    "state_words": outbox_state(m["state"], m["delivery"]),
                    # the phrase without the server path; the file's name is shown apart
                    "what_happened": delivery_phrase(
                        m["state"], row.via or "", "", feminine=m["kind"] != "report"
                    ),
                    "file_name": Path(m["outbox_file"]).name if m["outbox_file"] else "",
                    "created": datetime.fromisoformat(m["created_at"]),
                }
            )
    written = sum(1 for m in messages if m["state"] == "sent" and m["delivery"] == "file")
    summary = {
        "total": count(len(messages), "message", "messages"),
        "written": count(written, "message écrit", "messages écrits") if written else "",
    }
    return render(
        request,
        "outbox.html",
        user=user,
        outgoing=messages,
        summary=summary,
        transport=mail_transport(),
        outbox_folder=str(Paths.from_env().outbox),
    )


@router.get("/settings", response_class=HTMLResponse)
def settings(request: Request, user: CurrentUser):
    """The settings in force, each with what it means for the owner (a warning when mail
    does not leave, or when reports and alerts go to nobody)."""
    with ledger_of(request).read() as s:
        company = get_company(s)
        policy = get_policy(s)
        users = list_users(s)
    try:
        cfg = Configuration.from_env()
        d = cfg.describe()
        writer = (
            "hors ligne : modèles de texte, sans réseau"
            if cfg.offline
            else f"modèle de langue {d['model']} sur {d['base_url']} (clé {d['api_key']})"
        )
        writer_ok = True
    except ConfigurationError as err:
        writer, writer_ok = f"configuration du modèle invalide : {err}", False
    lines = [
        {"name": "Rédaction des relances et rapports", "ok": writer_ok, "detail": writer},
        *(
            {"name": name, "ok": line.ok, "detail": line.detail}
            for name, line in (
                ("Courrier", mail_line()),
                ("Adresse du gérant", owner_email_line()),
            )
        ),
        {"name": "Dossier de données", "ok": True, "detail": str(khazna_home())},
    ]
    return render(
        request,
        "settings.html",
        user=user,
        company=company,
        language=label(LANGUAGE, company.language) if company else "",
        threshold=policy.treasury.safety_threshold,
        lines=lines,
        users=users,
    )
