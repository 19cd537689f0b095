"""Reading a reminder as a client, an accountant and a lawyer would: rules on the letter's text
alone, given what the books say (the client's history, which invoices are in default, whether
the client is a public body). They never look at how the letter was written, so the offline
composer and a model are read alike: the model writer's fact check runs them on every letter
a model writes (:func:`read_written`, books from the draft's facts:
``agents/dunning/model_writer.books_of``), the dunning eval on every letter of its cases
(``evals/eval_dunning.py``, which imports them through ``evals/letter_rules.py``).

Each rule returns True (the letter holds), False (a defect), or None (does not apply):

- ``history``: every earlier exchange the letter cites ("rappel le 30/09/2026", "échange du
  …", "تذكيرا بتاريخ …") exists in the history on that date and was about one of the letter's
  invoices (or about the whole account, for a promise); "malgré notre précédent rappel" needs
  such a reminder, "nos rappels" (plural) two of them, and "deuxième relance" one — about
  the invoices the claim's sentence names when it names some (a notice on part of a letter);
- ``register``: a formal notice (level 3) carries no casual wording (« Bonjour », « merci
  d'avance », « bonne journée », « السلام عليكم », « شكرا مسبقا »);
- ``notice_scope``: at level 3 the formal demand states the total of the invoices in default —
  not the letter's whole total when other invoices are not in default — and those others are
  named outside the demand;
- ``deadline``: the demand says whether its delay counts working or calendar days; with a plan
  proposed, it says the procedure starts only if neither payment nor agreement comes by the
  deadline, the first instalment falls on or before the deadline, and the plan's instalments
  add up to the amount it states (or to the demand's);
- ``public_body``: a public body's level 3 asks for the mandatement and payment, is addressed to
  the ordonnateur, and threatens no injonction de payer;
- ``service_fait``: a letter to a public body says the service fait was recorded ("dont le
  service fait a été constaté", "معاينة الخدمة المنجزة") only of invoices whose attestation de
  service fait is in the books (those its sentence names, else all the letter's): the supplier
  holds no other proof of it;
- ``checker``: an invoice whose document the invoice checker finds wrong (error level) is
  named in a warning to the owner, and no other invoice is; the letter itself does not tell
  the client about it (:func:`check_silent`, the part a letter alone decides); left out (one
  step), the letter no longer names it and still names the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from khazna.money import format_dzd

RULES = [
    "history",
    "register",
    "notice_scope",
    "deadline",
    "public_body",
    "service_fait",
    "checker",
]

_DATE = r"(\d{2})/(\d{2})/(\d{4})"
# an exchange of ours cited with its date: the word naming it (rappel, relance, courriel…),
# at most one word (its adjective), then the date ("rappel le", "relance du", "courrier en
# date du"; « تذكيرا بتاريخ », « مراسلتنا المؤرخة في », « اتصالنا يوم »)
_EXCHANGE_FR = (
    r"(?:rappel|relance|courrier|courriel|lettre|message|mail|e-mail|envoi|échange|entretien|"
    r"appel|conversation|correspondance)s?"
)
_EXCHANGE_AR = r"(?:تذكير|مراسل|رسال|تواصل|اتصال|مكالم|بريد|إرسال)\S*"
_CITED = [
    re.compile(
        r"\b" + _EXCHANGE_FR + r"(?: \w+)? (?:le|du|en date du|daté du|datée du) " + _DATE, re.I
    ),
    re.compile(_EXCHANGE_AR + r"(?: \S+)? (?:بتاريخ|المؤرخة? في|يوم|في) " + _DATE),
]
_PREVIOUS = re.compile(
    r"malgré (?:notre|nos) (?:précédent|premier|précédents) rappels?|malgré (?:notre|nos) relances?|"
    r"en dépit de (?:notre|nos) (?:rappels?|relances?)|رغم تذكيرنا|رغم تذكيراتنا|رغم مراسلاتنا|"
    r"رغم مراسلتنا",
    re.I,
)
# claims of two reminders or more ("nos rappels"), or of a second one ("deuxième relance")
_PREVIOUS_MANY = re.compile(
    r"(?:malgré|en dépit de) nos (?:précédents )?(?:rappels|relances)|رغم تذكيراتنا|رغم مراسلاتنا",
    re.I,
)
_SECOND = re.compile(r"deuxième relance|second(?:e)? (?:relance|rappel)|تذكير ثان", re.I)
_AMOUNT = re.compile(r"\d{1,3}(?: \d{3})*,\d{2}")
_INSTALMENT = re.compile(r"(\d{1,3}(?: \d{3})*,\d{2}) (?:DA|دج) \(" + _DATE + r"\)")
# what the client would read of an invoice printed wrong (the owner's warning, not theirs)
_WRONG_INVOICE = re.compile(
    r"montant en lettres|mention obligatoire|à corriger|comporte une erreur|erronée?s?\b|"
    r"rectifié|rectificati|version corrigée|facture corrigée|المبلغ بالحروف|بيان إلزامي|"
    r"تتضمن خطأ|يتضمن خطأ|خطأ في الفاتورة|مصححة|مصحّحة|تصحيح الفاتورة",
    re.I,
)
# words of a friendly note, not of a formal notice: greetings, thanks in advance, goodbyes
_CASUAL = re.compile(
    r"\bbonjour\b|\bsalut\b|\bcoucou\b|merci d'avance|merci par avance|bonne journée|"
    r"bonne continuation|à bientôt|à très vite|un petit rappel|\bbises\b|"
    r"السلام عليكم|شكرا مسبقا|مرحبا|أهلا|إلى اللقاء|تحياتنا الودية|تحياتي",
    re.I,
)
_DEMAND = re.compile(r"mettons en demeure|demandons formellement|نعذركم|نطلب منكم رسميا", re.I)
_UNITS = re.compile(r"jours? ouvrables|jours? calendaires|أيام عمل|أيام تقويمية|يوم عمل", re.I)
_PLAN = re.compile(r"échéancier|جدول تسديد", re.I)
_CONDITION = re.compile(r"ne sera engagée que si|ne seront engagées que si|إلا إذا", re.I)
_DEADLINE = re.compile(r"(?:au plus tard le|موعد أقصاه) " + _DATE)
# a court, or going to one: not the way a public body is brought to mandate
_COURT = re.compile(
    r"injonction|articles? 306|tribunal|juridiction|justice|judiciaire|contentieu|poursuites|"
    r"أمر بالأداء|قضائي|القضاء|المحكمة|محكمة|الجهات القضائية",
    re.I,
)
_MANDATE = re.compile(r"mandatement|صرف", re.I)
_ORDONNATEUR = re.compile(r"ordonnateur|الآمر بالصرف", re.I)
_SERVICE_DONE = re.compile(
    r"service fait (?:a été|a bien été|ayant été|est|été) (?:constaté|attesté|certifié|établi)|"
    r"(?:معاينة|إثبات) الخدمة المنجزة|الخدمة المنجزة (?:قد )?(?:تمت|تم) (?:معاينتها|إثباتها)",
    re.I,
)


@dataclass
class Exchange:
    on: date
    kind: str  # reminder, promise, dispute, note
    invoices: list[str]


@dataclass
class Books:
    """What the books say about the letter's client, as the rules need it."""

    invoices: dict[str, int]  # invoice number -> its level on the day (1, 2 or 3)
    open_amounts: dict[str, Decimal]
    history: list[Exchange] = field(default_factory=list)
    public_body: bool = False
    defective: list[str] = field(default_factory=list)  # invoices whose document is wrong
    # invoices with an attestation de service fait in the books (None: not known)
    attested: list[str] | None = None


def _norm(text: str) -> str:
    return (
        text.replace("\u202f", " ")
        .replace("\u00a0", " ")
        .replace("\u200f", "")
        .replace("\u200e", "")
        .translate({c: None for c in range(0x2066, 0x206A)})
    )


def _date(m: re.Match, first: int = 1) -> date | None:
    try:
        return date(int(m.group(first + 2)), int(m.group(first + 1)), int(m.group(first)))
    except ValueError:
        return None


def _amount_in(text: str, amount: Decimal) -> bool:
    shown = _norm(format_dzd(amount)).replace(" DA", "")
    return shown in text


def check_history(text: str, books: Books) -> bool | None:
    letter = set(books.invoices)
    applies = False
    for sentence in re.split(r"(?<=[.!?؟])\s+|\n+", text):
        for rx in _CITED:
            for m in rx.finditer(sentence):
                applies = True
                on = _date(m)
                named = {n for n in letter if n in sentence}
                ok = any(
                    e.on == on
                    and (set(e.invoices) & letter or (e.kind == "promise" and not e.invoices))
                    and (not named or set(e.invoices) & named or not e.invoices)
                    for e in books.history
                )
                if not ok:
                    return False
    for sentence in re.split(r"(?<=[.!?؟])\s+|\n+", text):
        # a claim of earlier reminders is about the invoices its sentence names (a formal
        # notice on part of the letter: "malgré nos rappels, les factures A, B …"), else the
        # letter's
        about = {n for n in letter if n in sentence} or letter
        reminders = sum(
            1 for e in books.history if e.kind == "reminder" and set(e.invoices) & about
        )
        if _PREVIOUS.search(sentence) or _SECOND.search(sentence):
            applies = True
            if reminders == 0:
                return False
        if _PREVIOUS_MANY.search(sentence):
            applies = True
            if reminders < 2:
                return False
    return True if applies else None


def check_register(text: str, level: int) -> bool | None:
    if level != 3:
        return None
    return not _CASUAL.search(text)


def _demand(text: str) -> str | None:
    return next((p for p in text.split("\n\n") if _DEMAND.search(p)), None)


def check_notice_scope(text: str, level: int, books: Books) -> bool | None:
    if level != 3:
        return None
    demand = _demand(text)
    if demand is None:
        return False
    in_default = [n for n, lv in books.invoices.items() if lv == 3]
    others = [n for n, lv in books.invoices.items() if lv < 3]
    notice_total = sum((books.open_amounts[n] for n in in_default), Decimal("0"))
    if not _amount_in(demand, notice_total):
        return False
    if not others:
        return True
    whole = sum(books.open_amounts.values(), Decimal("0"))
    if _amount_in(demand, whole) or any(n in demand for n in others):
        return False
    rest = text.replace(demand, "")
    return all(n in rest for n in others)


def check_deadline(text: str, level: int) -> bool | None:
    if level != 3:
        return None
    demand = _demand(text)
    if demand is None or not _UNITS.search(demand):
        return False
    if not _PLAN.search(text):
        return True
    if not _CONDITION.search(text):
        return False
    m = _DEADLINE.search(demand)
    deadline = _date(m) if m else None
    plan_par = next((p for p in text.split("\n\n") if _PLAN.search(p) and re.search(_DATE, p)), "")
    first = re.search(_DATE, plan_par)
    first_day = _date(first) if first else None
    if not (deadline and first_day and first_day <= deadline):
        return False
    return _plan_adds_up(plan_par, demand)


def _money(shown: str) -> Decimal:
    return Decimal(shown.replace(" ", "").replace(",", "."))


def _plan_adds_up(plan_par: str, demand: str) -> bool:
    """The instalments add up to the total the plan paragraph states, or to the demand's."""
    parts = [_money(m.group(1)) for m in _INSTALMENT.finditer(plan_par)]
    if not parts:
        return False
    spans = [m.span(1) for m in _INSTALMENT.finditer(plan_par)]
    stated = [
        _money(m.group(0))
        for m in _AMOUNT.finditer(plan_par)
        if not any(a <= m.start() < b for a, b in spans)
    ]
    return sum(parts, Decimal("0")) in stated + [
        _money(m.group(0)) for m in _AMOUNT.finditer(demand)
    ]


def check_public_body(text: str, level: int, books: Books) -> bool | None:
    if level != 3 or not books.public_body:
        return None
    return bool(_MANDATE.search(text) and _ORDONNATEUR.search(text) and not _COURT.search(text))


def check_service_fait(text: str, books: Books) -> bool | None:
    if not books.public_body or books.attested is None:
        return None
    letter = set(books.invoices)
    for sentence in re.split(r"(?<=[.!?؟])\s+|\n+", text):
        if _SERVICE_DONE.search(sentence):
            about = {n for n in letter if n in sentence} or letter
            if not about <= set(books.attested):
                return False
    return True


@dataclass
class Checked:
    """What the owner is shown beside the letter about its invoices: the invoice checker's
    warnings, and the letter written again once the warned invoices are left out (None when
    nothing was left out, or when it was the letter's only invoice)."""

    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    retold: str | None = None


def check_silent(text: str, books: Books) -> bool | None:
    """With an invoice of the letter printed wrong, the letter does not tell the client so
    ("montant en lettres", "à corriger"): that is the owner's warning, not the client's news."""
    if not any(n in books.invoices for n in books.defective):
        return None
    return not _WRONG_INVOICE.search(text)


def check_checker(text: str, books: Books, checked: Checked | None) -> bool | None:
    letter = set(books.invoices)
    wrong = [n for n in books.defective if n in letter]
    checked = checked or Checked()
    if not wrong and not checked.warnings:
        return None
    warned = {n for n in letter if any(n in w for w in checked.warnings)}
    if warned != set(wrong) or check_silent(text, books) is False:
        return False
    if set(checked.left_out) != set(wrong):
        return False
    if checked.retold is None:
        return len(letter) == len(wrong)  # nothing else to write a letter about
    retold = _norm(checked.retold)
    return not any(n in retold for n in wrong) and all(
        n in retold for n in letter if n not in wrong
    )


def read_letter(
    subject: str,
    short: str,
    detailed: str,
    level: int,
    books: Books,
    checked: Checked | None = None,
) -> dict:
    """Every rule on one letter (the detailed text, and the short one where it applies)."""
    body = _norm(detailed)
    everything = _norm("\n\n".join([subject, short, detailed]))
    return {
        "history": check_history(everything, books),
        "register": check_register(everything, level),
        "notice_scope": check_notice_scope(body, level, books),
        "deadline": check_deadline(body, level),
        "public_body": check_public_body(everything, level, books),
        "service_fait": check_service_fait(everything, books),
        "checker": check_checker(everything, books, checked),
    }


def read_written(subject: str, short: str, detailed: str, level: int, books: Books) -> dict:
    """The rules a letter alone decides, as a writer's check runs them before the owner sees
    the draft: every rule of :func:`read_letter`, ``checker`` reduced to :func:`check_silent`
    (the owner's warnings and the letter without the wrong invoice are the draft's, not the
    writer's)."""
    out = read_letter(subject, short, detailed, level, books, None)
    out["checker"] = check_silent(_norm("\n\n".join([subject, short, detailed])), books)
    return out
