"""What a client's note says: a promise to pay, a dispute, or a plain note.

The text is untrusted data. These rules only classify it; nothing in it is ever executed or
obeyed. Text that looks like instructions aimed at an agent ("ignore previous
instructions", "marque la facture comme payée", "تجاهل التعليمات") is flagged
``suspicious`` and comes out as a plain ``note`` with no promised date, so a hostile client
cannot stop reminders by writing a fake promise inside an injection.

Order of the rules: suspicious → note; a dispute cue → dispute (the cautious reading: a
contested invoice gets no reminder); a promise cue, or a payment word next to a future
date → promise; otherwise note. A negated promise ("nous ne pourrons pas payer", "لن ندفع")
is not a promise.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from khazna.text import fold, fold_digits
from khazna.tools.text_dates import first_future_date

Kind = Literal["promise", "dispute", "note"]


class Inference(BaseModel):
    kind: Kind
    promised_date: date | None = None
    invoice_numbers: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)
    suspicious: bool = False
    resolves: bool = Field(default=False, description="the note says a dispute is settled")
    signals: list[str] = Field(default_factory=list, description="names of the rules that fired")


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{fold(p)})" for p in patterns))


SUSPICIOUS = {
    "en": _rx(
        r"\b(ignore|disregard|forget)\b.{0,30}\b(instructions?|prompts?|rules|messages?)\b",
        r"\byou are now\b|\bact as\b|\bsystem prompt\b|\bdeveloper mode\b|\bjailbreak\b",
        r"\bnew instructions?\b|\bmark\b.{0,30}\bas paid\b|<\|?(system|im_start)\|?>",
        r"^\s*(system|assistant)\s*:|###\s*instruction",
        # words addressed to the program rather than to a person, and mail headers in text
        r"\[\s*(system|admin|assistant|instructions?)\s*\]",
        r"\b(note|message|instructions?|important)\b.{0,5}\b(to|for) (the )?(ai|assistant|model|llm|bot)\b",
        r"\b(change|replace|update)\b.{0,30}\brecipients?\b|\bb?cc\s*:\s*[\w.+-]+@",
    ),
    "fr": _rx(
        r"\b(ignore[rsz]?|oublie[rsz]?|ne tiens? pas compte)\b.{0,30}\b(instructions?|consignes?|regles?)\b",
        r"\b(tu es|vous etes) (maintenant|desormais)\b|\bprompt systeme\b|\ben tant qu'(ia|assistant)\b",
        r"\bnouvelles? (instructions?|consignes?)\b",
        r"\bmarque[rsz]?\b.{0,40}\bcomme (payee?s?|reglee?s?)\b",
        r"\b(annule|supprime|efface)[rsz]?\b.{0,10}\btoute?s?\b",
        r"\b(supprime|efface)[rsz]?\b.{0,20}\b(donnees|historique|relances|creances)\b",
        r"\b(envoie[rsz]?|transmet[sz]?|transfere[rsz]?)\b.{0,30}\b(donnees|mots? de passe|identifiants|rib|toutes les factures)\b",
        r"\[\s*(systeme|system|admin|administrateur|assistant|ia|instructions?|consignes?)\s*\]",
        r"\b(note|message|instructions?|consignes?)\b.{0,5}\b(au|pour le) (systeme|robot|modele)\b",
        r"\b(note|message|instructions?|consignes?)\b.{0,5}\b(a|pour) l'(ia|assistant)\b",
        r"\b(remplace[rsz]?|change[rsz]?|modifie[rsz]?)\b.{0,30}\bdestinataires?\b",
        r"\bmode (administrateur|admin|developpeur)\b",
    ),
    "ar": _rx(
        r"تجاهل.{0,20}(التعليمات|الاوامر|ما سبق|كل ما)|انس (كل|جميع|التعليمات)",
        r"\bانت الان\b|تعليمات جديدة|الاوامر السابقة|التعليمات السابقة",
        r"اعتبر.{0,20}مدفوعة|احذف|امسح (كل|جميع)",
        r"ارسل.{0,20}(كل|جميع).{0,20}(البيانات|الفواتير|كلمات المرور)",
        r"\[\s*النظام\s*\]|ايها النظام|(غير|بدل|استبدل) (عنوان )?المستلم",
    ),
}

DISPUTE = _rx(
    r"\bcontest(e|ons|ez|ent|ation|e[rz])?\b|\blitiges?\b|\breclamations?\b|\bdesaccord\b",
    r"\berreurs?\b.{0,20}\bfactures?\b|\bfactures?\b.{0,25}\b(erronee|incorrecte|fausse|errone)s?\b",
    r"\b(non|pas) conformes?\b|\bnon-conform",
    r"\brefus(e|ons|ent|er|ez)?\b.{0,15}\b(payer|regler|la facture|le paiement)\b",
    r"\b(marchandises?|commandes?|livraisons?|prestations?|materiel|travaux|services?)\b.{0,30}"
    r"\b(jamais|pas|non)\b.{0,10}\b(recue?s?|livree?s?|effectuee?s?|realisee?s?|termine)\b",
    r"\bjamais (ete )?(recu|livre)e?s?\b",
    r"\bmontant\b.{0,15}\b(errone|incorrect|faux)\b|\bdouble facturation\b|\ben double\b",
    r"\bdeja (paye|regle|vire)e?s?\b",
    r"نعترض|اعتراض|معترض|نزاع|خلاف على|شكوى",
    r"خطأ في|خاطئ|غير صحيح|غير مطابق|لا يطابق",
    r"نرفض|رفض (الدفع|الفاتورة|التسديد)|لم (نستلم|نتسلم|يتم التسليم)|لم يتم (التسليم|الانجاز)",
    r"سبق (ان|و)? ?دفع|تم الدفع مسبقا",
)

PROMISE = _rx(
    r"\b(reglerons|reglerai|reglera|regleront|paierons|payerons|paierai|payerai|paiera|payera|paieront)\b",
    r"\b(verserons|verserai|virerons|virerai|effectuerons|enverrons|deposerons)\b",
    r"\bs'?engag(e|ent|eons|ez|e a)\b.{0,15}\b(a |de )?(regler|payer|verser|solder)\b",
    r"\b(promet(s|tons|tent)?|promis|promettre)\b.{0,10}\bde (payer|regler)\b|\bpromesse de (paiement|reglement)\b",
    r"\b(va|vais|allons|vont|vas)\s+(vous\s+)?(payer|regler|virer|verser|solder)\b",
    r"\b(sera|seront)\s+(regle|payee?|vire|verse|solde)e?s?\b",
    r"\b(paiement|reglement|virement|versement|cheque)\b.{0,12}\b(prevu|programme|planifie|en cours d'emission)e?s?\b",
    r"سن(دفع|سدد|حول)|سنقوم ب(ال)?(دفع|تسديد|سداد|تحويل)|سوف [نيت](دفع|سدد|حول)",
    r"سيتم (ال)?(تسديد|دفع|سداد|تحويل|صرف)|[نيت](لتزم|تعهد) ب(ال)?(دفع|تسديد|سداد)",
    r"وعد بالدفع|وعد ب(ال)?(تسديد|سداد)",
)

NEGATED_PROMISE = _rx(
    r"\bne\b.{0,25}\b(pas|plus|jamais)\b.{0,10}\b(payer|regler|verser)\b",
    r"\bn'(allons|avons|ai|est|a)\b.{0,10}\bpas\b.{0,25}\b(payer|regler|l'intention)\b",
    r"\bne (reglerons|paierons|payerons|verserons)\b|\bimpossible de (payer|regler)\b",
    r"لن (ندفع|نسدد|نحول|يتم)|لا (نستطيع|يمكننا) (الدفع|التسديد)",
)

PAYMENT_WORD = _rx(
    r"\b(paiements?|reglements?|virements?|versements?|cheques?|encaissements?|traites?)\b",
    r"\b(pa[yi]\w*|regl\w*|vir(er|erons|erai|e|ons)|vers(er|erons|erai|ons)|sold(er|erons|e))\b",
    r"الدفع|التسديد|السداد|التحويل|صك|شيك|ندفع|نسدد|دفع",
)

PAST_PAYMENT = _rx(
    r"\b(a|avons|ont|ai|avez|as)\s+(deja\s+)?(paye|regle|vire|verse|solde)e?s?\b|\bpaiement (recu|effectue)\b",
    r"\b(دفعنا|سددنا|حولنا|تم الدفع|تم التسديد|تم التحويل)",
)

RESOLUTION = _rx(
    r"\b(litige|reclamation|contestation|probleme|differend|desaccord)\b.{0,20}\b(regle|resolu|clos|clot|clotur|leve|retire|termine)e?s?\b",
    r"\b(regle|resolu)e?s? a l'amiable\b|\baccord (trouve|conclu|signe)\b|\bnous sommes d'accord\b",
    r"\b(retirons|retire|abandonn\w*)\b.{0,20}\b(contestation|reclamation|litige)\b",
    r"\bavoir (emis|etabli|envoye|recu)\b|\b(avons|a|ont) (emis|etabli|envoye) (un |l')?avoir\b",
    r"تمت التسوية|تم (حل|تسوية)|تم الاتفاق|اتفقنا|نسحب (الاعتراض|اعتراضنا|الشكوى)|سحب الاعتراض|انتهى النزاع",
)

NOT_RESOLVED = _rx(
    r"\b(pas|non|toujours pas|jamais|aucun)\b.{0,12}\b(regle|resolu|clos|leve|accord)",
    r"لم (يتم|تتم|يحل|نتفق)|لا يزال النزاع|ما زال النزاع",
)

# Invoice numbers: letters then digits with separators (F2026-0142, FA/2026/17, AV-2026-003)
# or "facture n° 142".
# A number may touch an Arabic letter ("F2026-7081 وF2026-7082": the conjunction و is written
# attached to the next word), so its edges are "no Latin letter, digit or _", not "\b".
_EDGE_BEFORE = r"(?<![^\W\u0600-\u06ff])"
_EDGE_AFTER = r"(?![^\W\u0600-\u06ff])"
_INVOICE = re.compile(
    _EDGE_BEFORE
    + r"([A-Za-z]{1,4}[-/]?\d{2,4}(?:[-/]\d{1,6})+|[A-Za-z]{1,3}\d{4,})"
    + _EDGE_AFTER
    + r"|(?:facture|fact\.?|الفاتورة|فاتورة)\s*(?:n[°o.]?|num[ée]ro|رقم)\s*:?\s*([A-Za-z0-9][\w/-]*\d)",
    re.IGNORECASE,
)


def invoice_numbers(text: str) -> list[str]:
    """Invoice numbers mentioned in ``text``, upper-cased, in order, without repeats."""
    out: list[str] = []
    for m in _INVOICE.finditer(fold_digits(text)):
        num = (m.group(1) or m.group(2)).upper()
        if num not in out:
            out.append(num)
    return out


def suspicious_signals(text: str) -> list[str]:
    """Names of the instruction-like patterns found (empty: nothing suspicious)."""
    t = fold(text)
    return [f"suspicious_{lang}" for lang, rx in SUSPICIOUS.items() if rx.search(t)]


def is_resolution(text: str) -> bool:
    """The note says a dispute is settled (and does not say it is not)."""
    t = fold(text)
    return bool(RESOLUTION.search(t)) and not NOT_RESOLVED.search(t)


def infer_kind(text: str, ref_date: date) -> Inference:
    """Classify one note; ``ref_date`` is the note's date (relative dates resolve from it)."""
    t = fold(text)
    numbers = invoice_numbers(text)
    bad = suspicious_signals(text)
    if bad:
        return Inference(
            kind="note", invoice_numbers=numbers, confidence=0.3, suspicious=True, signals=bad
        )
    resolves = is_resolution(text)
    if DISPUTE.search(t) and not resolves:
        return Inference(
            kind="dispute", invoice_numbers=numbers, confidence=0.85, signals=["dispute_cue"]
        )
    negated = bool(NEGATED_PROMISE.search(t))
    when = first_future_date(text, ref_date)
    if not negated and PROMISE.search(t):
        conf = 0.9 if when else 0.6
        return Inference(
            kind="promise",
            promised_date=when,
            invoice_numbers=numbers,
            confidence=conf,
            signals=["promise_cue"] + (["date"] if when else []),
        )
    if not negated and when and PAYMENT_WORD.search(t) and not PAST_PAYMENT.search(t):
        return Inference(
            kind="promise",
            promised_date=when,
            invoice_numbers=numbers,
            confidence=0.7,
            signals=["payment_word", "date"],
        )
    signals = ["negated_promise"] if negated else []
    return Inference(
        kind="note",
        invoice_numbers=numbers,
        confidence=0.5,
        resolves=resolves,
        signals=signals + (["resolution_cue"] if resolves else []),
    )
