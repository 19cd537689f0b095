"""``khazna placement [show|add|list|remove]``: excess cash to place, and the placements made."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal

from khazna.commands import summary
from khazna.commands.common import (
    CommandError,
    add_as_of,
    add_db,
    add_json,
    as_of,
    iso_date,
    open_ledger,
    print_json,
)
from khazna.money import MoneyError, format_dzd, parse_amount
from khazna.tools.forecast import ForecastError
from khazna.tools.placement import (
    PlacementError,
    PlacementPlan,
    add_placement,
    placement_plan,
    placements,
    remove_placement,
)

HELP = summary("placement")


def _amount(text: str) -> Decimal:
    t = text.strip()
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*([kKmM])", t)
    try:
        value = (
            Decimal(m.group(1).replace(",", ".")) * (1000 if m.group(2) in "kK" else 1_000_000)
            if m
            else parse_amount(t)
        )
    except (MoneyError, ArithmeticError):
        raise argparse.ArgumentTypeError(f"montant non compris : {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"un placement est un montant positif : {text!r}")
    return value


def _days(text: str) -> int:
    m = re.fullmatch(r"(\d+)\s*[djDJ]?", text.strip())
    if not m or int(m.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"durée non comprise : {text!r} (ex. 90 ou 90d)")
    return int(m.group(1))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("placement", help=HELP, description=HELP)
    add_db(p)
    add_as_of(p)
    add_json(p)
    p.set_defaults(func=cmd_show)
    cmds = p.add_subparsers(dest="placement_command", metavar="COMMAND")
    sh = cmds.add_parser(
        "show", help="ce qui peut être placé, pour combien de temps, et ce que cela rapporte"
    )
    add_db(sh)
    add_as_of(sh)
    add_json(sh)
    sh.set_defaults(func=cmd_show)
    ad = cmds.add_parser(
        "add", help="enregistre un placement fait (son débit bancaire est dans les comptes)"
    )
    ad.add_argument("amount", type=_amount, help="montant placé, p. ex. 2000000 ou 2M")
    ad.add_argument("--days", type=_days, required=True, help="durée en jours, p. ex. 90")
    ad.add_argument(
        "--product", default="", help="identifiant du produit dans policy.json (son taux)"
    )
    ad.add_argument(
        "--start", type=iso_date, default=None, help="jour où l'argent est parti (défaut : --as-of)"
    )
    add_db(ad)
    add_as_of(ad)
    add_json(ad)
    ad.set_defaults(func=cmd_add)
    ls = cmds.add_parser("list", help="les placements enregistrés, avec leur échéance")
    add_db(ls)
    add_json(ls)
    ls.set_defaults(func=cmd_list)
    rm = cmds.add_parser("remove", help="oublie un placement (échu ou rapatrié)")
    rm.add_argument("placement_id")
    add_db(rm)
    add_json(rm)
    rm.set_defaults(func=cmd_remove)


def plan_text(plan: PlacementPlan) -> str:
    """The placement options for a person (also the weekly report's words can reuse it)."""
    path = "P10 (le bas de la fourchette)" if plan.path == "p10" else "la prévision médiane"
    out = [
        f"Placement au {plan.as_of:%d/%m/%Y} : ce qui peut sortir du compte sans qu'aucun jour "
        f"ne passe sous le seuil de {format_dzd(plan.threshold)} (chemin : {path})",
    ]
    for t in plan.terms:
        if t.beyond_forecast:
            out.append(f"  {t.term_days:>4} jours : au-delà de la prévision, non calculé")
            continue
        limit = f"  (jour limitant : {t.lowest_day:%d/%m/%Y})" if t.lowest_day else ""
        out.append(f"  {t.term_days:>4} jours : {format_dzd(t.amount):>20}{limit}")
    if not plan.products:
        out.append("  aucun produit de placement dans policy.json (section placement.products)")
    for p in plan.products:
        rate = f"{p.annual_rate_percent:.2f} %".replace(".", ",")
        tag = " — TAUX D'EXEMPLE, à remplacer par celui de votre banque" if p.placeholder else ""
        if p.below_minimum:
            what = f"non : le plaçable ({format_dzd(placeable_of(plan, p.term_days))}) est sous le minimum de {format_dzd(p.min_amount)}"
        else:
            what = f"{format_dzd(p.amount)} rapporteraient {format_dzd(p.interest)}"
        out.append(f"  {p.product_id} {p.name}, {p.term_days} j à {rate}{tag} : {what}")
    return "\n".join(out)


def placeable_of(plan: PlacementPlan, term: int) -> Decimal:
    hits = [t.amount for t in plan.terms if t.term_days == term]
    return hits[0] if hits else Decimal(0)


def cmd_show(args: argparse.Namespace) -> int:
    day = as_of(args)
    ledger = open_ledger(args)
    with ledger.read() as s:
        try:
            plan = placement_plan(s, day)
        except ForecastError as err:
            raise CommandError(str(err)) from None
    if args.json:
        print_json(plan.model_dump(mode="python"))
    else:
        print(plan_text(plan))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    start = args.start or as_of(args)
    with ledger.session() as s:
        try:
            rec = add_placement(s, args.amount, start, args.days, args.product)
        except PlacementError as err:
            raise CommandError(str(err)) from None
    if args.json:
        print_json(rec.model_dump(mode="python") | {"maturity": rec.maturity})
    else:
        print(
            f"placement {rec.placement_id} enregistré : {format_dzd(rec.amount)} du "
            f"{rec.start:%d/%m/%Y} au {rec.maturity:%d/%m/%Y}; une alerte dira s'il faut le "
            "rapatrier avant"
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    with ledger.read() as s:
        rows = placements(s)
    if args.json:
        print_json(
            {"placements": [r.model_dump(mode="python") | {"maturity": r.maturity} for r in rows]}
        )
        return 0
    if not rows:
        print("aucun placement enregistré")
    for r in rows:
        print(
            f"{r.placement_id}  {format_dzd(r.amount):>20}  du {r.start:%d/%m/%Y} au "
            f"{r.maturity:%d/%m/%Y}  {r.product_id}"
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    with ledger.session() as s:
        try:
            rec = remove_placement(s, args.placement_id)
        except PlacementError as err:
            raise CommandError(str(err)) from None
    if args.json:
        print_json(rec.model_dump(mode="python"))
    else:
        print(f"placement {rec.placement_id} retiré")
    return 0
