"""The weekly commentary, offline: a few readable paragraphs built from the facts, in the
company's language (French here; Arabic from ``prompts/reporter/phrases.ar.yaml``)."""

from __future__ import annotations

import string
from functools import cache

import yaml

from khazna import prompts
from khazna.agents.reporter.facts import ReportFacts, week_is_open, week_span
from khazna.money import format_dzd
from khazna.text import isolate_latin, isolate_name
from khazna.tools.anomalies import KINDS

STATUS_FR = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}


def d(x) -> str:
    return x.strftime("%d/%m/%Y")


@cache
def phrases_ar() -> dict:
    return yaml.safe_load(prompts.load("reporter", "phrases", "ar", ext="yaml"))


def books_paragraph(f: ReportFacts) -> str | None:
    """« Attention : les livres s'arrêtent au … » when the books stop before the as-of day
    (the sentence every command shows, :func:`khazna.tools.status.books_end`), in the
    company's language; None when they reach it."""
    if not f.books_note or f.books_end is None:
        return None
    if f.language == "ar":
        return string.Template(phrases_ar()["books_end"]).substitute(
            end=d(f.books_end), days=(f.as_of - f.books_end).days, as_of=d(f.as_of)
        )
    return f"Attention : {f.books_note}."


def with_books_paragraph(f: ReportFacts, text: str) -> str:
    """The commentary (the template's or the model's) opened by :func:`books_paragraph`:
    computed by the code, so it is there whoever wrote the rest, and only once."""
    first = books_paragraph(f)
    if first is None or text.startswith(first):
        return text
    return f"{first}\n\n{text}"


def compose_commentary(f: ReportFacts) -> str:
    if f.language == "ar":
        return compose_commentary_ar(f)
    m = format_dzd
    paras = []
    trend = "un excédent" if f.net >= 0 else "un déficit"
    span = week_span(f, "fr")
    so_far = "depuis le début de la semaine" if week_is_open(f) else "sur la semaine"
    paras.append(
        f"{span[0].upper()}{span[1:]} : {m(f.cash_in)} encaissés et {m(f.cash_out)} décaissés, "
        f"soit {trend} de {m(abs(f.net))} {so_far}. La trésorerie s'établit à {m(f.cash_position)} "
        f"au {d(f.as_of)}."
    )
    status = STATUS_FR.get(f.forecast_status, f.forecast_status)
    if f.forecast_status == "tension":
        first = f.tension_days[0]
        paras.append(
            f"Prévision sur {f.horizon_days} jours : statut {status}. Le solde deviendrait négatif dès le {d(first)} "
            f"et atteindrait son point bas le {d(f.min_balance_date)} à {m(f.min_balance)}, sous le seuil de sécurité "
            f"de {m(f.threshold)}. Il faut accélérer les encaissements ou décaler des décaissements avant cette date."
        )
    elif f.forecast_status == "a_surveiller":
        paras.append(
            f"Prévision sur {f.horizon_days} jours : statut {status}. Le point bas est attendu le "
            f"{d(f.min_balance_date)} à {m(f.min_balance)}, sous le seuil de sécurité de {m(f.threshold)}, "
            "sans passer en négatif."
        )
    else:
        paras.append(
            f"Prévision sur {f.horizon_days} jours : statut {status}. Le point bas est attendu le "
            f"{d(f.min_balance_date)} à {m(f.min_balance)}, au-dessus du seuil de sécurité de {m(f.threshold)}."
        )
    if f.prob_below_threshold is not None:
        paras.append(f"Probabilité de passer sous le seuil : {f.prob_below_threshold} %.")
    if f.excess_cash > 0:
        paras.append(
            f"Excédent plaçable : {m(f.excess_cash)} peuvent être placés pour {f.horizon_days} jours sans "
            "franchir le seuil de sécurité (dépôt à terme ou bon de caisse)."
        )
    else:
        paras.append(
            "Aucun excédent à placer sur la période : le bas de la fourchette (P10) ne dépasse pas le seuil de sécurité."
        )
    if f.riskiest:
        top = f.riskiest[:3]
        names = ", ".join(
            f"{r.number} ({isolate_name(r.client_name)}, {m(r.open_amount)}, "
            f"{r.days_late} jours de retard)"
            for r in top
        )
        paras.append(
            f"Créances : {m(f.open_receivables)} restent à encaisser, dont {m(f.overdue_receivables)} échus. "
            f"Les factures les plus à risque sont {names}."
        )
    if f.out_of_norm:
        kinds: dict[str, int] = {}
        for a in f.out_of_norm:
            kinds[a.kind] = kinds.get(a.kind, 0) + 1
        parts = ", ".join(
            KINDS[k].counted(n) if k in KINDS else f"{n} {k}" for k, n in sorted(kinds.items())
        )
        paras.append(
            f"Dépenses hors norme sur 30 jours : {parts} (détail : le tableau « Dépenses hors "
            "norme (30 jours) »)."
        )
    else:
        paras.append("Aucune dépense hors norme sur les 30 derniers jours.")
    return "\n\n".join(paras)


def compose_commentary_ar(f: ReportFacts) -> str:
    """The same paragraphs in Arabic: amounts in « دج », Latin tokens isolated."""
    p = phrases_ar()

    def m(v) -> str:
        return format_dzd(v, symbol="دج")

    def fill(key: str, **values) -> str:
        return string.Template(p[key]).substitute({k: str(v) for k, v in values.items()})

    status = p["status"].get(f.forecast_status, f.forecast_status)
    common = {"horizon": f.horizon_days, "status": status, "min_date": d(f.min_balance_date),
              "min_balance": m(f.min_balance), "threshold": m(f.threshold)}  # fmt: skip
    paras = [
        fill(
            "week",
            week=week_span(f, "ar"),
            cash_in=m(f.cash_in),
            cash_out=m(f.cash_out),
            trend=p["surplus"] if f.net >= 0 else p["deficit"],
            net=m(abs(f.net)),
            cash_position=m(f.cash_position),
            as_of=d(f.as_of),
        )  # fmt: skip
    ]
    if f.forecast_status == "tension":
        paras.append(fill("forecast_tension", first=d(f.tension_days[0]), **common))
    elif f.forecast_status == "a_surveiller":
        paras.append(fill("forecast_watch", **common))
    else:
        paras.append(fill("forecast_ok", **common))
    if f.prob_below_threshold is not None:
        paras.append(fill("prob_below", prob=f.prob_below_threshold))
    if f.excess_cash > 0:
        paras.append(fill("excess", excess=m(f.excess_cash), horizon=f.horizon_days))
    else:
        paras.append(p["no_excess"])
    if f.riskiest:
        names = "، ".join(
            fill(
                "risky_one",
                number=r.number,
                client=r.client_name,
                amount=m(r.open_amount),
                days=r.days_late,
            )  # fmt: skip
            for r in f.riskiest[:3]
        )
        paras.append(fill("receivables", open_receivables=m(f.open_receivables),
                          overdue=m(f.overdue_receivables), names=names))  # fmt: skip
    if f.out_of_norm:
        n = len(f.out_of_norm)
        counts = p["out_of_norm_count"]
        count = counts["one"] if n == 1 else string.Template(counts["many"]).substitute(n=n)
        paras.append(fill("out_of_norm", count=count))
    else:
        paras.append(p["no_out_of_norm"])
    return "\n\n".join(isolate_latin(para) for para in paras)
