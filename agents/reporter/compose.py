"""The weekly commentary, offline: a few readable French paragraphs built from the facts."""

from __future__ import annotations

from khazna.agents.reporter.facts import ReportFacts
from khazna.money import format_dzd
from khazna.tools.anomalies import KINDS

STATUS_FR = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}


def d(x) -> str:
    return x.strftime("%d/%m/%Y")


def compose_commentary(f: ReportFacts) -> str:
    m = format_dzd
    paras = []
    trend = "un excédent" if f.net >= 0 else "un déficit"
    paras.append(
        f"Semaine du {d(f.week_start)} au {d(f.week_end)} : {m(f.cash_in)} encaissés et {m(f.cash_out)} décaissés, "
        f"soit {trend} de {m(abs(f.net))} sur la semaine. La trésorerie s'établit à {m(f.cash_position)} "
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
    if f.excess_cash > 0:
        paras.append(
            f"Excédent plaçable : {m(f.excess_cash)} peuvent être placés pour {f.horizon_days} jours sans "
            "franchir le seuil de sécurité (dépôt à terme ou bon de caisse)."
        )
    else:
        paras.append(
            "Aucun excédent à placer sur la période : le point bas ne dépasse pas le seuil de sécurité."
        )
    if f.riskiest:
        top = f.riskiest[:3]
        names = ", ".join(
            f"{r.number} ({r.client_name}, {m(r.open_amount)}, {r.days_late} jours de retard)"
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
            f"Dépenses hors norme sur 30 jours : {parts}. Le détail figure dans le rapport."
        )
    else:
        paras.append("Aucune dépense hors norme sur les 30 derniers jours.")
    return "\n\n".join(paras)
