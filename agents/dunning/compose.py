"""The offline dunning writer: tone by client kind, wording by level, French or Arabic.

Phrases live in ``prompts/dunning/phrases.<lang>.yaml``; every figure comes from
:class:`~khazna.agents.dunning.facts.DunningFacts` and is formatted here.
"""

from __future__ import annotations

import string
from functools import cache

import yaml
from pydantic import BaseModel

from khazna import prompts
from khazna.agents.dunning.facts import DunningFacts
from khazna.money import format_dzd

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


def compose(f: DunningFacts) -> ReminderText:
    lang = f.language if f.language in ("fr", "ar") else "fr"
    p = phrases(lang)
    kind = f.client_kind if f.client_kind in p["salutation"] else "pme"
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
        values["attachment_phrase"] = p["attachment_one"]
    else:
        values["invoices_phrase"] = _fill(p["invoice_many"], values)
        values["invoices_short"] = values["numbers"]
        values["attachment_phrase"] = p["attachment_many"]
    values["salutation_short"] = _fill(p["salutation_short"][kind], values)

    subject = _fill(p["subject"][f.level], values)
    short = _fill(p["short"][f.level], values)

    opening = p["opening"][kind][f.level]
    if f.level >= 2 and f.previous_reminders == 0:
        first = p["opening_first"]  # no reminder went out before: do not claim one did
        opening = first.get(kind, first["default"])[f.level]
    paragraphs = [_fill(p["salutation"][kind], values), _fill(opening, values)]
    if f.history is not None:
        h = {
            "history_date": fmt_date(f.history.date),
            "history_promised": fmt_date(f.history.promised_date)
            if f.history.promised_date
            else "",
        }
        key = (
            "history_promise"
            if f.history.kind == "promise" and f.history.promised_date
            else "history_reminder"
        )
        paragraphs.append(_fill(p[key], h))
    if len(f.invoices) > 1 or f.level >= 2:
        rows = [p["table_header"]]
        for inv in f.invoices:
            rows.append(
                _fill(
                    p["table_row"],
                    {
                        "number": inv.number,
                        "issue_date": fmt_date(inv.issue_date),
                        "due_date": fmt_date(inv.due_date),
                        "open_amount": fmt_money(inv.open_amount, lang),
                        "days_late": str(inv.days_late),
                    },
                )
            )
        paragraphs.append("\n".join(rows))
    paragraphs.append(_fill(p["request"][kind][f.level], values))
    if f.level == 3:
        paragraphs.append(p["consequence_3"])
    if f.plan:
        plan_lines = sep.join(f"{fmt_money(i.amount, lang)} ({fmt_date(i.date)})" for i in f.plan)
        paragraphs.append(
            _fill(p["plan"], {"plan_count": str(len(f.plan)), "plan_lines": plan_lines})
        )
    if f.rib:
        paragraphs.append(_fill(p["payment_means"], values))
    paragraphs.append(_fill(p["attachments"], values))
    if f.level < 3:
        paragraphs.append(p["already_paid"])
    paragraphs.append(_fill(p["closing"][kind], values))
    paragraphs.append(_fill(p["signature"], values))
    detailed = "\n\n".join(paragraphs)
    if lang == "ar":  # each paragraph starts right-to-left in plain-text mail readers
        detailed = "\n\n".join(RLM + para for para in detailed.split("\n\n"))
        short = RLM + short
    return ReminderText(subject=subject, short=short, detailed=detailed)
