"""The dunning writer with a model: one call per draft for subject + short + detailed,
checked against the facts; one retry with the problems, then the offline composer.

Client notes reach the model quoted and labelled as data (:mod:`khazna.agents.quoting`);
recipients, amounts and statuses never come from the model's text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from khazna import prompts
from khazna.agents.checked import Checked, checked_write, prompt
from khazna.agents.dunning.compose import ReminderText, attested, compose
from khazna.agents.dunning.facts import DunningFacts, required_facts, to_check_facts
from khazna.agents.factcheck import check_text
from khazna.agents.quoting import quote_client_texts

_SECTIONS = re.compile(
    r"(?ims)^\s*OBJET\s*:\s*(?P<subject>.+?)\s*$\s*-{3}\s*COURT\s*-{3}\s*(?P<short>.+?)"
    r"\s*-{3}\s*D[ÉE]TAILL[ÉE]\s*-{3}\s*(?P<detailed>.+)$"
)


def parse_sections(raw: str) -> ReminderText | None:
    m = _SECTIONS.search(raw)
    if not m:
        return None
    return ReminderText(
        subject=m["subject"].strip(), short=m["short"].strip(), detailed=m["detailed"].strip()
    )


# A reminder never says its invoice is paid or cancelled: that is a status, which only the
# ledger knows. Conditional ("si … est déjà réglée") and negated forms are not claims.
_STATUS = re.compile(
    r"(?i)(?<![nN]['’])\b(?:est|sont|a\s+été|ont\s+été|marquée?s?\s+comme|considérée?s?\s+comme)"
    r"\s+(?:déjà\s+|bien\s+)?(?:payée?s?|réglée?s?|soldée?s?|annulée?s?|acquittée?s?)\b"
    r"|\b(?:is|are|has\s+been|have\s+been|marked\s+as)\s+(?:already\s+)?(?:paid|settled|cancell?ed)\b"
    r"|(?<!غير )\b(?:مدفوعة|مسددة|ملغاة|ملغية|ملغى)\b|تم\s+(?:إلغاء|الغاء)"
)
_CONDITION = re.compile(r"(?i)\b(?:si|s'il|if)\b|إذا|اذا|في حال")
_NEGATION = re.compile(r"(?i)\b(?:ne|pas|not|non|jamais|never)\b|غير|لم|لا")


def status_claims(text: str) -> list[str]:
    """Sentences of ``text`` that state an invoice is paid, settled or cancelled."""
    out = []
    for m in _STATUS.finditer(text):
        start = max(text.rfind(sep, 0, m.start()) for sep in (".", "\n", "!", "?", "؟", ";", ":"))
        before = text[start + 1 : m.start()]
        if not _CONDITION.search(before) and not _NEGATION.search(before[-20:]):
            out.append(m.group(0))
    return out


# What a letter says about reminders already sent (issue 14, "no false history"): a second
# reminder, or "despite our reminder", needs one sent about these invoices; the plural, two.
_SECOND = re.compile(r"(?i)deuxième\s+relance|second(?:e)?\s+(?:relance|rappel)|تذكير\s+ثان")
_SINCE_ONE = re.compile(
    r"(?i)(?:malgré|en\s+dépit\s+de)\s+(?:notre|nos)\s+(?:précédents?\s+|premiers?\s+)?"
    r"(?:rappels?|relances?)|رغم\s+(?:تذكيرنا|تذكيراتنا|مراسلتنا|مراسلاتنا)"
)
_SINCE_TWO = re.compile(
    r"(?i)(?:malgré|en\s+dépit\s+de)\s+nos\s+(?:précédents\s+)?(?:rappels|relances)"
    r"|رغم\s+(?:تذكيراتنا|مراسلاتنا)"
)


def reminder_claims(text: str, previous_reminders: int) -> list[str]:
    """Phrases of ``text`` that claim more reminders than went out about its invoices."""
    out = [m.group(0) for m in _SECOND.finditer(text) if previous_reminders < 1]
    out += [m.group(0) for m in _SINCE_ONE.finditer(text) if previous_reminders < 1]
    out += [m.group(0) for m in _SINCE_TWO.finditer(text) if previous_reminders == 1]
    return list(dict.fromkeys(out))


# "dont le service fait a été constaté": said to a public body only when the books hold the
# attestation de service fait of the invoices the letter demands (the supplier's only proof)
_SERVICE_DONE = re.compile(
    r"(?i)service\s+fait\s+(?:a\s+été|ayant\s+été|est)\s+constaté|معاينة\s+الخدمة\s+المنجزة"
    r"|الخدمة\s+المنجزة\s+(?:قد\s+)?تمت\s+معاينتها"
)


def service_claims(text: str, f: DunningFacts) -> list[str]:
    """Phrases of ``text`` that say the service fait was recorded when no attestation is."""
    if attested(f):
        return []
    return list(dict.fromkeys(m.group(0) for m in _SERVICE_DONE.finditer(text)))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:['’@.-]\w+)*", text.casefold())


def echoes(text: str, context: list[tuple[str, str]], n: int = 6) -> bool:
    """Does ``text`` repeat ``n`` words in a row of a client's text? (never quote them)"""
    words = _words(text)
    said = {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
    for _, client_text in context:
        cw = _words(client_text)
        if any(" ".join(cw[i : i + n]) in said for i in range(len(cw) - n + 1)):
            return True
    return False


def _request(f: DunningFacts, context: list[tuple[str, str]], draft: ReminderText) -> str:
    parts = [
        "FAITS (les seuls chiffres, dates et numéros autorisés, à recopier tels quels) :",
        json.dumps(json.loads(f.model_dump_json()), ensure_ascii=False, indent=1),
        "BROUILLON DE RÉFÉRENCE (ton et contenu attendus ; améliore la formulation) :",
        f"OBJET: {draft.subject}\n---COURT---\n{draft.short}\n---DÉTAILLÉ---\n{draft.detailed}",
    ]
    parts += quote_client_texts(context)
    return "\n\n".join(parts)


def write_with_model(
    model: Any, f: DunningFacts, context: list[tuple[str, str]], callbacks: list | None = None
) -> Checked[ReminderText]:
    fallback = compose(f)
    facts = to_check_facts(f)
    short_required, detailed_required = required_facts(f)

    def problems_of(text: ReminderText) -> list[str]:
        out = []
        for name, body, required in (
            ("objet", text.subject, []),
            ("court", text.short, short_required),
            ("détaillé", text.detailed, detailed_required),
        ):
            out += [f"{name}: {p.message}" for p in check_text(body, facts, required)]
            out += [
                f"{name}: statut inventé « {c} » : le statut d'une facture vient du grand livre"
                for c in status_claims(body)
            ]
            out += [
                f"{name}: « {c} » : {f.previous_reminders} rappel(s) envoyé(s) sur ces factures"
                for c in reminder_claims(body, f.previous_reminders)
            ]
            out += [
                f"{name}: « {c} » : aucune attestation de service fait au dossier pour ces factures"
                for c in service_claims(body, f)
            ]
            if echoes(body, context):
                out.append(f"{name}: reprend le texte du client : ne le cite jamais")
        return out

    lang = "ar" if f.language == "ar" else "fr"
    system = prompts.load("dunning", "system", lang)
    return checked_write(
        model,
        prompt(system, _request(f, context, fallback)),
        parse_sections,
        problems_of,
        fallback,
        callbacks=callbacks,
        format_hint="(OBJET / ---COURT--- / ---DÉTAILLÉ---)",
    )
