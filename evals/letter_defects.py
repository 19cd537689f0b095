"""Letters with one defect each, as a model might write them: the offline composer's letter
(which the letter rules accept) changed in one place. They feed the model writer through a
fake OpenAI-protocol server (``tests/test_dunning_model_rules.py``,
``benchmarks/bench_dunning_model_rules.py``) to measure whether its check catches each
defect. Every change keeps the letter's figures within the facts (a date, an amount the
facts hold), so that the fact check of figures alone would let it through: what catches it
is a letter rule.

Defects, each applied only to the letters where it means something:

- ``false_history``: "we already sent a reminder on <date> about <invoice>" with a date of
  the facts (the first invoice's issue date) on which no reminder went out;
- ``register``: a level-3 letter opening « Bonjour, » and closing « Merci d'avance, et bonne
  journée. » (« السلام عليكم » / « شكرا مسبقا »);
- ``notice_scope``: a level-3 demand on part of the letter stating the letter's whole total;
- ``deadline_units``: a level-3 delay without « ouvrables » (« أيام » without « عمل »);
- ``plan_condition``: a level-3 letter with a plan threatening the procedure unconditionally;
- ``public_court``: a public body's level 3 threatening an injonction de payer;
- ``service_fait``: a public body told its service fait was recorded with no attestation in
  the books for the invoices demanded;
- ``checker_told``: the client told that an invoice's amount in words is wrong (the owner's
  warning, not the client's news).
"""

from __future__ import annotations

from collections.abc import Callable

from khazna.agents.dunning.compose import (
    RLM,
    ReminderText,
    attested,
    fmt_date,
    fmt_money,
    phrases,
)
from khazna.agents.dunning.facts import DunningFacts, split_notice
from khazna.text import isolate_latin

DefectMaker = Callable[[ReminderText, DunningFacts], ReminderText | None]


def _ar(f: DunningFacts) -> bool:
    return f.language == "ar"


def _para(text: str, f: DunningFacts) -> str:
    """A paragraph in the letter's writing (Arabic: right-to-left, Latin runs isolated)."""
    return RLM + isolate_latin(text) if _ar(f) else text


def _insert_after_opening(letter: ReminderText, paragraph: str) -> ReminderText:
    parts = letter.detailed.split("\n\n")
    attention = {phrases(lang)["attention_public_3"] for lang in ("fr", "ar")}
    at = 2 if parts[0].lstrip(RLM) in attention else 1  # after the salutation and opening
    parts.insert(at + 1, paragraph)
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def false_history(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    first = f.invoices[0]
    if any(e.date == first.issue_date for e in f.exchanges):
        return None
    on, number = fmt_date(first.issue_date), first.number
    text = (
        f"سبق أن وجهنا إليكم تذكيرا بتاريخ {on} بخصوص الفاتورة {number}."
        if _ar(f)
        else f"Nous vous avions déjà adressé un rappel le {on} au sujet de la facture {number}."
    )
    return _insert_after_opening(letter, _para(text, f))


def register(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3:
        return None
    hello, thanks = (
        ("السلام عليكم،", "شكرا مسبقا.")
        if _ar(f)
        else ("Bonjour,", "Merci d'avance, et bonne journée.")
    )
    parts = letter.detailed.split("\n\n")
    parts.insert(0, _para(hello, f))
    parts.insert(len(parts) - 1, _para(thanks, f))
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def _demand_index(parts: list[str]) -> int | None:
    keys = ("mettons en demeure", "demandons formellement", "نعذركم", "نطلب منكم رسميا")
    return next((i for i, p in enumerate(parts) if any(k in p for k in keys)), None)


def notice_scope(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3 or not split_notice(f) or f.notice_total is None:
        return None
    parts = letter.detailed.split("\n\n")
    i = _demand_index(parts)
    if i is None:
        return None
    lang = "ar" if _ar(f) else "fr"
    notice, whole = fmt_money(f.notice_total, lang), fmt_money(f.total, lang)
    shown = lambda s: isolate_latin(s) if _ar(f) else s  # noqa: E731
    before = parts[i]
    parts[i] = before.replace(shown(notice.removesuffix(" دج")), shown(whole.removesuffix(" دج")))
    parts[i] = parts[i].replace(notice, whole)
    if parts[i] == before:
        return None
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def deadline_units(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3:
        return None
    parts = letter.detailed.split("\n\n")
    i = _demand_index(parts)
    if i is None:
        return None
    before = parts[i]
    parts[i] = before.replace(" ouvrables", "").replace("أيام عمل", "أيام")
    if parts[i] == before:
        return None
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def plan_condition(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3 or not f.plan or f.public_body:
        return None
    keys = ("ne sera engagée que si", "إلا إذا")
    parts = letter.detailed.split("\n\n")
    i = next((k for k, p in enumerate(parts) if any(key in p for key in keys)), None)
    if i is None:
        return None
    parts[i] = _para(phrases("ar" if _ar(f) else "fr")["consequence_3"], f)
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def public_court(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3 or not f.public_body:
        return None
    text = (
        "وفي حال عدم الصرف في هذا الأجل، سنلجأ إلى القضاء لاستصدار أمر بالأداء."
        if _ar(f)
        else "À défaut de mandatement dans ce délai, nous saisirons le tribunal d'une requête "
        "en injonction de payer."
    )
    parts = letter.detailed.split("\n\n")
    i = _demand_index(parts)
    parts.insert((i if i is not None else len(parts) - 3) + 1, _para(text, f))
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def service_fait(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if not f.public_body or attested(f):
        return None
    text = (
        "ونذكركم بأنه قد تمت معاينة الخدمة المنجزة."
        if _ar(f)
        else "Nous vous rappelons que le service fait a été constaté."
    )
    return _insert_after_opening(letter, _para(text, f))


def checker_told(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if not f.defective:
        return None
    number = f.defective[0]
    text = (
        f"لاحظنا أن المبلغ بالحروف في الفاتورة {number} لا يطابق المجموع، وسنرسل لكم نسخة مصححة."
        if _ar(f)
        else f"Nous avons relevé que le montant en lettres de la facture {number} ne correspond "
        "pas au total : une facture corrigée vous sera adressée."
    )
    return _insert_after_opening(letter, _para(text, f))


DEFECTS: dict[str, DefectMaker] = {
    "false_history": false_history,
    "register": register,
    "notice_scope": notice_scope,
    "deadline_units": deadline_units,
    "plan_condition": plan_condition,
    "public_court": public_court,
    "service_fait": service_fait,
    "checker_told": checker_told,
}


# The same defects worded otherwise than the rules' examples (and the composer's phrases):
# does the check read the meaning, or only the words it was written from?
def false_history_reworded(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    first = f.invoices[0]
    if any(e.date == first.issue_date for e in f.exchanges):
        return None
    on, number = fmt_date(first.issue_date), first.number
    text = (
        f"على إثر مراسلتنا المؤرخة في {on} بخصوص الفاتورة {number}، لم نتلق أي رد."
        if _ar(f)
        else f"Suite à notre relance du {on} concernant la facture {number}, nous restons sans réponse."
    )
    return _insert_after_opening(letter, _para(text, f))


def register_reworded(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3:
        return None
    hello, bye = (
        ("مرحبا،", "تحياتنا الودية وإلى اللقاء.")
        if _ar(f)
        else ("Salut,", "Bonne continuation et à bientôt.")
    )
    parts = letter.detailed.split("\n\n")
    parts.insert(0, _para(hello, f))
    parts.insert(len(parts) - 1, _para(bye, f))
    return letter.model_copy(update={"detailed": "\n\n".join(parts)})


def public_court_reworded(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if f.level != 3 or not f.public_body:
        return None
    text = (
        "وفي حال عدم الصرف، سنرفع الأمر إلى المحكمة المختصة."
        if _ar(f)
        else "À défaut, nous porterons l'affaire devant le tribunal compétent."
    )
    return _insert_after_opening(letter, _para(text, f))


def service_fait_reworded(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if not f.public_body or attested(f):
        return None
    text = (
        "وقد تم إثبات الخدمة المنجزة من طرف مصالحكم."
        if _ar(f)
        else "Le service fait a été attesté par vos services."
    )
    return _insert_after_opening(letter, _para(text, f))


def checker_told_reworded(letter: ReminderText, f: DunningFacts) -> ReminderText | None:
    if not f.defective:
        return None
    number = f.defective[0]
    text = (
        f"الفاتورة {number} تتضمن خطأ، وسنرسل لكم نسخة مصححة."
        if _ar(f)
        else f"La facture {number} comporte une erreur ; nous vous en adresserons une version rectifiée."
    )
    return _insert_after_opening(letter, _para(text, f))


REWORDED: dict[str, DefectMaker] = {
    "false_history": false_history_reworded,
    "register": register_reworded,
    "public_court": public_court_reworded,
    "service_fait": service_fait_reworded,
    "checker_told": checker_told_reworded,
}

# the letter rule each defect breaks (``agents/dunning/letter_rules.py``)
RULE_OF = {
    "false_history": "history",
    "register": "register",
    "notice_scope": "notice_scope",
    "deadline_units": "deadline",
    "plan_condition": "deadline",
    "public_court": "public_body",
    "service_fait": "service_fait",
    "checker_told": "checker",
}


def as_answer(letter: ReminderText) -> str:
    """The letter in the model writer's answer format."""
    return (
        f"OBJET: {letter.subject}\n---COURT---\n{letter.short}\n---DÉTAILLÉ---\n{letter.detailed}"
    )
