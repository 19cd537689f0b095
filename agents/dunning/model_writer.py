"""The dunning writer with a model: one call per draft for subject + short + detailed,
checked against the facts and read by the letter rules (``letter_rules.py``: false history,
register, scope of the formal notice, deadline and plan, public-body wording, service fait,
an invoice printed wrong told to the client); one retry with the problems, then the offline
composer, and the draft's note says why.

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
from khazna.agents.dunning.letter_rules import Books, Exchange, read_written
from khazna.agents.factcheck import check_text
from khazna.agents.quoting import quote_client_texts
from khazna.ledger.documents import PIECES

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


def books_of(f: DunningFacts) -> Books:
    """What the books say about the draft's client, as the letter rules read it: the levels
    and open amounts of its invoices, the reminders and promises of its history, whether it
    is a public body, which invoices are printed wrong and which have their attestation de
    service fait."""
    history = [Exchange(e.date, e.kind, list(e.invoice_numbers)) for e in f.exchanges]
    if f.history is not None and not history:  # facts stored before exchanges were
        history = [Exchange(f.history.date, f.history.kind, list(f.history.invoice_numbers))]
    return Books(
        invoices={i.number: i.level for i in f.invoices},
        open_amounts={i.number: i.open_amount for i in f.invoices},
        history=history,
        public_body=f.public_body,
        defective=list(f.defective),
        attested=[p.number for p in f.pieces if p.kind == PIECES["ASF"]] if f.public_body else None,
    )


# what the model is told when a rule finds its letter wrong (the retry's problems)
RULE_PROBLEMS = {
    "history": "un échange passé cité (rappel, échange, promesse, « malgré nos rappels », "
    "« deuxième relance ») n'est pas dans l'historique de ces factures à cette date : ne cite "
    "que `history`, avec sa date, et `previous_reminders` rappels",
    "register": "une mise en demeure est au registre formel pour tous les profils : ni "
    "« Bonjour », ni « merci d'avance », ni « bonne journée » (ni « السلام عليكم », ni "
    "« شكرا مسبقا »)",
    "notice_scope": "la mise en demeure (« nous vous mettons en demeure… », son propre "
    "paragraphe) porte sur `notice_total` des factures de `notice_invoices` seulement ; les "
    "autres factures sont rappelées dans un paragraphe à part",
    "deadline": "la mise en demeure dit que son délai compte des jours ouvrables (« au plus "
    "tard le » `deadline`) ; avec un échéancier, que la procédure ne sera engagée que si ni "
    "le règlement ni l'accord sur l'échéancier n'arrivent d'ici là, ses versements tels que "
    "dans les faits",
    "public_body": "organisme public : au niveau 3, une demande de mandatement et de paiement "
    "adressée à l'ordonnateur, sans menace d'injonction de payer ni de procédure judiciaire",
    "service_fait": "« service fait constaté » seulement pour les factures dont l'attestation "
    "de service fait est dans `pieces`",
    "checker": "la lettre ne parle pas au client d'un défaut de ses factures (montant en "
    "lettres, mention obligatoire, « à corriger ») : c'est un avertissement pour le "
    "propriétaire, pas pour le client",
}


def rule_problems(text: ReminderText, f: DunningFacts) -> list[str]:
    """The letter rules a written letter breaks, as messages for the model."""
    read = read_written(text.subject, text.short, text.detailed, f.level, books_of(f))
    return [f"règle « {rule} » : {RULE_PROBLEMS[rule]}" for rule, ok in read.items() if ok is False]


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
        # the history the rules check against and the invoices printed wrong are not the
        # model's: it cites `history` only, and never tells the client of a wrong invoice
        json.dumps(
            json.loads(f.model_dump_json(exclude={"exchanges", "defective"})),
            ensure_ascii=False,
            indent=1,
        ),
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
        return out + rule_problems(text, f)

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
