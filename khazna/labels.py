"""The owner's words for Khazna's codes: one table per kind of code, read by the CLI and the
web (``--json`` keeps the codes of ``shared/spec/cli.md``).

``label(TABLE, code)`` is the word, or the code itself when the table has none (a code added
later shows as it is rather than vanishing).
"""

from __future__ import annotations

from collections.abc import Mapping

FORECAST_STATUS = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}

DRAFT_STATUS = {
    "pending_approval": "en attente d'approbation",
    "approved": "approuvée",
    "sent": "envoyée",
    "rejected": "rejetée",
    "failed": "échec de l'envoi",
}

# an outgoing message (mail/outbox.py states)
OUTBOX_STATE = {
    "pending": "en attente",
    "sending": "en cours d'envoi",
    "sent": "parti",
    "failed": "en échec",
    "unconfirmed": "sort inconnu",
}

# what an outgoing message is (mail_messages.kind)
MAIL_KIND = {
    "reminder": "relance",
    "report": "rapport",
    "alert": "alerte",
    "receipt_reminder": "rappel justificatif",
}

CLIENT_KIND = {
    "grand_compte": "grand compte",
    "pme": "PME",
    "administration": "administration",
    "particulier": "particulier",
}

CATEGORY = {
    "encaissement_client": "encaissement client",
    "salaires": "salaires",
    "cotisations_sociales": "cotisations sociales",
    "impots_taxes": "impôts et taxes",
    "loyer": "loyer",
    "energie": "énergie",
    "telecom": "télécom",
    "carburant": "carburant",
    "fournitures": "fournitures",
    "achats_marchandises": "achats de marchandises",
    "sous_traitance": "sous-traitance",
    "honoraires": "honoraires",
    "transport": "transport",
    "deplacements": "déplacements",
    "restaurant": "restaurant",
    "assurance": "assurance",
    "maintenance": "maintenance",
    "publicite": "publicité",
    "frais_bancaires": "frais bancaires",
    "equipement": "équipement",
    "remboursement_emprunt": "remboursement d'emprunt",
    "virement_interne": "virement interne",
    "autre": "autre",
}

# the same categories in the answers of the assistant in Arabic and in English
CATEGORY_AR = {
    "encaissement_client": "تحصيل من العملاء",
    "salaires": "الأجور",
    "cotisations_sociales": "الاشتراكات الاجتماعية",
    "impots_taxes": "الضرائب والرسوم",
    "loyer": "الإيجار",
    "energie": "الطاقة",
    "telecom": "الاتصالات",
    "carburant": "الوقود",
    "fournitures": "اللوازم",
    "achats_marchandises": "شراء البضائع",
    "sous_traitance": "المناولة",
    "honoraires": "الأتعاب",
    "transport": "النقل",
    "deplacements": "التنقلات",
    "restaurant": "المطاعم",
    "assurance": "التأمين",
    "maintenance": "الصيانة",
    "publicite": "الإشهار",
    "frais_bancaires": "المصاريف البنكية",
    "equipement": "التجهيزات",
    "remboursement_emprunt": "تسديد القروض",
    "virement_interne": "التحويل الداخلي",
    "autre": "أخرى",
}
CATEGORY_EN = {
    "encaissement_client": "client receipts",
    "salaires": "salaries",
    "cotisations_sociales": "social contributions",
    "impots_taxes": "taxes and duties",
    "loyer": "rent",
    "energie": "energy",
    "telecom": "telecoms",
    "carburant": "fuel",
    "fournitures": "supplies",
    "achats_marchandises": "goods purchases",
    "sous_traitance": "subcontracting",
    "honoraires": "fees",
    "transport": "transport",
    "deplacements": "travel",
    "restaurant": "meals",
    "assurance": "insurance",
    "maintenance": "maintenance",
    "publicite": "advertising",
    "frais_bancaires": "bank charges",
    "equipement": "equipment",
    "remboursement_emprunt": "loan repayment",
    "virement_interne": "internal transfer",
    "autre": "other",
}


def category_word(code: str, lang: str = "fr") -> str:
    """The owner's word for a category code in ``lang`` (fr, ar, en); the code if unknown."""
    table = {"ar": CATEGORY_AR, "en": CATEGORY_EN}.get(lang, CATEGORY)
    return label(table, code)


SEVERITY = {"high": "élevée", "medium": "moyenne", "low": "faible"}

INTERACTION_KIND = {
    "note": "note",
    "promise": "promesse de paiement",
    "dispute": "litige",
    "reminder": "relance",
    "reply": "réponse",
}

# who wrote a text: the offline templates, a model, or the templates after a model's text
# failed its check
WRITER = {
    "template": "modèle de texte (hors ligne)",
    "model": "modèle de langue",
    "template_fallback": "modèle de texte (le texte du modèle de langue ne concordait pas)",
    "owner": "le gérant",
}

LANGUAGE = {"fr": "français", "ar": "arabe", "en": "anglais"}

VERSION = {"detailed": "version détaillée", "short": "version courte"}


# the factors of an invoice's risk score (tools/payment_profiles.RISK_WEIGHTS)
RISK_FACTOR = {
    "days_late": "retard",
    "client_delay": "retard habituel du client",
    "client_late_share": "part payée en retard",
    "returned_cheques": "chèques rejetés",
    "amount": "montant",
    "dispute": "litige",
}

# who decided (``--by``, the web user's role): the roles in words; a user's name stays
ROLE = {"owner": "le gérant", "accountant": "le comptable"}


def label(table: Mapping[str, str], code: object) -> str:
    """The owner's word for ``code`` in ``table``; the code itself when it has none."""
    text = "" if code is None else str(code)
    return table.get(text, text)


def outbox_state(state: str, delivery: str | None = None) -> str:
    """An outgoing message's state: « écrit (non envoyé) » for one the file outbox wrote
    (nothing left the machine), else the state in words."""
    if state == "sent" and delivery == "file":
        return "écrit (non envoyé)"
    return label(OUTBOX_STATE, state)


def draft_status(status: str, delivery: str | None = None, sent_by_hand: bool = False) -> str:
    """A reminder's state as the owner reads it: « envoyée » only when something took it
    (a mail server, the WhatsApp API, an SMS gateway); a reminder the file outbox wrote says
    it did not leave the machine."""
    if status == "sent":
        if delivery == "file":
            return "écrite dans la boîte d'envoi locale (non envoyée)"
        if delivery in ("smtp", "whatsapp", "sms"):
            return {"smtp": "envoyée par SMTP", "whatsapp": "envoyée par WhatsApp"}.get(
                delivery, "envoyée par SMS"
            )
        if sent_by_hand:
            return "marquée envoyée à la main"
    return label(DRAFT_STATUS, status)


_NOTE_PARTS = (
    ("not sent: ", "non envoyée : "),
    ("mail failed: ", "échec de l'envoi : "),
    ("rejected after failure: ", "rejetée après l'échec : "),
)


def decision_words(note: str | None) -> str:
    """A draft's decision note (a record kept for the audit: ``version=detailed;
    sha256=…; canal=whatsapp; not sent: …``) as the owner reads it: the version in words, the
    channel named, failures in French, and no hash (the record keeps it)."""
    words: list[str] = []
    for part in (note or "").split("; "):
        part = part.strip()
        if not part or part.startswith("sha256="):
            continue
        if part.startswith("version="):
            words.append(label(VERSION, part.removeprefix("version=")) + " approuvée")
        elif part.startswith("canal="):
            channel = part.removeprefix("canal=")
            words.append("canal : " + {"whatsapp": "WhatsApp", "sms": "SMS"}.get(channel, channel))
        else:
            for code, french in _NOTE_PARTS:
                if part.startswith(code):
                    part = french + part.removeprefix(code)
                    break
            words.append(part)
    return " ; ".join(words)


def decider(by: str | None) -> str:
    """Who took a decision, as the owner reads it: « le gérant » for ``owner`` (the CLI's
    default ``--by``), a user's name as it is."""
    return label(ROLE, by) if by else ""
