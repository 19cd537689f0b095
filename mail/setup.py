"""How outgoing mail is set up, in the owner's words: which transport takes a message now
(SMTP, or the local outbox where nothing leaves), the sender, and where reports and alerts
go. One reading for ``khazna doctor`` and the web's settings page."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from khazna.config import Paths, mail_from, owner_email
from khazna.mail.transport import MailConfigError, MailSettings

Environ = Mapping[str, str]
SECURITY = {"none": "sans chiffrement", "starttls": "STARTTLS", "tls": "TLS"}


@dataclass(frozen=True)
class SetupLine:
    """One line of the mail setup: ``ok`` False is a warning the owner should read."""

    name: Literal["mail", "owner_email"]
    ok: bool
    detail: str


def mail_transport(environ: Environ | None = None) -> Literal["smtp", "file"]:
    """The transport outgoing mail takes now: SMTP with ``KHAZNA_SMTP_HOST``, else the file
    outbox (``.eml`` files: nothing leaves the machine)."""
    env = os.environ if environ is None else environ
    return "smtp" if env.get("KHAZNA_SMTP_HOST", "").strip() else "file"


def mail_line(environ: Environ | None = None) -> SetupLine:
    if mail_transport(environ) == "file":
        outbox = Paths.from_env(environ).outbox
        return SetupLine(
            "mail",
            False,
            f"boîte d'envoi locale (fichiers .eml dans {outbox}) : rien n'est envoyé "
            "(aucun serveur SMTP configuré : définissez KHAZNA_SMTP_HOST pour envoyer)",
        )
    try:
        settings = MailSettings.from_env(environ)
    except MailConfigError as err:
        return SetupLine("mail", False, f"SMTP : {err}")
    user = "avec identifiant" if settings.user else "sans identifiant"
    detail = (
        f"envoi par SMTP : {settings.host}:{settings.port}, "
        f"{SECURITY.get(settings.security, settings.security)}, "
        f"{user} ; serveur non contacté"
    )
    sender = mail_from(environ)
    if not sender:
        return SetupLine("mail", False, detail + " ; KHAZNA_MAIL_FROM non défini")
    return SetupLine("mail", True, detail + f" ; expéditeur {sender}")


def owner_email_line(environ: Environ | None = None) -> SetupLine:
    owner = owner_email(environ)
    if not owner:
        return SetupLine(
            "owner_email",
            False,
            "KHAZNA_OWNER_EMAIL non défini : le rapport hebdomadaire et les alertes "
            "(tension de trésorerie, paiements en double) ne partent vers personne",
        )
    return SetupLine("owner_email", True, f"rapports et alertes envoyés à {owner}")
