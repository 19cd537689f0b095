"""``khazna receipts list|remind|attach|people``: missing receipts and who owes them.

Heavy modules are imported inside the command that uses them (measured in
:mod:`khazna.commands`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from khazna.commands import summary
from khazna.commands.common import (
    CommandError,
    add_as_of,
    add_db,
    add_json,
    as_of,
    open_ledger,
    print_json,
)
from khazna.money import format_dzd
from khazna.text import count

HELP = summary("receipts")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("receipts", help=HELP, description=HELP)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser(
        "list",
        help="les dépenses au-dessus du seuil de la politique sans justificatif, par personne",
    )
    add_db(q)
    add_as_of(q)
    add_json(q)
    q = actions.add_parser(
        "remind",
        help="envoie à chaque personne ses justificatifs manquants par courriel (une fois par semaine)",
    )
    add_db(q)
    add_as_of(q)
    add_json(q)
    q = actions.add_parser("attach", help="joint un fichier justificatif à une dépense")
    q.add_argument("expense_id")
    q.add_argument("file", type=Path)
    q.add_argument("--by", default="owner", help="qui dépose le fichier (enregistré)")
    add_db(q)
    add_json(q)
    q = actions.add_parser(
        "people",
        help="qui reçoit les rappels : `people list`, `people set NOM COURRIEL`, `people remove NOM`",
    )
    q.add_argument("people_action", choices=("list", "set", "remove"))
    q.add_argument("name", nargs="?")
    q.add_argument("email", nargs="?")
    add_db(q)
    add_json(q)
    p.set_defaults(func=cmd_receipts)


def cmd_receipts(args: argparse.Namespace) -> int:
    return {"list": _list, "remind": _remind, "attach": _attach, "people": _people}[args.action](
        args
    )


def _list(args: argparse.Namespace) -> int:
    from khazna.tools.receipts import missing_receipts

    ledger = open_ledger(args)
    with ledger.read() as s:
        groups = missing_receipts(s, as_of(args))
    if args.json:
        print_json({"as_of": as_of(args), "people": groups})
        return 0
    if not groups:
        print("Aucun justificatif manquant.")
    for g in groups:
        who = g.person or "(personne : caisse, virements)"
        mail = g.email or "pas d'email : rappel au gérant"
        print(
            f"{who} — {count(len(g.items), 'dépense', 'dépenses')}, {format_dzd(g.total)} — {mail}"
        )
        for i in g.items:
            print(f"  {i.expense_id:<10} {i.date:%d/%m/%Y}  {format_dzd(i.amount):>16}  {i.payee}")
    return 0


def _remind(args: argparse.Namespace) -> int:
    from khazna.agents.deps import AgentDeps
    from khazna.mail.receipts import send_receipt_reminders
    from khazna.mail.transport import MailConfigError

    deps = AgentDeps(ledger=open_ledger(args))
    try:
        sent = send_receipt_reminders(deps, as_of(args))
    except MailConfigError as err:
        raise CommandError(f"configuration du courrier : {err}") from None
    if args.json:
        print_json({"as_of": as_of(args), "reminders": sent})
        return 0
    if not sent:
        print("Aucun rappel à envoyer (rien de manquant, ou déjà rappelé cette semaine).")
    for r in sent:
        print(
            f"{r.person or '(caisse)'} → {', '.join(r.to)} : {count(len(r.expense_ids), 'dépense', 'dépenses')} [{r.mail_state}]"
        )
    return 0


def _attach(args: argparse.Namespace) -> int:
    from khazna.tools.receipts import EXTENSIONS, ReceiptError, attach_receipt

    path: Path = args.file
    try:
        content = path.read_bytes()
    except OSError as err:
        raise CommandError(f"{path}: {err.strerror}") from None
    ledger = open_ledger(args)
    declared = EXTENSIONS.get(path.suffix.lower())
    try:
        info = attach_receipt(
            ledger, args.expense_id, path.name, content, declared, uploaded_by=args.by
        )
    except ReceiptError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json(info)
        return 0
    again = " (déjà joint)" if info.already_attached else ""
    print(
        f"{info.expense_id} : justificatif {info.filename} ({info.media_type}, {info.size} octets) enregistré{again}"
    )
    return 0


def _people(args: argparse.Namespace) -> int:
    from khazna.tools.receipts import ReceiptError, people, set_person_email

    ledger = open_ledger(args)
    if args.people_action != "list" and not args.name:
        raise CommandError(f"receipts people {args.people_action} : le NOM est obligatoire")
    if args.people_action == "set" and not args.email:
        raise CommandError("receipts people set : le COURRIEL est obligatoire")
    with ledger.session() as s:
        try:
            if args.people_action == "list":
                mapping = people(s)
            else:
                email = args.email if args.people_action == "set" else ""
                mapping = set_person_email(s, args.name, email)
        except ReceiptError as err:
            raise CommandError(str(err)) from None
    if args.json:
        print_json({"people": mapping})
        return 0
    if not mapping:
        print("Aucune adresse enregistrée : les rappels vont à KHAZNA_OWNER_EMAIL.")
    for name, email in sorted(mapping.items()):
        print(f"{name} <{email}>")
    return 0
