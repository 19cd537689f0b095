"""The offline dunning writer: tone by client kind, wording by level, French or Arabic.

Phrases live in ``prompts/dunning/phrases.<lang>.yaml``; every figure comes from
:class:`~khazna.agents.dunning.facts.DunningFacts` and is formatted here.
"""

from __future__ import annotations

import string
from decimal import Decimal
from functools import cache

import yaml
from pydantic import BaseModel

from khazna import prompts
from khazna.agents.dunning.facts import DunningFacts, split_notice
from khazna.ledger.documents import PIECES
from khazna.mail.letter_html import TextTable
from khazna.money import format_dzd
from khazna.text import isolate_latin
from khazna.tools.dunning import public_head

RLM = "\u200f"


class ReminderText(BaseModel):
    subject: str
    short: str
    detailed: str


@cache
def phrases(language: str) -> dict:
    return yaml.safe_load(prompts.load("dunning", "phrases", language, ext="yaml"))


def fmt_date(d) -> str:
    return d.strftime("%d/%m/%Y")


def fmt_money(v, language: str) -> str:
    return format_dzd(v, symbol="دج" if language == "ar" else "DA")


def _fill(template: str, values: dict[str, str]) -> str:
    return string.Template(template).substitute(values)


def register(f: DunningFacts, p: dict) -> str:
    """The tone: the client's profile; a public body's always; at level 3 (a formal notice)
    the formal register for every profile — a PME's notice does not open with "Bonjour"."""
    if f.public_body:
        return "administration"
    kind = f.client_kind if f.client_kind in p["salutation"] else "pme"
    if f.level == 3 and kind in ("pme", "particulier"):
        return "grand_compte"
    return kind


def civil(p: dict, key: str, kind: str, civility: str, head: str = "directeur") -> str:
    """The phrase ``key`` (salutation, closing…) of the register ``kind``, addressed to the
    client's civility when it is known (``key_f`` / ``key_m`` tables: « Madame, », « سيدتي »),
    else the neutral one (« Madame, Monsieur, »). A public body is addressed to its head
    (``head`` table: « Monsieur le Président » of an APC, « Monsieur le Recteur »)."""
    heads = p.get("head", {})
    if kind == "administration" and head in heads:
        table = heads[head][key]
        return table.get(civility) or table["neutral"]
    if civility:
        table = p.get(f"{key}_{civility}") or {}
        if kind in table:
            return table[kind]
    return p[key][kind]


def _join(items: list[str], p: dict, sep: str) -> str:
    """``a, b et c`` (``a، b وc``: the Arabic conjunction is written on the next word)."""
    if len(items) == 1:
        return items[0]
    return sep.join(items[:-1]) + p["list_and"] + items[-1]


def attachment_phrase(f: DunningFacts, p: dict, sep: str) -> str:
    """What the letter says is attached: the invoice(s), then the pieces stored with them
    (delivery notes, attestations de service fait), one item per kind, named with their
    invoices when there are several invoices (« les attestations de service fait des factures
    A, B et C »). The email attaches the same documents (``approval/sending.py``)."""
    one = len(f.invoices) == 1
    items = [p["attachment_one"] if one else p["attachment_many"]]
    numbers: dict[str, list[str]] = {}  # kind -> its invoices, in the letter's order
    for piece in f.pieces:
        numbers.setdefault(piece.kind, []).append(piece.number)
    for kind in sorted(numbers, key=list(PIECES.values()).index):  # delivery notes first
        nums = numbers[kind]
        if one:
            items.append(p["piece"][kind])
        elif len(nums) == 1:
            items.append(
                _fill(p["piece_of_invoice"], {"piece": p["piece"][kind], "number": nums[0]})
            )
        else:
            values = {"pieces": p["pieces"][kind], "numbers": _join(nums, p, sep)}
            items.append(_fill(p["pieces_of_invoices"], values))
    return _join(items, p, sep)


def _invoices_phrase(p: dict, invoices: list, total, lang: str, sep: str) -> str:
    if len(invoices) == 1:
        inv = invoices[0]
        one = {
            "number": inv.number,
            "issue_date": fmt_date(inv.issue_date),
            "due_date": fmt_date(inv.due_date),
            "open_amount": fmt_money(inv.open_amount, lang),
        }
        return _fill(p["invoice_one"], one)
    many = {"total": fmt_money(total, lang), "numbers_list": sep.join(i.number for i in invoices)}
    return _fill(p["invoice_many"], many)


def invoice_table(f: DunningFacts) -> TextTable | None:
    """The letter's invoices (several, or any at level 2-3): one line per invoice in the text,
    the same cells for the HTML table (``mail/letter_html.py``). Arabic lines carry their
    isolates, as the composed text does, so the approved text still holds this block."""
    if not (len(f.invoices) > 1 or f.level >= 2):
        return None
    lang = f.language if f.language in ("fr", "ar") else "fr"
    p = phrases(lang)
    lines, rows = [], []
    for inv in f.invoices:
        cells = {
            "number": inv.number,
            "issue_date": fmt_date(inv.issue_date),
            "due_date": fmt_date(inv.due_date),
            "open_amount": fmt_money(inv.open_amount, lang),
            "days_late": str(inv.days_late),
        }
        lines.append(_fill(p["table_line"], cells))
        rows.append(
            (
                cells["number"],
                cells["issue_date"],
                cells["due_date"],
                cells["open_amount"],
                _fill(p["table_days"], cells),
            )
        )
    text = "\n".join(lines)
    if lang == "ar":
        text = RLM + isolate_latin(text)
    return TextTable(text=text, columns=tuple(p["table_columns"]), rows=tuple(rows), numeric=(3, 4))


def attested(f: DunningFacts) -> bool:
    """Is the service fait of every invoice the opening names (those of the formal demand on
    part of a letter, else all) attested by a piece in the books?"""
    named = f.notice_invoices if split_notice(f) else [i.number for i in f.invoices]
    signed = {p.number for p in f.pieces if p.kind == PIECES["ASF"]}
    return bool(named) and set(named) <= signed


def compose(f: DunningFacts) -> ReminderText:
    lang = f.language if f.language in ("fr", "ar") else "fr"
    p = phrases(lang)
    kind = register(f, p)
    public3 = f.public_body and f.level == 3
    split = split_notice(f)
    sep = "، " if lang == "ar" else ", "
    numbers = [i.number for i in f.invoices]
    values = {
        "client": f.client_name,
        "company": f.company_name,
        "numbers": sep.join(numbers),
        "numbers_list": sep.join(numbers),
        "total": fmt_money(f.total, lang),
        "max_days_late": str(f.max_days_late),
        "deadline": fmt_date(f.deadline) if f.deadline else "",
        "deadline_days": str(f.deadline_days or ""),
        "rib": f.rib,
    }
    if len(f.invoices) == 1:
        inv = f.invoices[0]
        one = {
            "number": inv.number,
            "issue_date": fmt_date(inv.issue_date),
            "due_date": fmt_date(inv.due_date),
            "open_amount": fmt_money(inv.open_amount, lang),
        }
        values["invoices_phrase"] = _fill(p["invoice_one"], one)
        values["invoices_short"] = inv.number
    else:
        values["invoices_phrase"] = _fill(p["invoice_many"], values)
        values["invoices_short"] = values["numbers"]
    values["attachment_phrase"] = attachment_phrase(f, p, sep)
    civility = f.civility
    head = public_head(f.client_name) if f.public_body else "directeur"
    values["salutation_short"] = _fill(civil(p, "salutation_short", kind, civility, head), values)
    others = []
    values["others_subject"] = values["others_short"] = ""
    if split:  # the formal demand covers the invoices in default; the rest is a reminder
        notice = [i for i in f.invoices if i.number in f.notice_invoices]
        others = [i for i in f.invoices if i.number not in f.notice_invoices]
        assert f.notice_total is not None
        values["total"] = fmt_money(f.notice_total, lang)
        values["invoices_phrase"] = _invoices_phrase(p, notice, f.notice_total, lang, sep)
        values["invoices_short"] = sep.join(i.number for i in notice)
        values["numbers"] = values["invoices_short"]
        # the subject and the short text name the other invoices too, outside the demand
        extra = {
            "others_numbers": _join([i.number for i in others], p, sep)
            if lang != "ar"
            else sep.join(i.number for i in others),
            "others_total": fmt_money(f.total - f.notice_total, lang),
        }
        count = "one" if len(others) == 1 else "many"
        values["others_subject"] = _fill(p[f"others_subject_{count}"], extra)
        values["others_short"] = _fill(p[f"others_short_{count}"], extra)

    # no reminder went out before about these invoices: the letter does not claim one did
    # (not a "deuxième relance", not "malgré notre précédent rappel"); after one, "notre
    # rappel" — never "nos rappels"
    first = f.previous_reminders == 0
    if public3:
        subject = _fill(p["subject_public_3"][3], values)
    elif f.level == 2 and first:
        subject = _fill(p["subject_first"][2], values)
    else:
        subject = _fill(p["subject"][f.level], values)
    many = f.level < 3 and len(values["invoices_short"].split(sep)) > 1
    if public3:
        short = _fill(p["short_public"][3], values)
    elif f.level == 3 and f.plan:
        short = _fill(p["short_plan_3"], values)
    elif f.level == 2 and first:
        short = _fill(p["short_first_many" if many else "short_first"][2], values)
    else:
        short = _fill(p["short_many" if many else "short"][f.level], values)

    opening = p["opening"][kind][f.level]
    if f.level >= 2 and first:
        table = p["opening_first"]
        opening = table.get(kind, table["default"])[f.level]
    elif f.level == 3 and f.previous_reminders == 1:
        opening = p["opening_one"][kind]
    if kind == "administration" and not attested(f):
        un = p["unattested"]
        if f.level >= 2 and first:
            opening = un["opening_first"][f.level]
        elif f.level == 3 and f.previous_reminders == 1:
            opening = un["opening_one"]
        else:
            opening = un["opening"][f.level]
    paragraphs = [
        _fill(civil(p, "salutation", kind, civility, head), values),
        _fill(opening, values),
    ]
    if public3:
        paragraphs.insert(0, p["attention_public_3"])
    if f.history is not None:
        cited = f.history.invoice_numbers
        h = {
            "history_date": fmt_date(f.history.date),
            "history_promised": fmt_date(f.history.promised_date)
            if f.history.promised_date
            else "",
            "history_about": _fill(
                p["history_about_one" if len(cited) == 1 else "history_about_many"],
                {"numbers": sep.join(cited)},
            )
            if cited
            else "",
        }
        key = (
            "history_promise"
            if f.history.kind == "promise" and f.history.promised_date
            else "history_reminder"
        )
        paragraphs.append(_fill(p[key], h).replace("  ", " ").replace(" .", ".").replace(" ،", "،"))
    table = invoice_table(f)
    if table is not None:
        paragraphs.append(table.text)
    request = p["request_public_3"] if public3 else p["request"][kind][f.level]
    paragraphs.append(_fill(request, values))
    if f.plan:
        plan_lines = sep.join(f"{fmt_money(i.amount, lang)} ({fmt_date(i.date)})" for i in f.plan)
        plan_total = sum((i.amount for i in f.plan), Decimal("0"))
        plan_values = {
            "plan_count": str(len(f.plan)),
            "plan_lines": plan_lines,
            "plan_total": fmt_money(plan_total, lang),
            # beside a formal notice on part of the invoices, the plan covers them all
            "plan_scope": p["plan_scope_all"] if split and plan_total == f.total else "",
        }
        paragraphs.append(_fill(p["plan"], plan_values))
    if f.level == 3:
        if public3:
            paragraphs.append(p["consequence_public_3"])
        else:
            paragraphs.append(_fill(p["consequence_3_plan" if f.plan else "consequence_3"], values))
    if others:
        others_total = f.total - (f.notice_total or 0)
        key = "others_one" if len(others) == 1 else "others_many"
        paragraphs.append(
            _fill(
                p[key],
                {
                    "others_phrase": _invoices_phrase(p, others, others_total, lang, sep),
                    "others_total": fmt_money(others_total, lang),
                },
            )
        )
    if f.rib:
        paragraphs.append(_fill(p["payment_means"], values))
    paragraphs.append(_fill(p["attachments"], values))
    if f.level < 3:
        paragraphs.append(p["already_paid"])
    paragraphs.append(_fill(civil(p, "closing", kind, civility, head), values))
    paragraphs.append(_fill(p["signature"], values))
    detailed = "\n\n".join(paragraphs)
    if lang == "ar":
        # each paragraph starts right-to-left in plain-text mail readers; invoice numbers,
        # dates, amounts and the RIB are isolated left-to-right runs
        detailed = "\n\n".join(
            para if para.startswith(RLM) else RLM + isolate_latin(para)
            for para in detailed.split("\n\n")
        )
        short = RLM + isolate_latin(short)
    return ReminderText(subject=subject, short=short, detailed=detailed)
